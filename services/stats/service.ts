import { BUSINESS_TZ } from '../../core/business-time.js';
import { satisfactionRate } from '../../core/workflow/origin-windows.js';
import { latestCallbackResults } from '../../db/repos/origin-windows.js';
import { compareByEffect, compareDepartments, EFFECT_FORMULA_ZH, effectOf, rate, round, statsRange } from '../../core/stats.js';
import { CASE_STATUS_LABELS, CATEGORY_LABELS, LEVEL_LABELS, OBLIGATION_KIND_LABELS, type ObligationKind } from '../../core/vocabulary.js';
import * as repo from '../../db/repos/stats.js';
import { fieldError } from '../../platform/errors.js';
import type { ModuleDeps } from '../shared/deps.js';
import type { StatsView } from './schema.js';

// GET /api/stats. Definitions (the SQL is in db/repos/stats.ts):
// - counts by level, category, status (current), lead department and source: cases OPENED in
//   [from, to); a case counts once per source of any item of its stories.
// - onTime.rate = onTime ÷ judged, where `judged` are the response obligations judged in the range:
//   met in it (on time or late), or still open with their due time in it and already passed
//   (open overdue = not on time). Cancelled and not-yet-due obligations are left out. null when
//   nothing was judged. Rounded to 4 decimals (0.8333).
// - responseTime: hours from the case's clock start to its FIRST published response, over cases
//   whose first publication is in the range; median and p90 by percentile_cont (interpolated).
// - responseHistogram: the same response times counted per bucket (db/repos/stats.ts RESPONSE_HISTOGRAM_EDGES).
// - overdue: obligations of every kind judged late in the range (open past due, or met late),
//   most hours late first, at most OVERDUE_LIMIT.
// - daily: per Asia/Shanghai day, cases opened and cases first responded.
// - departments: by lead department, ranked by on-time rate (core/stats.ts compareDepartments).

const OVERDUE_LIMIT = 200;
const TZ = BUSINESS_TZ;

export async function stats(deps: ModuleDeps, q: { from?: string; to?: string }): Promise<StatsView> {
  const now = deps.now();
  const range = statsRange(q, now);
  if ('error' in range) throw rangeError(range.error);
  const r: repo.Range = { ...range, now };
  // One statement for the whole page (db/repos/stats.ts statsFigures): the same figures as the
  // per-figure functions, without a round trip each.
  const f = await repo.statsFigures(deps.db, r, OVERDUE_LIMIT);
  // 满意率 of hotline / mailbox cases opened in the range, each by its latest 回访 (core/workflow/origin-windows.ts).
  const callbacks = satisfactionRate(await latestCallbackResults(deps.db, range));
  const { onTime, responseTimes: times } = f;
  const labelled = (rows: repo.CountRow[], labels: Record<string, string>) => rows.map((x) => ({ ...x, label: labels[x.key] ?? x.key }));
  const ranked = rankDepartments(f.departments);
  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString(), timeZone: TZ },
    totals: { cases: f.total },
    byLevel: labelled(f.byLevel, LEVEL_LABELS),
    byCategory: labelled(f.byCategory, CATEGORY_LABELS),
    byStatus: labelled(f.byStatus, CASE_STATUS_LABELS),
    byDepartment: f.byDepartment,
    bySource: f.bySource,
    onTime: { ...onTime, rate: rate(onTime.onTime, onTime.judged) },
    responseTime: {
      count: times.count,
      medianHours: round(times.medianHours, 1),
      p90Hours: round(times.p90Hours, 1),
      averageHours: round(times.averageHours, 1),
    },
    responseHistogram: f.histogram,
    overdue: f.overdue.map(({ departmentId, departmentName, ...o }) => ({
      ...o,
      kind: o.kind as ObligationKind,
      kindLabel: OBLIGATION_KIND_LABELS[o.kind as ObligationKind] ?? o.kind,
      dueAt: o.dueAt.toISOString(),
      metAt: o.metAt === null ? null : o.metAt.toISOString(),
      hoursLate: round(o.hoursLate, 1) as number,
      department: { id: departmentId, name: departmentName },
    })),
    daily: f.daily,
    departments: ranked,
    effectFormula: EFFECT_FORMULA_ZH,
    callbacks,
  };
}

/**
 * Departments ranked by timeliness (rank) and by response effect (effectRank), with the effect
 * rates and score (core/stats.ts effectOf). Shared with the notices' figures.
 */
export function rankDepartments(rows: readonly repo.DepartmentRow[]) {
  const withRates = rows.map(({ good, heatBefore, heatAfter, reopened, ...d }) => {
    const e = effectOf({ closed: d.closed, good, heatBefore, heatAfter, reopened });
    return {
      ...d,
      onTimeRate: rate(d.onTime, d.judged),
      averageResponseHours: round(d.averageResponseHours, 1),
      goodRate: e.goodRate,
      heatDrop: e.heatDrop,
      reflareRate: e.reflareRate,
      effectScore: e.score,
    };
  });
  const byEffect = new Map([...withRates].sort(compareByEffect).map((d, i) => [d.id, i + 1]));
  return withRates.sort(compareDepartments).map((d, i) => ({ rank: i + 1, ...d, effectRank: byEffect.get(d.id)! }));
}

export function rangeError(e: 'from' | 'to' | 'order' | 'span') {
  switch (e) {
    case 'from':
    case 'to':
      return fieldError(e, 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time', '必须是日期（YYYY-MM-DD）或 ISO 8601 时间');
    case 'order':
      return fieldError('from', 'must be before to', '必须早于结束时间');
    case 'span':
      return fieldError('from', 'range is longer than 400 days', '统计区间不能超过 400 天');
  }
}
