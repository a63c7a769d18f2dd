// Due times. All wall-clock reasoning is in Asia/Shanghai (UTC+8, computed explicitly).
//
// Natural hours: due = start + hours × factor.
//
// Working days (the window's hours / 24 = N working days, after the heightened factor):
//   1. The clock's anchor: if the start's Shanghai day is a working day, the start itself;
//      otherwise 00:00 (Shanghai) of the next working day — a case found on a Saturday, a holiday
//      or a holiday's eve counts from the start of the first working day after it.
//   2. The due day is the ⌊N⌋-th working day strictly after the anchor's day (调休 make-up
//      Saturdays and Sundays count, holidays do not); the due time is the anchor's time of day.
//      ⌊N⌋ = 0 means the anchor itself.
//   3. A fractional rest (N − ⌊N⌋, e.g. 2.5 working days under a 0.5 factor) is added as
//      natural hours (rest × 24 h) after that.
//   E.g. (2026, National Day 10-01..10-07 off, Sun 09-20 and Sat 10-10 make-up workdays):
//     Wed 09-30 10:00 + 1 wd → Thu 10-08 10:00; + 3 wd → Sat 10-10 10:00 (make-up day);
//     Sat 09-19 15:00 + 1 wd → anchor Sun 09-20 00:00 (make-up day) → Mon 09-21 00:00.
//
// Heightened periods: those containing the start (startsAt ≤ start < endsAt) apply; the smallest
// factor wins; a factor never lengthens a window (it is capped at 1), and non-positive or
// non-finite factors are ignored (the admin form must refuse them).
import type { WorkCalendar } from './calendar.js';
import { addDays, DAY_MS, formatYmd, HOUR_MS, shanghaiInstant, shanghaiParts } from './shanghai.js';
import type { AppliedPeriod, HeightenedPeriod, ObligationSpec, Window } from './types.js';

/** No real calendar goes this long without a working day: a broken calendar fails loudly. */
const MAX_DAYS_SCANNED = 3660;

/** The factor applying to windows that start at `start`: the strictest period containing it, else 1. */
export function heightenedFactor(start: Date, periods: readonly HeightenedPeriod[]): number {
  let factor = 1;
  const t = start.getTime();
  for (const p of periods) {
    if (!(Number.isFinite(p.factor) && p.factor > 0)) continue;
    if (p.startsAt.getTime() <= t && t < p.endsAt.getTime()) factor = Math.min(factor, p.factor);
  }
  return factor;
}

/**
 * The period whose factor applies to windows starting at `start` (the strictest containing it, the
 * earliest-starting on a tie), or null when none shortens them (no period, or a factor of 1).
 */
export function appliedPeriod(start: Date, periods: readonly HeightenedPeriod[]): AppliedPeriod | null {
  const factor = heightenedFactor(start, periods);
  if (factor >= 1) return null;
  const t = start.getTime();
  const hit = periods
    .filter((p) => p.factor === factor && p.startsAt.getTime() <= t && t < p.endsAt.getTime())
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0];
  return { name: hit?.name ?? '', factor };
}

/** A window as it applies under a period's factor (e.g. 48 h × 0.5 = 24 h; 5 working days × 0.5 = 2.5). */
export function effectiveWindow(window: Window, period: AppliedPeriod | null): Window {
  return period ? { hours: window.hours * Math.min(1, period.factor), unit: window.unit } : { ...window };
}

/** computeDueAt, with the period that shortened the window (to record with the due time). */
export function scheduleDue(
  start: Date,
  window: Window,
  ctx: { calendar: WorkCalendar; periods: readonly HeightenedPeriod[] },
): { dueAt: Date; period: AppliedPeriod | null } {
  return { dueAt: computeDueAt(start, window, ctx), period: appliedPeriod(start, ctx.periods) };
}

/**
 * Due time of an obligation whose clock starts at `start`: natural hours, or working days (the
 * window ends at the same Asia/Shanghai time of day on the Nth following working day), shortened
 * by the factor of a heightened period that contains `start` (the strictest if several).
 */
export function computeDueAt(start: Date, window: Window, ctx: { calendar: WorkCalendar; periods: readonly HeightenedPeriod[] }): Date {
  if (Number.isNaN(start.getTime())) throw new RangeError('computeDueAt: invalid start');
  if (!(Number.isFinite(window.hours) && window.hours >= 0)) throw new RangeError(`computeDueAt: invalid window hours ${window.hours}`);
  const hours = window.hours * heightenedFactor(start, ctx.periods);
  if (window.unit === 'natural') return new Date(start.getTime() + Math.round(hours * HOUR_MS));

  const n = hours / 24;
  // Tolerate floating noise such as 2.9999999 from 72 × 0.1 × … factors.
  const whole = Math.floor(n + 1e-9);
  const restMs = Math.max(0, Math.round((n - whole) * DAY_MS));

  const { day: startDay, msOfDay: startMs } = shanghaiParts(start);
  let day = startDay;
  let msOfDay = startMs;
  if (!ctx.calendar.isWorkday(formatYmd(day))) {
    day = nextWorkday(day, ctx.calendar);
    msOfDay = 0;
  }
  for (let i = 0; i < whole; i++) day = nextWorkday(day, ctx.calendar);
  return new Date(shanghaiInstant(day, msOfDay).getTime() + restMs);
}

function nextWorkday(day: ReturnType<typeof shanghaiParts>['day'], calendar: WorkCalendar) {
  for (let i = 1; i <= MAX_DAYS_SCANNED; i++) {
    const next = addDays(day, i);
    if (calendar.isWorkday(formatYmd(next))) return next;
  }
  throw new RangeError(`No working day within ${MAX_DAYS_SCANNED} days after ${formatYmd(day)}: check the calendar overrides`);
}

/**
 * The next occurrence of a recurring obligation (e.g. 'update' every 24 h until the case closes):
 * it starts when the previous one was met, with a window of `repeatEveryHours` in the spec's unit,
 * so releases are never further apart than that. Null for a one-off obligation.
 */
export function nextRecurrence(
  spec: ObligationSpec,
  previousMetAt: Date,
  ctx: { calendar: WorkCalendar; periods: readonly HeightenedPeriod[] },
): { startedAt: Date; dueAt: Date; window: Window; period: AppliedPeriod | null } | null {
  if (spec.repeatEveryHours === undefined || !(spec.repeatEveryHours > 0)) return null;
  const window: Window = { hours: spec.repeatEveryHours, unit: spec.window.unit };
  return { startedAt: previousMetAt, window, ...scheduleDue(previousMetAt, window, ctx) };
}
