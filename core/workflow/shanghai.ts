// Asia/Shanghai wall-clock arithmetic, done in UTC+8 explicitly: the process time zone never
// matters (China has had no daylight saving since 1991).

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

export interface Ymd {
  y: number;
  m: number; // 1..12
  d: number;
}

/** The Shanghai calendar day of an instant and the milliseconds since that day's 00:00. */
export function shanghaiParts(at: Date): { day: Ymd; msOfDay: number } {
  const shifted = at.getTime() + SHANGHAI_OFFSET_MS;
  const dayStart = Math.floor(shifted / DAY_MS) * DAY_MS;
  const s = new Date(dayStart);
  return { day: { y: s.getUTCFullYear(), m: s.getUTCMonth() + 1, d: s.getUTCDate() }, msOfDay: shifted - dayStart };
}

/** The instant of a Shanghai wall-clock time: `msOfDay` after 00:00 of `day`. */
export function shanghaiInstant(day: Ymd, msOfDay: number): Date {
  return new Date(Date.UTC(day.y, day.m - 1, day.d) - SHANGHAI_OFFSET_MS + msOfDay);
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
