import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionFor } from '../helpers/auth.js';
import { auditActions, createFixture, errorOf, makeCase, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

// 审批链 (issue 15 §2): the policy's approval steps per level, each approved or returned in order by
// its people, the steps recorded and audited, each next step's people told, the leaders' 待办; and
// the 保密审查 confirmation recorded on submit.

const NOW = new Date('2026-11-24T08:00:00Z');
let f: Fixture;
let water: number;
let handler: TestUser;
let reviewer: TestUser;
let reviewer2: TestUser;
let inCharge: TestUser;
let principal: TestUser;

async function leader(rank: 'in_charge' | 'principal', name: string): Promise<TestUser> {
  const u = await f.newUser({ role: 'leader', leaderRank: rank, displayName: name });
  const s = await sessionFor(f.db, u, f.now);
  return { id: u.id, role: 'leader', departmentId: null, headers: s.headers() };
}

beforeAll(async () => {
  f = await createFixture('approval_chain', NOW);
  water = await makeDepartment(f, '市水务局');
  handler = await makeUser(f, 'handler', water, '经办人甲');
  reviewer = await makeUser(f, 'reviewer', null, '审核人丁');
  reviewer2 = await makeUser(f, 'reviewer', null, '审核人戊');
  inCharge = await leader('in_charge', '分管领导张');
  principal = await leader('principal', '主要领导李');
});
afterAll(async () => {
  await f.tdb.drop();
});

const base = (id: string) => `/api/cases/${id}/responses`;

async function submitted(level: 'general' | 'significant' | 'major'): Promise<{ caseId: string; url: string; body: Record<string, unknown> }> {
  const caseId = await makeCase(f, { lead: water, level, category: 'difficulty', clockStartedAt: new Date(NOW.getTime() - 3_600_000) });
  const d = await f.as(handler, 'POST', base(caseId), { body: '经核实，已责成有关单位整改。' });
  expect(d.status).toBe(201);
  const url = `${base(caseId)}/${(await d.json()).id}`;
  const s = await f.as(handler, 'POST', `${url}/submit`, { secrecyConfirmed: true });
  expect(s.status).toBe(200);
  return { caseId, url, body: await s.json() };
}

const noticesOf = async (userId: number, caseId: string) =>
  (await f.db.selectFrom('notifications').select(['kind', 'body']).where('user_id', '=', userId).where('case_id', '=', caseId).orderBy('id').execute()).map((n) => n.kind);

async function todosOf(u: TestUser): Promise<{ kind: string; caseId: string | null }[]> {
  const res = await f.as(u, 'GET', '/api/todos');
  expect(res.status).toBe(200);
  return (await res.json()).todos;
}

describe('the approval chain (审批链)', () => {
  it('a general case needs the reviewer only: one approval makes it publishable', async () => {
    const { url, body } = await submitted('general');
    expect(body).toMatchObject({ status: 'submitted', approvalChain: [{ kind: 'reviewer', label: '审核人审核', state: 'current' }] });
    const a = await f.as(reviewer, 'POST', `${url}/approve`);
    expect(a.status).toBe(200);
    expect(await a.json()).toMatchObject({ status: 'approved', approvalChain: [{ kind: 'reviewer', state: 'done', decidedBy: { id: reviewer.id } }] });
  });

  it('a major case: reviewer → leader in charge → principal leader, in order, each step by its people only, recorded and audited', async () => {
    const { caseId, url, body } = await submitted('major');
    expect((body.approvalChain as { kind: string; state: string }[]).map((s) => `${s.kind}:${s.state}`)).toEqual(['reviewer:current', 'leader_in_charge:pending', 'principal_leader:pending']);
    // A leader cannot take the reviewer's step; the principal cannot skip the leader in charge.
    const early = await f.as(inCharge, 'POST', `${url}/approve`);
    expect(early.status).toBe(403);
    expect((await errorOf(early)).messageZh).toContain('审核人审核');
    expect((await f.as(reviewer, 'POST', `${url}/approve`)).status).toBe(200);
    expect(await noticesOf(inCharge.id, caseId)).toContain('response.approval_requested');
    expect(await noticesOf(principal.id, caseId)).not.toContain('response.approval_requested');
    expect((await todosOf(inCharge)).some((t) => t.kind === 'response.leader_approval' && t.caseId === caseId)).toBe(true);
    expect((await todosOf(principal)).some((t) => t.kind === 'response.leader_approval' && t.caseId === caseId)).toBe(false);
    expect((await todosOf(reviewer2)).some((t) => t.kind === 'response.review' && t.caseId === caseId)).toBe(false);
    expect((await f.as(principal, 'POST', `${url}/approve`)).status).toBe(403);
    expect((await f.as(reviewer2, 'POST', `${url}/approve`)).status).toBe(403);
    const s2 = await f.as(inCharge, 'POST', `${url}/approve`);
    expect(s2.status).toBe(200);
    expect(await s2.json()).toMatchObject({ status: 'submitted', approvalChain: [{ state: 'done' }, { state: 'done', decidedBy: { id: inCharge.id } }, { state: 'current' }] });
    expect(await noticesOf(principal.id, caseId)).toContain('response.approval_requested');
    // Not publishable before the last step.
    expect((await f.as(handler, 'POST', `${url}/publish`, { channel: 'website' })).status).toBe(409);
    const s3 = await f.as(principal, 'POST', `${url}/approve`);
    expect(s3.status).toBe(200);
    const done = await s3.json();
    expect(done.status).toBe('approved');
    expect(done.approvals.map((a: { kind: string; decision: string }) => `${a.kind}:${a.decision}`)).toEqual(['reviewer:approve', 'leader_in_charge:approve', 'principal_leader:approve']);
    expect(await noticesOf(handler.id, caseId)).toContain('response.approved');
    const rows = await f.db.selectFrom('response_approvals').select(['step', 'step_kind', 'decision', 'decided_by']).where('case_id', '=', caseId).orderBy('id').execute();
    expect(rows).toEqual([
      { step: 0, step_kind: 'reviewer', decision: 'approve', decided_by: reviewer.id },
      { step: 1, step_kind: 'leader_in_charge', decision: 'approve', decided_by: inCharge.id },
      { step: 2, step_kind: 'principal_leader', decision: 'approve', decided_by: principal.id },
    ]);
    expect((await auditActions(f, caseId)).filter((a) => a === 'response.approve')).toHaveLength(3);
    expect((await f.as(handler, 'POST', `${url}/publish`, { channel: 'website' })).status).toBe(200);
  });

  it('a return at a leader step goes back to the drafter with the comment; resubmitting starts the chain again', async () => {
    const { caseId, url } = await submitted('significant');
    expect((await f.as(reviewer, 'POST', `${url}/approve`)).status).toBe(200);
    const r = await f.as(inCharge, 'POST', `${url}/return`, { comment: '请补充整改时限' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'returned', reviewComment: '请补充整改时限', approvals: [{ decision: 'approve' }, { kind: 'leader_in_charge', decision: 'return', comment: '请补充整改时限' }] });
    expect(await noticesOf(handler.id, caseId)).toContain('response.returned');
    expect((await todosOf(inCharge)).some((t) => t.caseId === caseId)).toBe(false);
    const again = await f.as(handler, 'POST', `${url}/submit`, { secrecyConfirmed: true });
    expect(await again.json()).toMatchObject({ status: 'submitted', approvalChain: [{ kind: 'reviewer', state: 'current' }, { kind: 'leader_in_charge', state: 'pending' }] });
    expect((await f.as(inCharge, 'POST', `${url}/approve`)).status).toBe(403);
  });

  it('the drafter never approves at any step, a leader included', async () => {
    const caseId = await makeCase(f, { lead: water, level: 'significant', category: 'difficulty', clockStartedAt: NOW });
    // A reviewer drafts (reviewers may draft), the handler submits: that reviewer may not approve.
    const d = await f.as(reviewer, 'POST', base(caseId), { body: '审核人起草' });
    const url = `${base(caseId)}/${(await d.json()).id}`;
    expect((await f.as(handler, 'POST', `${url}/submit`, { secrecyConfirmed: true })).status).toBe(200);
    expect((await f.as(reviewer, 'POST', `${url}/approve`)).status).toBe(403);
    expect((await f.as(reviewer2, 'POST', `${url}/approve`)).status).toBe(200);
    await f.db.updateTable('responses').set({ edited_by: inCharge.id }).where('case_id', '=', caseId).execute();
    const own = await f.as(inCharge, 'POST', `${url}/approve`);
    expect(own.status).toBe(403);
    expect((await errorOf(own)).messageZh).toContain('最后修改人不能审核');
  });

  it('a policy rule names its own steps; a rule without steps takes its level default', async () => {
    const got = await f.as(await makeUser(f, 'admin'), 'GET', '/api/policies');
    const rules = (await got.json()).rules as { level: string; category: string | null; approvalSteps?: string[] }[];
    expect(rules.every((r) => r.approvalSteps === undefined)).toBe(true);
    const admin = await makeUser(f, 'admin');
    const edited = rules.map((r) => (r.level === 'general' && r.category === null ? { ...r, approvalSteps: ['reviewer', 'principal_leader'] } : r));
    expect((await f.as(admin, 'PUT', '/api/policies', { rules: edited })).status).toBe(200);
    const dup = rules.map((r) => (r.level === 'general' && r.category === null ? { ...r, approvalSteps: ['reviewer', 'reviewer'] } : r));
    expect((await f.as(admin, 'PUT', '/api/policies', { rules: dup })).status).toBe(400);
    const { body } = await submitted('general');
    expect((body.approvalChain as { kind: string }[]).map((s) => s.kind)).toEqual(['reviewer', 'principal_leader']);
    // The significant rule has no steps stored: its level's default.
    const sig = await submitted('significant');
    expect((sig.body.approvalChain as { kind: string }[]).map((s) => s.kind)).toEqual(['reviewer', 'leader_in_charge']);
    expect((await f.as(admin, 'PUT', '/api/policies', { rules })).status).toBe(200);
  });

  it('保密审查: recorded with the name and time on submit; a submit without it is refused (400, both languages)', async () => {
    const yes = await submitted('general');
    expect(yes.body).toMatchObject({ secrecyConfirmedBy: { id: handler.id, name: '经办人甲' }, secrecyConfirmedAt: NOW.toISOString() });
    const caseId = await makeCase(f, { lead: water, level: 'general', category: 'difficulty', clockStartedAt: NOW });
    const d = await f.as(handler, 'POST', base(caseId), { body: '未确认保密审查的稿件' });
    const url = `${base(caseId)}/${(await d.json()).id}`;
    for (const body of [undefined, {}, { secrecyConfirmed: false }]) {
      const no = await f.as(handler, 'POST', `${url}/submit`, body);
      expect(no.status).toBe(400);
      const err = await errorOf(no);
      expect(err.messageZh).toContain('保密审查');
      expect(err.message).toContain('confidentiality review');
    }
    const still = await f.as(handler, 'GET', base(caseId));
    expect((await still.json()).responses[0]).toMatchObject({ status: 'draft', secrecyConfirmedBy: null });
    const audit = await f.db.selectFrom('audit_log').select('after').where('case_id', '=', yes.caseId).where('action', '=', 'response.submit').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ secrecy_confirmed_by: handler.id });
  });
});
