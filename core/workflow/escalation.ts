// Escalation step selection (the sweep's decision) and quiet hours. Time is an argument.
//
// Fire times, for an obligation with window [startedAt, dueAt]:
//   fraction f   → startedAt + f × window;
//   before_due h → dueAt − h, but never before the window's midpoint: on a window shorter than
//                  2h (for the default 12 h warning: under 24 h, e.g. the 1 h report → at 30 min,
//                  the 5 h information → at 2 h 30 min) it fires halfway through rather than at or
//                  before the clock's start;
//   after_due h  → dueAt + h (h = 0: the breach, at the due instant).
//
// Due steps, evaluated as of `now`:
//   - a met obligation (metAt set and ≤ now) escalates no further: no step fires after it is met,
//     including a step whose time came before metAt but that the sweep had not fired yet — the
//     lateness is recorded on the obligation itself (on_time = false), not by a late notice;
//     a metAt after `now` (replaying history) is ignored;
//   - the step applies to the obligation's kind (no `kinds` = all kinds), is not in `fired`, its
//     fire time is ≤ now, and an onlyWithoutDraft step is skipped while the case has a draft;
//   - results are ordered by fire time (ties keep the policy's order).
import { shanghaiParts } from './shanghai.js';
import type { EscalationStep, QuietHours } from './types.js';

export interface StepObligation {
  startedAt: Date;
  dueAt: Date;
  kind: import('../vocabulary.js').ObligationKind;
  /** Met obligations escalate no further. */
  metAt: Date | null;
}

const HOUR_MS = 3_600_000;

/** When a step is due for an obligation. */
export function stepFireAt(ob: StepObligation, step: EscalationStep): Date {
  const start = ob.startedAt.getTime();
  const due = ob.dueAt.getTime();
  const t = step.trigger;
  switch (t.type) {
    case 'fraction':
      return new Date(start + Math.round(t.fraction * (due - start)));
    case 'before_due':
      return new Date(Math.max(due - t.hours * HOUR_MS, start + Math.round((due - start) / 2)));
    case 'after_due':
      return new Date(due + t.hours * HOUR_MS);
  }
}

/** Whether the obligation counts as met at `now`. */
export function isMetAt(metAt: Date | null, now: Date): metAt is Date {
  return metAt !== null && metAt.getTime() <= now.getTime();
}

/**
 * Steps due now for an obligation, not yet fired, applicable to its kind, honouring
 * onlyWithoutDraft; ordered by fire time.
 */
export function dueSteps(
  ob: StepObligation,
  steps: readonly EscalationStep[],
  fired: ReadonlySet<string>,
  now: Date,
  ctx: { hasDraft: boolean },
): EscalationStep[] {
  if (isMetAt(ob.metAt, now)) return [];
  const t = now.getTime();
  return steps
    .map((step, index) => ({ step, index, at: stepFireAt(ob, step).getTime() }))
    .filter(({ step, at }) => {
      if (step.kinds && !step.kinds.includes(ob.kind)) return false;
      if (fired.has(step.id)) return false;
      if (step.onlyWithoutDraft && ctx.hasDraft) return false;
      return at <= t;
    })
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ step }) => step);
}

/**
 * When the obligation's next step is due: the earliest fire time over the steps applicable to its
 * kind and not in `fired` (with a draft, onlyWithoutDraft steps are skipped for good: drafts are
 * never deleted); null when no step is left or the obligation is met. Stored as
 * obligations.next_step_at, the sweep's index.
 */
export function nextStepAt(
  ob: StepObligation,
  steps: readonly EscalationStep[],
  fired: ReadonlySet<string>,
  ctx: { hasDraft: boolean } = { hasDraft: false },
): Date | null {
  if (ob.metAt !== null) return null;
  let next: number | null = null;
  for (const step of steps) {
    if (step.kinds && !step.kinds.includes(ob.kind)) continue;
    if (fired.has(step.id)) continue;
    if (step.onlyWithoutDraft && ctx.hasDraft) continue;
    const at = stepFireAt(ob, step).getTime();
    if (next === null || at < next) next = at;
  }
  return next === null ? null : new Date(next);
}

/**
 * A non-urgent notification at `at` inside quiet hours (Asia/Shanghai) moves to their end.
 * Quiet hours are [startHour, endHour) and wrap midnight when startHour > endHour (22 → 7 covers
 * 22:00–06:59:59); startHour = endHour means none. Urgent notifications are never deferred.
 */
export function deferForQuietHours(at: Date, quiet: QuietHours | null, urgent: boolean): Date {
  if (urgent || quiet === null || quiet.startHour === quiet.endHour) return at;
  for (const h of [quiet.startHour, quiet.endHour]) {
    if (!(Number.isFinite(h) && h >= 0 && h <= 24)) throw new RangeError(`Invalid quiet hour ${h}`);
  }
  const { msOfDay } = shanghaiParts(at);
  const startMs = quiet.startHour * HOUR_MS;
  const endMs = quiet.endHour * HOUR_MS;
  const dayStart = at.getTime() - msOfDay;
  if (startMs < endMs) {
    return msOfDay >= startMs && msOfDay < endMs ? new Date(dayStart + endMs) : at;
  }
  if (msOfDay >= startMs) return new Date(dayStart + 24 * HOUR_MS + endMs); // evening: until tomorrow's end
  if (msOfDay < endMs) return new Date(dayStart + endMs); // small hours: until today's end
  return at;
}
