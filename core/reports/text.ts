import { hoursText, percentText, type ReportFigures } from './figures.js';
import type { ReportKind } from './period.js';
import { dayRangeZh, quoteZh } from './office.js';
import { bestCaseLine, weakCasesLine } from './effect-cases.js';

// The words of a notice (通报), from its figures. Pure: the .docx renderer lays these out; tests
// read them back out of the document.

export function noticeTitle(periodLabel: string): string {
  return `关于${periodLabel}政务舆情回应情况的通报`;
}

/** '周通报_2026-W47.docx' etc. */
export function noticeFileName(kind: ReportKind, key: string): string {
  const name = { weekly: '周通报', monthly: '月度通报', quarterly: '季度通报', range: '舆情回应通报' }[kind];
  return `${name}_${key.replace('..', '至')}.docx`;
}

/** The overview paragraph: every headline figure of the period. */
export function overviewText(f: ReportFigures): string {
  const o = f.overview;
  const parts = [
    `${f.period.label}（${dayRangeZh(f.period.firstDay, f.period.lastDay)}），共监测到网络信息${o.itemsMonitored}条，产生预警${o.alerts}条`,
    `转为事件并交办${o.casesOpened}件，其中重大及以上舆情事件${o.majorEvents}件`,
    `本期公开回应${o.responded}件，平均回应用时${hoursText(o.averageResponseHours)}小时`,
    `到期应回应${o.judged}件，按时回应${o.onTime}件，按时回应率${percentText(o.onTimeRate)}`,
    `超时${o.overdue}件（逾期回应${o.late}件，逾期未回应${o.openOverdue}件）`,
  ];
  return `${parts.join('；')}。`;
}

/** How a response was made, as a sentence says it (by the stored channel label). */
const CHANNEL_PHRASES: Record<string, string> = {
  网站发布: '在政府网站发布信息',
  政务新媒体: '通过政务新媒体发布信息',
  新闻发布会: '召开新闻发布会',
  媒体专访: '接受媒体专访',
  回复网民: '直接答复网民',
};

/**
 * Default of the editable "good practice" part (经验做法): drawn from the best-effect cases of the
 * period (rated 好 / 较好, the biggest heat drop first); without any, from the on-time responses.
 */
export function defaultNotable(f: ReportFigures): string {
  const howOf = (g: ReportFigures['goodResponses'][number]) => {
    const channel = g.channelLabel ? (CHANNEL_PHRASES[g.channelLabel] ?? '') : '';
    return `在${g.hours}小时内${channel ? channel : '作出回应'}`;
  };
  const best = f.effectCases?.best ?? [];
  if (best.length > 0) {
    const onTime = new Map(f.goodResponses.map((g) => [g.caseId, howOf(g)]));
    return best.map((c) => bestCaseLine(c, onTime.get(c.caseId))).join('\n');
  }
  if (f.goodResponses.length === 0) return '本期暂无需要特别通报的经验做法。';
  const lines = f.goodResponses.map((g) => {
    const how = [howOf(g), g.effectLabel ? `回应效果评价为“${g.effectLabel}”` : ''].filter(Boolean).join('，');
    return `${g.departmentName}对${quoteZh(g.caseTitle)}（${g.caseNumber}）${how}。`;
  });
  return lines.join('\n');
}

/** Default of the editable "requirements for the next period" part (工作要求); names the weakest-effect cases (re-flares, 差 ratings, heat that rose). */
export function defaultRequirements(f: ReportFigures, rectificationTo: string): string {
  const lines: string[] = [];
  if (f.overdueDepartments.length > 0) {
    const names = f.overdueDepartments.map((d) => d.name).join('、');
    lines.push(`${names}要认真查找超时原因，对仍未回应的事项立即作出回应，并于3个工作日内将整改情况书面报送${rectificationTo}。`);
  }
  const weak = weakCasesLine(f.effectCases?.weak ?? []);
  if (weak) lines.push(weak);
  lines.push('各单位要严格落实“谁主管谁负责”，对一般性政务舆情在48小时内予以公开回应，对特别重大、重大突发事件做到5小时内发布权威信息、24小时内召开新闻发布会（吹风会）。');
  lines.push('各单位要做好回应后的跟踪反馈，及时研判网民反应和回应效果，防止舆情反复。');
  if (f.crawlHealth.unreachable.length + f.crawlHealth.blocked.length > 0) {
    lines.push('技术保障部门要尽快恢复无法访问或被拦截的监测源，确保监测不留盲区。');
  }
  return lines.join('\n');
}

/** Hours late as the notice says it: '超时 12.5 小时'. */
export function lateText(hours: number): string {
  return `超时${hours}小时`;
}

/** Section 六: what the crawl did in the period, consistent with itself (no fetches is said as such). */
export function healthLines(f: ReportFigures): string[] {
  const h = f.crawlHealth;
  if (h.sources === 0) return ['本期未配置监测源，无监测运行数据。'];
  if (h.fetches === 0) return [`本期${h.sources}个监测源均未进行抓取（抓取0次），监测处于中断状态，技术保障部门要立即查明原因、恢复监测。`];
  const list = (xs: { name: string; failures: number; lastStatusLabel: string }[]) => xs.map((s) => `${s.name}（${s.failures}次，最近一次：${s.lastStatusLabel}）`).join('、');
  const silent = h.silent.filter((s) => s.fetches > 0);
  const idle = h.silent.filter((s) => s.fetches === 0);
  const out = [`本期${h.sources}个监测源共抓取${h.fetches}次。`];
  out.push(h.unreachable.length ? `无法访问的监测源${h.unreachable.length}个：${list(h.unreachable)}。` : '各监测源均可正常访问。');
  out.push(h.blocked.length ? `被拦截或拒绝的监测源${h.blocked.length}个：${list(h.blocked)}。` : '未发现被拦截的监测源。');
  if (idle.length) out.push(`本期未抓取的监测源${idle.length}个：${idle.map((s) => s.name).join('、')}。`);
  if (silent.length) out.push(`本期无新增信息的监测源${silent.length}个：${silent.map((s) => s.name).join('、')}。`);
  if (!idle.length && !silent.length) out.push('各监测源本期均有新增信息。');
  return out;
}
