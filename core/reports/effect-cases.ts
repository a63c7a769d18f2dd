import { round } from '../stats.js';
import { EFFECT_RATING_LABELS, type EffectRating } from '../vocabulary.js';
import type { FigureInputs } from './figures.js';
import { quoteZh } from './office.js';

// Response effect, case by case, as the notice's suggested text uses it (回应效果是最重要的衡量标准):
// 四、经验做法 is drawn from the best-effect cases of the period — rated 好 or 较好, not reopened, the
// biggest drop of heat after the first publication first — and 七、下一步工作要求 names the weakest —
// reopened after closing (舆情反弹), rated 差, or heat that rose after the response. The heat drop
// is core/stats.ts effectOf's measure for one case. Pure; the reviewer edits the text as before.

export interface EffectCase {
  caseId: string;
  caseNumber: string;
  caseTitle: string;
  departmentName: string;
  effectLabel: string | null;
  reopened: boolean;
  heatBefore: number | null;
  heatAfter: number | null;
  /** (before − after) ÷ before, −1..1; null: no items in the 24 h before. */
  heatDrop: number | null;
}

export interface EffectCases {
  best: EffectCase[];
  weak: EffectCase[];
}

/** How many cases each list names. */
export const EFFECT_CASES_LIMIT = 3;

type Input = NonNullable<FigureInputs['effectCases']>[number];

const RATING_ORDER: Record<EffectRating, number> = { good: 0, fairly_good: 1, average: 2, poor: 3 };

const drop = (c: Input): number | null =>
  c.heatBefore !== null && c.heatAfter !== null && c.heatBefore > 0 ? (round(Math.max(-1, Math.min(1, (c.heatBefore - c.heatAfter) / c.heatBefore)), 4) as number) : null;

const view = (c: Input): EffectCase => ({
  caseId: c.caseId,
  caseNumber: c.caseNumber,
  caseTitle: c.caseTitle,
  departmentName: c.departmentName,
  effectLabel: c.effectRating ? EFFECT_RATING_LABELS[c.effectRating] : null,
  reopened: c.reopened,
  heatBefore: c.heatBefore,
  heatAfter: c.heatAfter,
  heatDrop: drop(c),
});

const heatRose = (c: Input) => c.heatBefore !== null && c.heatAfter !== null && c.heatAfter > c.heatBefore;
const byId = (a: Input, b: Input) => Number(a.caseId) - Number(b.caseId);

export function rankEffectCases(cases: readonly Input[]): EffectCases {
  const best = cases
    .filter((c) => (c.effectRating === 'good' || c.effectRating === 'fairly_good') && !c.reopened)
    .sort((a, b) => RATING_ORDER[a.effectRating!] - RATING_ORDER[b.effectRating!] || (drop(b) ?? -2) - (drop(a) ?? -2) || byId(a, b))
    .slice(0, EFFECT_CASES_LIMIT);
  // Weakest first: reopened, then rated 差, then heat that rose the most.
  const weakness = (c: Input) => (c.reopened ? 0 : c.effectRating === 'poor' ? 1 : 2);
  const weak = cases
    .filter((c) => c.reopened || c.effectRating === 'poor' || heatRose(c))
    .sort((a, b) => weakness(a) - weakness(b) || (drop(a) ?? 2) - (drop(b) ?? 2) || byId(a, b))
    .slice(0, EFFECT_CASES_LIMIT);
  return { best: best.map(view), weak: weak.map(view) };
}

const percent = (x: number) => `${Math.round(Math.abs(x) * 100)}%`;

/** One 经验做法 paragraph for a best-effect case; `how`: how and how fast it was answered ('在3小时内在政府网站发布信息'), when known. */
export function bestCaseLine(c: EffectCase, how?: string): string {
  const parts = [`${c.departmentName}对${quoteZh(c.caseTitle)}（${c.caseNumber}）${how ?? '作出回应'}`, `回应效果评价为“${c.effectLabel}”`];
  if (c.heatDrop !== null && c.heatDrop > 0) parts.push(`回应后24小时内相关信息由${c.heatBefore}条降至${c.heatAfter}条，热度下降${percent(c.heatDrop)}，舆情得到有效平息`);
  else if (c.heatBefore === 0 && c.heatAfter === 0) parts.push('回应后未再出现相关信息');
  return `${parts.join('，')}。`;
}

/** The 下一步工作要求 paragraph naming the weakest-effect cases. */
export function weakCasesLine(cases: readonly EffectCase[]): string | null {
  if (cases.length === 0) return null;
  const what = (c: EffectCase) => {
    const why: string[] = [];
    if (c.reopened) why.push('办结后舆情反弹、重新办理');
    if (c.effectLabel === '差') why.push('回应效果评价为“差”');
    if (c.heatBefore !== null && c.heatAfter !== null && c.heatAfter > c.heatBefore) why.push(`回应后24小时内相关信息由${c.heatBefore}条增至${c.heatAfter}条`);
    return `${c.departmentName}办理的${quoteZh(c.caseTitle)}（${c.caseNumber}）${why.join('，')}`;
  };
  return `本期${cases.map(what).join('；')}。相关单位要深入分析回应效果不佳的原因，回应内容要直面网民关切、说清事实和措施，并加强回应后的跟踪研判，防止舆情反复。`;
}
