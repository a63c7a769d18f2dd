import { useEffect, useState } from 'react';
import type { Lang } from '../i18n/index.js';
import { beijingClock, beijingDateTime, businessLocalInput, formatYmd, parseYmd, shanghaiInstant, shanghaiParts } from '../../../core/business-time.js';

// Every date and time the dashboard shows goes through here, in Beijing time (Asia/Shanghai, from
// core/business-time.ts) whatever zone the PC or phone is set to, in the office's form:
// "12月5日 10:42" within the current year, "2025年12月5日 10:42" for another year.
// test/architecture/display-dates.test.ts fails when a screen formats a date any other way.

/** The interface language the helpers use when a caller names none (kept by LangProvider). */
let displayLang: Lang = 'zh';

export function setDisplayLang(lang: Lang): void {
  displayLang = lang;
}

function toDate(v: string | Date | number | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "12月5日 10:42" this year, "2025年12月5日 10:42" another year (Beijing time); '—' when absent. */
export function fmtDateTime(v: string | Date | number | null | undefined, lang: Lang = displayLang, now: Date = new Date()): string {
  const d = toDate(v);
  return d ? beijingDateTime(d, lang, now) : '—';
}

/** "12月5日" this year, "2025年12月5日" another year (the Beijing calendar day); '—' when absent. */
export function fmtDate(v: string | Date | number | null | undefined, lang: Lang = displayLang, now: Date = new Date()): string {
  const d = toDate(v);
  return d ? beijingDateTime(d, lang, now, false) : '—';
}

/** A calendar day 'YYYY-MM-DD' (a range's end, a query's day) shown as "12月5日" / "2025年12月5日"; other text as it is. */
export function fmtDay(ymd: string, lang: Lang = displayLang, now: Date = new Date()): string {
  const day = parseYmd(ymd);
  return day ? beijingDateTime(shanghaiInstant(day, 0), lang, now, false) : ymd;
}

/** "10:42", Beijing time; '—' when absent. */
export function fmtTime(v: string | Date | number | null | undefined): string {
  const d = toDate(v);
  return d ? beijingClock(d) : '—';
}

/** The calendar day in Shanghai as YYYY-MM-DD, for date inputs and query strings (not for display). */
export function shanghaiDay(d: Date): string {
  return formatYmd(shanghaiParts(d).day);
}

/** "YYYY-MM-DDTHH:mm" in Beijing time, the value of a datetime-local input (not for display). */
export function shanghaiInput(v: string | Date | null | undefined): string {
  const d = toDate(v);
  return d ? businessLocalInput(d) : '';
}

/** "3 分钟前" / "3 minutes ago"; "2 小时后" for future times. */
export function fmtRelative(v: string | Date | null | undefined, now: Date, lang: Lang): string {
  const d = toDate(v);
  if (!d) return '—';
  const rtf = new Intl.RelativeTimeFormat(lang === 'zh' ? 'zh-CN' : 'en', { numeric: 'auto' });
  const diffSec = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(diffSec);
  if (abs < 45) return lang === 'zh' ? '刚刚' : 'just now';
  if (abs < 3600) return rtf.format(Math.round(diffSec / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(diffSec / 3600), 'hour');
  return rtf.format(Math.round(diffSec / 86_400), 'day');
}

/** A duration as "1天3小时" / "1d 3h", "5小时20分", "45分" / "45m"; seconds only under a minute ("40秒"). */
export function fmtDuration(ms: number, lang: Lang): string {
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const zh = lang === 'zh';
  const bits: string[] = [];
  if (d) bits.push(zh ? `${d}天` : `${d}d`);
  if (h) bits.push(zh ? `${h}小时` : `${h}h`);
  if (m && d === 0) bits.push(zh ? `${m}分` : `${m}m`);
  if (d === 0 && h === 0 && m === 0) bits.push(zh ? `${s}秒` : `${s}s`);
  const text = bits.join(zh ? '' : ' ');
  return neg ? `-${text}` : text;
}

/** Hours with one decimal: 12.5 小时 / 12.5 h. */
export function fmtHours(hours: number | null | undefined, lang: Lang): string {
  if (hours === null || hours === undefined || Number.isNaN(hours)) return '—';
  const v = Math.round(hours * 10) / 10;
  return lang === 'zh' ? `${v} 小时` : `${v} h`;
}

export type Tone = 'green' | 'amber' | 'red' | 'overdue' | 'met';

/**
 * The colour of a countdown: overdue once due has passed; red in the last 10 % of the window
 * (or the last 2 hours); amber past half of the window; green otherwise.
 */
export function countdownTone(dueAt: Date, now: Date, windowMs: number, metAt?: Date | null): Tone {
  if (metAt) return 'met';
  const left = dueAt.getTime() - now.getTime();
  if (left < 0) return 'overdue';
  const win = Math.max(windowMs, 1);
  if (left <= Math.max(win * 0.1, Math.min(2 * 3600_000, win * 0.25))) return 'red';
  if (left <= win * 0.5) return 'amber';
  return 'green';
}

/** The current time, refreshed every `everyMs` (one shared interval per component). */
export function useNow(everyMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
