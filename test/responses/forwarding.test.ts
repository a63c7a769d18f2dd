import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/workflow/index.js';
import { sweepDueSteps } from '../../worker/jobs/cases.sweep.js';
import { createApiFixture, errorOf, type ApiFixture } from '../helpers/app.js';
import { sessionFor } from '../helpers/auth.js';
import type { Office } from '../helpers/factories.js';

// Forwarded opinions (网信办 / 政府办转办, issue 15 §2): the 核实 result before any draft; at
// publication the obligation 向转办单位反馈办理情况, due 2 working days later (policy-editable), met by
// a reply recorded to the forwarding office (补录 rule for its time), breached by the sweep when
// none comes (injected clock); in the to-dos; audited and notified.

const H = 3_600_000;
const T0 = new Date('2026-12-07T01:00:00Z'); // Monday 09:00 Beijing time
let clock = T0;
let f: ApiFixture;
let o: Office;

const at = (hours: number) => new Date(T0.getTime() + hours * H);
async function send(userId: number, method: string, path: string, body?: unknown): Promise<Response> {
  return f.requestAs(await sessionFor(f.db, { id: userId }, clock), method, path, body);
}
async function json<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect([res.status, text]).toEqual([status, expect.anything()]);
  return JSON.parse(text) as T;
}
const actions = async (caseId: string) => (await f.db.selectFrom('audit_log').select('action').where('case_id', '=', caseId).orderBy('id').execute()).map((r) => r.action);
const todoKinds = async (userId: number, caseId: string) =>
  ((await json<{ todos: { kind: string; caseId: string | null }[] }>(await send(userId, 'GET', '/api/todos'), 200)).todos).filter((t) => t.caseId === caseId).map((t) => t.kind);
const feedbackOf = (caseId: string) => f.db.selectFrom('obligations').selectAll().where('case_id', '=', caseId).where('kind', '=', 'forward_feedback').execute();

interface Forwarding {
  forwarded: boolean;
  office: string;
  verification: { result: string; label: string; note: string; verifiedBy: { name: string | null } | null } | null;
  feedback: { status: string; dueAt: string; onTime: boolean | null } | null;
  replies: { recipient: string; content: string; repliedAt: string; backfilled: boolean }[];
}

function forwardedCase(title: string, origin: 'cyberspace_office' | 'government_office' | 'alert' = 'cyberspace_office'): Promise<string> {
  return f.newCase({ lead: o.dept, level: 'general', clockStartedAt: at(-2), title, origin, originNote: origin === 'alert' ? '' : '市委网信办' }).then((c) => c.id);
}

/** 核实, draft, submit, approve, publish at the clock; returns nothing (the case now owes feedback). */
async function verifiedAndPublished(caseId: string): Promise<void> {
  await json(await send(o.handler, 'POST', `/api/cases/${caseId}/verification`, { result: 'partly_true', note: '补贴延迟属实，金额不属实' }), 200);
  const d = await json<{ id: string }>(await send(o.handler, 'POST', `/api/cases/${caseId}/responses`, { body: '经核实，补贴将于本月发放。' }), 201);
  const url = `/api/cases/${caseId}/responses/${d.id}`;
  await json(await send(o.handler, 'POST', `${url}/submit`, { secrecyConfirmed: true }), 200);
  await json(await send(o.reviewer, 'POST', `${url}/approve`), 200);
  await json(await send(o.handler, 'POST', `${url}/publish`, { channel: 'website' }), 200);
}

beforeAll(async () => {
  f = await createApiFixture('forwarding', { now: () => clock });
  o = await f.newOffice();
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('核实 of a forwarded opinion', () => {
  it('no draft before the verification; the verification is validated, recorded with the name, audited, and opens drafting', async () => {
    clock = T0;
    const id = await forwardedCase('网信办转办：补贴迟发');
    const before = await json<Forwarding>(await send(o.handler, 'GET', `/api/cases/${id}/forwarding`), 200);
    expect(before).toMatchObject({ forwarded: true, office: '市委网信办', verification: null, feedback: null, replies: [] });
    expect(await todoKinds(o.handler, id)).toContain('case.verify');

    const early = await send(o.handler, 'POST', `/api/cases/${id}/responses`, { body: '草稿' });
    expect(early.status).toBe(409);
    expect((await errorOf(early)).messageZh).toContain('核实');

    expect((await send(o.handler, 'POST', `/api/cases/${id}/verification`, { result: 'maybe', note: 'x' })).status).toBe(400);
    expect((await send(o.handler, 'POST', `/api/cases/${id}/verification`, { result: 'true', note: '' })).status).toBe(400);
    expect((await send(o.duty, 'POST', `/api/cases/${id}/verification`, { result: 'true', note: '属实' })).status).toBe(403);
    const v = await json<Forwarding>(await send(o.handler, 'POST', `/api/cases/${id}/verification`, { result: 'true', note: '现场核实属实' }), 200);
    expect(v.verification).toMatchObject({ result: 'true', label: '属实', note: '现场核实属实' });
    expect(v.verification?.verifiedBy).not.toBeNull();
    expect(await actions(id)).toContain('case.verify');
    expect(await todoKinds(o.handler, id)).not.toContain('case.verify');
    expect((await send(o.handler, 'POST', `/api/cases/${id}/responses`, { body: '经核实……' })).status).toBe(201);
  });

  it('a case that was not forwarded needs no verification and takes none', async () => {
    clock = T0;
    const id = await forwardedCase('监测发现', 'alert');
    expect((await send(o.handler, 'POST', `/api/cases/${id}/responses`, { body: '回应' })).status).toBe(201);
    const v = await send(o.handler, 'POST', `/api/cases/${id}/verification`, { result: 'true', note: '属实' });
    expect(v.status).toBe(409);
    expect((await send(o.handler, 'POST', `/api/cases/${id}/forward-replies`, { content: '反馈' })).status).toBe(409);
  });
});

describe('向转办单位反馈办理情况', () => {
  it('publication creates the obligation 2 working days later; a reply to the forwarding office meets it on time', async () => {
    clock = T0;
    const id = await forwardedCase('反馈按时');
    await verifiedAndPublished(id);
    const [ob] = await feedbackOf(id);
    expect(ob).toMatchObject({ status: 'open', window_unit: 'working_days', window_hours: 48 });
    expect(ob!.due_at.toISOString()).toBe(at(48).toISOString()); // Wednesday 09:00
    expect(ob!.next_step_at).not.toBeNull();
    const heads = await f.db.selectFrom('notifications').select('kind').where('user_id', '=', o.head).where('case_id', '=', id).execute();
    expect(heads.map((n) => n.kind)).toContain('case.forward_feedback_due');
    expect(await todoKinds(o.handler, id)).toContain('case.forward_feedback');

    clock = at(20);
    const r = await json<Forwarding>(await send(o.handler, 'POST', `/api/cases/${id}/forward-replies`, { content: '已按期整改，补贴已发放。' }), 201);
    expect(r.replies).toEqual([expect.objectContaining({ recipient: '市委网信办', content: '已按期整改，补贴已发放。', backfilled: false })]);
    expect(r.feedback).toMatchObject({ status: 'met', onTime: true });
    expect(await actions(id)).toEqual(expect.arrayContaining(['case.forward_reply', 'obligation.met']));
    expect(await todoKinds(o.handler, id)).not.toContain('case.forward_feedback');
  });

  it('no reply in time: the sweep breaches it and the leader hears; a late reply is recorded as late', async () => {
    clock = T0;
    const id = await forwardedCase('反馈超时');
    await verifiedAndPublished(id);
    const [ob] = await feedbackOf(id);
    clock = at(49);
    await sweepDueSteps(f.db, clock, { quiet: null, policies: DEFAULT_POLICY });
    const fires = await f.db.selectFrom('escalation_fires').select('step_id').where('obligation_id', '=', ob!.id).execute();
    expect(fires.map((x) => x.step_id)).toContain('breach');
    const urgent = await f.db.selectFrom('notifications').select('kind').where('user_id', '=', o.leaderInCharge).where('case_id', '=', id).where('urgent', '=', true).execute();
    expect(urgent.length).toBeGreaterThan(0);
    expect(await todoKinds(o.leaderInCharge, id)).toContain('obligation.breached');

    clock = at(50);
    const r = await json<Forwarding>(await send(o.handler, 'POST', `/api/cases/${id}/forward-replies`, { content: '迟报：已办理完毕。', recipient: '市委网信办舆情处' }), 201);
    expect(r.feedback).toMatchObject({ status: 'met', onTime: false });
    expect(r.replies[0]?.recipient).toBe('市委网信办舆情处');
  });

  it('a reply time typed afterwards follows the 补录 rule: not in the future, far back only by a reviewer, marked 补录', async () => {
    clock = at(60);
    const id = await forwardedCase('反馈补录');
    await verifiedAndPublished(id);
    const future = await send(o.handler, 'POST', `/api/cases/${id}/forward-replies`, { content: '反馈', repliedAt: at(61).toISOString() });
    expect(future.status).toBe(400);
    const old = await send(o.handler, 'POST', `/api/cases/${id}/forward-replies`, { content: '反馈', repliedAt: at(30).toISOString() });
    expect(old.status).toBe(403);
    expect((await errorOf(old)).messageZh).toContain('审核人补录');
    const rec = await json<Forwarding>(await send(o.reviewer, 'POST', `/api/cases/${id}/forward-replies`, { content: '电话反馈（补录）', repliedAt: at(30).toISOString() }), 201);
    expect(rec.replies[0]).toMatchObject({ backfilled: true, repliedAt: at(30).toISOString() });
  });

  it('the window is the policy’s: 3 working days when the admin sets it', async () => {
    clock = T0;
    const rules = (await json<{ rules: { level: string; category: string | null }[] }>(await send(o.admin, 'GET', '/api/policies'), 200)).rules;
    const edited = rules.map((r) => (r.level === 'general' && r.category === null ? { ...r, forwardFeedbackDays: 3 } : r));
    await json(await send(o.admin, 'PUT', '/api/policies', { rules: edited }), 200);
    expect((await send(o.admin, 'PUT', '/api/policies', { rules: rules.map((r) => ({ ...r, forwardFeedbackDays: 0 })) })).status).toBe(400);
    const id = await forwardedCase('反馈三天', 'government_office');
    await verifiedAndPublished(id);
    expect((await feedbackOf(id))[0]!.due_at.toISOString()).toBe(at(72).toISOString());
    await json(await send(o.admin, 'PUT', '/api/policies', { rules }), 200);
  });

  it('a closed case is read-only: no verification, no reply', async () => {
    clock = T0;
    const id = await forwardedCase('已办结');
    await f.db.updateTable('cases').set({ status: 'closed' }).where('id', '=', id).execute();
    expect((await send(o.handler, 'POST', `/api/cases/${id}/verification`, { result: 'true', note: '属实' })).status).toBe(409);
    expect((await send(o.handler, 'POST', `/api/cases/${id}/forward-replies`, { content: '反馈' })).status).toBe(409);
  });
});
