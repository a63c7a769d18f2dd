import { BUSINESS_TZ } from '../business-time.js';
import { addDays, formatYmd, parseYmd, shanghaiInstant, shanghaiParts, weekday, type Ymd } from '../workflow/shanghai.js';

// Report periods in Asia/Shanghai: ISO weeks (Monday first; week 1 holds the year's first
// Thursday), calendar months, quarters, and any run of whole days. Each is a half-open range of
// instants [from, to) and a stable key ('2026-W47', '2026-11', '2026-Q4', '2026-11-01..2026-11-15')
// that, with the kind, names the report uniquely. Pure: time is an argument.

export const REPORT_KINDS = ['weekly', 'monthly', 'quarterly', 'range'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_KIND_LABELS: Record<ReportKind, string> = { weekly: '周通报', monthly: '月度通报', quarterly: '季度通报', range: '专题通报' };

/** Longest custom range a report covers (the quarterly one is 92 days). */
export const MAX_REPORT_DAYS = 400;

export interface Period {
  kind: ReportKind;
  /** Unique with the kind: '2026-W47', '2026-11', '2026-Q4', '2026-11-01..2026-11-15'. */
  key: string;
  from: Date;
  to: Date;
  /** First and last calendar day (Shanghai), inclusive. */
  firstDay: Ymd;
  lastDay: Ymd;
  /** How the notice names it: '2026年第47周', '2026年11月', '2026年第四季度', '2026年11月1日至11月15日'. */
  label: string;
}

const QUARTER_ZH = ['一', '二', '三', '四'];

function dayRange(kind: ReportKind, key: string, first: Ymd, last: Ymd, label: string): Period {
  return { kind, key, from: shanghaiInstant(first, 0), to: shanghaiInstant(addDays(last, 1), 0), firstDay: first, lastDay: last, label };
}

/** Monday of ISO week 1 of an ISO week-year. */
function week1Monday(isoYear: number): Ymd {
  const jan4 = { y: isoYear, m: 1, d: 4 };
  const dow = (weekday(jan4) + 6) % 7; // 0 = Monday
  return addDays(jan4, -dow);
}

/** Number of ISO weeks of an ISO week-year (52 or 53). */
export function isoWeeksInYear(isoYear: number): number {
  const a = week1Monday(isoYear);
  const b = week1Monday(isoYear + 1);
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / (7 * 86_400_000));
}

/** ISO week-year and week number of a calendar day. */
export function isoWeekOfDay(day: Ymd): { year: number; week: number } {
  const dow = (weekday(day) + 6) % 7;
  const thursday = addDays(day, 3 - dow);
  const monday1 = week1Monday(thursday.y);
  const days = Math.round((Date.UTC(thursday.y, thursday.m - 1, thursday.d) - Date.UTC(monday1.y, monday1.m - 1, monday1.d)) / 86_400_000);
  return { year: thursday.y, week: Math.floor(days / 7) + 1 };
}

export function weekKey(year: number, week: number): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** '2026-W47' → the week's period; null when not a real ISO week. */
export function weekPeriod(key: string): Period | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > isoWeeksInYear(year)) return null;
  const monday = addDays(week1Monday(year), (week - 1) * 7);
  return dayRange('weekly', key, monday, addDays(monday, 6), `${year}年第${week}周`);
}

/** '2026-11' → the month; null when not a real month. */
export function monthPeriod(key: string): Period | null {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return null;
  const first = { y, m: mo, d: 1 };
  const last = addDays(mo === 12 ? { y: y + 1, m: 1, d: 1 } : { y, m: mo + 1, d: 1 }, -1);
  return dayRange('monthly', key, first, last, `${y}年${mo}月`);
}

/** '2026-Q4' → the quarter; null when not a real quarter. */
export function quarterPeriod(key: string): Period | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (!m) return null;
  const y = Number(m[1]);
  const q = Number(m[2]);
  const first = { y, m: (q - 1) * 3 + 1, d: 1 };
  const last = addDays(q === 4 ? { y: y + 1, m: 1, d: 1 } : { y, m: q * 3 + 1, d: 1 }, -1);
  return dayRange('quarterly', key, first, last, `${y}年第${QUARTER_ZH[q - 1]}季度`);
}

/** Whole days 'YYYY-MM-DD' … 'YYYY-MM-DD' (both inclusive); an error name when not valid. */
export function daysPeriod(from: string, to: string): Period | { error: 'from' | 'to' | 'order' | 'span' } {
  const first = parseYmd(from);
  if (!first) return { error: 'from' };
  const last = parseYmd(to);
  if (!last) return { error: 'to' };
  const span = (Date.UTC(last.y, last.m - 1, last.d) - Date.UTC(first.y, first.m - 1, first.d)) / 86_400_000 + 1;
  if (span < 1) return { error: 'order' };
  if (span > MAX_REPORT_DAYS) return { error: 'span' };
  const sameYear = first.y === last.y;
  const label = `${first.y}年${first.m}月${first.d}日至${sameYear ? '' : `${last.y}年`}${last.m}月${last.d}日`;
  return dayRange('range', `${formatYmd(first)}..${formatYmd(last)}`, first, last, label);
}

/** The period named by a kind and key (as stored); null when the key is not valid for the kind. */
export function periodOf(kind: ReportKind, key: string): Period | null {
  switch (kind) {
    case 'weekly':
      return weekPeriod(key);
    case 'monthly':
      return monthPeriod(key);
    case 'quarterly':
      return quarterPeriod(key);
    case 'range': {
      const [a, b] = key.split('..');
      const p = a && b ? daysPeriod(a, b) : null;
      return p && !('error' in p) ? p : null;
    }
  }
}

/** The ISO week holding an instant (Shanghai calendar). */
export function weekOf(at: Date): Period {
  const { year, week } = isoWeekOfDay(shanghaiParts(at).day);
  return weekPeriod(weekKey(year, week)) as Period;
}

/** The scheduled weekly notice's time: Monday 08:30 Asia/Shanghai. */
export const WEEKLY_CRON = '30 8 * * 1';
export const WEEKLY_TZ = BUSINESS_TZ;
const DUE_MS = (8 * 60 + 30) * 60_000;
/** A scheduler tick may fire a little early: this much before 08:30 still counts as 08:30. */
const EARLY_SLACK_MS = 10 * 60_000;

/**
 * The week whose notice is due at `now`: the previous ISO week once this week's Monday 08:30 has
 * come (less a few minutes of slack for an early tick), else the week before that (already due last
 * Monday: generating it again is a no-op). Catch-up after downtime asks the same question.
 */
export function weeklyPeriodDue(now: Date): Period {
  const shifted = new Date(now.getTime() - DUE_MS + EARLY_SLACK_MS);
  const current = weekOf(shifted);
  return weekOf(new Date(current.from.getTime() - 1));
}

/** 'YYYY年M月D日' of a calendar day. */
export function ymdZh(day: Ymd): string {
  return `${day.y}年${day.m}月${day.d}日`;
}

/** Every calendar day of a period, as 'YYYY-MM-DD'. */
export function periodDays(p: Period): string[] {
  const out: string[] = [];
  for (let d = p.firstDay; formatYmd(d) <= formatYmd(p.lastDay); d = addDays(d, 1)) out.push(formatYmd(d));
  return out;
}
