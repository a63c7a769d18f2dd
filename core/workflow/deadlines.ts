import type { WorkCalendar } from './calendar.js';
import type { HeightenedPeriod, Window } from './types.js';
/**
 * Due time of an obligation whose clock starts at `start`: natural hours, or working days (the
 * window ends at the same Asia/Shanghai time of day on the Nth following working day), shortened
 * by the factor of a heightened period that contains `start` (the strictest if several).
 */
export function computeDueAt(start: Date, window: Window, ctx: { calendar: WorkCalendar; periods: readonly HeightenedPeriod[] }): Date {
  throw new Error('not implemented');
}
