// Statistics formulas that are not SQL: the date range of a stats query, rates and rounding.
// Pure: no I/O, time passed in.

import { BUSINESS_OFFSET_MS, DAY_MS, HOUR_MS } from './business-time.js';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Default span of a stats query when `from` is absent. */
export const DEFAULT_STATS_DAYS = 30;
/** Longest range a stats query accepts (the daily trend has one row per day). */
export const MAX_STATS_DAYS = 400;

/** Instant of 00:00 Asia/Shanghai on a calendar day 'YYYY-MM-DD'; null if not a real date. */
export function shanghaiMidnight(ymd: string): Date | null {
  const m = DATE_ONLY.exec(ymd);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return new Date(utc - BUSINESS_OFFSET_MS);
}

/** Calendar day in Asia/Shanghai of an instant, 'YYYY-MM-DD'. */
export function shanghaiYmd(at: Date): string {
  return new Date(at.getTime() + BUSINESS_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * One bound of a stats range. A plain date is a whole Asia/Shanghai day: as `from` it means that
 * day's 00:00, as `to` the following day's 00:00 (so `to` is inclusive of the day named). An ISO
 * date-time is the exact instant. Returns null when the text is neither.
 */
export function rangeBound(text: string, edge: 'from' | 'to'): Date | null {
  if (DATE_ONLY.test(text)) {
    const start = shanghaiMidnight(text);
    if (!start) return null;
    return edge === 'from' ? start : new Date(start.getTime() + DAY_MS);
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : new Date(t);
}

/**
 * The half-open range [from, to) of a stats query. `to` defaults to `now`; `from` defaults to
 * 00:00 Shanghai of the day DEFAULT_STATS_DAYS − 1 days before `to`'s day (30 whole days).
 */
export function statsRange(q: { from?: string; to?: string }, now: Date): { from: Date; to: Date } | { error: 'from' | 'to' | 'order' | 'span' } {
  const to = q.to === undefined ? now : rangeBound(q.to, 'to');
  if (to === null) return { error: 'to' };
  let from: Date | null;
  if (q.from === undefined) {
    const lastDay = shanghaiMidnight(shanghaiYmd(new Date(to.getTime() - 1)));
    from = new Date((lastDay as Date).getTime() - (DEFAULT_STATS_DAYS - 1) * DAY_MS);
  } else {
    from = rangeBound(q.from, 'from');
  }
  if (from === null) return { error: 'from' };
  if (from.getTime() >= to.getTime()) return { error: 'order' };
  if (to.getTime() - from.getTime() > MAX_STATS_DAYS * DAY_MS) return { error: 'span' };
  return { from, to };
}

/** Rounded to `digits` decimals (half away from zero); null stays null. */
export function round(x: number | null, digits = 1): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f;
}

/** numerator ÷ denominator as a fraction in [0, 1] rounded to 4 decimals; null when nothing was judged. */
export function rate(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return round(numerator / denominator, 4);
}

/** Hours between two instants (b − a), unrounded. */
export function hoursBetween(a: Date, b: Date): number {
  return (b.getTime() - a.getTime()) / HOUR_MS;
}

export interface RankedDepartment {
  id: number;
  name: string;
  onTimeRate: number | null;
  judged: number;
  averageResponseHours: number | null;
}

/**
 * Department ranking order: on-time rate, highest first (departments with nothing judged last);
 * then more judged obligations first; then the shorter average response time; then name and id.
 */
export function compareDepartments(a: RankedDepartment, b: RankedDepartment): number {
  const rate = (x: RankedDepartment) => (x.onTimeRate === null ? -1 : x.onTimeRate);
  const hours = (x: RankedDepartment) => (x.averageResponseHours === null ? Number.POSITIVE_INFINITY : x.averageResponseHours);
  return rate(b) - rate(a) || b.judged - a.judged || hours(a) - hours(b) || a.name.localeCompare(b.name, 'zh-CN') || a.id - b.id;
}

// ── Response effect (回应效果: the first measure of the response work) ────────────────────────────

export interface EffectCounts {
  closed: number;
  good: number;
  heatBefore: number;
  heatAfter: number;
  reopened: number;
}

export interface Effect {
  /** Share of the closed cases rated 好 or 较好, 0..1 (null: none closed). */
  goodRate: number | null;
  /** Drop of the items per 24 h after the first publication vs before, −1..1 (null: no items before). */
  heatDrop: number | null;
  /** Cases reopened ÷ cases closed, 0..1 (null: none closed). */
  reflareRate: number | null;
  /** The combined score 0..100 (null: no measure available). */
  score: number | null;
}

/** The weights of the combined score; a measure that is not available leaves its weight to the others. */
export const EFFECT_WEIGHTS = { goodRate: 0.5, heatDrop: 0.3, noReflare: 0.2 } as const;
/** The formula as shown on the statistics screen and in the notices. */
export const EFFECT_FORMULA_ZH = '效果得分 = 好评率（好、较好）× 50% + 热度下降率 × 30% + （1 − 反弹率）× 20%（某项无数据时按其余项折算），满分 100';

export function effectOf(c: EffectCounts): Effect {
  const goodRate = c.closed > 0 ? rate(c.good, c.closed) : null;
  const heatDrop = c.heatBefore > 0 ? round(Math.max(-1, Math.min(1, (c.heatBefore - c.heatAfter) / c.heatBefore)), 4) : null;
  const reflareRate = c.closed > 0 ? rate(Math.min(c.reopened, c.closed), c.closed) : null;
  const parts: [number, number][] = [];
  if (goodRate !== null) parts.push([goodRate, EFFECT_WEIGHTS.goodRate]);
  if (heatDrop !== null) parts.push([Math.max(0, heatDrop), EFFECT_WEIGHTS.heatDrop]);
  if (reflareRate !== null) parts.push([1 - reflareRate, EFFECT_WEIGHTS.noReflare]);
  const weight = parts.reduce((a, [, w]) => a + w, 0);
  const score = weight > 0 ? round((100 * parts.reduce((a, [v, w]) => a + v * w, 0)) / weight, 1) : null;
  return { goodRate, heatDrop, reflareRate, score };
}

/** Order by the combined effect score (higher first; none last), then by timeliness. */
export function compareByEffect(a: RankedDepartment & { effectScore: number | null }, b: RankedDepartment & { effectScore: number | null }): number {
  const s = (x: { effectScore: number | null }) => (x.effectScore === null ? -1 : x.effectScore);
  return s(b) - s(a) || compareDepartments(a, b);
}
