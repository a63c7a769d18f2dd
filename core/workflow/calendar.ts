// The working-day calendar of mainland China: statutory holidays and 调休 make-up workdays come
// from the `chinese-days` package (data transcribed from the State Council's yearly notices);
// admin-entered overrides (calendar_overrides rows) win over it, e.g. for a year the package does
// not know yet.
//
// We read the package's published data (dist/chinese-days.json) rather than call its functions:
// its functions build and read their date keys with local-time getters, so in a process west of
// UTC (TZ=America/Los_Angeles) they lose the make-up workdays (2026-09-20 reads as a day off).
// The data is plain 'YYYY-MM-DD' keys; the weekday is computed here in UTC, independent of TZ.
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { parseYmd, weekday, type Ymd } from './shanghai.js';

/** Working-day calendar of mainland China (holidays and 调休 make-up workdays), with admin overrides. */
export interface WorkCalendar {
  /** dateYmd like '2026-10-08', a day in Asia/Shanghai. */
  isWorkday(dateYmd: string): boolean;
}

const HOLIDAYS = data.holidays as Readonly<Record<string, string>>;
const WORKDAYS = data.workdays as Readonly<Record<string, string>>;
const COVERED_YEARS: ReadonlySet<number> = new Set(Object.keys(HOLIDAYS).map((k) => Number(k.slice(0, 4))));

function parseOrThrow(dateYmd: string): Ymd {
  const day = parseYmd(dateYmd);
  if (!day) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(dateYmd)}`);
  return day;
}

/** The package's answer: a make-up workday works, a holiday does not, else Monday to Friday. */
function packageIsWorkday(dateYmd: string, day: Ymd): boolean {
  if (Object.hasOwn(WORKDAYS, dateYmd)) return true;
  if (Object.hasOwn(HOLIDAYS, dateYmd)) return false;
  const wd = weekday(day);
  return wd >= 1 && wd <= 5;
}

/** Whether `chinese-days` has the State Council's holiday arrangement for `year`. */
export function packageCoversYear(year: number): boolean {
  return COVERED_YEARS.has(year);
}

/** The years (within [from, to]) for which `chinese-days` has holiday and 调休 data. */
export function calendarYearsCovered(from = 2000, to = 2100): number[] {
  const years: number[] = [];
  for (let y = from; y <= to; y++) if (packageCoversYear(y)) years.push(y);
  return years;
}

/**
 * Years among `years` that neither the package nor any admin override covers: the calendar would
 * treat them as plain Monday–Friday weeks. Show these as a warning ("add the holidays of 2027").
 */
export function calendarYearsMissing(years: Iterable<number>, overrides: ReadonlyMap<string, boolean> = new Map()): number[] {
  const overridden = new Set<number>();
  for (const key of overrides.keys()) overridden.add(Number(key.slice(0, 4)));
  const missing: number[] = [];
  for (const y of new Set(years)) if (!packageCoversYear(y) && !overridden.has(y)) missing.push(y);
  return missing.sort((a, b) => a - b);
}

/** Backed by the `chinese-days` package; overrides (admin-entered, e.g. a year the package lacks) win. */
export function workCalendar(overrides: ReadonlyMap<string, boolean> = new Map()): WorkCalendar {
  for (const key of overrides.keys()) parseOrThrow(key);
  return {
    isWorkday(dateYmd: string): boolean {
      const day = parseOrThrow(dateYmd);
      const override = overrides.get(dateYmd);
      if (override !== undefined) return override;
      return packageIsWorkday(dateYmd, day);
    },
  };
}
