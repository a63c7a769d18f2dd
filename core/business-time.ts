// Business time: the office works on Beijing time (Asia/Shanghai, UTC+8, no daylight saving since
// 1991). Every process, and the dashboard, formats and computes wall-clock times through here, so
// the offset is written once.

export const BUSINESS_TZ = 'Asia/Shanghai';
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const BUSINESS_OFFSET_MS = 8 * HOUR_MS;
/** The offset as ISO 8601 writes it: a Beijing wall-clock time + this = an instant. */
export const BUSINESS_ISO_OFFSET = '+08:00';

// ── Calendar days and wall-clock times in business time ──────────────────────────────────────

export interface Ymd {
  y: number;
  m: number; // 1..12
  d: number;
}

/** The Shanghai calendar day of an instant and the milliseconds since that day's 00:00. */
export function shanghaiParts(at: Date): { day: Ymd; msOfDay: number } {
  const shifted = at.getTime() + BUSINESS_OFFSET_MS;
  const dayStart = Math.floor(shifted / DAY_MS) * DAY_MS;
  const s = new Date(dayStart);
  return { day: { y: s.getUTCFullYear(), m: s.getUTCMonth() + 1, d: s.getUTCDate() }, msOfDay: shifted - dayStart };
}

/** The instant of a Shanghai wall-clock time: `msOfDay` after 00:00 of `day`. */
export function shanghaiInstant(day: Ymd, msOfDay: number): Date {
  return new Date(Date.UTC(day.y, day.m - 1, day.d) - BUSINESS_OFFSET_MS + msOfDay);
}

/** The calendar day `n` days after `day` (n may be negative). */
export function addDays(day: Ymd, n: number): Ymd {
  const s = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: s.getUTCFullYear(), m: s.getUTCMonth() + 1, d: s.getUTCDate() };
}

export function formatYmd(day: Ymd): string {
  return `${String(day.y).padStart(4, '0')}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}

/** Parses 'YYYY-MM-DD' (a real calendar date) or returns null. */
export function parseYmd(s: string): Ymd | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const day = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  const check = new Date(Date.UTC(day.y, day.m - 1, day.d));
  if (check.getUTCFullYear() !== day.y || check.getUTCMonth() !== day.m - 1 || check.getUTCDate() !== day.d) return null;
  return day;
}

/** Day of week of a calendar day: 0 Sunday … 6 Saturday. */
export function weekday(day: Ymd): number {
  return new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay();
}

/** "YYYY-MM-DDTHH:mm" in business time, the value of a datetime-local input, for an instant. */
export function businessLocalInput(at: Date): string {
  return new Date(at.getTime() + BUSINESS_OFFSET_MS).toISOString().slice(0, 16);
}

/** "12月5日 10:42": the short Beijing-time form every Chinese notification and screen uses. */
export function beijingShortZh(at: Date): string {
  const s = new Date(at.getTime() + BUSINESS_OFFSET_MS);
  return `${s.getUTCMonth() + 1}月${s.getUTCDate()}日 ${pad2(s.getUTCHours())}:${pad2(s.getUTCMinutes())}`;
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Dec 5 10:42": the same instant for the English interface (still Beijing time). */
export function beijingShortEn(at: Date): string {
  const s = new Date(at.getTime() + BUSINESS_OFFSET_MS);
  return `${MONTHS_EN[s.getUTCMonth()]} ${s.getUTCDate()} ${pad2(s.getUTCHours())}:${pad2(s.getUTCMinutes())}`;
}

/** "2026-12-05 10:42" in business time: a sortable full form for exports and file stamps. */
export function beijingYmdHm(at: Date): string {
  return businessLocalInput(at).replace('T', ' ');
}

/**
 * The office's form of an instant, Beijing time: "12月5日 10:42" within `now`'s year (in Beijing),
 * "2025年12月5日 10:42" in another; English "Dec 5 10:42" / "Dec 5, 2025 10:42". `time: false`
 * gives the day alone ("12月5日", "2025年12月5日").
 */
export function beijingDateTime(at: Date, lang: 'zh' | 'en', now: Date, time = true): string {
  const s = new Date(at.getTime() + BUSINESS_OFFSET_MS);
  const y = s.getUTCFullYear();
  const sameYear = y === new Date(now.getTime() + BUSINESS_OFFSET_MS).getUTCFullYear();
  const clock = time ? ` ${pad2(s.getUTCHours())}:${pad2(s.getUTCMinutes())}` : '';
  if (lang === 'zh') return `${sameYear ? '' : `${y}年`}${s.getUTCMonth() + 1}月${s.getUTCDate()}日${clock}`;
  return `${MONTHS_EN[s.getUTCMonth()]} ${s.getUTCDate()}${sameYear ? '' : `, ${y}`}${clock}`;
}

/** "10:42": the Beijing wall-clock time of an instant. */
export function beijingClock(at: Date): string {
  const s = new Date(at.getTime() + BUSINESS_OFFSET_MS);
  return `${pad2(s.getUTCHours())}:${pad2(s.getUTCMinutes())}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
