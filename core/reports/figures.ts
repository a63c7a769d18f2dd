import { rankEffectCases, type EffectCases } from './effect-cases.js';
import { compareByEffect, compareDepartments, effectOf, rate, round, type EffectCounts } from '../stats.js';
import {
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  EFFECT_RATING_LABELS,
  FETCH_STATUS_LABELS,
  LEVEL_LABELS,
  OBLIGATION_KIND_LABELS,
  type Category,
  type Channel,
  type EffectRating,
  type FetchStatus,
  type Level,
  type ObligationKind,
} from '../vocabulary.js';
import { periodDays, type Period, type ReportKind } from './period.js';

// The figures of a notice, composed from the rows the statistics SQL returns (db/repos/stats.ts —
// the very functions behind GET /api/stats, with the same rates and rounding from core/stats.ts),
// plus the monitoring counts, the good-response candidates and the crawl health of the period.
// Stored as JSON with the report: the document is always rendered from these, never recomputed.

export const FIGURES_VERSION = 1;
/** The same cap as GET /api/stats's overdue list. */
export const OVERDUE_LIMIT = 200;

/** Fetch outcomes that mean "could not reach the site". */
export const UNREACHABLE_STATUSES: readonly FetchStatus[] = ['dns_error', 'connect_error', 'timeout', 'tls_error', 'http_5xx', 'network_error', 'too_many_redirects'];
/** Fetch outcomes that mean "the site refused us". */
export const BLOCKED_STATUSES: readonly FetchStatus[] = ['blocked_challenge', 'rate_limited', 'http_4xx', 'ssrf_refused'];

// ── inputs: what the SQL returns ────────────────────────────────────────────────────────────

export interface FigureInputs {
  period: Period;
  now: Date;
  totalCases: number;
  byLevel: { key: string; count: number }[];
  byCategory: { key: string; count: number }[];
  onTime: { judged: number; onTime: number; late: number; openOverdue: number };
  responseTimes: { count: number; medianHours: number | null; p90Hours: number | null; averageHours: number | null };
  overdue: {
    caseId: string;
    caseNumber: string;
    caseTitle: string;
    kind: string;
    seq: number;
    status: 'open' | 'met';
    dueAt: Date;
    metAt: Date | null;
    hoursLate: number;
    departmentId: number;
    departmentName: string;
  }[];
  daily: { day: string; opened: number; responded: number }[];
  departments: ({ id: number; name: string; cases: number; judged: number; onTime: number; responded: number; averageResponseHours: number | null } & Partial<EffectCounts>)[];
  itemsMonitored: number;
  alerts: number;
  itemsDaily: { day: string; n: number }[];
  alertsDaily: { day: string; n: number }[];
  goodResponses: {
    caseId: string;
    caseNumber: string;
    caseTitle: string;
    departmentName: string;
    hours: number;
    channel: Channel | null;
    effectRating: EffectRating | null;
  }[];
  sources: {
    id: number;
    name: string;
    enabled: boolean;
    fetches: number;
    unreachable: number;
    blocked: number;
    itemsNew: number;
    lastStatus: FetchStatus | null;
  }[];
  /** Each case's effect in the period (db/repos/reports.ts caseEffects); absent in older inputs. */
  effectCases?: { caseId: string; caseNumber: string; caseTitle: string; departmentName: string; effectRating: EffectRating | null; reopened: boolean; heatBefore: number | null; heatAfter: number | null }[];
}

// ── output: what the report stores ──────────────────────────────────────────────────────────

export interface SourceHealth {
  id: number;
  name: string;
  fetches: number;
  failures: number;
  lastStatus: FetchStatus | null;
  lastStatusLabel: string;
}

export interface ReportFigures {
  version: number;
  period: { kind: ReportKind; key: string; label: string; from: string; to: string; firstDay: string; lastDay: string };
  /** The instant the figures were judged at (open obligations past due count as overdue by then). */
  asOf: string;
  overview: {
    itemsMonitored: number;
    alerts: number;
    casesOpened: number;
    responded: number;
    judged: number;
    onTime: number;
    late: number;
    openOverdue: number;
    /** Judged response obligations not on time: late + openOverdue. */
    overdue: number;
    onTimeRate: number | null;
    /** Cases opened in the period at level major or especially major. */
    majorEvents: number;
    medianResponseHours: number | null;
    p90ResponseHours: number | null;
    averageResponseHours: number | null;
  };
  byLevel: { key: string; label: string; count: number }[];
  byCategory: { key: string; label: string; count: number }[];
  departments: {
    rank: number;
    id: number;
    name: string;
    received: number;
    responded: number;
    judged: number;
    onTime: number;
    overdue: number;
    onTimeRate: number | null;
    averageResponseHours: number | null;
    /** Response effect (core/stats.ts effectOf); absent in figures stored before it was measured. */
    closed?: number;
    goodRate?: number | null;
    heatDrop?: number | null;
    reflareRate?: number | null;
    effectScore?: number | null;
    effectRank?: number;
  }[];
  overdueCases: {
    caseId: string;
    caseNumber: string;
    caseTitle: string;
    kind: string;
    kindLabel: string;
    status: 'open' | 'met';
    dueAt: string;
    metAt: string | null;
    hoursLate: number;
    department: { id: number; name: string };
  }[];
  /** Departments named for missed deadlines, most overdue obligations first. */
  overdueDepartments: { id: number; name: string; count: number }[];
  trend: { day: string; items: number; alerts: number; opened: number; responded: number }[];
  goodResponses: { caseId: string; caseNumber: string; caseTitle: string; departmentName: string; hours: number; channelLabel: string | null; effectLabel: string | null }[];
  crawlHealth: { sources: number; fetches: number; unreachable: SourceHealth[]; blocked: SourceHealth[]; silent: { id: number; name: string; fetches: number }[] };
  /** The best- and the weakest-effect cases (core/reports/effect-cases.ts); absent in figures stored before. */
  effectCases?: EffectCases;
}

const MAJOR: readonly string[] = ['major', 'especially_major'] satisfies Level[];

function byDay(rows: { day: string; n: number }[]): Map<string, number> {
  return new Map(rows.map((r) => [r.day, r.n]));
}

export function composeFigures(x: FigureInputs): ReportFigures {
  const p = x.period;
  const rated = x.departments.map((d) => ({
    ...d,
    onTimeRate: rate(d.onTime, d.judged),
    averageResponseHours: round(d.averageResponseHours, 1),
    effect: effectOf({ closed: d.closed ?? 0, good: d.good ?? 0, heatBefore: d.heatBefore ?? 0, heatAfter: d.heatAfter ?? 0, reopened: d.reopened ?? 0 }),
  }));
  const effectRank = new Map(
    [...rated]
      .map((d) => ({ ...d, effectScore: d.effect.score }))
      .sort(compareByEffect)
      .map((d, i) => [d.id, i + 1]),
  );
  const departments = rated
    .sort(compareDepartments)
    .map((d, i) => ({
      rank: i + 1,
      id: d.id,
      name: d.name,
      received: d.cases,
      responded: d.responded,
      judged: d.judged,
      onTime: d.onTime,
      overdue: d.judged - d.onTime,
      onTimeRate: d.onTimeRate,
      averageResponseHours: d.averageResponseHours,
      closed: d.closed ?? 0,
      goodRate: d.effect.goodRate,
      heatDrop: d.effect.heatDrop,
      reflareRate: d.effect.reflareRate,
      effectScore: d.effect.score,
      effectRank: effectRank.get(d.id)!,
    }));
  const overdueCases = x.overdue.map((o) => ({
    caseId: o.caseId,
    caseNumber: o.caseNumber,
    caseTitle: o.caseTitle,
    kind: o.kind,
    kindLabel: OBLIGATION_KIND_LABELS[o.kind as ObligationKind] ?? o.kind,
    status: o.status,
    dueAt: o.dueAt.toISOString(),
    metAt: o.metAt === null ? null : o.metAt.toISOString(),
    hoursLate: round(o.hoursLate, 1) as number,
    department: { id: o.departmentId, name: o.departmentName },
  }));
  const named = new Map<number, { id: number; name: string; count: number }>();
  for (const o of overdueCases) {
    const d = named.get(o.department.id) ?? { ...o.department, count: 0 };
    d.count += 1;
    named.set(d.id, d);
  }
  const overdueDepartments = [...named.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN') || a.id - b.id);
  const items = byDay(x.itemsDaily);
  const alerts = byDay(x.alertsDaily);
  const cases = new Map(x.daily.map((d) => [d.day, d]));
  const trend = periodDays(p).map((day) => ({
    day,
    items: items.get(day) ?? 0,
    alerts: alerts.get(day) ?? 0,
    opened: cases.get(day)?.opened ?? 0,
    responded: cases.get(day)?.responded ?? 0,
  }));
  const health = (s: FigureInputs['sources'][number], failures: number): SourceHealth => ({
    id: s.id,
    name: s.name,
    fetches: s.fetches,
    failures,
    lastStatus: s.lastStatus,
    lastStatusLabel: s.lastStatus ? FETCH_STATUS_LABELS[s.lastStatus] : '未抓取',
  });
  const label = (rows: { key: string; count: number }[], labels: Record<string, string>) => rows.map((r) => ({ ...r, label: labels[r.key] ?? r.key }));
  const ymd = (d: { y: number; m: number; d: number }) => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
  return {
    version: FIGURES_VERSION,
    period: { kind: p.kind, key: p.key, label: p.label, from: p.from.toISOString(), to: p.to.toISOString(), firstDay: ymd(p.firstDay), lastDay: ymd(p.lastDay) },
    asOf: x.now.toISOString(),
    overview: {
      itemsMonitored: x.itemsMonitored,
      alerts: x.alerts,
      casesOpened: x.totalCases,
      responded: x.responseTimes.count,
      judged: x.onTime.judged,
      onTime: x.onTime.onTime,
      late: x.onTime.late,
      openOverdue: x.onTime.openOverdue,
      overdue: x.onTime.late + x.onTime.openOverdue,
      onTimeRate: rate(x.onTime.onTime, x.onTime.judged),
      majorEvents: x.byLevel.filter((r) => MAJOR.includes(r.key)).reduce((n, r) => n + r.count, 0),
      medianResponseHours: round(x.responseTimes.medianHours, 1),
      p90ResponseHours: round(x.responseTimes.p90Hours, 1),
      averageResponseHours: round(x.responseTimes.averageHours, 1),
    },
    byLevel: label(x.byLevel, LEVEL_LABELS),
    byCategory: label(x.byCategory, CATEGORY_LABELS as Record<Category, string>),
    departments,
    overdueCases,
    overdueDepartments,
    trend,
    goodResponses: x.goodResponses.map((g) => ({
      caseId: g.caseId,
      caseNumber: g.caseNumber,
      caseTitle: g.caseTitle,
      departmentName: g.departmentName,
      hours: round(g.hours, 1) as number,
      channelLabel: g.channel ? CHANNEL_LABELS[g.channel] : null,
      effectLabel: g.effectRating ? EFFECT_RATING_LABELS[g.effectRating] : null,
    })),
    effectCases: rankEffectCases(x.effectCases ?? []),
    crawlHealth: {
      sources: x.sources.length,
      fetches: x.sources.reduce((n, s) => n + s.fetches, 0),
      unreachable: x.sources.filter((s) => s.unreachable > 0).map((s) => health(s, s.unreachable)),
      blocked: x.sources.filter((s) => s.blocked > 0).map((s) => health(s, s.blocked)),
      silent: x.sources.filter((s) => s.enabled && s.itemsNew === 0).map((s) => ({ id: s.id, name: s.name, fetches: s.fetches })),
    },
  };
}

/** Percent text of a rate: 0.5556 → '55.56%'; null → '—'. */
export function percentText(r: number | null): string {
  if (r === null) return '—';
  return `${(Math.round(r * 10_000) / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

/** Hours text: 41.6 → '41.6'; null → '—'. */
export function hoursText(h: number | null): string {
  return h === null ? '—' : String(h);
}
