import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { visibleCase, type Viewer } from '../../db/repos/case-access.js';
import {
  caseDetail,
  FEEDBACK_COLUMNS,
  OBLIGATION_COLUMNS,
  REFERRAL_COLUMNS,
  REPORT_UP_COLUMNS,
  RESPONSE_COLUMNS,
  type Col,
} from '../../db/repos/case-detail.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

// GET /api/cases/{id} reads the whole page in one statement (db/repos/case-detail.ts), its lists
// as JSON. Here it is held to the plain per-table reads it replaced (below; the columns each list shows): the same
// rows, the same types (bigint ids as strings, Dates to the millisecond, numbers, nulls), the same
// key order and list order, and the same visibility (a handler sees only cases where its
// department is lead or co-department).

let t: TestDb;
let db: Db;
let A: number;
let B: number;
let C: number;
let rich: string;
let bare: string;
let named: number;

const userName = (col: string) => sql<string | null>`(select u.display_name from users u where u.id = ${sql.ref(col)})`;

/** The page's reads one table at a time, as the service made them before the single statement. */
async function reference(caseId: string, viewer: Viewer) {
  const c = await visibleCase(db, caseId, viewer);
  if (!c) return undefined;
  const [departments, opener, stories, items, obligations, responses, feedback, reportsUp, referrals, timeline] = await Promise.all([
    db
      .selectFrom('case_departments')
      .innerJoin('departments', 'departments.id', 'case_departments.department_id')
      .select(['departments.id', 'departments.name', 'case_departments.role'])
      .where('case_departments.case_id', '=', c.id)
      .orderBy('case_departments.role', 'desc')
      .orderBy('departments.id')
      .execute(),
    c.opened_by === null ? undefined : db.selectFrom('users').select('display_name').where('id', '=', c.opened_by).executeTakeFirst(),
    db
      .selectFrom('case_stories')
      .innerJoin('stories', 'stories.id', 'case_stories.story_id')
      .leftJoin('alerts', 'alerts.story_id', 'stories.id')
      .select([
        'stories.id',
        'stories.title',
        'stories.item_count',
        'stories.source_count',
        'stories.first_seen_at',
        'stories.last_seen_at',
        'alerts.id as alert_id',
        'alerts.status as alert_status',
      ])
      .where('case_stories.case_id', '=', c.id)
      .orderBy('stories.first_seen_at')
      .orderBy('stories.id')
      .execute(),
    db
      .selectFrom('case_items')
      .select(['id', 'item_id', 'title', 'text', 'url', 'source_name', 'published_at', 'captured_at'])
      .where('case_id', '=', c.id)
      .orderBy('published_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('obligations').selectAll().where('case_id', '=', c.id).orderBy('due_at').orderBy('id').execute(),
    db
      .selectFrom('responses')
      .selectAll()
      .select([
        userName('responses.drafted_by').as('drafted_by_name'),
        userName('responses.reviewed_by').as('reviewed_by_name'),
        userName('responses.published_by').as('published_by_name'),
      ])
      .where('case_id', '=', c.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('feedback').selectAll().select(userName('feedback.author_id').as('author_name')).where('case_id', '=', c.id).orderBy('created_at').orderBy('id').execute(),
    db
      .selectFrom('reports_up')
      .selectAll()
      .select(userName('reports_up.reported_by').as('reported_by_name'))
      .where('case_id', '=', c.id)
      .orderBy('reported_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('referrals')
      .selectAll()
      .select(userName('referrals.referred_by').as('referred_by_name'))
      .where('case_id', '=', c.id)
      .orderBy('referred_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('audit_log')
      .select(['id', 'at', 'actor_id', 'actor_name', 'entity', 'entity_id', 'action', 'before', 'after'])
      .where('case_id', '=', c.id)
      .orderBy('id')
      .execute(),
  ]);
  return {
    case: c,
    parts: { openedByName: opener?.display_name ?? null, departments, stories, items, obligations, responses, feedback, reportsUp, referrals, timeline },
  };
}

/** Equal values and types (toStrictEqual: Dates by value, no string-for-number), and equal key order. */
function expectSame(actual: unknown, expected: unknown) {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

beforeAll(async () => {
  t = await createTestDb('casedetail');
  db = t.db;
  const dept = async (name: string) => (await db.insertInto('departments').values({ name }).returning('id').executeTakeFirstOrThrow()).id;
  A = await dept('市水务局');
  B = await dept('市住建局');
  C = await dept('市教育局');
  named = (
    await db
      .insertInto('users')
      .values({ username: 'duty_named', display_name: '值班员甲', role: 'duty', password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  // Timestamps with microseconds (now(), and a fraction of a millisecond): the page shows milliseconds.
  const at = '2026-11-20 08:00:00.123456+08';
  const newCase = async (number: string, lead: number, openedBy: number | null) =>
    (
      await sql<{ id: string }>`
        insert into cases (number, title, summary, level, category, lead_department_id, clock_started_at, opened_at, opened_by, assigned_at)
        values (${number}, '关于停水的反映', '摘要', 'major', 'rumour', ${lead}, ${at}::timestamptz, now(), ${openedBy}, now())
        returning id::text`.execute(db)
    ).rows[0].id;
  rich = await newCase('YQ-T-1', A, named);
  bare = await newCase('YQ-T-2', A, null);
  await db
    .insertInto('case_departments')
    .values([
      { case_id: rich, department_id: A, role: 'lead' },
      { case_id: rich, department_id: C, role: 'co' },
      { case_id: rich, department_id: B, role: 'co' },
      { case_id: bare, department_id: A, role: 'lead' },
    ])
    .execute();
  // Three stories: two with an alert, one without; one shares its first-seen time with another.
  const story = async (title: string, first: string) =>
    (
      await sql<{ id: string }>`
        insert into stories (title, simhash, band0, band1, band2, band3, band4, band5, first_seen_at, last_seen_at, item_count, source_count)
        values (${title}, 0, 0, 0, 0, 0, 0, 0, ${first}::timestamptz, now(), 3, 2) returning id::text`.execute(db)
    ).rows[0].id;
  const s1 = await story('故事一', '2026-11-20 07:00:00.000999+08');
  const s2 = await story('故事二', '2026-11-20 07:00:00.000999+08');
  const s3 = await story('故事三', '2026-11-19 07:00:00+08');
  await db.insertInto('case_stories').values([s1, s2, s3].map((s) => ({ case_id: rich, story_id: s }))).execute();
  await db.insertInto('alerts').values({ story_id: s1, status: 'case', case_id: rich }).execute();
  await db.insertInto('alerts').values({ story_id: s3, status: 'dismissed' }).execute();
  await sql`
    insert into case_items (case_id, item_id, title, text, url, source_name, published_at, captured_at) values
      (${rich}, null, '手工登记', '来电', '', '热线', null, now()),
      (${rich}, null, '帖子二', '正文', 'http://a.example/2', '论坛', '2026-11-20 07:30:00.5+08', now()),
      (${rich}, null, '帖子一', '正文', 'http://a.example/1', '论坛', '2026-11-20 07:10:00.000001+08', now())`.execute(db);
  await sql`
    insert into obligations (case_id, kind, seq, window_hours, started_at, due_at, status, met_at, on_time, met_by, note) values
      (${rich}, 'report', 1, 1, ${at}::timestamptz, ${at}::timestamptz + interval '1 hour', 'met', now(), false, 'report', ''),
      (${rich}, 'info', 1, 5, ${at}::timestamptz, ${at}::timestamptz + interval '5 hours', 'open', null, null, null, ''),
      (${rich}, 'press', 1, 24.5, ${at}::timestamptz, ${at}::timestamptz + interval '24.5 hours', 'cancelled', null, null, null, '撤销')`.execute(db);
  await sql`
    insert into responses (case_id, status, body, drafted_by, drafted_at, reviewed_by, reviewed_at, published_by, published_at, channel, created_at) values
      (${rich}, 'published', '回应', ${named}, now(), ${named}, now(), null, now(), 'website', '2026-11-20 09:00:00.250001+08'),
      (${rich}, 'draft', '草稿', null, now(), null, null, null, null, null, '2026-11-20 09:00:00.250001+08')`.execute(db);
  await sql`
    insert into feedback (case_id, author_id, kind, body, created_at) values
      (${rich}, ${named}, 'reaction', '平稳', now()), (${rich}, null, 'other', '其他', '2026-11-20 10:00:00+08')`.execute(db);
  await sql`
    insert into reports_up (case_id, reported_by, reported_at, recipient, content) values
      (${rich}, ${named}, now(), '市委办', '首报'), (${rich}, null, now() - interval '1 hour', '省政府', '续报')`.execute(db);
  await sql`
    insert into referrals (case_id, target, referred_by, referred_at, recipient, content) values
      (${rich}, 'public_security', ${named}, now(), '公安局', '线索'), (${rich}, 'cyberspace', null, now(), '网信办', '线索')`.execute(db);
  await sql`
    insert into audit_log (actor_id, actor_name, ip, entity, entity_id, case_id, action, before, after) values
      (${named}, '值班员甲', '10.0.0.1', 'case', ${rich}, ${rich}, 'case.update',
       '{"level": "general", "n": 1.5, "big": 12345678901234567890, "nested": {"a": [1, null, "x"]}}', '{"level": "major"}'),
      (null, 'system', '', 'obligation', '1', ${rich}, 'obligation.breach', null, 'null')`.execute(db);
});

afterAll(async () => {
  await t?.drop();
});

describe('case detail in one statement', () => {
  const viewers = (): [string, Viewer][] => [
    ['admin', { id: 1, role: 'admin', departmentId: null }],
    ['duty', { id: 1, role: 'duty', departmentId: null }],
    ['handler of the lead department', { id: 1, role: 'handler', departmentId: A }],
    ['handler of a co-department', { id: 1, role: 'handler', departmentId: B }],
    ['handler of another department', { id: 1, role: 'handler', departmentId: C + 1000 }],
    ['handler without a department', { id: 1, role: 'handler', departmentId: null }],
  ];

  it('returns what the per-table reads return, for every viewer, a full case and an empty one', async () => {
    for (const id of [rich, bare]) {
      for (const [who, viewer] of viewers()) {
        const expected = await reference(id, viewer);
        const actual = await caseDetail(db, id, viewer);
        expect(actual === undefined, `${who} on case ${id}`).toBe(expected === undefined);
        expectSame(actual, expected);
      }
    }
    // The full case really exercises every list (and a viewer outside it really gets nothing).
    const full = (await caseDetail(db, rich, { id: 1, role: 'admin', departmentId: null }))!;
    for (const [key, value] of Object.entries(full.parts)) if (Array.isArray(value)) expect(value.length, key).toBeGreaterThan(0);
    expect(full.parts.openedByName).toBe('值班员甲');
    expect(await caseDetail(db, rich, { id: 1, role: 'handler', departmentId: C + 1000 })).toBeUndefined();
  });

  it('is undefined for ids that are not a case', async () => {
    for (const id of ['0', '999999999', 'abc', '1 or 1=1', '1234567890123456789']) {
      expect(await caseDetail(db, id, { id: 1, role: 'admin', departmentId: null })).toBeUndefined();
    }
  });

  it('lists every column of the tables the page shows verbatim, in table order, with the right kind', async () => {
    const tables: [string, readonly Col[]][] = [
      ['responses', RESPONSE_COLUMNS],
      ['feedback', FEEDBACK_COLUMNS],
      ['reports_up', REPORT_UP_COLUMNS],
      ['referrals', REFERRAL_COLUMNS],
      ['obligations', OBLIGATION_COLUMNS],
    ];
    const kindOf = (type: string) => (type === 'bigint' ? 'int8' : type === 'timestamp with time zone' ? 'ts' : type === 'numeric' ? 'unsupported' : 'plain');
    for (const [table, cols] of tables) {
      const r = await sql<{ column_name: string; data_type: string }>`
        select column_name, data_type from information_schema.columns
        where table_schema = 'public' and table_name = ${table} order by ordinal_position`.execute(db);
      expect(
        cols.map(([key, kind]) => `${key}:${kind}`),
        table,
      ).toEqual(r.rows.map((c) => `${c.column_name}:${kindOf(c.data_type)}`));
    }
  });
});
