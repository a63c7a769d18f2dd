import type { Channel, EffectRating, Level, ReferralTarget } from '../../core/vocabulary.js';
import type { NoticeKey, NoticeParams } from '../../core/notices.js';
import type { ApprovalStepKind } from '../../core/workflow/approval.js';
import type { Db } from '../../db/client.js';
import { departmentNames } from '../../db/repos/departments.js';
import { caseObligations } from '../../db/repos/obligations.js';
import { activeUserIds, departmentHandlerIds, roleUserIds } from '../../db/repos/recipients.js';
import type { AppEvent } from '../../platform/queues.js';
import { createdEvents, notify, noticesFor } from './notify.js';

// Who hears of each hand-off (issue 12 §2). Each function runs inside the change's transaction and
// returns the `notification.created` events to emit after commit. Nobody is told of their own act.
//   assigned    → the handlers of each department newly given the case or a new role on it (lead /
//                 co); a re-assignment also tells the handlers of a department taken off it;
//   submitted   → every reviewer (the role that may approve), never the drafter or submitter;
//   returned    → the drafter (and the submitter, if another), with the reviewer's comment;
//   approved at a step before the last → the next step's people (分管领导, then 主要领导);
//   approved    → the drafter and the lead department's handlers: 可以发布;
//   published   → the duty officer who opened the case; the leaders in charge for 较大 and above;
//   closed / reopened → the lead department's handlers;
//   coordination → the co-departments' handlers;
//   report up   → the leaders (the superiors who read reports);
//   referral    → the addressee (public security, cyberspace office) is outside the system: the lead
//                 department's handlers are told, since the case's clarification is theirs, and the
//                 duty officer who opened it.

export interface CaseRef {
  id: string;
  number: string;
  title: string;
  level: Level;
  lead_department_id: number;
  opened_by: number | null;
}

const SIGNIFICANT_AND_ABOVE: ReadonlySet<Level> = new Set(['significant', 'major', 'especially_major']);
const isMajor = (level: Level) => level === 'major' || level === 'especially_major';

async function send(trx: Db, c: CaseRef, userIds: Iterable<number>, actorId: number | null, key: NoticeKey, params: NoticeParams, now: Date): Promise<AppEvent[]> {
  const notices = noticesFor(userIds, actorId, { caseId: c.id, key, params: { caseNumber: c.number, caseTitle: c.title, ...params }, urgent: isMajor(c.level) });
  return createdEvents(notices, await notify(trx, notices, now));
}

const handlersOf = async (trx: Db, departmentIds: readonly number[]) => (await departmentHandlerIds(trx, departmentIds)).map((h) => h.id);

export interface Assignment {
  lead: number;
  co: readonly number[];
}

/** 交办 / 转办: `before` null for a new case. */
export async function notifyAssignment(trx: Db, c: CaseRef, before: Assignment | null, after: Assignment, actorId: number | null, now: Date): Promise<AppEvent[]> {
  const roleOf = (a: Assignment | null, d: number) => (a === null ? null : a.lead === d ? 'lead' : a.co.includes(d) ? 'co' : null);
  const next = [after.lead, ...after.co.filter((d) => d !== after.lead)];
  const gained = next.filter((d) => roleOf(before, d) !== roleOf(after, d));
  const lost = before === null ? [] : [before.lead, ...before.co].filter((d) => roleOf(after, d) === null);
  const open = (await caseObligations(trx, c.id)).filter((o) => o.status === 'open');
  const first = open[0]; // ordered by due time
  const events: AppEvent[] = [];
  const handlers = await departmentHandlerIds(trx, [...gained, ...lost]);
  for (const d of gained) {
    const ids = handlers.filter((h) => h.departmentId === d).map((h) => h.id);
    const params: NoticeParams = { role: roleOf(after, d)! };
    if (first) Object.assign(params, { obligationKind: first.kind, dueAt: first.due_at.toISOString() });
    events.push(...(await send(trx, c, ids, actorId, first ? 'case.assigned' : 'case.assigned_no_due', params, now)));
  }
  if (lost.length > 0) {
    const leadName = (await departmentNames(trx, [after.lead])).get(after.lead) ?? '';
    const ids = handlers.filter((h) => lost.includes(h.departmentId)).map((h) => h.id);
    events.push(...(await send(trx, c, ids, actorId, 'case.unassigned', { leadDepartment: leadName }, now)));
  }
  return events;
}

export async function notifySubmitted(trx: Db, c: CaseRef, r: { drafted_by: number | null }, submitter: { id: number; name: string }, now: Date) {
  const reviewers = (await roleUserIds(trx, 'reviewer')).filter((id) => id !== r.drafted_by);
  return send(trx, c, reviewers, submitter.id, 'response.submitted', { submitter: submitter.name }, now);
}

export async function notifyReturned(trx: Db, c: CaseRef, r: { drafted_by: number | null; submitted_by: number | null }, reviewer: { id: number; name: string }, comment: string, now: Date) {
  const to = await activeUserIds(trx, [r.drafted_by, r.submitted_by]);
  return send(trx, c, to, reviewer.id, 'response.returned', { reviewer: reviewer.name, comment }, now);
}

/** 审批链: an approval before the last step asks the next step's people (the leaders in charge, then the principal leaders). */
export async function notifyApprovalStep(trx: Db, c: CaseRef, r: { drafted_by: number | null; edited_by: number | null }, approver: { id: number; name: string }, next: ApprovalStepKind, now: Date) {
  const ids = next === 'reviewer' ? await roleUserIds(trx, 'reviewer') : await roleUserIds(trx, 'leader', next === 'leader_in_charge' ? 'in_charge' : 'principal');
  const to = ids.filter((id) => id !== r.drafted_by && id !== r.edited_by);
  return send(trx, c, to, approver.id, 'response.approval_requested', { approver: approver.name, approvalStep: next }, now);
}

export async function notifyApproved(trx: Db, c: CaseRef, r: { drafted_by: number | null }, reviewer: { id: number; name: string }, now: Date) {
  const to = [...(await activeUserIds(trx, [r.drafted_by])), ...(await handlersOf(trx, [c.lead_department_id]))];
  return send(trx, c, to, reviewer.id, 'response.approved', { reviewer: reviewer.name }, now);
}

export async function notifyPublished(trx: Db, c: CaseRef, p: { channel: Channel; publishedAt: Date }, actorId: number | null, now: Date) {
  const to = [...(await activeUserIds(trx, [c.opened_by])), ...(SIGNIFICANT_AND_ABOVE.has(c.level) ? await roleUserIds(trx, 'leader', 'in_charge') : [])];
  return send(trx, c, to, actorId, 'response.published', { channel: p.channel, publishedAt: p.publishedAt.toISOString() }, now);
}

export async function notifyClosed(trx: Db, c: CaseRef, rating: EffectRating, actorId: number | null, now: Date) {
  return send(trx, c, await handlersOf(trx, [c.lead_department_id]), actorId, 'case.closed', { effectRating: rating, closedAt: now.toISOString() }, now);
}

export async function notifyReopened(trx: Db, c: CaseRef, reason: string, actorId: number | null, now: Date) {
  return send(trx, c, await handlersOf(trx, [c.lead_department_id]), actorId, 'case.reopened', { reason }, now);
}

export async function notifyCoordination(trx: Db, c: CaseRef, coDepartmentIds: readonly number[], content: string, actorId: number | null, now: Date) {
  const fromDepartment = (await departmentNames(trx, [c.lead_department_id])).get(c.lead_department_id) ?? '';
  const to = await handlersOf(trx, coDepartmentIds.filter((d) => d !== c.lead_department_id));
  return send(trx, c, to, actorId, 'case.coordination', { fromDepartment, content }, now);
}

export async function notifyReportUp(trx: Db, c: CaseRef, r: { reporter: string; recipient: string; content: string }, actorId: number | null, now: Date) {
  return send(trx, c, await roleUserIds(trx, 'leader'), actorId, 'case.report_up', r, now);
}

export async function notifyReferral(trx: Db, c: CaseRef, r: { referralTarget: ReferralTarget; recipient: string; content: string }, actorId: number | null, now: Date) {
  const to = [...(await handlersOf(trx, [c.lead_department_id])), ...(await activeUserIds(trx, [c.opened_by]))];
  return send(trx, c, to, actorId, 'case.referral', r, now);
}

/** 退回交办: the duty officer who opened the case (else every duty officer) is asked to reassign it. */
export async function notifyDeclined(trx: Db, c: CaseRef, r: { department: string; reason: string }, actorId: number | null, now: Date) {
  const opener = await activeUserIds(trx, [c.opened_by]);
  const to = opener.length > 0 ? opener : await roleUserIds(trx, 'duty');
  return send(trx, c, to, actorId, 'case.declined', r, now);
}

/** 不同意退回: the lead department is told to go on with the case. */
export async function notifyDeclineOverruled(trx: Db, c: CaseRef, reason: string, actorId: number | null, now: Date) {
  return send(trx, c, await handlersOf(trx, [c.lead_department_id]), actorId, 'case.decline_overruled', { reason }, now);
}

/** 会签: the handlers of the co-departments still to sign off a submitted response. */
export async function notifyCountersignRequested(trx: Db, c: CaseRef, departmentIds: readonly number[], submitter: { id: number; name: string }, now: Date) {
  return send(trx, c, await handlersOf(trx, departmentIds), submitter.id, 'response.countersign_requested', { submitter: submitter.name }, now);
}

/** 会签退回: the drafter (and the submitter, if another), with the co-department's comment. */
export async function notifyCountersignReturned(
  trx: Db,
  c: CaseRef,
  r: { drafted_by: number | null; submitted_by: number | null },
  by: { id: number; name: string; department: string },
  comment: string,
  now: Date,
) {
  const to = await activeUserIds(trx, [r.drafted_by, r.submitted_by]);
  return send(trx, c, to, by.id, 'response.countersign_returned', { reviewer: by.name, department: by.department, comment }, now);
}

/** 核实 of a forwarded opinion: the duty officer who registered it, and the lead department's handlers. */
export async function notifyVerified(trx: Db, c: CaseRef, v: { verifier: string; verification: string; note: string }, actorId: number | null, now: Date) {
  const to = [...(await activeUserIds(trx, [c.opened_by])), ...(await handlersOf(trx, [c.lead_department_id]))];
  return send(trx, c, to, actorId, 'case.verified', v, now);
}

/** Publication of a forwarded opinion's response: the lead department's handlers owe the forwarding office feedback. */
export async function notifyForwardFeedbackDue(trx: Db, c: CaseRef, v: { recipient: string; dueAt: Date }, actorId: number | null, now: Date) {
  return send(trx, c, await handlersOf(trx, [c.lead_department_id]), actorId, 'case.forward_feedback_due', { recipient: v.recipient, dueAt: v.dueAt.toISOString() }, now);
}

/** A reply recorded to the forwarding office: the duty officer who registered the opinion. */
export async function notifyForwardReplied(trx: Db, c: CaseRef, v: { replier: string; recipient: string; repliedAt: Date }, actorId: number | null, now: Date) {
  const to = [...(await activeUserIds(trx, [c.opened_by])), ...(await handlersOf(trx, [c.lead_department_id]))];
  return send(trx, c, to, actorId, 'case.forward_replied', { replier: v.replier, recipient: v.recipient, repliedAt: v.repliedAt.toISOString() }, now);
}

/** 回访 owed (a hotline / mailbox reply published): the lead department's handlers. */
export async function notifyCallbackDue(trx: Db, c: CaseRef, v: { publishedAt: Date }, actorId: number | null, now: Date) {
  return send(trx, c, await handlersOf(trx, [c.lead_department_id]), actorId, 'case.callback_due', { publishedAt: v.publishedAt.toISOString() }, now);
}

/** A 回访 found the requester 不满意: the reviewers and the duty officer who registered the case. */
export async function notifyCallbackDissatisfied(
  trx: Db,
  c: CaseRef,
  v: { caller: string; callee: string; calledAt: Date; note: string },
  actorId: number | null,
  now: Date,
) {
  // The lead department handles it again (its 待办 shows it until a new reply is drafted); reviewers and the registering duty officer decide with it.
  const to = new Set([...(await handlersOf(trx, [c.lead_department_id])), ...(await roleUserIds(trx, 'reviewer')), ...(await activeUserIds(trx, [c.opened_by]))]);
  const params = { caller: v.caller, callee: v.callee, calledAt: v.calledAt.toISOString(), callbackResult: 'dissatisfied', note: v.note };
  return send(trx, c, to, actorId, 'case.callback_dissatisfied', params, now);
}
