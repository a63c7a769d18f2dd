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
export function asReportedAt<F extends BriefFacts>(f: F, at: Date): F {
  return {
    ...f,
    obligations: f.obligations.map((o) => (o.kind === 'report' && o.status === 'open' ? { ...o, status: 'met' as const, metAt: at, onTime: at.getTime() <= o.dueAt.getTime() } : o)),
  };
}

// ── the kinds of brief ──────────────────────────────────────────────────────────────────────
// A 舆情快报 (flash: the first hours) and a 舆情专报 (special: later, the whole picture) are issued
// the same way — the same 上报, storage, numbering per kind and 公文 form — and differ in their
// sections. Each section is free text the handler may edit before issue, one paragraph a line.

export const BRIEF_KINDS = ['flash', 'special'] as const;
export type BriefKind = (typeof BRIEF_KINDS)[number];
export const BRIEF_KIND_LABELS: Record<BriefKind, string> = { flash: '舆情快报', special: '舆情专报' };

export const BRIEF_SECTIONS = {
  flash: [
    ['situation', '一、基本情况'],
    ['assessment', '二、研判'],
    ['handling', '三、处置情况'],
  ],
  special: [
    ['overview', '一、舆情概况'],
    ['spread', '二、传播情况'],
    ['views', '三、网民主要观点'],
    ['assessment', '四、研判'],
    ['handling', '五、处置情况'],
    ['next', '六、下一步建议'],
  ],
} as const satisfies Record<BriefKind, readonly (readonly [string, string])[]>;

export type SectionKey<K extends BriefKind> = (typeof BRIEF_SECTIONS)[K][number][0];
/** The sections of a kind as the handler edits them: one paragraph a line. */
export type SectionsText<K extends BriefKind> = Record<SectionKey<K>, string>;
/** The sections of a kind as issued: paragraphs. */
export type Sections<K extends BriefKind> = Record<SectionKey<K>, string[]>;

/** The free text of the three sections of a 快报 as the handler edits it. */
export type BriefText = SectionsText<'flash'>;

export function sectionsText<K extends BriefKind>(kind: K, c: Sections<K>): SectionsText<K> {
  return Object.fromEntries(BRIEF_SECTIONS[kind].map(([k]) => [k, c[k as SectionKey<K>].join('\n')])) as SectionsText<K>;
}

/** The content with its sections as edited (blank lines dropped); everything else kept. */
export function withSections<K extends BriefKind, C extends Sections<K>>(kind: K, c: C, t: SectionsText<K>): C {
  const lines = (s: string) =>
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
  return { ...c, ...Object.fromEntries(BRIEF_SECTIONS[kind].map(([k]) => [k, lines(t[k as SectionKey<K>])])) };
}

export function briefText(c: BriefContent): BriefText {
  return sectionsText('flash', c);
}

export function withText(c: BriefContent, t: BriefText): BriefContent {
  return withSections('flash', c, t);
}

export function briefTitle(caseTitle: string, kind: BriefKind = 'flash'): string {
  return `关于${quoteZh(caseTitle)}的${BRIEF_KIND_LABELS[kind]}`;
}

/** '舆情快报_YQ-2026-0001_〔2026〕快报第1期.docx' without characters a file name cannot hold. */
export function briefFileName(caseNumber: string, serial: string, kind: BriefKind = 'flash'): string {
  return `${BRIEF_KIND_LABELS[kind]}_${caseNumber}_${serial}.docx`.replace(/[\\/:*?"<>|\s]/g, '');
}

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
export const ordinal = (i: number) => `（${CN_NUM[i] ?? String(i + 1)}）`;

export function sentence(s: string): string {
  const t = s.trim();
  return t === '' || /[。！？；]$/.test(t) ? t : `${t}。`;
}

/** Each live obligation by due time, numbered （一）（二）…, with its state at `now`; '暂无回应时限。' when none. */
export function obligationLines(f: Pick<BriefFacts, 'obligations'>, now: Date): string[] {
  const live = f.obligations.filter((o) => o.status !== 'cancelled').sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  if (live.length === 0) return ['暂无回应时限。'];
  return live.map((o, i) => {
    const what = `${OBLIGATION_KIND_LABELS[o.kind]}${o.kind === 'update' ? `（第${o.seq}次）` : ''}`;
    const state =
      o.status === 'met' && o.metAt
        ? `已于${dateTimeZh(o.metAt)}完成${o.onTime === false ? '（超时）' : ''}`
        : o.dueAt.getTime() < now.getTime()
          ? '已超时，正在督办'
          : '正在办理';
    return `${ordinal(i)}${what}，时限${dateTimeZh(o.dueAt)}，${state}。`;
  });
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
  handling.push(...obligationLines(f, now));
  if (f.published) handling.push(`已于${dateTimeZh(f.published.at)}公开回应（回应方式：${CHANNEL_LABELS[f.published.channel]}）。`);
  handling.push('我办将持续跟踪监测，及时报告处置进展。');
  return { title: briefTitle(f.title), situation, assessment, handling };
}
