import { hoursBetween, type NoticeKey, type NoticeParams } from '../../core/notices.js';
import type { EscalationStep } from '../../core/workflow/types.js';

// What an escalation step says when it is sent: always what is true at that moment.
//
//   - A step before the due time (the 50 % reminder, "12 h before due") sent while the obligation
//     is still open and not yet due says how long is actually left ("还剩 8小时", not the policy's
//     12 h when the sweep comes late).
//   - Such a step whose moment has passed by the time it fires — the due time is already past
//     (the case was registered late, or the system was down) — is not sent as "N小时后到期": it
//     is sent as the overdue message with how late it is ("已超期 1天16小时"), to the same people.
//     If a later step of the same obligation fires in the same tick and reaches the same person,
//     that person gets only the later step's notice (sweep.ts): one message per person and
//     obligation per tick, the most advanced one.
//   - The breach (at due) and the steps after due say how late it is; at the due minute itself,
//     "时限已到".
// Overdue messages are urgent: quiet hours never hold them back.

export interface StepNotice {
  key: NoticeKey;
  /** Time parameters (dueAt, remainingHours | lateHours); the caller adds the case's. */
  params: NoticeParams;
  /** The obligation is past due at `now`. */
  overdue: boolean;
}

/** Less than this late counts as "at due" (the sweep's own tick delay is not lateness). */
const AT_DUE_MS = 60_000;

export function stepNotice(step: EscalationStep, dueAt: Date, now: Date): StepNotice {
  const lateMs = now.getTime() - dueAt.getTime();
  const base: NoticeParams = { dueAt: dueAt.toISOString() };
  if (lateMs >= 0) {
    const justDue = lateMs < AT_DUE_MS;
    const params = justDue ? base : { ...base, lateHours: hoursBetween(dueAt, now) };
    if (step.breach) return { key: justDue ? 'escalation.breach' : 'escalation.breach_late', params, overdue: true };
    return { key: justDue ? 'escalation.due' : 'escalation.overdue', params, overdue: true };
  }
  const params = { ...base, remainingHours: hoursBetween(now, dueAt) };
  if (step.trigger.type === 'fraction' && step.onlyWithoutDraft) return { key: 'escalation.remind', params, overdue: false };
  return { key: 'escalation.warn', params, overdue: false };
}

/** The same notice's time parameters as of a later delivery (quiet hours): "还剩…" counted from then. */
export function paramsAsOf(n: StepNotice, at: Date): NoticeParams {
  if (n.overdue || typeof n.params.dueAt !== 'string') return n.params;
  return { ...n.params, remainingHours: Math.max(0, hoursBetween(at, new Date(n.params.dueAt))) };
}
