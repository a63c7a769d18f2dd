// The SLA view of one obligation, as of `now` (a metAt after `now` is ignored, as in escalation.ts).
//   goalMs      = dueAt − startedAt
//   elapsedMs   = (metAt, or now while open) − startedAt, never negative
//   remainingMs = dueAt − (metAt, or now while open); negative when overdue / met late
//   breached    = met after due, or still open and now > dueAt (met exactly at due is on time)
//   onTime      = met: metAt ≤ dueAt; open: false once past due, else null (not decided yet)
import { isMetAt } from './escalation.js';
import type { Channel, ObligationKind } from '../vocabulary.js';

export interface ObligationView {
  goalMs: number;
  elapsedMs: number;
  remainingMs: number;
  dueAt: Date;
  metAt: Date | null;
  breached: boolean;
  onTime: boolean | null;
}

/** The SLA view users of Jira Service Management / Zammad rely on, at `now`. */
export function obligationView(ob: { startedAt: Date; dueAt: Date; metAt: Date | null }, now: Date): ObligationView {
  const start = ob.startedAt.getTime();
  const due = ob.dueAt.getTime();
  const met = isMetAt(ob.metAt, now) ? ob.metAt : null;
  const end = met ? met.getTime() : now.getTime();
  const late = end > due;
  return {
    goalMs: due - start,
    elapsedMs: Math.max(0, end - start),
    remainingMs: due - end,
    dueAt: ob.dueAt,
    metAt: met,
    breached: late,
    onTime: met ? !late : late ? false : null,
  };
}

/**
 * Which open obligations a publication meets: the public response always; for major levels the
 * authoritative information (any publication), the press conference (channel press_conference) and
 * the open update.
 */
export function kindsMetBy(channel: Channel): ObligationKind[] {
  // Whatever the level: a case owes only what its policy rule gave it (a major case owes no 48 h
  // response, a general one no press conference), and meeting a kind the case does not owe changes nothing.
  return ['response', 'info', ...(channel === 'press_conference' ? (['press'] as const) : []), 'update'];
}
