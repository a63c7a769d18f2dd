import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNotice } from '../../core/notices.js';
import { createApiFixture, errorOf, type ApiFixture } from '../api/helpers.js';
import { createUser, sessionFor, type TestUser } from '../helpers/auth.js';
import { testContext } from '../helpers/factories.js';

// 退回交办 and 改派: the lead department's handler declines an assignment with a reason; the duty
// officer who opened the case hears of it and has it on 待办; reassigning the lead department
// resolves it (and tells the new department), or the duty officer overrules it and the department
// goes on. Only the lead department declines, once at a time, never after publication or closing.

let f: ApiFixture;
const clock = new Date('2026-12-07T02:00:00Z');
let duty: TestUser;
let duty2: TestUser;
let zj: TestUser; // 住建局 handler (lead)
let rs: TestUser; // 人社局 handler
let other: TestUser; // 教育局 handler (no part in the case)
let zjId: number;
let rsId: number;
let caseId: string;

const as = async (u: TestUser, method: string, path: string, body?: unknown) => f.requestAs(await sessionFor(f.db, u, clock), method, path, body);
const keysOf = async (u: TestUser) =>
  (await f.db.selectFrom('notifications').select(['key', 'params']).where('user_id', '=', u.id).orderBy('id').execute()).map((n) => n.key);

beforeAll(async () => {
  f = await createApiFixture('decline', { now: () => clock });
  const t = testContext(f.db);
  zjId = (await t.newDepartment({ name: '住建局' })).id;
  rsId = (await t.newDepartment({ name: '人社局' })).id;
  const jy = (await t.newDepartment({ name: '教育局' })).id;
  duty = await createUser(f.db, { role: 'duty', displayName: '值班员 王敏' });
  duty2 = await createUser(f.db, { role: 'duty', displayName: '值班员 张伟' });
  zj = await createUser(f.db, { role: 'handler', departmentId: zjId, displayName: '住建局 李强' });
  rs = await createUser(f.db, { role: 'handler', departmentId: rsId, displayName: '人社局 赵丽' });
  other = await createUser(f.db, { role: 'handler', departmentId: jy, displayName: '教育局 周敏' });
  const res = await as(duty, 'POST', '/api/cases', {
    manual: { origin: 'government_office', originNote: '转办单', receivedAt: '2026-12-07T01:00:00Z', title: '农民工工资拖欠', text: '工地拖欠工资。' },
    level: 'general',
    category: 'difficulty',
    leadDepartmentId: zjId,
  });
  expect(res.status).toBe(201);
  caseId = (await res.json()).id;
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('退回交办', () => {
  it('only the lead department declines; others get 403 or 404', async () => {
    expect((await as(other, 'POST', `/api/cases/${caseId}/decline`, { reason: '不是我们的' })).status).toBe(404);
    expect((await as(duty, 'POST', `/api/cases/${caseId}/decline`, { reason: 'x' })).status).toBe(403);
    const empty = await as(zj, 'POST', `/api/cases/${caseId}/decline`, { reason: '  ' });
    expect(empty.status).toBe(400);
  });

  it('the lead handler declines with a reason: audited, the opening duty officer told and asked on 待办', async () => {
    const res = await as(zj, 'POST', `/api/cases/${caseId}/decline`, { reason: '拖欠工资属人社局职责，建议交人社局' });
    expect(res.status).toBe(200);
    expect((await res.json()).decline).toMatchObject({ department: { id: zjId, name: '住建局' }, by: '住建局 李强', reason: '拖欠工资属人社局职责，建议交人社局' });
    const again = await as(zj, 'POST', `/api/cases/${caseId}/decline`, { reason: '再退一次' });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).messageZh).toContain('正等待改派');
    expect(await keysOf(duty)).toEqual(['case.declined']);
    expect(await keysOf(duty2)).toEqual([]); // the opener, not every duty officer
    const [n] = await f.db.selectFrom('notifications').select('params').where('user_id', '=', duty.id).execute();
    expect(renderNotice('case.declined', n!.params!, 'zh').body).toContain('住建局退回了');
    const todos = (await (await as(duty2, 'GET', '/api/todos')).json()).todos as { kind: string; caseId: string; params: Record<string, string> }[];
    expect(todos.find((t) => t.kind === 'case.declined')).toMatchObject({ caseId, params: { department: '住建局' } });
    const audit = await f.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'case.decline').execute();
    expect(audit).toEqual([{ action: 'case.decline', actor_id: zj.id }]);
  });

  it('改派: reassigning the lead department resolves the decline and tells the new department', async () => {
    const res = await as(duty, 'PATCH', `/api/cases/${caseId}`, { leadDepartmentId: rsId, reason: '按职责改派人社局' });
    expect(res.status).toBe(200);
    expect((await res.json()).decline).toBeNull();
    expect(await keysOf(rs)).toEqual(['case.assigned']);
    expect((await keysOf(zj)).at(-1)).toBe('case.unassigned');
    const todos = (await (await as(duty, 'GET', '/api/todos')).json()).todos as { kind: string }[];
    expect(todos.some((t) => t.kind === 'case.declined')).toBe(false);
    const row = await f.db.selectFrom('case_declines').select(['resolution', 'resolved_by']).executeTakeFirstOrThrow();
    expect(row).toEqual({ resolution: 'reassigned', resolved_by: duty.id });
  });

  it('不同意退回: the duty officer overrules; the department is told to go on', async () => {
    expect((await as(rs, 'POST', `/api/cases/${caseId}/decline`, { reason: '应由住建局督促施工方' })).status).toBe(200);
    expect((await as(duty, 'POST', `/api/cases/${caseId}/decline/overrule`, { reason: '' })).status).toBe(400);
    const res = await as(duty, 'POST', `/api/cases/${caseId}/decline/overrule`, { reason: '工资支付属人社局监管，请继续办理' });
    expect(res.status).toBe(200);
    expect((await res.json()).decline).toBeNull();
    expect((await keysOf(rs)).at(-1)).toBe('case.decline_overruled');
    expect((await as(duty, 'POST', `/api/cases/${caseId}/decline/overrule`, { reason: '再次' })).status).toBe(409);
    expect((await as(rs, 'POST', `/api/cases/${caseId}/decline/overrule`, { reason: 'x' })).status).toBe(403);
  });

  it('a closed case cannot be declined', async () => {
    await f.db.updateTable('cases').set({ status: 'closed' }).where('id', '=', caseId).execute();
    const res = await as(rs, 'POST', `/api/cases/${caseId}/decline`, { reason: '办结后退回' });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).messageZh).toContain('事件已办结');
  });
});
