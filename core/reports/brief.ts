import { CASE_ORIGIN_LABELS, CATEGORY_LABELS, CHANNEL_LABELS, LEVEL_LABELS, OBLIGATION_KIND_LABELS, type CaseOrigin, type Category, type Channel, type Level, type ObligationKind } from '../vocabulary.js';
import { dateTimeZh, quoteZh } from './office.js';

// The words of a 舆情快报 (one case, within the first hours): what happened, where, first seen and
// the spread so far (基本情况); the level the monitoring rule suggests and the category (研判); what
// is being done — lead department, obligations and their due times, a published response
// (处置情况). Pure: services/reports/brief-docx.ts lays these out in 公文 form.

/** The facts of a case a brief is written from, as read when it is issued. */
export interface BriefFacts {
  number: string;
  title: string;
  summary: string;
  level: Level;
  category: Category;
  origin: CaseOrigin;
  originNote: string;
  firstSeenAt: Date;
  leadDepartment: string;
  coDepartments: string[];
  /** The level and category the matching rule suggested (alert cases); null: registered by hand. */
  suggested: { level: Level; category: Category } | null;
  /** Items found so far (the case's stories, else its evidence) and the distinct sources among them. */
  itemCount: number;
  sourceCount: number;
  /** The sources with most items, most first (at most a few). */
  topSources: string[];
  obligations: { kind: ObligationKind; seq: number; dueAt: Date; status: 'open' | 'met' | 'cancelled'; metAt: Date | null; onTime: boolean | null }[];
  published: { at: Date; channel: Channel } | null;
}

export interface BriefContent {
  title: string;
  /** 基本情况, 研判, 处置情况: paragraphs of each section. */
  situation: string[];
  assessment: string[];
  handling: string[];
}

/** The facts as they will read once the brief is issued at `at`: issuing it is the 上报 that meets an open report obligation. */
export function asReportedAt(f: BriefFacts, at: Date): BriefFacts {
  return {
    ...f,
    obligations: f.obligations.map((o) => (o.kind === 'report' && o.status === 'open' ? { ...o, status: 'met' as const, metAt: at, onTime: at.getTime() <= o.dueAt.getTime() } : o)),
  };
}

/** The free text of the three sections as the handler edits it: one paragraph a line. */
export interface BriefText {
  situation: string;
  assessment: string;
  handling: string;
}

export function briefText(c: BriefContent): BriefText {
  return { situation: c.situation.join('\n'), assessment: c.assessment.join('\n'), handling: c.handling.join('\n') };
}

/** The content with the sections as edited (blank lines dropped). */
export function withText(c: BriefContent, t: BriefText): BriefContent {
  const lines = (s: string) =>
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
  return { title: c.title, situation: lines(t.situation), assessment: lines(t.assessment), handling: lines(t.handling) };
}

export function briefTitle(caseTitle: string): string {
  return `关于${quoteZh(caseTitle)}的舆情快报`;
}

/** '舆情快报_YQ-2026-0001_〔2026〕快报第1期.docx' without characters a file name cannot hold. */
export function briefFileName(caseNumber: string, serial: string): string {
  return `舆情快报_${caseNumber}_${serial}.docx`.replace(/[\\/:*?"<>|\s]/g, '');
}

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const ordinal = (i: number) => `（${CN_NUM[i] ?? String(i + 1)}）`;

function sentence(s: string): string {
  const t = s.trim();
  return t === '' || /[。！？；]$/.test(t) ? t : `${t}。`;
}

export function composeBrief(f: BriefFacts, now: Date): BriefContent {
  const where =
    f.topSources.length > 0
      ? `${f.topSources.join('、')}${f.sourceCount > f.topSources.length ? '等' : ''}`
      : `${CASE_ORIGIN_LABELS[f.origin]}${f.originNote ? `（${f.originNote}）` : ''}`;
  const situation = [
    `${dateTimeZh(f.firstSeenAt)}，${where}出现${quoteZh(f.title)}相关信息（事件编号${f.number}）。${sentence(f.summary)}`.trim(),
    f.itemCount > 0
      ? `截至${dateTimeZh(now)}，共监测到相关信息${f.itemCount}条，涉及${f.sourceCount}个信息来源。`
      : `截至${dateTimeZh(now)}，未监测到网上相关信息。`,
  ];
  const assessment = [
    f.suggested
      ? `经监测方案研判，建议按${LEVEL_LABELS[f.suggested.level]}舆情处置，类别为${CATEGORY_LABELS[f.suggested.category]}；现定为${LEVEL_LABELS[f.level]}舆情，类别为${CATEGORY_LABELS[f.category]}。`
      : `经值班研判，定为${LEVEL_LABELS[f.level]}舆情，类别为${CATEGORY_LABELS[f.category]}。`,
  ];
  const co = f.coDepartments.length > 0 ? `，${f.coDepartments.join('、')}协办` : '';
  const handling = [`已交办${f.leadDepartment}牵头处置${co}。按回应时限要求：`];
  const live = f.obligations.filter((o) => o.status !== 'cancelled').sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  live.forEach((o, i) => {
    const what = `${OBLIGATION_KIND_LABELS[o.kind]}${o.kind === 'update' ? `（第${o.seq}次）` : ''}`;
    const state =
      o.status === 'met' && o.metAt
        ? `已于${dateTimeZh(o.metAt)}完成${o.onTime === false ? '（超时）' : ''}`
        : o.dueAt.getTime() < now.getTime()
          ? '已超时，正在督办'
          : '正在办理';
    handling.push(`${ordinal(i)}${what}，时限${dateTimeZh(o.dueAt)}，${state}。`);
  });
  if (live.length === 0) handling.push('暂无回应时限。');
  if (f.published) handling.push(`已于${dateTimeZh(f.published.at)}公开回应（回应方式：${CHANNEL_LABELS[f.published.channel]}）。`);
  handling.push('我办将持续跟踪监测，及时报告处置进展。');
  return { title: briefTitle(f.title), situation, assessment, handling };
}
