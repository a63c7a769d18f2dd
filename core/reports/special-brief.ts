import { BUSINESS_OFFSET_MS } from '../business-time.js';
import { CHANNEL_LABELS, LEVEL_LABELS, CATEGORY_LABELS, type Channel, type Level } from '../vocabulary.js';
import { briefTitle, obligationLines, ordinal, sentence, type BriefFacts, type Sections } from './brief.js';
import { dateTimeZh, quoteZh } from './office.js';

// The words of a 舆情专报 (one case, written once the picture is fuller than in a 快报): 舆情概况,
// 传播情况 (the heat curve drawn as a chart and the top sources as a table beside the text),
// 网民主要观点 (distinct representative texts among the items, quoted), 研判 (level and risk),
// 处置情况 (the case's timeline: 交办, published responses, reports up, the obligations) and
// 下一步建议. Pure: services/reports/brief-docx.ts lays them out in 公文 form.

/** Items of the case first published in one clock hour (Beijing time bucketing is done here). */
export interface HeatHour {
  hour: Date;
  n: number;
}

/** An item a view may be quoted from, most telling first (the repository orders by negativity, then time). */
export interface VoiceItem {
  source: string;
  title: string;
  text: string;
}

export interface SpecialFacts extends BriefFacts {
  /** Every named source with its item count, most first. */
  sourceCounts: { source: string; n: number }[];
  heat: HeatHour[];
  voices: VoiceItem[];
  /** 交办: when the case was assigned (else opened). */
  assignedAt: Date;
  responses: { at: Date; channel: Channel }[];
  /** Earlier reports up (not the one this brief is). */
  reportsUp: { at: Date; recipient: string }[];
}

/** One point of the heat curve: new items in the bucket and the total so far; `label` digits and '.' only. */
export interface HeatPoint {
  label: string;
  /** The bucket in words: '12月7日9时' (hourly) or '12月7日'. */
  when: string;
  items: number;
  total: number;
}

export interface SpecialContent extends Sections<'special'> {
  title: string;
  /** The chart under 二、传播情况: per hour ('hour') over the first two days, else per day. */
  heat: { unit: 'hour' | 'day'; from: string; to: string; points: HeatPoint[] };
  /** The table under the chart: the sources with most items. */
  sources: { source: string; n: number; share: string }[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_HOURS = 48;
const MAX_DAYS = 60;
export const TOP_SOURCES = 5;
const MAX_VIEWS = 5;

const bj = (d: Date) => new Date(d.getTime() + BUSINESS_OFFSET_MS);
const floorTo = (t: number, step: number) => Math.floor((t + BUSINESS_OFFSET_MS) / step) * step - BUSINESS_OFFSET_MS;

/** The heat curve from the first item (or first seen) to `now`: hourly over at most 48 hours, else daily (the last 60 days). */
export function heatCurve(f: Pick<SpecialFacts, 'heat' | 'firstSeenAt'>, now: Date): SpecialContent['heat'] {
  const first = Math.min(f.firstSeenAt.getTime(), ...f.heat.map((h) => h.hour.getTime()));
  const end = Math.max(now.getTime(), first);
  const hourly = end - floorTo(first, HOUR) < MAX_HOURS * HOUR;
  const step = hourly ? HOUR : DAY;
  const lastBucket = floorTo(end, step);
  const firstBucket = Math.max(floorTo(first, step), lastBucket - ((hourly ? MAX_HOURS : MAX_DAYS) - 1) * step);
  const counts = new Map<number, number>();
  let before = 0;
  for (const h of f.heat) {
    const b = floorTo(h.hour.getTime(), step);
    if (b < firstBucket) before += h.n;
    else counts.set(b, (counts.get(b) ?? 0) + h.n);
  }
  const points: HeatPoint[] = [];
  let total = before;
  for (let b = firstBucket; b <= lastBucket; b += step) {
    const n = counts.get(b) ?? 0;
    total += n;
    const d = bj(new Date(b));
    const day = `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
    points.push(hourly ? { label: String(d.getUTCHours()), when: `${day}${d.getUTCHours()}时`, items: n, total } : { label: `${d.getUTCMonth() + 1}.${d.getUTCDate()}`, when: day, items: n, total });
  }
  return { unit: hourly ? 'hour' : 'day', from: points[0].when, to: points[points.length - 1].when, points };
}

/**
 * Text for a quote of a whole sentence: one line, at most `max` characters (cut after a full stop
 * where one falls late enough, else marked ……), ending inside the quote with its own 。！？.
 */
export function excerpt(text: string, max = 60): string {
  const t = text.replace(/\s+/g, ' ').trim().replace(/[，、；：,;:]+$/, '');
  if (t.length <= max) return /[。！？!?…]$/.test(t) ? t : `${t}。`;
  const cut = t.slice(0, max);
  const stop = Math.max(cut.lastIndexOf('。'), cut.lastIndexOf('！'), cut.lastIndexOf('？'));
  return stop >= max / 2 ? cut.slice(0, stop + 1) : `${cut.replace(/[，、；：。,;:]+$/, '')}……`;
}

/** The same words whatever the spacing, punctuation and quoting: two items saying this are one view. */
const gist = (t: string) => t.replace(/[\s\p{P}\p{S}]/gu, '').slice(0, 24);

/** Distinct representative texts: the first item of each distinct gist, at most five, each from its body (else its title). */
export function pickViews(voices: readonly VoiceItem[], max = MAX_VIEWS): VoiceItem[] {
  const seen = new Set<string>();
  const out: VoiceItem[] = [];
  for (const v of voices) {
    const body = v.text.trim() || v.title.trim();
    const key = gist(body);
    if (key.length < 4 || seen.has(key)) continue;
    seen.add(key);
    out.push({ ...v, text: body });
    if (out.length >= max) break;
  }
  return out;
}

const levelRank: Record<Level, number> = { general: 0, significant: 1, major: 2, especially_major: 3 };

export function composeSpecialBrief(f: SpecialFacts, now: Date): SpecialContent {
  const heat = heatCurve(f, now);
  const peak = heat.points.reduce((best, p) => (p.items > best.items ? p : best), heat.points[0] ?? { label: '', when: '', items: 0, total: 0 });
  const lastTwo = heat.points.slice(-2);
  const rising = lastTwo.length === 2 && lastTwo[1].items > lastTwo[0].items;
  const named = f.sourceCounts.slice(0, 3).map((s) => s.source);

  const overview = [
    `${dateTimeZh(f.firstSeenAt)}，${named.length > 0 ? `${named.join('、')}${f.sourceCounts.length > named.length ? '等' : ''}` : '网上'}出现${quoteZh(f.title)}相关信息（事件编号${f.number}）。${sentence(f.summary)}`.trim(),
    f.itemCount > 0
      ? `截至${dateTimeZh(now)}，共监测到相关信息${f.itemCount}条，涉及${f.sourceCount}个信息来源。`
      : `截至${dateTimeZh(now)}，未监测到网上相关信息。`,
  ];

  const spread: string[] = [];
  if (f.itemCount === 0) spread.push('暂未监测到网上传播。');
  else {
    spread.push(
      `从传播走势看（见图1），${peak.items > 0 ? `信息量在${peak.when}${heat.unit === 'hour' ? '前后' : ''}达到峰值（${peak.items}条），` : ''}${rising ? '目前仍呈上升态势。' : '目前已较峰值回落。'}`,
    );
    const top = f.sourceCounts.slice(0, TOP_SOURCES);
    if (top.length > 0) spread.push(`从传播平台看（见表1），${top.map((s) => `${s.source}${s.n}条`).join('、')}。`);
  }

  const picked = pickViews(f.voices);
  const views =
    picked.length === 0
      ? ['暂未监测到网民具有代表性的观点。']
      : [`网民观点主要有以下${picked.length > 1 ? `${['', '', '两', '三', '四', '五'][picked.length]}类` : '一类'}：`, ...picked.map((v, i) => `${ordinal(i)}${v.source}网民称：${quoteZh(excerpt(v.text))}`)];

  const overdue = f.obligations.filter((o) => o.status === 'open' && o.dueAt.getTime() < now.getTime());
  const unanswered = f.responses.length === 0;
  const risks: string[] = [];
  if (rising) risks.push('热度仍在上升');
  if (unanswered) risks.push('尚未公开回应，网民关切未获回应');
  if (overdue.length > 0) risks.push(`${overdue.length}项回应时限已超时`);
  const score = levelRank[f.level] + (rising ? 1 : 0) + (unanswered ? 1 : 0) + (overdue.length > 0 ? 1 : 0);
  const riskLevel = score >= 3 ? '较高' : score >= 1 ? '中等' : '较低';
  const assessment = [
    `经研判，该事件定为${LEVEL_LABELS[f.level]}舆情，类别为${CATEGORY_LABELS[f.category]}。`,
    `综合研判，舆情风险${riskLevel}${risks.length > 0 ? `：${risks.join('；')}，存在进一步发酵和引发次生舆情的可能。` : '，热度趋于平稳，已作回应。'}`,
  ];

  const co = f.coDepartments.length > 0 ? `，${f.coDepartments.join('、')}协办` : '';
  const handling = [`${dateTimeZh(f.assignedAt)}，已交办${f.leadDepartment}牵头处置${co}。`];
  for (const r of f.responses) handling.push(`${dateTimeZh(r.at)}，已公开回应（回应方式：${CHANNEL_LABELS[r.channel]}）。`);
  for (const r of f.reportsUp) handling.push(`${dateTimeZh(r.at)}，已向${r.recipient}报告。`);
  handling.push('回应时限办理情况：', ...obligationLines(f, now));

  const next: string[] = [];
  const firstOpen = f.obligations.filter((o) => o.status === 'open').sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  if (unanswered) next.push(`督促${f.leadDepartment}${firstOpen ? `在${dateTimeZh(firstOpen.dueAt)}前` : '尽快'}公开回应，回应内容做到事实准确、口径统一。`);
  else next.push(`督促${f.leadDepartment}持续发布处置进展，对网民新的关切及时回应。`);
  next.push(`持续监测${named.length > 0 ? `${named.join('、')}等平台` : '网上'}相关信息，发现新情况及时报告。`);
  if (rising || overdue.length > 0) next.push('加强部门协同和正面引导，防止舆情进一步发酵。');
  next.push('事件办结后做好回访和效果评估。');

  return {
    title: briefTitle(f.title, 'special'),
    overview,
    spread,
    views,
    assessment,
    handling,
    next: next.map((t, i) => `${ordinal(i)}${t}`),
    heat,
    sources: f.sourceCounts.slice(0, TOP_SOURCES).map((s) => ({ source: s.source, n: s.n, share: f.itemCount > 0 ? `${Math.round((s.n / f.itemCount) * 1000) / 10}%` : '—' })),
  };
}
