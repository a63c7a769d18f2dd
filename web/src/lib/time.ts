import { useEffect, useState } from 'react';
import type { Lang } from '../i18n/index.js';
import { BUSINESS_TZ } from '../../../core/business-time.js';

// Dates are shown in the office's zone (Asia/Shanghai) whatever the PC's clock zone is.
const TZ = BUSINESS_TZ;

const dateTimeFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dateFmt = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

function parts(fmt: Intl.DateTimeFormat, d: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of fmt.formatToParts(d)) out[p.type] = p.value;
  return out;
}

function toDate(v: string | Date | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** 2026-11-25 17:30 (Asia/Shanghai); '—' when absent. */
export function fmtDateTime(v: string | Date | null | undefined): string {
  const d = toDate(v);
  if (!d) return '—';
  const p = parts(dateTimeFmt, d);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** 2026-11-25 (Asia/Shanghai). */
export function fmtDate(v: string | Date | null | undefined): string {
  const d = toDate(v);
  if (!d) return '—';
  const p = parts(dateFmt, d);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The calendar day in Shanghai as YYYY-MM-DD, for date inputs. */
export function shanghaiDay(d: Date): string {
  return fmtDate(d);
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

/** A duration as "1天3小时" / "1d 3h", "45分" / "45m"; seconds under a minute. */
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
  if (d === 0 && h === 0) bits.push(zh ? `${s}秒` : `${s}s`);
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
