import { forwardFeedbackWindow, forwardingOffice, isForwarded, VERIFICATION_LABELS } from '../../core/workflow/forwarding.js';
import { policyFor, scheduleDue } from '../../core/workflow/index.js';
import { nextStepAt } from '../../core/workflow/escalation.js';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import * as repo from '../../db/repos/forwarding.js';
import { findOpenObligation, insertObligations, meetObligations, obligationAudit } from '../../db/repos/obligations.js';
import { deadlineContext, loadPolicies } from '../../db/repos/policies.js';
import type { Case } from '../../db/schema-workflow.js';
import { AppError, conflict } from '../../platform/errors.js';
import type { AppEvent } from '../../platform/queues.js';
import { notifyForwardFeedbackDue, notifyForwardReplied, notifyVerified } from '../notifications/handoffs.js';
import { refuseClosedCase } from '../shared/closed-case.js';
import type { ModuleDeps } from '../shared/deps.js';
import { iso } from '../shared/present.js';
import { recordedTime } from '../shared/recorded-time.js';
import { caseFor, caseNotFound, type Who } from '../responses/guard.js';
import type { ForwardingView, ForwardReplyInput, VerificationInput } from './schema.js';

// Forwarded opinions (网信办 / 政府办转办, issue 15 §2). The lead department verifies the facts (核实:
// 属实 / 部分属实 / 不属实, with a note) before a response is drafted or submitted; publishing the
// response creates the obligation 向转办单位反馈办理情况, due the policy's working days later (default
// 2), escalated by the sweep like any other and met by a reply recorded to the forwarding office
// (its time may be typed in afterwards, under the same 补录 rule as a publication). One transaction
// per command: the rows, the audit rows, the notifications; events after commit.

const person = (id: number | null, name: string | null) => (id === null ? null : { id, name });

const notForwarded = () =>
  conflict('This case was not forwarded by another office (网信办 / 政府办转办)', '该事件不是转办舆情，无需核实或向转办单位反馈', { origin: 'not_forwarded' });

/** 409 when a forwarded case has no 核实 result yet: a response is drafted on verified facts. */
export function refuseUnverified(c: Pick<Case, 'origin' | 'verification'>): void {
  if (isForwarded(c.origin) && c.verification === null) {
    throw conflict('Record the verification result (核实) of this forwarded opinion before drafting or submitting a response', '转办舆情须先登记核实结果（属实 / 部分属实 / 不属实），再起草或提交回应', {
      verification: null,
    });
  }
}

/** The lead department acts for a forwarded opinion (谁主管谁负责); reviewers may too. */
function refuseNotLead(who: Who, c: Case): void {
  if (who.user.role === 'handler' && who.user.departmentId !== c.lead_department_id) {
    throw new AppError({ code: 'FORBIDDEN', message: 'Only the lead department verifies and reports back to the forwarding office', messageZh: '只有牵头单位可以核实并向转办单位反馈' });
  }
}

/**
 * On the first publication of a forwarded opinion's response: the obligation 向转办单位反馈办理情况,
 * due the policy's working days after the publication, with its audit row and the lead
 * department's notice. Nothing for other cases, or when one is already owed. In the caller's transaction.
 */
export async function scheduleForwardFeedback(trx: Db, c: Case, publishedAt: Date, who: Who, now: Date): Promise<AppEvent[]> {
  if (!isForwarded(c.origin)) return [];
  if ((await repo.feedbackObligations(trx, c.id)).length > 0) return [];
  const rules = await loadPolicies(trx);
  const window = forwardFeedbackWindow(rules, c.level, c.category);
  const { dueAt, period } = scheduleDue(publishedAt, window, await deadlineContext(trx));
  const office = forwardingOffice(c.origin, c.origin_note);
  const [ob] = await insertObligations(
    trx,
    c.id,
    [
      {
        kind: 'forward_feedback',
        seq: 1,
        window,
        startedAt: publishedAt,
        dueAt,
        period,
        nextStepAt: nextStepAt({ startedAt: publishedAt, dueAt, kind: 'forward_feedback', metAt: null }, policyFor(rules, c.level, c.category).escalationSteps, new Set(), { hasDraft: true }),
        note: `向${office}反馈办理情况`,
      },
    ],
    now,
  );
  await writeAudit(trx, { actor: who.actor, entity: 'obligation', entityId: ob!.id, caseId: c.id, action: 'obligation.create', after: obligationAudit(ob!) });
  return notifyForwardFeedbackDue(trx, c, { recipient: office, dueAt }, who.user.id, now);
}

export async function forwardingView(deps: ModuleDeps, who: Who, caseId: string): Promise<ForwardingView> {
  const c = await caseFor(deps.db, caseId, who.user);
  return present(deps.db, c);
}

async function present(db: Db, c: Case): Promise<ForwardingView> {
  const [replies, obligations, verifier] = await Promise.all([repo.listForwardReplies(db, c.id), repo.feedbackObligations(db, c.id), repo.userName(db, c.verified_by)]);
  const ob = obligations[0];
  return {
    forwarded: isForwarded(c.origin),
    office: forwardingOffice(c.origin, c.origin_note),
    verification:
      c.verification === null || c.verified_at === null
        ? null
        : { result: c.verification, label: VERIFICATION_LABELS[c.verification], note: c.verification_note, verifiedBy: person(c.verified_by, verifier), verifiedAt: iso(c.verified_at) },
    feedback: ob ? { id: ob.id, status: ob.status, dueAt: iso(ob.due_at), metAt: ob.met_at ? iso(ob.met_at) : null, onTime: ob.on_time } : null,
    replies: replies.map((r) => ({
      id: r.id,
      recipient: r.recipient,
      content: r.content,
      repliedAt: iso(r.replied_at),
      backfilled: r.backfilled,
      recordedBy: person(r.recorded_by, r.recorded_by_name),
      recordedAt: iso(r.recorded_at),
    })),
  };
}

/** Runs one command on a forwarded case under its lock (closed: read-only; not forwarded: 409). */
async function onForwardedCase(deps: ModuleDeps, who: Who, caseId: string, fn: (trx: Db, c: Case, now: Date) => Promise<AppEvent[]>): Promise<ForwardingView> {
  const visible = await caseFor(deps.db, caseId, who.user);
  const now = deps.now();
  const events = await deps.db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, visible.id, who.user);
    if (!c) throw caseNotFound();
    refuseClosedCase(c);
    refuseNotLead(who, c);
    if (!isForwarded(c.origin)) throw notForwarded();
    return fn(trx, c, now);
  });
  await deps.emit({ type: 'case.updated', caseId: visible.id });
  for (const ev of events) await deps.emit(ev);
  return present(deps.db, (await caseFor(deps.db, caseId, who.user)));
}

/** 核实: the result (属实 / 部分属实 / 不属实) and a note; may be corrected while the case is open. */
export const recordVerification = (deps: ModuleDeps, who: Who, caseId: string, input: VerificationInput) =>
  onForwardedCase(deps, who, caseId, async (trx, c, now) => {
    const after = await repo.recordVerification(trx, c.id, { result: input.result, note: input.note, by: who.user.id, at: now });
    await writeAudit(trx, {
      actor: who.actor,
      entity: 'case',
      entityId: c.id,
      caseId: c.id,
      action: 'case.verify',
      before: { verification: c.verification, note: c.verification_note },
      after: { verification: after.verification, note: after.verification_note, verifiedAt: now.toISOString() },
    });
    return notifyVerified(trx, c, { verifier: who.actor.name, verification: input.result, note: input.note }, who.user.id, now);
  });

/** A reply to the forwarding office: meets the open 向转办单位反馈办理情况 obligation at the reply's time. */
export const recordForwardReply = (deps: ModuleDeps, who: Who, caseId: string, input: ForwardReplyInput) =>
  onForwardedCase(deps, who, caseId, async (trx, c, now) => {
    const { at: repliedAt, backfilled } = recordedTime({
      field: 'repliedAt',
      label: '反馈时间',
      typed: input.repliedAt,
      now,
      notBefore: [{ at: c.clock_started_at, what: 'case_start' }],
      maxHours: deps.config.BACKFILL_MAX_HOURS,
      role: who.user.role,
    });
    const recipient = input.recipient ?? forwardingOffice(c.origin, c.origin_note);
    const open = await findOpenObligation(trx, c.id, 'forward_feedback');
    const id = await repo.insertForwardReply(trx, { caseId: c.id, obligationId: open ?? null, recipient, content: input.content, repliedAt, backfilled, by: who.user.id, at: now });
    await writeAudit(trx, {
      actor: who.actor,
      entity: 'forward_reply',
      entityId: id,
      caseId: c.id,
      action: 'case.forward_reply',
      after: { recipient, content: input.content, repliedAt: repliedAt.toISOString(), backfilled },
    });
    const met = open ? await meetObligations(trx, c.id, ['forward_feedback'], repliedAt, `forward_reply:${id}`) : [];
    for (const m of met) {
      await writeAudit(trx, {
        actor: who.actor,
        entity: 'obligation',
        entityId: m.id,
        caseId: c.id,
        action: 'obligation.met',
        before: { status: 'open' },
        after: { status: 'met', kind: m.kind, metAt: repliedAt.toISOString(), onTime: m.onTime, by: `forward_reply:${id}` },
      });
    }
    return notifyForwardReplied(trx, c, { replier: who.actor.name, recipient, repliedAt }, who.user.id, now);
  });
