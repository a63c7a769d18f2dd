// Business time: the office works on Beijing time (Asia/Shanghai, UTC+8, no daylight saving since
// 1991). Every process, and the dashboard, formats and computes wall-clock times through here, so
// the offset is written once.

export const BUSINESS_TZ = 'Asia/Shanghai';
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const BUSINESS_OFFSET_MS = 8 * HOUR_MS;

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

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
