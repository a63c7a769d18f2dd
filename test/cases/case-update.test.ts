import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minhash } from '../../core/minhash.js';
import { simhash } from '../../core/simhash.js';
import { ingestItems, type IngestItem } from '../../services/crawl/ingest.js';
import { errorOf, makeSource } from '../api/helpers.js';
import { auditCount, createFixture, makeAlert, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

// PATCH /api/cases/{id} (level change recomputes open obligations, with a reason; reassignment),
// the audit trail of every change, the append-only trigger, and closed-case attention on ingest.

const NOW = new Date('2026-11-24T08:00:00Z');
const H = 3_600_000;
let f: Fixture;
let water: number;
let housing: number;
let duty: TestUser;
let reviewer: TestUser;
let handler: TestUser;
let leader: TestUser;
let admin: TestUser;

beforeAll(async () => {
  f = await createFixture('cases_update', NOW);
  water = await makeDepartment(f, '市水务局');
  housing = await makeDepartment(f, '市住建局');
  duty = await makeUser(f, 'duty');
  reviewer = await makeUser(f, 'reviewer', null, '主任');
  handler = await makeUser(f, 'handler', water);
  leader = await makeUser(f, 'leader');
  admin = await makeUser(f, 'admin');
});
afterAll(async () => {
  await f.tdb.drop();
});

async function openCase(level: string, category: string, start: Date) {
  const { alertId } = await makeAlert(f, `事件${Math.random()}`, start);
  const res = await f.as(duty, 'POST', '/api/cases', { alertIds: [alertId], level, category, leadDepartmentId: water });
  expect(res.status).toBe(201);
  return res.json();
}

describe('PATCH /api/cases/{id}', () => {
  it('raising the level to major recomputes from the same start: response cancelled, major obligations created, reason kept', async () => {
    const start = new Date('2026-11-24T06:00:00Z');
    const c = await openCase('general', 'difficulty', start);
    const noReason = await f.as(reviewer, 'PATCH', `/api/cases/${c.id}`, { level: 'major' });
    expect(noReason.status).toBe(400);
    expect((await errorOf(noReason)).details.issues[0].path).toBe('reason');

    const audits = await auditCount(f, { caseId: c.id });
    const res = await f.as(reviewer, 'PATCH', `/api/cases/${c.id}`, { level: 'major', reason: '已致人员受伤' });
    expect(res.status).toBe(200);
    const after = await res.json();
    expect(after.level).toBe('major');
    const byKind = Object.fromEntries(after.obligations.map((o: { kind: string }) => [o.kind, o]));
    expect(byKind.response).toMatchObject({ status: 'cancelled', note: '已致人员受伤' });
    expect(byKind.report).toMatchObject({ status: 'open', dueAt: new Date(start.getTime() + H).toISOString(), note: '已致人员受伤', breached: true });
    expect(byKind.info.dueAt).toBe(new Date(start.getTime() + 5 * H).toISOString());
    expect(byKind.press.dueAt).toBe(new Date(start.getTime() + 24 * H).toISOString());
    // case.change_level + response cancelled + 4 created
    expect(await auditCount(f, { caseId: c.id })).toBe(audits + 6);
    const row = await f.db.selectFrom('audit_log').selectAll().where('case_id', '=', c.id).where('action', '=', 'case.change_level').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_id: reviewer.id, actor_name: '主任', before: { level: 'general' }, after: { level: 'major', reason: '已致人员受伤' } });
  });

  it('lowering the level keeps met obligations, reschedules the open ones of kinds still owed', async () => {
    const start = new Date('2026-11-24T07:00:00Z');
    const c = await openCase('major', 'rumour', start);
    await f.db.updateTable('obligations').set({ status: 'met', met_at: NOW, on_time: false }).where('case_id', '=', c.id).where('kind', '=', 'report').execute();
    const res = await f.as(duty, 'PATCH', `/api/cases/${c.id}`, { level: 'general', reason: '核实为个别现象' });
    const after = await res.json();
    const status = Object.fromEntries(after.obligations.map((o: { kind: string; status: string }) => [o.kind, o.status]));
    expect(status).toEqual({ report: 'met', info: 'cancelled', press: 'cancelled', update: 'cancelled', referral: 'open', response: 'open' });
    const response = after.obligations.find((o: { kind: string }) => o.kind === 'response');
    expect(response.dueAt).toBe(new Date(start.getTime() + 48 * H).toISOString());
  });

  it('edits text and reassigns departments, audited; the new department’s handler then sees the case', async () => {
    const c = await openCase('general', 'suggestion', new Date('2026-11-24T07:00:00Z'));
    const housingHandler = await makeUser(f, 'handler', housing);
    expect((await f.as(housingHandler, 'GET', `/api/cases/${c.id}`)).status).toBe(404);
    const res = await f.as(admin, 'PATCH', `/api/cases/${c.id}`, { title: '新标题', summary: '新摘要', leadDepartmentId: housing, coDepartmentIds: [water] });
    expect(res.status).toBe(200);
    const after = await res.json();
    expect(after).toMatchObject({ title: '新标题', summary: '新摘要', leadDepartment: { id: housing, name: '市住建局' }, coDepartments: [{ id: water, name: '市水务局' }] });
    const row = await f.db.selectFrom('audit_log').selectAll().where('case_id', '=', c.id).where('action', '=', 'case.reassign').executeTakeFirstOrThrow();
    expect(row.before).toMatchObject({ title: c.title, departments: { leadDepartmentId: water, coDepartmentIds: [] } });
    expect(row.after).toMatchObject({ title: '新标题', departments: { leadDepartmentId: housing, coDepartmentIds: [water] } });
    expect((await f.as(housingHandler, 'GET', `/api/cases/${c.id}`)).status).toBe(200);
    // A no-op patch writes nothing.
    const n = await auditCount(f, { caseId: c.id });
    expect((await f.as(admin, 'PATCH', `/api/cases/${c.id}`, { title: '新标题' })).status).toBe(200);
    expect(await auditCount(f, { caseId: c.id })).toBe(n);
  });

  it('a handler may not patch (403), even on their own case; unknown case 404', async () => {
    const c = await openCase('general', 'suggestion', new Date('2026-11-24T07:00:00Z'));
    const res = await f.as(handler, 'PATCH', `/api/cases/${c.id}`, { title: 'x' });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('FORBIDDEN');
    expect((await f.as(leader, 'PATCH', `/api/cases/${c.id}`, { title: 'x' })).status).toBe(403);
    expect((await f.as(duty, 'PATCH', '/api/cases/99999999', { title: 'x' })).status).toBe(404);
  });
});

describe('audit', () => {
  it('GET /api/audit per case and per user, admin and leader only, paged', async () => {
    const c = await openCase('general', 'suggestion', new Date('2026-11-24T07:00:00Z'));
    const res = await f.as(leader, 'GET', `/api/audit?caseId=${c.id}`);
    expect(res.status).toBe(200);
    const { entries } = await res.json();
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['obligation.create', 'alert.open', 'case.create']);
    const byUser = await (await f.as(admin, 'GET', `/api/audit?userId=${reviewer.id}&limit=1`)).json();
    expect(byUser.entries).toHaveLength(1);
    expect(byUser.entries[0].actorId).toBe(reviewer.id);
    const next = await (await f.as(admin, 'GET', `/api/audit?userId=${reviewer.id}&limit=100&cursor=${byUser.nextCursor}`)).json();
    expect(next.entries.length).toBeGreaterThan(0);
    expect(next.entries.every((e: { actorId: number; id: string }) => e.actorId === reviewer.id && BigInt(e.id) < BigInt(byUser.entries[0].id))).toBe(true);
    expect((await f.as(duty, 'GET', '/api/audit')).status).toBe(403);
    expect((await f.as(handler, 'GET', '/api/audit')).status).toBe(403);
  });

  it('the trigger rejects UPDATE and DELETE on audit_log', async () => {
    await expect(sql`update audit_log set action = 'x'`.execute(f.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(f.db)).rejects.toThrow(/append-only/);
    expect(await auditCount(f, { action: 'x' })).toBe(0);
  });
});

describe('closed-case attention (ingest)', () => {
  const text = '永济市城西片区自来水连续三天停水，居民生活受到严重影响，物业和水务部门至今没有给出明确答复，网友纷纷留言要求尽快恢复供水';
  const item = (sourceId: number, ruleId: number, key: string, at: Date): IngestItem => ({
    sourceId,
    urlKey: `https://bbs.example.cn/${key}`,
    url: `https://bbs.example.cn/${key}`,
    guid: null,
    title: '城西停水三天',
    text,
    author: '',
    publishedAt: at,
    publishedAtEstimated: false,
    fetchedAt: at,
    simhash: simhash(text),
    minhash: minhash(text),
    negativity: 0.5,
    hits: [{ ruleId, words: ['停水'] }],
  });

  it('new items on the story of a closed case put its alert back to new (case kept), audited; an open case stays', async () => {
    const src = await makeSource(f.db, { name: '永济论坛' });
    const ruleId = (await f.db.insertInto('rules').values({ name: '停水', expression: '停水' }).returning('id').executeTakeFirstOrThrow()).id;
    const rules = new Map([[ruleId, { level: 'general' as const, category: 'difficulty' as const, departmentId: water }]]);
    const t0 = new Date('2026-11-24T01:00:00Z');
    await f.db.transaction().execute((trx) => ingestItems(trx, [item(src, ruleId, 'a', t0)], rules, t0));
    const alert = await f.db.selectFrom('alerts').select(['id', 'story_id']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const c = await (await f.as(duty, 'POST', '/api/cases', { alertIds: [alert.id], level: 'general', category: 'difficulty', leadDepartmentId: water })).json();

    // While the case is open, a repost changes nothing about the alert's status.
    const t1 = new Date('2026-11-24T02:00:00Z');
    await f.db.transaction().execute((trx) => ingestItems(trx, [item(src, ruleId, 'b', t1)], rules, t1));
    expect((await f.db.selectFrom('alerts').select('status').where('id', '=', alert.id).executeTakeFirstOrThrow()).status).toBe('case');

    await f.db.updateTable('cases').set({ status: 'closed', closed_at: t1 }).where('id', '=', c.id).execute();
    const t2 = new Date('2026-11-24T03:00:00Z');
    await f.db.transaction().execute((trx) => ingestItems(trx, [item(src, ruleId, 'c', t2)], rules, t2));
    const after = await f.db.selectFrom('alerts').select(['status', 'case_id', 'story_id']).where('id', '=', alert.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'new', case_id: c.id, story_id: alert.story_id });
    const row = await f.db.selectFrom('audit_log').selectAll().where('action', '=', 'alert.reopen').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ entity_id: alert.id, case_id: c.id, actor_id: null, actor_name: 'system' });

    // A closed case takes no evidence until it is reopened; reopened, the new evidence joins.
    const refused = await f.as(duty, 'POST', `/api/alerts/${alert.id}/attach`, { caseId: c.id });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.messageZh).toBe('事件已办结，如需修改请先重新打开');
    expect((await f.as(duty, 'POST', `/api/cases/${c.id}/reopen`, { reason: '办结后出现新信息' })).status).toBe(200);
    const attach = await f.as(duty, 'POST', `/api/alerts/${alert.id}/attach`, { caseId: c.id });
    expect(attach.status).toBe(200);
    expect((await attach.json()).evidenceAdded).toBe(2);
  });
});
