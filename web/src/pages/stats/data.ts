import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useSearch } from 'wouter';
import { api, call, type Ok } from '../../lib/api.js';
import { shanghaiDay } from '../../lib/time.js';
import type { Key } from './messages.js';

// The statistics range (Asia/Shanghai calendar days, both ends included, as GET /api/stats takes
// them) and its quick picks; the range lives in the URL (?preset=… or ?from=…&to=…).

export type Stats = Ok<Awaited<ReturnType<typeof api.stats.$get>>>;

export const PRESETS = ['thisWeek', 'lastWeek', 'thisMonth', 'last30', 'thisQuarter'] as const satisfies readonly Key[];
export type Preset = (typeof PRESETS)[number];

export interface Range {
  from: string;
  to: string;
  preset: Preset | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function shift(ymd: string, days: number): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function presetRange(p: Preset, now: Date): { from: string; to: string } {
  const today = shanghaiDay(now);
  const d = new Date(`${today}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  const monday = shift(today, -weekday);
  switch (p) {
    case 'thisWeek':
      return { from: monday, to: today };
    case 'lastWeek':
      return { from: shift(monday, -7), to: shift(monday, -1) };
    case 'thisMonth':
      return { from: `${today.slice(0, 8)}01`, to: today };
    case 'last30':
      return { from: shift(today, -29), to: today };
    case 'thisQuarter': {
      const q = Math.floor((d.getUTCMonth()) / 3) * 3 + 1;
      return { from: `${today.slice(0, 4)}-${String(q).padStart(2, '0')}-01`, to: today };
    }
  }
}

export function parseRange(search: string, now = new Date()): Range {
  const p = new URLSearchParams(search);
  const from = p.get('from') ?? '';
  const to = p.get('to') ?? '';
  if (DAY.test(from) && DAY.test(to)) return { from, to, preset: null };
  const preset = (PRESETS as readonly string[]).includes(p.get('preset') ?? '') ? (p.get('preset') as Preset) : 'last30';
  return { ...presetRange(preset, now), preset };
}

export function rangeSearch(r: { preset: Preset | null; from: string; to: string }): string {
  return r.preset ? `preset=${r.preset}` : `from=${r.from}&to=${r.to}`;
}

export function useRange(): Range {
  const search = useSearch();
  return useMemo(() => parseRange(search), [search]);
}

export const statsKey = (r: { from: string; to: string }) => ['stats', r.from, r.to] as const;

export function useStats(r: { from: string; to: string }, refetchInterval?: number) {
  return useQuery({
    queryKey: statsKey(r),
    queryFn: () => call(api.stats.$get({ query: { from: r.from, to: r.to } })),
    placeholderData: (prev) => prev,
    refetchInterval,
    refetchIntervalInBackground: true,
  });
}

/** 0.8333 → "83.3%"; null → "—". */
export function pct(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

export function hoursText(h: number | null | undefined, lang: 'zh' | 'en'): string {
  if (h === null || h === undefined) return '—';
  if (h >= 48) return lang === 'zh' ? `${Math.round((h / 24) * 10) / 10} 天` : `${Math.round((h / 24) * 10) / 10} d`;
  return lang === 'zh' ? `${Math.round(h * 10) / 10} 小时` : `${Math.round(h * 10) / 10} h`;
}

/** One unit for a whole column of hour figures: days (one decimal) when any reaches two days, else hours. */
export function hoursUnit(values: (number | null | undefined)[]): 'h' | 'd' {
  return values.some((h) => h !== null && h !== undefined && h >= 48) ? 'd' : 'h';
}

/** `h` hours in the given unit (one decimal), with the unit's name. */
export function hoursInUnit(h: number | null | undefined, unit: 'h' | 'd', lang: 'zh' | 'en'): string {
  if (h === null || h === undefined) return '—';
  const v = Math.round((unit === 'd' ? h / 24 : h) * 10) / 10;
  if (unit === 'd') return lang === 'zh' ? `${v} 天` : `${v} d`;
  return lang === 'zh' ? `${v} 小时` : `${v} h`;
}

/** Colour of an on-time rate: ≥ 90 % good, ≥ 70 % warning, below that bad. */
export function rateTone(rate: number | null): 'good' | 'warn' | 'bad' | undefined {
  if (rate === null) return undefined;
  return rate >= 0.9 ? 'good' : rate >= 0.7 ? 'warn' : 'bad';
}
