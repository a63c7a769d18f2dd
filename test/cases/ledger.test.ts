import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, makeAlert, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

// GET /api/cases: the 回应台账 — columns, filters, sorting, keyset paging, totals, department scoping.

const NOW = new Date('2026-11-24T08:00:00Z');
const H = 3_600_000;
let f: Fixture;
let water: number;
let housing: number;
let edu: number;
let duty: TestUser;
let leader: TestUser;
let waterHandler: TestUser;
let eduHandler: TestUser;
let reviewer: TestUser;
const ids: Record<string, string> = {};

interface Row {
  id: string;
  number: string;
  [k: string]: unknown;
}

async function open(name: string, hoursAgo: number, level: string, category: string, lead: number, co: number[] = []) {
  const { alertId } = await makeAlert(f, name, new Date(NOW.getTime() - hoursAgo * H), [`${name}源`]);
  const res = await f.as(duty, 'POST', '/api/cases', { alertIds: [alertId], level, category, leadDepartmentId: lead, coDepartmentIds: co, summary: `${name}摘要` });
  expect(res.status).toBe(201);
  ids[name] = (await res.json()).id;
}

beforeAll(async () => {
  f = await createFixture('cases_ledger', NOW);
  water = await makeDepartment(f, '市水务局');
  housing = await makeDepartment(f, '市住建局');
  edu = await makeDepartment(f, '市教育局');
  duty = await makeUser(f, 'duty');
  leader = await makeUser(f, 'leader');
  reviewer = await makeUser(f, 'reviewer', null, '审核人乙');
  waterHandler = await makeUser(f, 'handler', water, '经办人甲');
  eduHandler = await makeUser(f, 'handler', edu);
  // Every case opens at NOW: openedAt ties everywhere, so paging must rely on the id tiebreak.
  await open('停水', 10, 'general', 'difficulty', water);
  await open('涨价', 60, 'significant', 'misunderstanding', water, [housing]); // 48 h response overdue
  await open('塌方', 2, 'major', 'emergency', housing, [water]);
  await open('谣传', 30, 'general', 'rumour', housing);
  await open('学校', 5, 'general', 'suggestion', housing);
  await open('拆迁', 20, 'especially_major', 'emergency', housing);
  await open('供暖', 1, 'general', 'difficulty', housing);

  // A published response (met on time) with feedback on 停水, written as the responses module would.
  const r = await f.db
    .insertInto('responses')
    .values({
      case_id: ids['停水'],
      status: 'published',
      body: '已恢复供水',
      drafted_by: waterHandler.id,
      reviewed_by: reviewer.id,
      reviewed_at: new Date(NOW.getTime() - 2 * H),
      published_at: new Date(NOW.getTime() - H),
      channel: 'new_media',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  expect(r.id).toBeTruthy();
  await f.db.updateTable('obligations').set({ status: 'met', met_at: new Date(NOW.getTime() - H), on_time: true }).where('case_id', '=', ids['停水']).execute();
  await f.db.insertInto('feedback').values([
    { case_id: ids['停水'], kind: 'reaction', body: '网民认可', created_at: new Date(NOW.getTime() - 0.5 * H) },
    { case_id: ids['停水'], kind: 'action', body: '管网检修', created_at: new Date(NOW.getTime() - 0.2 * H) },
  ]).execute();
});
afterAll(async () => {
  await f.tdb.drop();
});

const ledger = async (who: TestUser, qs = '') => {
  const res = await f.as(who, 'GET', `/api/cases${qs}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { cases: Row[]; nextCursor: string | null; total: number };
};
const names = (rows: Row[]) => rows.map((r) => Object.keys(ids).find((k) => ids[k] === r.id));

describe('GET /api/cases columns', () => {
  it('shows every ledger column with Chinese labels', async () => {
    const { cases, total } = await ledger(leader);
    expect(total).toBe(7);
    const row = cases.find((c) => c.id === ids['停水']);
    expect(row).toMatchObject({
      clockStartedAt: new Date(NOW.getTime() - 10 * H).toISOString(),
      origin: 'alert',
      originLabel: '监测预警',
      sourceNames: ['停水源'],
      title: '停水',
      summary: '停水摘要',
      level: 'general',
      levelLabel: '一般',
      category: 'difficulty',
      categoryLabel: '实际困难',
      leadDepartment: { id: water, name: '市水务局' },
      coDepartments: [],
      assignedAt: NOW.toISOString(),
      dueAt: new Date(NOW.getTime() + 38 * H).toISOString(),
      respondedAt: new Date(NOW.getTime() - H).toISOString(),
      responseChannel: 'new_media',
      responseChannelLabel: '政务新媒体',
      onTime: true,
      onTimeLabel: '按时',
      overdue: false,
      feedback: { count: 2, latest: '管网检修', latestAt: new Date(NOW.getTime() - 0.2 * H).toISOString() },
      closedAt: null,
      draftedBy: '经办人甲',
      reviewedBy: '审核人乙',
      status: 'open',
      statusLabel: '处置中',
    });
    const co = cases.find((c) => c.id === ids['涨价']);
    expect(co).toMatchObject({ coDepartments: [{ id: housing, name: '市住建局' }], overdue: true, onTime: false, respondedAt: null, draftedBy: null });
  });
});

describe('filters and totals', () => {
  it.each([
    ['?level=general', ['停水', '谣传', '学校', '供暖']],
    ['?category=emergency', ['塌方', '拆迁']],
    ['?overdue=true', ['涨价', '塌方', '拆迁', '谣传']], // 谣传: its 24 h referral is past due
    ['?overdue=false', ['停水', '学校', '供暖']],
    ['?q=%E8%B0%A3', ['谣传']],
    ['?q=YQ-2026', ['停水', '涨价', '塌方', '谣传', '学校', '拆迁', '供暖']],
    [`?from=${new Date(NOW.getTime() - 12 * H).toISOString()}&to=${new Date(NOW.getTime() - 2 * H).toISOString()}`, ['停水', '学校']],
    ['?status=closed', []],
  ])('%s', async (qs, expected) => {
    const r = await ledger(leader, `${qs}${qs.includes('?') ? '&' : '?'}sort=clockStartedAt&dir=desc&limit=200`);
    expect(new Set(names(r.cases))).toEqual(new Set(expected));
    expect(r.total).toBe(expected.length);
  });

  it('departmentId matches lead or co-department', async () => {
    const r = await ledger(leader, `?departmentId=${water}`);
    expect(new Set(names(r.cases))).toEqual(new Set(['停水', '涨价', '塌方']));
    expect(r.total).toBe(3);
  });
});

describe('sorting and keyset paging', () => {
  it.each(['openedAt', 'clockStartedAt', 'dueAt', 'level'] as const)('sort=%s pages without duplicates or gaps, in both directions', async (sort) => {
    for (const dir of ['asc', 'desc']) {
      const all = await ledger(leader, `?sort=${sort}&dir=${dir}&limit=200`);
      expect(all.cases).toHaveLength(7);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { cases: Row[]; nextCursor: string | null; total: number } = await ledger(
          leader,
          `?sort=${sort}&dir=${dir}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.total).toBe(7);
        seen.push(...page.cases.map((c) => c.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(seen).toEqual(all.cases.map((c) => c.id));
    }
  });

  it('orders by the key: clock start ascending, level descending', async () => {
    expect(names((await ledger(leader, '?sort=clockStartedAt&dir=asc')).cases)).toEqual(['涨价', '谣传', '拆迁', '停水', '学校', '塌方', '供暖']);
    const byLevel = names((await ledger(leader, '?sort=level&dir=desc')).cases);
    expect(byLevel[0]).toBe('拆迁');
    expect(byLevel[1]).toBe('塌方');
    expect(byLevel[2]).toBe('涨价');
  });

  it('refuses a cursor from another sort, or a forged one', async () => {
    const first = await ledger(leader, '?sort=dueAt&limit=2');
    expect((await f.as(leader, 'GET', `/api/cases?sort=level&limit=2&cursor=${first.nextCursor}`)).status).toBe(400);
    expect((await f.as(leader, 'GET', '/api/cases?cursor=bm9wZQ')).status).toBe(400);
  });
});

describe('department scoping', () => {
  it('a handler sees only cases of their department (lead or co); other handlers get 404', async () => {
    const mine = await ledger(waterHandler, '?limit=200');
    expect(new Set(names(mine.cases))).toEqual(new Set(['停水', '涨价', '塌方']));
    expect(mine.total).toBe(3);
    const none = await ledger(eduHandler);
    expect(none.cases).toEqual([]);
    expect(none.total).toBe(0);
    expect((await f.as(eduHandler, 'GET', `/api/cases/${ids['停水']}`)).status).toBe(404);
    expect((await f.as(eduHandler, 'GET', '/api/cases/99999999')).status).toBe(404);
    expect((await f.as(waterHandler, 'GET', `/api/cases/${ids['塌方']}`)).status).toBe(200);
    expect((await f.requestAs(null, 'GET', '/api/cases')).status).toBe(401);
  });
});
