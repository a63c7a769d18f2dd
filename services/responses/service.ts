import type { ResponseAction } from '../../core/workflow/index.js';
import { APPROVAL_STEP_LABELS, APPROVAL_STEP_LABELS_EN, afterConfirm, approvalStepsFor, countersignRequired, mayTakeStep, nextApprovalStep, responseTransition } from '../../core/workflow/index.js';
import { coDepartmentIds, insertCountersign, listCountersigns } from '../../db/repos/forwarding.js';
import { departmentNames } from '../../db/repos/departments.js';
import { refuseUnverified } from '../forwarding/service.js';
import { loadPolicies } from '../../db/repos/policies.js';
import { EXPECTED_RESPONSE, type Channel } from '../../core/vocabulary.js';
import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import * as repo from '../../db/repos/responses.js';
import type { Case } from '../../db/schema-workflow.js';
import { AppError, conflict, fieldError, notFound } from '../../platform/errors.js';
import { refuseClosedCase } from '../shared/closed-case.js';
import type { ModuleDeps } from '../shared/deps.js';
import type { AppEvent } from '../../platform/queues.js';
import { notifyApprovalStep, notifyApproved, notifyCountersignRequested, notifyCountersignReturned, notifyReturned, notifySubmitted } from '../notifications/handoffs.js';
import { caseFor, caseNotFound, decide, type Who } from './guard.js';
import { presentResponse, type CountersignContext } from './present.js';
import { publishInTransaction } from './publish.js';
import type { PublishResult, ResponseView } from './schema.js';

// 发布审核: draft → submitted → approved | returned (with a comment) → published. Each step is one
// transaction: lock the case, lock the response, ask the state machine, write, audit, and tell the
// next person (services/notifications/handoffs.ts): submitted → the reviewers; returned → the
// drafter; approved → the drafter and the lead department; published → see publish.ts.
// 审批链 (core/workflow/approval.ts): submitting fixes the chain the policy names for the case's
// level and category; while submitted the response waits at one step, which only that step's people
// take (审核人, then 分管领导, then 主要领导); an approval before the last step keeps it submitted and
// asks the next step's people; a return at any step goes back to the drafter. Every step taken is a
// row of response_approvals. 保密审查: a submit must carry the confirmation, recorded with who and when.
// 会签 (core/workflow/forwarding.ts): when the policy asks it and the case has co-departments, a
// submission first waits for each co-department's handler to confirm (内容准确一致) or return it; the
// first approval step opens when the last one confirms. A forwarded opinion is drafted and submitted
// only after its 核实 (services/forwarding).

const responseNotFound = () => notFound('Response', '回应');

/** 403 when the person approving drafted the response or edited it last (whatever their role). */
function refuseSelfApproval(r: repo.ResponseRow, userId: number): void {
  if (r.drafted_by === userId) {
    throw new AppError({
      code: 'FORBIDDEN',
      message: 'The drafter of a response cannot approve it; another reviewer must review it',
      messageZh: '起草人不能审核自己起草的回应，请由其他审核人审核',
    });
  }
  if (r.edited_by === userId) {
    throw new AppError({
      code: 'FORBIDDEN',
      message: 'The last editor of a response cannot approve it; another reviewer must review it',
      messageZh: '最后修改人不能审核自己修改的回应，请由其他审核人审核',
    });
  }
}

async function countersignContext(deps: ModuleDeps, c: Case, rows: readonly repo.ResponseRow[]): Promise<CountersignContext> {
  const ids = [...new Set(rows.flatMap((r) => r.countersign_departments))];
  const [signs, names] = await Promise.all([listCountersigns(deps.db, c.id), departmentNames(deps.db, ids)]);
  return { rows: signs, departmentNames: names };
}

async function view(deps: ModuleDeps, c: Case, rid: string): Promise<ResponseView> {
  const [row, approvals] = await Promise.all([repo.findResponse(deps.db, c.id, rid), repo.listApprovals(deps.db, c.id)]);
  if (!row) throw responseNotFound();
  return presentResponse(row, c.category, approvals, await countersignContext(deps, c, [row]));
}

export async function listResponses(deps: ModuleDeps, who: Who, caseId: string) {
  const c = await caseFor(deps.db, caseId, who.user);
  const [rows, approvals] = await Promise.all([repo.listResponses(deps.db, c.id), repo.listApprovals(deps.db, c.id)]);
  const signs = await countersignContext(deps, c, rows);
  return { responses: rows.map((r) => presentResponse(r, c.category, approvals, signs)), expectedKind: EXPECTED_RESPONSE[c.category] };
}

const countersignPending = () =>
  conflict('The co-departments have not all signed this response off (会签) yet', '该回应稿尚待协办单位会签，会签完成后方可审核', { countersign: 'pending' });


export async function createResponse(deps: ModuleDeps, who: Who, caseId: string, body: string): Promise<ResponseView> {
  const c = await caseFor(deps.db, caseId, who.user);
  const now = deps.now();
  const row = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, c.id, who.user);
    if (!locked) throw caseNotFound();
    refuseClosedCase(locked);
    refuseUnverified(locked);
    const r = await repo.insertResponse(trx, { caseId: c.id, body, by: who.user.id, at: now });
    await writeAudit(trx, { actor: who.actor, entity: 'response', entityId: r.id, caseId: c.id, action: 'response.draft', after: { status: r.status, body } });
    return r;
  });
  await deps.emit({ type: 'case.updated', caseId: c.id });
  return view(deps, c, row.id);
}

/** One review step on a response: the state machine decides the next status; `patch` adds the step's own fields. */
async function step(
  deps: ModuleDeps,
  who: Who,
  caseId: string,
  rid: string,
  action: Exclude<ResponseAction, 'publish'>,
  patch: (now: Date) => repo.ResponsePatch,
  /** A check of the request itself, after the case is found (so an outsider still gets 404). */
  precheck?: () => void,
): Promise<ResponseView> {
  const c = await caseFor(deps.db, caseId, who.user);
  const now = deps.now();
  const notices = await deps.db.transaction().execute(async (trx): Promise<AppEvent[]> => {
    const locked = await lockCase(trx, c.id, who.user);
    if (!locked) throw caseNotFound();
    // A closed case's responses are history: no edits or review steps until it is reopened.
    refuseClosedCase(locked);
    precheck?.();
    const r = await repo.lockResponse(trx, c.id, rid);
    if (!r) throw responseNotFound();
    let next = decide(() => responseTransition(r.status, action, who.user.role));
    // 发布审核 is a second pair of eyes: never the drafter's or the last editor's own, at any step.
    if (action === 'approve') refuseSelfApproval(r, who.user.id);
    const p = patch(now);
    let nextStep: number | null = null;
    if (action === 'submit') {
      refuseUnverified(locked);
      // The chain is fixed when the response is submitted: the policy's steps for the case's level and category.
      const rules = await loadPolicies(trx);
      p.approval_chain = approvalStepsFor(rules, locked.level, locked.category);
      p.approval_step = 0;
      // 会签: the co-departments at submission sign off first, when the policy asks it.
      const co = (await coDepartmentIds(trx, c.id)).filter((d) => d !== locked.lead_department_id);
      p.countersign_departments = countersignRequired(rules, locked.level, locked.category, co) ? co : [];
      p.countersign_pending = p.countersign_departments;
    }
    if ((action === 'approve' || action === 'return') && r.status === 'submitted' && r.countersign_pending.length > 0) throw countersignPending();
    if (action === 'approve' || action === 'return') {
      const stepNo = r.approval_step;
      const kind = r.approval_chain[stepNo] ?? 'reviewer';
      if (!mayTakeStep(kind, who.user)) {
        throw new AppError({
          code: 'FORBIDDEN',
          message: `This response waits for the ${APPROVAL_STEP_LABELS_EN[kind]}'s step (${stepNo + 1} of ${r.approval_chain.length})`,
          messageZh: `该回应稿当前待「${APPROVAL_STEP_LABELS[kind]}」（第 ${stepNo + 1} 步，共 ${r.approval_chain.length} 步），您不能操作`,
        });
      }
      if (action === 'approve') {
        nextStep = nextApprovalStep(r.approval_chain, stepNo);
        if (nextStep !== null) {
          next = 'submitted';
          p.approval_step = nextStep;
        }
      } else p.approval_step = 0;
      await repo.insertApproval(trx, { responseId: r.id, caseId: c.id, step: stepNo, kind, decision: action, comment: p.review_comment ?? '', by: who.user.id, at: now });
    }
    const after = await repo.updateResponse(trx, r.id, { ...p, status: next }, now);
    await writeAudit(trx, {
      actor: who.actor,
      entity: 'response',
      entityId: r.id,
      caseId: c.id,
      action: `response.${action}`,
      before: { status: r.status, ...pick(r, p) },
      after: { status: after.status, ...pick(after, p) },
    });
    const me = { id: who.user.id, name: who.actor.name };
    if (action === 'submit' && after.countersign_pending.length > 0) return notifyCountersignRequested(trx, locked, after.countersign_pending, me, now);
    if (action === 'submit') return notifyFirstStep(trx, locked, after, me, now);
    if (action === 'return') return notifyReturned(trx, locked, r, me, after.review_comment, now);
    if (action === 'approve' && nextStep !== null) return notifyApprovalStep(trx, locked, r, me, r.approval_chain[nextStep]!, now);
    if (action === 'approve') return notifyApproved(trx, locked, r, me, now);
    return [];
  });
  await deps.emit({ type: 'case.updated', caseId: c.id });
  for (const ev of notices) await deps.emit(ev);
  return view(deps, c, rid);
}

/** The row's values of the fields a patch touches (for the audit row's before/after). */
function pick(row: repo.ResponseRow, patch: repo.ResponsePatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(patch)) out[k] = row[k as keyof repo.ResponseRow];
  return out;
}

export const editResponse = (deps: ModuleDeps, who: Who, caseId: string, rid: string, body: string) =>
  step(deps, who, caseId, rid, 'edit', () => ({ body, edited_by: who.user.id }));

/** The first approval step's people: the reviewers, or the leaders when the chain starts with them. */
function notifyFirstStep(trx: Parameters<typeof notifySubmitted>[0], c: Case, r: repo.ResponseRow, me: { id: number; name: string }, now: Date) {
  const first = r.approval_chain[0] ?? 'reviewer';
  return first === 'reviewer' ? notifySubmitted(trx, c, r, me, now) : notifyApprovalStep(trx, c, r, me, first, now);
}

export const SECRECY_STATEMENT = '已按保密审查制度审查，不涉及国家秘密、工作秘密和个人隐私';

/** Submit for approval; the 保密审查 confirmation is required (400 without), recorded with who and when. */
export function submitResponse(deps: ModuleDeps, who: Who, caseId: string, rid: string, secrecyConfirmed: boolean) {
  const requireSecrecy = () => {
    if (!secrecyConfirmed) {
      throw fieldError('secrecyConfirmed', 'Confirm the confidentiality review before submitting: no state secrets, work secrets or personal privacy', `提交审核前须确认保密审查：${SECRECY_STATEMENT}`);
    }
  };
  return step(
    deps,
    who,
    caseId,
    rid,
    'submit',
    (now) => ({ submitted_by: who.user.id, submitted_at: now, secrecy_confirmed_by: who.user.id, secrecy_confirmed_at: now }),
    requireSecrecy,
  );
}

/**
 * 会签 by a co-department's handler on a submitted response: confirm (内容准确一致) — the last
 * confirmation opens the first approval step and tells its people — or return with a comment (back
 * to the drafter, like a reviewer's return). Only a department still to sign may; audited.
 */
export async function countersignResponse(deps: ModuleDeps, who: Who, caseId: string, rid: string, input: { decision: 'confirm' | 'return'; comment: string }): Promise<ResponseView> {
  const c = await caseFor(deps.db, caseId, who.user);
  const now = deps.now();
  const notices = await deps.db.transaction().execute(async (trx): Promise<AppEvent[]> => {
    const locked = await lockCase(trx, c.id, who.user);
    if (!locked) throw caseNotFound();
    refuseClosedCase(locked);
    const r = await repo.lockResponse(trx, c.id, rid);
    if (!r) throw responseNotFound();
    const dept = who.user.departmentId;
    const notWaiting = () => conflict('This response is not waiting for your department\'s sign-off', '该回应稿当前不需要贵单位会签', { status: r.status });
    if (r.status !== 'submitted' || r.countersign_pending.length === 0) throw notWaiting();
    if (who.user.role !== 'handler' || dept === null || !r.countersign_departments.includes(dept)) {
      throw new AppError({ code: 'FORBIDDEN', message: 'Only a co-department asked to sign this response off may do so', messageZh: '只有被请求会签的协办单位经办人可以会签' });
    }
    if (!r.countersign_pending.includes(dept)) {
      throw notWaiting();
    }
    const confirm = input.decision === 'confirm';
    const p: repo.ResponsePatch = confirm
      ? { countersign_pending: afterConfirm(r.countersign_pending, dept) }
      : { status: 'returned', countersign_pending: [], approval_step: 0, review_comment: input.comment };
    const after = await repo.updateResponse(trx, r.id, p, now);
    await insertCountersign(trx, { responseId: r.id, caseId: c.id, departmentId: dept, decision: input.decision, comment: input.comment, by: who.user.id, at: now });
    await writeAudit(trx, {
      actor: who.actor,
      entity: 'response',
      entityId: r.id,
      caseId: c.id,
      action: confirm ? 'response.countersign' : 'response.countersign_return',
      before: { status: r.status, countersignPending: r.countersign_pending },
      after: { status: after.status, countersignPending: after.countersign_pending, departmentId: dept, comment: input.comment },
    });
    const me = { id: who.user.id, name: who.actor.name };
    if (!confirm) {
      const department = (await departmentNames(trx, [dept])).get(dept) ?? '';
      return notifyCountersignReturned(trx, locked, r, { ...me, department }, input.comment, now);
    }
    return after.countersign_pending.length === 0 ? notifyFirstStep(trx, locked, after, me, now) : [];
  });
  await deps.emit({ type: 'case.updated', caseId: c.id });
  for (const ev of notices) await deps.emit(ev);
  return view(deps, c, rid);
}

export const approveResponse = (deps: ModuleDeps, who: Who, caseId: string, rid: string) =>
  step(deps, who, caseId, rid, 'approve', (now) => ({ reviewed_by: who.user.id, reviewed_at: now, review_comment: '' }));

export const returnResponse = (deps: ModuleDeps, who: Who, caseId: string, rid: string, comment: string) =>
  step(deps, who, caseId, rid, 'return', (now) => ({ reviewed_by: who.user.id, reviewed_at: now, review_comment: comment }));

export async function publishResponse(
  deps: ModuleDeps,
  who: Who,
  caseId: string,
  rid: string,
  input: { channel: Channel; url?: string; publishedAt?: string },
): Promise<PublishResult> {
  const c = await caseFor(deps.db, caseId, who.user);
  const now = deps.now();
  const out = await deps.db.transaction().execute((trx) =>
    publishInTransaction(trx, {
      caseId: c.id,
      rid,
      who,
      channel: input.channel,
      url: input.url ?? '',
      typedAt: input.publishedAt,
      maxBackfillHours: deps.config.BACKFILL_MAX_HOURS,
      now,
    }),
  );
  if (!out) throw responseNotFound();
  const { notices, ...result } = out;
  await deps.emit({ type: 'case.updated', caseId: c.id });
  for (const ev of notices) await deps.emit(ev);
  return { ...result, response: await view(deps, c, rid) };
}
