import { BUSINESS_OFFSET_MS, parseYmd, type Ymd } from '../business-time.js';
import type { ReportKind } from './period.js';

// The office profile (单位信息) as documents use it, and the pure parts of the 公文 form: the 期号
// of an issued notice, dates in the Chinese form a document writes them, and quotation marks
// nested as “…‘…’…”.

export const DISCLOSURES = ['public', 'on_request', 'not_public'] as const;
export type Disclosure = (typeof DISCLOSURES)[number];
export const DISCLOSURE_LABELS: Record<Disclosure, string> = { public: '主动公开', on_request: '依申请公开', not_public: '不予公开' };

export interface OfficeProfile {
  /** 发文机关全称, e.g. 清河市人民政府办公室. */
  organ: string;
  /** 发文机关标志 of the 版头, e.g. 清河市政务舆情通报. */
  mark: string;
  /** 期号 scheme per kind: `{年}` the year, `{号}` the number, e.g. 〔{年}〕第{号}期; `flash`: the 舆情快报's (FLASH_SERIAL_DEFAULT when absent), `special` the 舆情专报's (SPECIAL_SERIAL_DEFAULT). */
  serialFormats: Record<ReportKind, string> & { flash?: string; daily?: string; special?: string };
  /** 主送机关, e.g. 各乡镇人民政府、街道办事处，市直各部门： */
  recipients: string;
  /** 抄送机关. */
  copyTo: string;
  /** 印发机关. */
  printingOrgan: string;
  /** 落款 (the signature above the date). */
  signature: string;
  disclosure: Disclosure;
  /** The office 整改 reports go to. */
  rectificationTo: string;
}

/** The 期号 scheme of a 舆情快报 when the profile names none. */
export const FLASH_SERIAL_DEFAULT = '〔{年}〕快报第{号}期';

/** The 期号 scheme of a 舆情专报 when the profile names none. */
export const SPECIAL_SERIAL_DEFAULT = '〔{年}〕专报第{号}期';

/** The 期号 scheme of a 舆情日报 when the profile names none. */
export const DAILY_SERIAL_DEFAULT = '〔{年}〕日报第{号}期';

export const SERIAL_YEAR = '{年}';
export const SERIAL_NUMBER = '{号}';

/** A 期号 scheme is usable when it names the number exactly once. */
export function serialFormatValid(format: string): boolean {
  return format.split(SERIAL_NUMBER).length === 2;
}

/** '〔{年}〕第{号}期', 2026, 3 → '〔2026〕第3期'. */
export function formatSerial(format: string, year: number, n: number): string {
  return format.split(SERIAL_YEAR).join(String(year)).split(SERIAL_NUMBER).join(String(n));
}

// ── dates in the Chinese form ───────────────────────────────────────────────────────────────

const ymdOf = (day: Ymd | string): Ymd => {
  if (typeof day !== 'string') return day;
  const p = parseYmd(day);
  if (!p) throw new Error(`not a date: ${day}`);
  return p;
};

/** 2026-12-07 → '2026年12月7日' (成文日期: the year in full, no leading zeros). */
export function dateZh(day: Ymd | string): string {
  const d = ymdOf(day);
  return `${d.y}年${d.m}月${d.d}日`;
}

/** 2026-12-05 → '12月5日'. */
export function monthDayZh(day: Ymd | string): string {
  const d = ymdOf(day);
  return `${d.m}月${d.d}日`;
}

/** A run of days: '11月30日至12月6日'; across a new year both years are named; one day is one date. */
export function dayRangeZh(first: Ymd | string, last: Ymd | string): string {
  const a = ymdOf(first);
  const b = ymdOf(last);
  if (a.y === b.y && a.m === b.m && a.d === b.d) return monthDayZh(a);
  if (a.y !== b.y) return `${dateZh(a)}至${dateZh(b)}`;
  return `${monthDayZh(a)}至${monthDayZh(b)}`;
}

/** An instant in Beijing time: '12月5日10时42分' (on the hour: '12月5日10时'). */
export function dateTimeZh(at: Date): string {
  const s = new Date(at.getTime() + BUSINESS_OFFSET_MS);
  const minutes = s.getUTCMinutes();
  return `${s.getUTCMonth() + 1}月${s.getUTCDate()}日${s.getUTCHours()}时${minutes === 0 ? '' : `${minutes}分`}`;
}

// ── quotation marks ─────────────────────────────────────────────────────────────────────────

/**
 * Quotes a text with “…”, turning the quotation marks inside it to the inner pair ‘…’ (and any
 * inner ‘…’ back to “…”, a third level): '收取“乱收费”' → '“收取‘乱收费’”'. Straight quotes
 * inside count as double quotes, paired in order.
 */
export function quoteZh(text: string): string {
  let open = true;
  const inner = text.replace(/[“”‘’"]/g, (c) => {
    if (c === '‘') return '“';
    if (c === '’') return '”';
    if (c === '“') return '‘';
    if (c === '”') return '’';
    const q = open ? '‘' : '’';
    open = !open;
    return q;
  });
  return `“${inner}”`;
}
