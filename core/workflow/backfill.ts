// 补录: a time a person types for something that already happened (a publication, a report upward)
// and that meets an obligation. Pure: the services ask here, then write or refuse.
//
// - Not in the future: a time up to `skewMs` ahead of the server's clock is read as now (clocks
//   differ a little); further ahead is refused.
// - Never before what it follows: the opinion's first sighting (the case clock) and, for a
//   publication, the response's approval (a response cannot be out before it was approved).
// - A time more than `graceMs` back is a back-dated record (补录) and marked as such wherever it is shown.
// - At most `maxHours` back (default 24 h); further back only a reviewer records it (a handler or
//   duty officer is told to ask one), so an old "on time" cannot be typed in by the person it clears.

export const BACKFILL_MAX_HOURS_DEFAULT = 24;
/** How far ahead of the server's clock a typed time is still taken as "now". */
export const BACKFILL_CLOCK_SKEW_MS = 2 * 60_000;
/** How far back a typed time is still "now" (a form opened a few minutes ago), not a 补录. */
export const BACKFILL_GRACE_MS = 5 * 60_000;

export interface RecordedTimeInput {
  /** The typed time; undefined: now. */
  at: Date | undefined;
  now: Date;
  /** The earliest the time may be, each with what it is (the case clock, the approval). */
  notBefore: readonly { at: Date; what: NotBeforeWhat }[];
  maxHours: number;
  /** Whether the person may record a time further back than `maxHours` (a reviewer). */
  mayRecordOld: boolean;
}

export type NotBeforeWhat = 'case_start' | 'approval';

export type RecordedTime =
  | { ok: true; at: Date; backfilled: boolean }
  | { ok: false; reason: 'future' }
  | { ok: false; reason: 'before'; what: NotBeforeWhat; notBefore: Date }
  | { ok: false; reason: 'too_old'; maxHours: number };

export function decideRecordedTime(i: RecordedTimeInput): RecordedTime {
  const now = i.now.getTime();
  if (i.at === undefined) return { ok: true, at: i.now, backfilled: false };
  const t = i.at.getTime();
  if (t > now + BACKFILL_CLOCK_SKEW_MS) return { ok: false, reason: 'future' };
  const at = t > now ? i.now : i.at;
  for (const nb of i.notBefore) {
    if (at.getTime() < nb.at.getTime()) return { ok: false, reason: 'before', what: nb.what, notBefore: nb.at };
  }
  const back = now - at.getTime();
  if (back > i.maxHours * 3_600_000 && !i.mayRecordOld) return { ok: false, reason: 'too_old', maxHours: i.maxHours };
  return { ok: true, at, backfilled: back > BACKFILL_GRACE_MS };
}
