import { Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useIsPhone } from '../../components/useMedia.js';
import { useT } from '../../i18n/index.js';
import type { Stats } from './data.js';
import { m } from './messages.js';

// The charts of the statistics screen and the wall display (recharts lives only in this chunk).

export interface Theme {
  ink: string;
  grid: string;
  a: string;
  b: string;
  bar: string;
  font: number;
}

export const LIGHT: Theme = { ink: '#66727f', grid: '#e6eaf0', a: '#2c5aa0', b: '#1b7f3b', bar: '#2c5aa0', font: 12 };
export const DARK: Theme = { ink: '#9fb3d1', grid: '#1e3358', a: '#4da3ff', b: '#3ddc97', bar: '#4da3ff', font: 15 };

const LEVEL_COLOURS: Record<string, string> = { general: '#1f5fbf', significant: '#d08700', major: '#c62828', especially_major: '#6a1b9a' };

export function TrendChart({ daily, theme = LIGHT, height = 240 }: { daily: Stats['daily']; theme?: Theme; height?: number | `${number}%` }) {
  const t = useT(m);
  const data = daily.map((d) => ({ day: d.day.slice(5), opened: d.opened, responded: d.responded }));
  return (
    <ResponsiveContainer width="100%" height={height}>
      <AreaChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -12 }}>
        <defs>
          <linearGradient id={`g-open-${theme.a}`} x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor={theme.a} stopOpacity={0.35} />
            <stop offset="100%" stopColor={theme.a} stopOpacity={0.02} />
          </linearGradient>
          <linearGradient id={`g-resp-${theme.b}`} x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor={theme.b} stopOpacity={0.3} />
            <stop offset="100%" stopColor={theme.b} stopOpacity={0.02} />
          </linearGradient>
        </defs>
        <CartesianGrid stroke={theme.grid} vertical={false} />
        <XAxis dataKey="day" tick={{ fill: theme.ink, fontSize: theme.font }} tickLine={false} axisLine={{ stroke: theme.grid }} minTickGap={16} />
        <YAxis allowDecimals={false} tick={{ fill: theme.ink, fontSize: theme.font }} tickLine={false} axisLine={false} width={44} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: theme.font, color: theme.ink }} />
        <Area type="monotone" dataKey="opened" name={t('trendOpened')} stroke={theme.a} strokeWidth={2} fill={`url(#g-open-${theme.a})`} isAnimationActive={false} />
        <Area type="monotone" dataKey="responded" name={t('trendResponded')} stroke={theme.b} strokeWidth={2} fill={`url(#g-resp-${theme.b})`} isAnimationActive={false} />
      </AreaChart>
    </ResponsiveContainer>
  );
}

export function HistogramChart({ buckets, theme = LIGHT, height = 240 }: { buckets: Stats['responseHistogram']; theme?: Theme; height?: number }) {
  const t = useT(m);
  // On a phone the bucket names do not all fit side by side: recharts shows those that do.
  const phone = useIsPhone();
  const data = buckets.map((b) => ({
    name: b.toHours === null ? t('bucketOpen', { from: b.fromHours }) : t('bucket', { from: b.fromHours, to: b.toHours }),
    count: b.count,
  }));
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
        <CartesianGrid stroke={theme.grid} vertical={false} />
        <XAxis dataKey="name" tick={{ fill: theme.ink, fontSize: theme.font - 1 }} tickLine={false} axisLine={{ stroke: theme.grid }} interval={phone ? 'preserveStartEnd' : 0} minTickGap={phone ? 8 : undefined} />
        <YAxis allowDecimals={false} tick={{ fill: theme.ink, fontSize: theme.font }} tickLine={false} axisLine={false} width={44} />
        <Tooltip />
        <Bar dataKey="count" name={t('count')} fill={theme.bar} radius={[3, 3, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Horizontal bars (by category, by source, by level). */
export function HBarChart({
  rows,
  theme = LIGHT,
  height,
  colourOf,
}: {
  rows: { key: string; name: string; count: number }[];
  theme?: Theme;
  height?: number;
  colourOf?: (key: string) => string | undefined;
}) {
  const t = useT(m);
  const h = height ?? Math.max(120, rows.length * 30 + 20);
  return (
    <ResponsiveContainer width="100%" height={h}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }}>
        <CartesianGrid stroke={theme.grid} horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={{ fill: theme.ink, fontSize: theme.font }} tickLine={false} axisLine={false} />
        <YAxis type="category" dataKey="name" width={96} tick={{ fill: theme.ink, fontSize: theme.font }} tickLine={false} axisLine={false} />
        <Tooltip />
        <Bar dataKey="count" name={t('count')} fill={theme.bar} radius={[0, 3, 3, 0]} barSize={16} isAnimationActive={false} label={{ position: 'right', fill: theme.ink, fontSize: theme.font }}>
          {rows.map((r) => (
            <Cell key={r.key} fill={colourOf?.(r.key) ?? theme.bar} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

export const levelColour = (key: string) => LEVEL_COLOURS[key];
