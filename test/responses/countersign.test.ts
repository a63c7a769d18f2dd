import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, type ApiFixture } from '../helpers/app.js';
import { sessionFor } from '../helpers/auth.js';
import type { Office } from '../helpers/factories.js';

// 会签 (issue 15 §2): when the policy asks it and the case has co-departments, a submitted response
// first waits for each co-department's handler to confirm "内容准确一致" or return it with a comment;
// the reviewer's step opens only after the last confirmation. Audited, notified, in the to-dos and
// the response's trail; a department not asked cannot sign; a closed case is read-only.

const T0 = new Date('2026-12-07T01:00:00Z');
const clock = T0;
let f: ApiFixture;
let o: Office;
let coA: number;
let coB: number;
let coAHandler: number;
let coBHandler: number;

async function send(userId: number, method: string, path: string, body?: unknown): Promise<Response> {
  return f.requestAs(await sessionFor(f.db, { id: userId }, clock), method, path, body);
}
async function json<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect([res.status, text]).toEqual([status, expect.anything()]);
  return JSON.parse(text) as T;
}
const kinds = async (userId: number, caseId: string) =>
  (await f.db.selectFrom('notifications').select('kind').where('user_id', '=', userId).where('case_id', '=', caseId).orderBy('id').execute()).map((n) => n.kind);
const todoKinds = async (userId: number, caseId: string) =>
  ((await json<{ todos: { kind: string; caseId: string | null }[] }>(await send(userId, 'GET', '/api/todos'), 200)).todos).filter((t) => t.caseId === caseId).map((t) => t.kind);
const actions = async (caseId: string) => (await f.db.selectFrom('audit_log').select('action').where('case_id', '=', caseId).orderBy('id').execute()).map((r) => r.action);

/** A case with two co-departments, drafted and submitted by the lead handler; returns the response's URL. */
async function submitted(level: 'general' | 'significant', co: number[] = [coA, coB]): Promise<{ caseId: string; url: string; body: Record<string, unknown> }> {
  const caseId = (await f.newCase({ lead: o.dept, co, level, clockStartedAt: new Date(T0.getTime() - 3_600_000) })).id;
  const d = await json<{ id: string }>(await send(o.handler, 'POST', `/api/cases/${caseId}/responses`, { body: '经核实，已责成有关单位整改。' }), 201);
  const url = `/api/cases/${caseId}/responses/${d.id}`;
  const body = await json(await send(o.handler, 'POST', `${url}/submit`, { secrecyConfirmed: true }), 200);
  return { caseId, url, body };
}

beforeAll(async () => {
  f = await createApiFixture('countersign', { now: () => clock });
  o = await f.newOffice();
  coA = (await f.newDepartment({ name: '市人社局' })).id;
  coB = (await f.newDepartment({ name: '市财政局' })).id;
  coAHandler = (await f.newUser({ role: 'handler', departmentId: coA, displayName: '人社经办人' })).id;
  coBHandler = (await f.newUser({ role: 'handler', departmentId: coB, displayName: '财政经办人' })).id;
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('会签 by the co-departments', () => {
  it('a significant case waits for every co-department before the reviewer; each confirmation is recorded, the last opens review', async () => {
    const { caseId, url, body } = await submitted('significant');
    expect(body).toMatchObject({
      status: 'submitted',
      countersign: { pending: true, departments: [{ departmentId: coA, name: '市人社局', state: 'pending' }, { departmentId: coB, name: '市财政局', state: 'pending' }] },
    });
    // The co-departments are asked (notice and to-do); the reviewers are not yet.
    expect(await kinds(coAHandler, caseId)).toContain('response.countersign_requested');
    expect(await kinds(coBHandler, caseId)).toContain('response.countersign_requested');
    expect(await kinds(o.reviewer, caseId)).not.toContain('response.submitted');
    expect(await todoKinds(coAHandler, caseId)).toContain('response.countersign');
    expect(await todoKinds(o.reviewer, caseId)).not.toContain('response.review');

    const early = await send(o.reviewer, 'POST', `${url}/approve`);
    expect(early.status).toBe(409);
    expect((await errorOf(early)).messageZh).toContain('会签');

    const a = await json<{ countersign: { pending: boolean; departments: { state: string; decidedBy: { name: string } | null }[] } }>(
      await send(coAHandler, 'POST', `${url}/countersign`, { decision: 'confirm' }),
      200,
    );
    expect(a.countersign.pending).toBe(true);
    expect(a.countersign.departments.map((d) => d.state)).toEqual(['confirmed', 'pending']);
    expect(a.countersign.departments[0]!.decidedBy?.name).toBe('人社经办人');
    // Signed once: a second confirmation is refused; the to-do is gone.
    expect((await send(coAHandler, 'POST', `${url}/countersign`, { decision: 'confirm' })).status).toBe(409);
    expect(await todoKinds(coAHandler, caseId)).not.toContain('response.countersign');
    expect((await send(o.reviewer, 'POST', `${url}/approve`)).status).toBe(409);

    const b = await json<{ countersign: { pending: boolean }; countersigns: { decision: string; name: string }[] }>(
      await send(coBHandler, 'POST', `${url}/countersign`, { decision: 'confirm', comment: '' }),
      200,
    );
    expect(b.countersign.pending).toBe(false);
    expect(b.countersigns.map((s) => [s.name, s.decision])).toEqual([
      ['市人社局', 'confirm'],
      ['市财政局', 'confirm'],
    ]);
    expect(await kinds(o.reviewer, caseId)).toContain('response.submitted');
    expect(await todoKinds(o.reviewer, caseId)).toContain('response.review');
    expect((await send(o.reviewer, 'POST', `${url}/approve`)).status).toBe(200);
    expect((await actions(caseId)).filter((x) => x === 'response.countersign')).toHaveLength(2);
  });

  it('a co-department returns with a comment: back to the drafter, who hears it; resubmitting asks every co-department again', async () => {
    const { caseId, url } = await submitted('significant');
    const noComment = await send(coBHandler, 'POST', `${url}/countersign`, { decision: 'return' });
    expect(noComment.status).toBe(400);
    expect(await send(coAHandler, 'POST', `${url}/countersign`, { decision: 'confirm' })).toHaveProperty('status', 200);
    const r = await json<{ status: string; reviewComment: string; countersign: { departments: { state: string; comment: string }[] } }>(
      await send(coBHandler, 'POST', `${url}/countersign`, { decision: 'return', comment: '补贴标准与我局文件不一致' }),
      200,
    );
    expect(r.status).toBe('returned');
    expect(r.reviewComment).toBe('补贴标准与我局文件不一致');
    expect(await kinds(o.handler, caseId)).toContain('response.countersign_returned');
    expect(await todoKinds(o.handler, caseId)).toContain('response.returned');
    expect(await actions(caseId)).toContain('response.countersign_return');
    // Nothing left to sign on a returned response.
    expect((await send(coAHandler, 'POST', `${url}/countersign`, { decision: 'confirm' })).status).toBe(409);

    const again = await json<{ countersign: { departments: { state: string }[] } }>(await send(o.handler, 'POST', `${url}/submit`, { secrecyConfirmed: true }), 200);
    expect(again.countersign.departments.map((d) => d.state)).toEqual(['pending', 'pending']);
  });

  it('only a co-department asked may sign: not the lead, not a reviewer, not another department', async () => {
    const { caseId, url } = await submitted('significant', [coA]);
    const lead = await send(o.handler, 'POST', `${url}/countersign`, { decision: 'confirm' });
    expect(lead.status).toBe(403);
    expect((await errorOf(lead)).messageZh).toContain('协办单位');
    expect((await send(o.reviewer, 'POST', `${url}/countersign`, { decision: 'confirm' })).status).toBe(403);
    // coB is not on this case: it does not even see it.
    expect((await send(coBHandler, 'POST', `${url}/countersign`, { decision: 'confirm' })).status).toBe(404);
    expect((await f.db.selectFrom('response_countersigns').select('id').where('case_id', '=', caseId).execute()).length).toBe(0);
  });

  it('by default a general case has no 会签; the policy turns it on per level (and off)', async () => {
    const general = await submitted('general');
    expect(general.body).toMatchObject({ countersign: { pending: false, departments: [] } });
    expect((await send(o.reviewer, 'POST', `${general.url}/approve`)).status).toBe(200);

    const rules = (await json<{ rules: { level: string; category: string | null; countersign?: boolean }[] }>(await send(o.admin, 'GET', '/api/policies'), 200)).rules;
    const edited = rules.map((r) => (r.category === null && r.level === 'general' ? { ...r, countersign: true } : r.category === null && r.level === 'significant' ? { ...r, countersign: false } : r));
    await json(await send(o.admin, 'PUT', '/api/policies', { rules: edited }), 200);
    const back = (await json<{ rules: { level: string; category: string | null; countersign?: boolean }[] }>(await send(o.admin, 'GET', '/api/policies'), 200)).rules;
    expect(back.find((r) => r.level === 'general' && r.category === null)?.countersign).toBe(true);
    expect((await submitted('general')).body).toMatchObject({ countersign: { pending: true } });
    expect((await submitted('significant')).body).toMatchObject({ countersign: { pending: false } });
    await json(await send(o.admin, 'PUT', '/api/policies', { rules }), 200);
  });

  it('a closed case is read-only: no sign-off', async () => {
    const { caseId, url } = await submitted('significant', [coA]);
    await f.db.updateTable('cases').set({ status: 'closed' }).where('id', '=', caseId).execute();
    const res = await send(coAHandler, 'POST', `${url}/countersign`, { decision: 'confirm' });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).messageZh).toContain('已办结');
  });
});
