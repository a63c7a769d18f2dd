/** Working-day calendar of mainland China (holidays and 调休 make-up workdays), with admin overrides. */
export interface WorkCalendar {
  /** dateYmd like '2026-10-08', a day in Asia/Shanghai. */
  isWorkday(dateYmd: string): boolean;
}
/** Backed by the `chinese-days` package; overrides (admin-entered, e.g. a year the package lacks) win. */
export function workCalendar(overrides: ReadonlyMap<string, boolean> = new Map()): WorkCalendar {
  throw new Error('not implemented');
}
