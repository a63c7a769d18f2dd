import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, type ApiFixture } from '../helpers/app.js';
import { sessionFor } from '../helpers/auth.js';
import type { Office } from '../helpers/factories.js';

// 回访 recorded twice at once (two taps on a phone, a retried request): both were stored — two
// rows, two audit rows and, for 不满意, two rounds of notices to the reviewers and the lead
// department. The same 回访 arriving again within a minute of its recording is now a 409; a
// different one (another result, another person called, later) is still recorded.

const T0 = new Date('2026-12-07T01:00:00Z');
let clock = T0;
let f: ApiFixture;
let o: Office;

async function send(userId: number, method: string, path: string, body?: unknown): Promise<Response> {
  return f.requestAs(await sessionFor(f.db, { id: userId }, clock), method, path, body);
}
async function ok<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect([res.status, text]).toEqual([status, expect.anything()]);
  return JSON.parse(text) as T;
}

async function publishedHotlineCase(): Promise<string> {
  const manual = { origin: 'hotline', title: '来电反映小区路灯不亮', text: '来电反映', receivedAt: T0.toISOString(), requestType: 'help' };
  const c = await ok<{ id: string }>(await send(o.duty, 'POST', '/api/cases', { manual, level: 'general', category: 'difficulty', leadDepartmentId: o.dept }), 201);
  const d = await ok<{ id: string }>(await send(o.handler, 'POST', `/api/cases/${c.id}/responses`, { body: '经核实，已安排维修。' }), 201);
  const url = `/api/cases/${c.id}/responses/${d.id}`;
  await ok(await send(o.handler, 'POST', `${url}/submit`, { secrecyConfirmed: true }), 200);
  await ok(await send(o.reviewer, 'POST', `${url}/approve`), 200);
  await ok(await send(o.handler, 'POST', `${url}/publish`, { channel: 'reply' }), 200);
  return c.id;
}

const rows = (caseId: string) => f.db.selectFrom('case_callbacks').select('id').where('case_id', '=', caseId).execute();
const audits = (caseId: string) => f.db.selectFrom('audit_log').select('id').where('case_id', '=', caseId).where('action', '=', 'case.callback').execute();
const notices = (caseId: string) => f.db.selectFrom('notifications').select('id').where('case_id', '=', caseId).where('kind', '=', 'case.callback_dissatisfied').execute();

beforeAll(async () => {
  f = await createApiFixture('seccallbackdouble', { now: () => clock });
  o = await f.newOffice();
});
afterAll(async () => {
  await f?.tdb.drop();
});

describe('回访 submitted twice', () => {
  it('two at once: one row, one audit row, one round of 不满意 notices; the other is a 409', async () => {
    const id = await publishedHotlineCase();
    clock = new Date(T0.getTime() + 2 * 3_600_000);
    const body = { callee: '王先生', result: 'dissatisfied', note: '认为维修太慢' };
    const [a, b] = await Promise.all([send(o.handler, 'POST', `/api/cases/${id}/callbacks`, body), send(o.handler, 'POST', `/api/cases/${id}/callbacks`, body)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const refused = a.status === 409 ? a : b;
    expect((await errorOf(refused)).messageZh).toContain('请勿重复提交');
    expect(await rows(id)).toHaveLength(1);
    expect(await audits(id)).toHaveLength(1);
    const told = (await notices(id)).length;
    expect(told).toBeGreaterThan(0);

    // Another 回访 — another result or person, or the same one an hour later — is recorded.
    await ok(await send(o.handler, 'POST', `/api/cases/${id}/callbacks`, { ...body, result: 'basically_satisfied' }), 201);
    clock = new Date(clock.getTime() + 3_600_000);
    await ok(await send(o.handler, 'POST', `/api/cases/${id}/callbacks`, body), 201);
    expect(await rows(id)).toHaveLength(3);
    expect(await audits(id)).toHaveLength(3);
    expect((await notices(id)).length).toBe(told * 2);
  });
});
