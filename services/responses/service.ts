import type { ResponseAction } from '../../core/workflow/index.js';
import { APPROVAL_STEP_LABELS, APPROVAL_STEP_LABELS_EN, approvalStepsFor, mayTakeStep, nextApprovalStep, responseTransition } from '../../core/workflow/index.js';
import { loadPolicies } from '../../db/repos/policies.js';
import { EXPECTED_RESPONSE, type Channel } from '../../core/vocabulary.js';
import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import * as repo from '../../db/repos/responses.js';
import type { Case } from '../../db/schema-workflow.js';
import { AppError, notFound } from '../../platform/errors.js';
import { refuseClosedCase } from '../shared/closed-case.js';
import type { ModuleDeps } from '../shared/deps.js';
import type { AppEvent } from '../../platform/queues.js';
import { notifyApprovalStep, notifyApproved, notifyReturned, notifySubmitted } from '../notifications/handoffs.js';
import { caseFor, caseNotFound, decide, type Who } from './guard.js';
import { presentResponse } from './present.js';
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
// row of response_approvals. 保密审查: a submit may carry the confirmation, recorded with who and when.

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

async function view(deps: ModuleDeps, c: Case, rid: string): Promise<ResponseView> {
  const [row, approvals] = await Promise.all([repo.findResponse(deps.db, c.id, rid), repo.listApprovals(deps.db, c.id)]);
  if (!row) throw responseNotFound();
  return presentResponse(row, c.category, approvals);
}

export async function listResponses(deps: ModuleDeps, who: Who, caseId: string) {
  const c = await caseFor(deps.db, caseId, who.user);
  const [rows, approvals] = await Promise.all([repo.listResponses(deps.db, c.id), repo.listApprovals(deps.db, c.id)]);
  return { responses: rows.map((r) => presentResponse(r, c.category, approvals)), expectedKind: EXPECTED_RESPONSE[c.category] };
}


export async function createResponse(deps: ModuleDeps, who: Who, caseId: string, body: string): Promise<ResponseView> {
  const c = await caseFor(deps.db, caseId, who.user);
  const now = deps.now();
  const row = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, c.id, who.user);
    if (!locked) throw caseNotFound();
    refuseClosedCase(locked);
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
): Promise<ResponseView> {
  const c = await caseFor(deps.db, caseId, who.user);
  const now = deps.now();
  const notices = await deps.db.transaction().execute(async (trx): Promise<AppEvent[]> => {
    const locked = await lockCase(trx, c.id, who.user);
    if (!locked) throw caseNotFound();
    // A closed case's responses are history: no edits or review steps until it is reopened.
    refuseClosedCase(locked);
    const r = await repo.lockResponse(trx, c.id, rid);
    if (!r) throw responseNotFound();
    let next = decide(() => responseTransition(r.status, action, who.user.role));
    // 发布审核 is a second pair of eyes: never the drafter's or the last editor's own, at any step.
    if (action === 'approve') refuseSelfApproval(r, who.user.id);
    const p = patch(now);
    let nextStep: number | null = null;
    if (action === 'submit') {
      // The chain is fixed when the response is submitted: the policy's steps for the case's level and category.
      p.approval_chain = approvalStepsFor(await loadPolicies(trx), locked.level, locked.category);
      p.approval_step = 0;
    }
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
    if (action === 'submit') return notifySubmitted(trx, locked, r, me, now);
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

/** Submit for approval; `secrecyConfirmed` (保密审查) is recorded with who and when (the UI requires it). */
export const submitResponse = (deps: ModuleDeps, who: Who, caseId: string, rid: string, secrecyConfirmed = false) =>
  step(deps, who, caseId, rid, 'submit', (now) => ({
    submitted_by: who.user.id,
    submitted_at: now,
    secrecy_confirmed_by: secrecyConfirmed ? who.user.id : null,
    secrecy_confirmed_at: secrecyConfirmed ? now : null,
  }));

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
