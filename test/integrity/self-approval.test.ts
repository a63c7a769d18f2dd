import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionFor } from '../helpers/auth.js';
import { auditCount, createFixture, errorOf, H, makeCase, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

// Issue 15 §1 hole 7: whoever drafted a response, or last edited it, never approves it — whatever
// role they hold by the time it is submitted. An office with one reviewer gets a clear message.

const NOW = new Date('2026-12-06T10:00:00Z');
const SELF_ZH = '起草人不能审核自己起草的回应，请由其他审核人审核';
const EDITOR_ZH = '最后修改人不能审核自己修改的回应，请由其他审核人审核';

let f: Fixture;
let dept: number;
let handler: TestUser;
let reviewer: TestUser;
let otherReviewer: TestUser;

beforeAll(async () => {
  f = await createFixture('integrity-self-approval', NOW);
  dept = await makeDepartment(f, '市住建局');
  handler = await makeUser(f, 'handler', dept, '经办人');
  reviewer = await makeUser(f, 'reviewer', null, '审核人甲');
  otherReviewer = await makeUser(f, 'reviewer', null, '审核人乙');
});
afterAll(async () => {
  await f.tdb.drop();
});

const base = (caseId: string) => `/api/cases/${caseId}/responses`;

async function draft(caseId: string, by: TestUser): Promise<string> {
  const res = await f.as(by, 'POST', base(caseId), { body: '经核实，已责成施工单位整改。' });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()).id;
}

/** The user's role changed (e.g. a handler promoted to reviewer), signed in again. */
async function promote(u: TestUser, role: 'reviewer' | 'admin'): Promise<TestUser> {
  await f.db.updateTable('users').set({ role, department_id: null }).where('id', '=', u.id).execute();
  const s = await sessionFor(f.db, { id: u.id }, NOW);
  return { id: u.id, role, departmentId: null, headers: s.headers() };
}

describe('self-approval', () => {
  it('a reviewer who drafted a response cannot approve it; another reviewer can', async () => {
    const caseId = await makeCase(f, { lead: dept, clockStartedAt: new Date(NOW.getTime() - 2 * H) });
    const rid = await draft(caseId, reviewer);
    expect((await f.as(handler, 'POST', `${base(caseId)}/${rid}/submit`, { secrecyConfirmed: true })).status).toBe(200);
    const audits = await auditCount(f, { caseId });
    const self = await f.as(reviewer, 'POST', `${base(caseId)}/${rid}/approve`);
    expect(self.status).toBe(403);
    const err = await errorOf(self);
    expect(err.messageZh).toBe(SELF_ZH);
    expect(err.message).toBe('The drafter of a response cannot approve it; another reviewer must review it');
    expect(await auditCount(f, { caseId })).toBe(audits);
    const row = await f.db.selectFrom('responses').select(['status', 'reviewed_by']).where('id', '=', rid).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'submitted', reviewed_by: null });

    const other = await f.as(otherReviewer, 'POST', `${base(caseId)}/${rid}/approve`);
    expect(other.status).toBe(200);
    expect((await other.json()).reviewedBy).toMatchObject({ id: otherReviewer.id });
  });

  it('the drafter may still return it (a return approves nothing)', async () => {
    const caseId = await makeCase(f, { lead: dept, clockStartedAt: new Date(NOW.getTime() - 2 * H) });
    const rid = await draft(caseId, reviewer);
    expect((await f.as(handler, 'POST', `${base(caseId)}/${rid}/submit`, { secrecyConfirmed: true })).status).toBe(200);
    expect((await f.as(reviewer, 'POST', `${base(caseId)}/${rid}/return`, { comment: '请补充时间' })).status).toBe(200);
  });

  it('a handler who drafted and later became a reviewer cannot approve the draft', async () => {
    const drafter = await makeUser(f, 'handler', dept, '经办人丙');
    const caseId = await makeCase(f, { lead: dept, clockStartedAt: new Date(NOW.getTime() - 2 * H) });
    const rid = await draft(caseId, drafter);
    expect((await f.as(drafter, 'POST', `${base(caseId)}/${rid}/submit`, { secrecyConfirmed: true })).status).toBe(200);
    const promoted = await promote(drafter, 'reviewer');
    const res = await f.as(promoted, 'POST', `${base(caseId)}/${rid}/approve`);
    expect(res.status).toBe(403);
    expect((await errorOf(res)).messageZh).toBe(SELF_ZH);
  });

  it('the last editor cannot approve it either', async () => {
    const editor = await makeUser(f, 'handler', dept, '经办人丁');
    const caseId = await makeCase(f, { lead: dept, clockStartedAt: new Date(NOW.getTime() - 2 * H) });
    const rid = await draft(caseId, handler);
    const url = `${base(caseId)}/${rid}`;
    expect((await f.as(editor, 'PATCH', url, { body: '修改稿：三日内整改完毕。' })).status).toBe(200);
    expect((await f.as(handler, 'POST', `${url}/submit`, { secrecyConfirmed: true })).status).toBe(200);
    const promoted = await promote(editor, 'reviewer');
    // Nor is it in their review queue (我的待办), while it is in another reviewer's.
    const queue = async (u: TestUser) => ((await (await f.as(u, 'GET', '/api/todos')).json()).todos as { kind: string; caseId: string }[]).filter((t) => t.kind === 'response.review' && t.caseId === caseId);
    expect(await queue(promoted)).toEqual([]);
    expect(await queue(reviewer)).toHaveLength(1);
    const res = await f.as(promoted, 'POST', `${url}/approve`);
    expect(res.status).toBe(403);
    const err = await errorOf(res);
    expect(err.messageZh).toBe(EDITOR_ZH);
    expect(err.message).toBe('The last editor of a response cannot approve it; another reviewer must review it');
    expect((await f.as(reviewer, 'POST', `${url}/approve`)).status).toBe(200);
  });
});
