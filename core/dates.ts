// Dates of crawled items. Everything is UTC arithmetic: the process time zone never matters.
// A date without a zone is Beijing time (Asia/Shanghai, UTC+8, no daylight saving since 1991).

import { BUSINESS_OFFSET_MS } from './business-time.js';

export interface ParsedDate {
  date: Date;
  /** True when the source gave no usable date and the fetch time was used. */
  estimated: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Beijing time's offset from UTC, in minutes: the zone of a date that names none. */
const BUSINESS_OFFSET_MIN = BUSINESS_OFFSET_MS / MINUTE;
/** A date further in the future than this is not believed. */
export const MAX_FUTURE_MS = DAY;
/** Years before this are not dates of crawled posts (a count, a code). */
export const MIN_YEAR = 1990;

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
  // Portuguese and Spanish abbreviations seen in real feeds (Seg, 17 Set 2018 …)
  ene: 1, fev: 2, abr: 4, mai: 5, ago: 8, set: 9, out: 10, dic: 12, dez: 12,
};

/**
 * Named zones, in minutes east of UTC (RFC 822 §5 plus common ones). CST is read as China
 * Standard Time, not US Central: in the Chinese feeds this system reads it is always Beijing time
 * (Java's Date.toString() on a server in Asia/Shanghai).
 */
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0,
  est: -300, edt: -240, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  cst: 480, ctt: 480, bjt: 480, hkt: 480, awst: 480, sgt: 480, jst: 540, kst: 540,
  bst: 60, cet: 60, cest: 120, eet: 120, eest: 180, msk: 180, ist: 330,
};

type Clock = { h: number; mi: number; s: number; ms: number };

interface Shanghai {
  y: number;
  mo: number;
  d: number;
}

/** Calendar day in Shanghai of an instant. */
function shanghaiDay(t: number): Shanghai {
  const s = new Date(t + BUSINESS_OFFSET_MS);
  return { y: s.getUTCFullYear(), mo: s.getUTCMonth() + 1, d: s.getUTCDate() };
}

/** The instant of a wall-clock time at a given UTC offset (minutes); null if the fields are not a real date. */
function instant(y: number, mo: number, d: number, c: Clock, offsetMin: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || c.h > 24 || c.mi > 59 || c.s > 60) return null;
  if (c.h === 24 && (c.mi !== 0 || c.s !== 0)) return null;
  const t = Date.UTC(y, mo - 1, d, c.h, c.mi, Math.min(c.s, 59), c.ms);
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null; // 2月30日
  return t - offsetMin * MINUTE;
}

const shanghai = (y: number, mo: number, d: number, c: Clock) => instant(y, mo, d, c, BUSINESS_OFFSET_MIN);

function clock(h?: string, mi?: string, s?: string, fraction?: string): Clock {
  const ms = fraction ? Number(fraction.padEnd(3, '0').slice(0, 3)) : 0;
  return { h: h ? Number(h) : 0, mi: mi ? Number(mi) : 0, s: s ? Number(s) : 0, ms };
}

function twoDigitYear(y: string): number {
  const n = Number(y);
  return y.length > 2 ? n : n < 50 ? 2000 + n : 1900 + n;
}

/** Minutes east of UTC from '+0800', '+08:00', '-05', 'GMT', 'EST'…; undefined when unknown. */
function zoneOffset(zone: string): number | undefined {
  const m = /^(?:(?:gmt|utc|ut)(?=[+-]))?([+-])(\d{2}):?(\d{2})?$/i.exec(zone);
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    return m[1] === '-' ? -minutes : minutes;
  }
  const z = zone.toLowerCase();
  return Object.hasOwn(ZONES, z) ? ZONES[z] : undefined;
}

/** A year-less month/day: this year in Shanghai, or last year if that would be in the future. */
function withoutYear(mo: number, d: number, c: Clock, now: number): number | null {
  const year = shanghaiDay(now).y;
  const t = shanghai(year, mo, d, c);
  if (t !== null && t <= now + MAX_FUTURE_MS) return t;
  return shanghai(year - 1, mo, d, c);
}

/** N days before today in Shanghai, at a given wall-clock time (or now's time of day). */
function daysAgo(n: number, c: Clock | null, now: number): number | null {
  if (!c) return now - n * DAY;
  const day = shanghaiDay(now - n * DAY);
  return shanghai(day.y, day.mo, day.d, c);
}

type Parser = (m: RegExpExecArray, now: number) => number | null;

const TIME = String.raw`(\d{1,2})[:时点](\d{1,2})(?:[:分](\d{1,2})(?:\.\d+)?秒?)?分?`;

const PARSERS: [RegExp, Parser][] = [
  // Relative: 刚刚, 30秒前, 5分钟前, 半小时前, 3小时前, 2天前, 1周前
  [/^刚刚$/, (_, now) => now],
  [/^(\d+)\s*秒钟?前$/, (m, now) => now - Number(m[1]) * 1000],
  [/^(\d+)\s*分钟前$/, (m, now) => now - Number(m[1]) * MINUTE],
  [/^半(?:个)?小时前$/, (_, now) => now - 30 * MINUTE],
  [/^(\d+)\s*个?(?:小时|钟头)前$/, (m, now) => now - Number(m[1]) * HOUR],
  [/^(\d+)\s*天前$/, (m, now) => now - Number(m[1]) * DAY],
  [/^(\d+)\s*(?:周|个星期|星期)前$/, (m, now) => now - Number(m[1]) * 7 * DAY],
  [new RegExp(String.raw`^(今天|昨天|前天)(?:\s*${TIME})?$`), (m, now) => {
    const n = m[1] === '今天' ? 0 : m[1] === '昨天' ? 1 : 2;
    return daysAgo(n, m[2] ? clock(m[2], m[3], m[4]) : null, now);
  }],
  // Chinese calendar dates: 2024年5月1日 10:00, 2024年05月01日, 5月1日 10:00, 2024年5月1日10时20分
  [new RegExp(String.raw`^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号](?:\s*(?:星期|周)[一二三四五六日天])?(?:\s*${TIME})?$`), (m, now) => {
    const c = clock(m[4], m[5], m[6]);
    return m[1] ? shanghai(Number(m[1]), Number(m[2]), Number(m[3]), c) : withoutYear(Number(m[2]), Number(m[3]), c, now);
  }],
  // ISO 8601 and naive numeric dates: 2024-05-01T10:00:00+08:00, 2024-05-01 10:00, 2024/5/1, 2024.05.01
  [/^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|(?:GMT|UTC)(?:[+-]\d{2}:?\d{2})?)?$/i, (m) => {
    const c = clock(m[5], m[6], m[7], m[8]);
    const offset = m[9] ? zoneOffset(m[9]) : BUSINESS_OFFSET_MIN;
    return offset === undefined ? null : instant(Number(m[1]), Number(m[3]), Number(m[4]), c, offset);
  }],
  // Month/day year: 09/25/2020, 09/25 2020 (two elements of one date), 09/25, 2020 10:00
  [/^(\d{1,2})\/(\d{1,2})(?:\/|\s+|,\s*)(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/, (m) =>
    shanghai(Number(m[3]), Number(m[1]), Number(m[2]), clock(m[4], m[5], m[6]))],
  // Year-less numeric: 05-01 10:20 (forums), 贴吧's 7-3
  [/^(\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/, (m, now) => withoutYear(Number(m[1]), Number(m[2]), clock(m[3], m[4], m[5]), now)],
  // Year and month only: 2019-12, 2019/12, 2019年12月 (the first of the month)
  [/^(\d{4})(?:[-/.](\d{1,2})|年(\d{1,2})月)$/, (m) => {
    const y = Number(m[1]);
    return y < MIN_YEAR ? null : shanghai(y, Number(m[2] ?? m[3]), 1, clock());
  }],
  // Time only: today in Shanghai, or yesterday if that is still to come
  [/^(\d{1,2}):(\d{2})(?::(\d{2}))?$/, (m, now) => {
    const c = clock(m[1], m[2], m[3]);
    const today = daysAgo(0, c, now);
    return today !== null && today > now + 5 * MINUTE ? daysAgo(1, c, now) : today;
  }],
  // RFC 822 / 1123 / 2822: [Wed, ]03 Jan 2018 14:11[:52] GMT|+0800|EST (and the obsolete 03 Apr 02 1500 GMT)
  [/^(?:[a-z]{3,9},?\s+)?(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4})\s+(\d{1,2}):?(\d{2})(?::(\d{2}))?(?:\s*([a-z]{1,5}(?:[+-]\d{2}:?\d{2})?|[+-]\d{2}:?\d{2}))?$/i, (m) => rfc(m[3], m[2], m[1], clock(m[4], m[5], m[6]), m[7])],
  // Java Date.toString(), ctime: Wed Jan 03 14:11:52 CST 2018, Wed Jan  3 14:11:52 2018
  [/^[a-z]{3}\s+([a-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(?:([a-z]{1,5}|[+-]\d{4})\s+)?(\d{4})$/i, (m) => rfc(m[7], m[1], m[2], clock(m[3], m[4], m[5]), m[6])],
  // Unix time in seconds or milliseconds
  [/^\d{10}$/, (m) => Number(m[0]) * 1000],
  [/^\d{13}$/, (m) => Number(m[0])],
];

function rfc(year: string, month: string, day: string, c: Clock, zone: string | undefined): number | null {
  const m = month.toLowerCase();
  const mo = Object.hasOwn(MONTHS, m) ? MONTHS[m] : undefined;
  if (!mo) return null;
  // No zone, or one we do not know (RFC 2822 §4.3 military letters included): read as a naive date.
  const offset = zone ? (zoneOffset(zone) ?? BUSINESS_OFFSET_MIN) : BUSINESS_OFFSET_MIN;
  return instant(twoDigitYear(year), mo, Number(day), c, offset);
}

/** Full-width digits and punctuation to ASCII, whitespace collapsed. */
function tidy(raw: string): string {
  return raw
    .replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim()
    .replace(/^(?:发布时间|发布日期|发表于|时间|日期|更新时间)\s*[:：]?\s*/, '');
}

/** A date written the way parseItemDate reads it, as one whole string; null when it is not one. */
function exact(text: string, t0: number, future = false): number | null | undefined {
  for (const [re, parse] of PARSERS) {
    const m = re.exec(text);
    if (!m) continue;
    const t = parse(m, t0);
    return t === null || !Number.isFinite(t) || (!future && t > t0 + MAX_FUTURE_MS) ? null : t;
  }
  return undefined;
}

const CLOCK = String.raw`\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?`;
/**
 * Runs of text that may be a date, each read by the whole-string parsers. `standalone` runs (a
 * bare time, a year-less month-day) count only between spaces, brackets or a label, never inside
 * other numbers (第1-2页, 比分3:1 do not follow a space and a bracket on both sides).
 */
const RUNS: { re: RegExp; standalone: boolean }[] = [
  { re: new RegExp(String.raw`\d{4}([-/.])\d{1,2}\1\d{1,2}(?:(?:T|\s+)${CLOCK}(?:\s*(?:Z|[+-]\d{2}:?\d{2})(?![\w]))?)?`, 'gi'), standalone: false },
  { re: new RegExp(String.raw`(?:\d{4}年)?\d{1,2}月\d{1,2}[日号](?:\s*(?:星期|周)[一二三四五六日天])?(?:\s*${TIME})?`, 'g'), standalone: false },
  { re: new RegExp(String.raw`\d{1,2}\/\d{1,2}(?:\/|\s+|,\s*)\d{4}(?:\s+${CLOCK})?`, 'g'), standalone: false },
  { re: new RegExp(String.raw`刚刚|\d+\s*(?:秒钟?|分钟|个?小时|个?钟头|天|周|个?星期)前|半个?小时前|(?:今天|昨天|前天)(?:\s*${TIME})?`, 'g'), standalone: false },
  { re: /\d{4}(?:[-/.]\d{1,2}(?![-/.]?\d)|年\d{1,2}月)/g, standalone: false },
  { re: new RegExp(String.raw`\d{1,2}-\d{1,2}(?:\s+${CLOCK})?`, 'g'), standalone: true },
  { re: new RegExp(String.raw`${CLOCK}`, 'g'), standalone: true },
];
const LABEL_BEFORE = /(?:发布时间|发布日期|发表时间|发表于|更新时间|时间|日期)\s*[:：]?\s*$/;
const STANDALONE_BEFORE = /(?:^|[\s[(<【「:：|])$/;
const STANDALONE_AFTER = /^(?:$|[\s\])>】」,，;；|。])/;
/** 明天 10:00 is a schedule, not when a post was written. */
const FUTURE_WORD_BEFORE = /(?:明天|后天|明日|明早|明晚)\s*$/;

/** A date run found inside a text: where it is, and the instant it names. */
export interface DateRun {
  start: number;
  end: number;
  time: number;
  labelled: boolean;
}

/**
 * Every date run of a (tidied) text, in order, none overlapping (the longest at each place).
 * `future`: runs naming a time after t0 count too (finding where a date is written, not reading it).
 */
function dateRuns(text: string, t0: number, future = false): DateRun[] {
  const found: DateRun[] = [];
  for (const { re, standalone } of RUNS) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      const before = text.slice(Math.max(0, start - 12), start);
      const after = text.slice(end, end + 2);
      if (/\d$/.test(before) || /^\d/.test(after) || /^[-/.:]\d/.test(after)) continue;
      if (standalone && (!STANDALONE_BEFORE.test(before) || !STANDALONE_AFTER.test(after) || FUTURE_WORD_BEFORE.test(before))) continue;
      const t = exact(m[0], t0, future);
      if (t === null || t === undefined) continue;
      found.push({ start, end, time: t, labelled: LABEL_BEFORE.test(before) });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const runs: DateRun[] = [];
  for (const r of found) if (runs.length === 0 || r.start >= runs[runs.length - 1].end) runs.push(r);
  return runs;
}

/** The longest text searched for a date inside it. */
const MAX_SEARCHED_CHARS = 2000;

/**
 * Parses a feed or page date: RFC 822 / ISO 8601 with their own zones respected; naive dates
 * read as Asia/Shanghai; Chinese forms ("2024年5月1日 10:00", "3小时前", "昨天 10:20", "刚刚"),
 * forum forms (贴吧's "7-3", "2019-12", "09/25 2020", a bare "11:38" as today). A text that is not
 * a date as a whole is searched for the first date inside it — "(发布时间：2020-12-31 11:06:22
 * 阅读次数：12)", "[2020-12-31]" — one labelled 发布时间 / 发布日期 / 时间 / 日期 preferred. No
 * date found, or one far in the future, falls back to `now`, marked estimated.
 */
export function parseItemDate(raw: string | null | undefined, now: Date): ParsedDate {
  const fallback = { date: new Date(now.getTime()), estimated: true };
  if (typeof raw !== 'string') return fallback;
  const text = tidy(raw.slice(0, MAX_SEARCHED_CHARS));
  if (text === '') return fallback;
  const t0 = now.getTime();
  if (text.length <= 100) {
    const whole = exact(text, t0);
    if (whole === null) return fallback;
    if (whole !== undefined) return { date: new Date(whole), estimated: false };
  }
  const runs = dateRuns(text, t0);
  const run = runs.find((r) => r.labelled) ?? runs[0];
  return run ? { date: new Date(run.time), estimated: false } : fallback;
}

/** The date run of a text parseItemDate would read (a labelled one preferred), as written; null when there is none. */
export function dateTextIn(text: string): string | null {
  const tidied = tidy(text.slice(0, MAX_SEARCHED_CHARS));
  const runs = dateRuns(tidied, 0, true);
  const run = runs.find((r) => r.labelled) ?? runs[0];
  return run ? tidied.slice(run.start, run.end) : null;
}

/**
 * A title and the date a list page printed after it ("城区停水通知 [2020-12-31]", "回复：7号线
 * 11:38", "…（2020-08-16 22:26:38）"): the date run at the end, with its brackets and label, cut
 * off and returned as written. A title that is only a date, or has none at its end, is kept whole.
 */
export function splitTrailingDate(title: string): { title: string; date: string | null } {
  const text = title.replace(/[\uff08\uff09\uff3b\uff3d]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  const runs = dateRuns(text, 0, true);
  const last = runs[runs.length - 1];
  if (!last || !/^\s*[\])】」]?\s*$/.test(text.slice(last.end))) return { title, date: null };
  const head = title.slice(0, last.start).replace(/(?:发布时间|发布日期|发表时间|发表于|更新时间|时间|日期)?\s*[:：]?\s*[[(【「（［]?\s*$/, '').trimEnd();
  return head === '' ? { title, date: null } : { title: head, date: title.slice(last.start, last.end) };
}

/** True when a text is one date and nothing else (a date element's text). */
export function isDateText(text: string): boolean {
  const tidied = tidy(text);
  return tidied !== '' && tidied.length <= 100 && typeof exact(tidied, 0, true) === 'number';
}
