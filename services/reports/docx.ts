import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeightRule,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableAnchorType,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type ParagraphChild,
} from 'docx';
import { formatYmd, type Ymd } from '../../core/business-time.js';
import { hoursText, percentText, type ReportFigures } from '../../core/reports/figures.js';
import { EFFECT_FORMULA_ZH } from '../../core/stats.js';
import { DISCLOSURE_LABELS, dateTimeZh, dateZh, monthDayZh, type OfficeProfile } from '../../core/reports/office.js';
import { healthLines, lateText, overviewText } from '../../core/reports/text.js';
import { trendChartPng } from './chart.js';

// The notice as a Word document in the form of GB/T 9704-2012 (党政机关公文格式): A4, margins top
// 37 mm, bottom 35 mm, left 28 mm, right 26 mm. 版头: the organ's mark (发文机关标志) in red 小标宋,
// centred, the 期号 under it and a red separator line; 主体: title in 方正小标宋简体 二号 (22 pt), 主送,
// body in 仿宋_GB2312 三号 (16 pt) at a fixed 28 pt line, first-level headings in 黑体, the signature
// (落款) centred over the 成文日期, which stands 4 characters in from the right, and the 公开属性
// 附注; 版记 at the foot of the last page (抄送, 印发机关和印发日期 between its lines); page numbers
// "— N —" in 4号 宋体, odd pages right and even pages left, one character in. Rendered from the
// stored figures, the free text and the office profile only.

const MM = 56.6929; // twips per millimetre
const PAGE_W = Math.round(210 * MM);
const PAGE_H = Math.round(297 * MM);
const MARGIN = { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) };
const TEXT_W = PAGE_W - MARGIN.left - MARGIN.right;
const TEXT_H = PAGE_H - MARGIN.top - MARGIN.bottom;

const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体' };
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' };
const HEI_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
const KAI_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '楷体_GB2312' };
const SONG_FONT = { ascii: '宋体', hAnsi: '宋体', eastAsia: '宋体' };
const PT = (pt: number) => pt * 2; // docx sizes are half-points
const TW = (pt: number) => pt * 20; // twips
const LINE_28PT = { line: 560, lineRule: LineRuleType.EXACT };
/** One character of 三号 text, in twips. */
const CHAR = TW(16);
const RED = 'FF0000';

export interface NoticeDocument {
  title: string;
  profile: OfficeProfile;
  /** 期号 of an issued notice; null: a draft, shown as （未编号）. */
  serial: string | null;
  /** 成文日期 and 印发日期: the day it was issued (a draft: generated). */
  day: Ymd;
  draft: boolean;
  figures: ReportFigures;
  notable: string;
  requirements: string;
}

const run = (text: string, font = BODY_FONT, size = PT(16), bold = false) => new TextRun({ text, font, size, bold });

export function bodyParagraph(text: string, indent = true): Paragraph {
  return new Paragraph({ children: [run(text)], spacing: LINE_28PT, indent: indent ? { firstLine: PT(16) * 20 } : undefined, alignment: AlignmentType.JUSTIFIED });
}

export function heading1(text: string): Paragraph {
  // A heading never stands alone at the foot of a page: it keeps with what follows.
  return new Paragraph({ children: [run(text, HEI_FONT)], spacing: LINE_28PT, indent: { firstLine: 2 * CHAR }, keepNext: true, keepLines: true });
}

export function freeText(text: string): Paragraph[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => bodyParagraph(l));
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

/** A table; column `textColumn` (names, titles) is aligned left, the others centred. */
export function table(header: string[], rows: string[][], widthsMm: number[], textColumn = 1): Table {
  const total = widthsMm.reduce((a, b) => a + b, 0);
  const widths = widthsMm.map((w) => Math.floor((w / total) * TEXT_W));
  const cell = (text: string, i: number, head: boolean) =>
    new TableCell({
      width: { size: widths[i], type: WidthType.DXA },
      verticalAlign: VerticalAlign.CENTER,
      children: [
        new Paragraph({
          alignment: i === textColumn && !head ? AlignmentType.LEFT : AlignmentType.CENTER,
          children: [new TextRun({ text, font: head ? HEI_FONT : BODY_FONT, size: PT(12) })],
        }),
      ],
    });
  return new Table({
    width: { size: TEXT_W, type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER },
    rows: [
      // The header row repeats on every page the table runs to; no row is split across pages.
      new TableRow({ tableHeader: true, cantSplit: true, children: header.map((h, i) => cell(h, i, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((t, i) => cell(t, i, false)) })),
    ],
  });
}

export function caption(text: string, keepNext = false): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, keepNext, children: [new TextRun({ text, font: KAI_FONT, size: PT(12) })] });
}

/** Department table rows, as the tests read them back: name, received, responded, on time, overdue, rate, average hours. */
export function departmentRows(f: ReportFigures): string[][] {
  return f.departments.map((d) => [
    String(d.rank),
    d.name,
    String(d.received),
    String(d.responded),
    String(d.onTime),
    String(d.overdue),
    percentText(d.onTimeRate),
    hoursText(d.averageResponseHours),
  ]);
}

/** Effect table rows, best effect first: rank, name, closed, good rate, heat drop, re-flare rate, score. */
export function effectRows(f: ReportFigures): string[][] {
  return [...f.departments]
    .filter((d) => d.effectRank !== undefined)
    .sort((a, b) => a.effectRank! - b.effectRank!)
    .map((d) => [
      String(d.effectRank),
      d.name,
      String(d.closed ?? 0),
      percentText(d.goodRate ?? null),
      percentText(d.heatDrop ?? null),
      percentText(d.reflareRate ?? null),
      d.effectScore === null || d.effectScore === undefined ? '—' : d.effectScore.toFixed(1),
    ]);
}

function effectSection(f: ReportFigures): (Paragraph | Table)[] {
  const rows = effectRows(f);
  if (rows.length === 0) return [];
  return [
    bodyParagraph(`回应效果是衡量回应工作的首要标准。按回应效果综合得分由高到低排序如下（${EFFECT_FORMULA_ZH}；办结：本期办结并评定效果的事件数）。`),
    table(['排名', '责任单位', '办结', '好评率', '热度下降率', '反弹率', '效果得分'], rows, [14, 38, 14, 24, 26, 20, 20]),
  ];
}

function overdueSection(f: ReportFigures): (Paragraph | Table)[] {
  if (f.overdueCases.length === 0) return [bodyParagraph('本期各单位均在时限内完成回应，无超时事项。')];
  const names = f.overdueDepartments.map((d) => `${d.name}（${d.count}项）`).join('、');
  return [
    bodyParagraph(`本期共有${f.overdueCases.length}项时限超时，涉及${names}，现予以通报。具体如下：`),
    table(
      ['序号', '事项', '责任单位', '时限类型', '应完成时间', '超时情况'],
      f.overdueCases.map((o, i) => [
        String(i + 1),
        `${o.caseNumber} ${o.caseTitle}`,
        o.department.name,
        o.kindLabel,
        dateTimeZh(new Date(o.dueAt)),
        `${lateText(o.hoursLate)}${o.status === 'open' ? '（仍未完成）' : ''}`,
      ]),
      [12, 44, 24, 22, 24, 30],
    ),
  ];
}

/** Trend rows for the table under the chart: per day up to 31 days, else per 7-day block. */
export function trendRows(f: ReportFigures): string[][] {
  const t = f.trend;
  if (t.length <= 31) return t.map((d) => [monthDayZh(d.day), String(d.items), String(d.alerts), String(d.opened), String(d.responded)]);
  const rows: string[][] = [];
  for (let i = 0; i < t.length; i += 7) {
    const block = t.slice(i, i + 7);
    const sum = (k: 'items' | 'alerts' | 'opened' | 'responded') => String(block.reduce((n, d) => n + d[k], 0));
    rows.push([`${monthDayZh(block[0].day)}至${monthDayZh(block[block.length - 1].day)}`, sum('items'), sum('alerts'), sum('opened'), sum('responded')]);
  }
  return rows;
}

/** A chart (trendChartPng, 1200×480) centred across the text width, kept with its caption below. */
export function chartParagraph(png: Buffer, description: string): Paragraph {
  const widthPx = 600;
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    keepNext: true,
    children: [new ImageRun({ type: 'png', data: png, transformation: { width: widthPx, height: Math.round(widthPx * 0.4) }, altText: { name: 'trend', title: '舆情热度走势', description } })],
  });
}

function trendSection(f: ReportFigures): (Paragraph | Table)[] {
  const png = trendChartPng(f.trend.map((d) => ({ items: d.items, opened: d.opened, label: `${Number(d.day.slice(5, 7))}.${Number(d.day.slice(8))}` })));
  return [
    chartParagraph(png, '柱：每日监测信息量；折线：每日交办数'),
    caption('图1　舆情热度走势（柱：监测信息，条，左轴；折线：交办，件，右轴）', true),
    table(['日期', '监测信息（条）', '预警（条）', '交办（件）', '回应（件）'], trendRows(f), [36, 26, 20, 20, 20], -1),
  ];
}

/** The width of a line in characters of its size: CJK and full-width one, ASCII half. */
export function textWidthChars(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) < 0x2000 ? 0.5 : 1;
  return w;
}

/** What the 版头, 落款 and 版记 of any document in this form are made from. */
export type FormFrame = Pick<NoticeDocument, 'profile' | 'serial' | 'day'>;

/** 版头: the organ's mark in red, the 期号 (or （未编号）) and the red separator line. */
export function letterhead(n: FormFrame): Paragraph[] {
  const mark = n.profile.mark;
  // 小标宋 at up to 36 pt (小初), smaller when a long mark would not fit the line.
  const markPt = Math.max(22, Math.min(36, Math.floor(TEXT_W / 20 / Math.max(1, textWidthChars(mark)))));
  return [
    // GB/T 9704 7.2.3: the mark's top edge 35 mm below the top of the text area.
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: Math.round(35 * MM) - TW(6), after: 0, line: TW(markPt + 12), lineRule: LineRuleType.EXACT }, children: [markRun(mark, markPt)] }),
    // 7.2.4: the number two lines under the mark, centred; 7.2.5: the red line 4 mm under it.
    new Paragraph({ children: [], spacing: LINE_28PT }),
    new Paragraph({ children: [], spacing: LINE_28PT }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { ...LINE_28PT, after: TW(14) },
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 11 } },
      children: [run(n.serial ?? '（未编号）')],
    }),
  ];
}

function markRun(text: string, size: number): TextRun {
  return new TextRun({ text, font: TITLE_FONT, size: PT(size), color: RED });
}

/**
 * The title in 二号 小标宋; one too long for a line is broken where the meaning allows (before
 * 回应情况的通报), so no line holds a lone word.
 */
function titleRuns(title: string): TextRun[] {
  const cut = title.indexOf('回应情况的通报');
  if (textWidthChars(title) <= 17 || cut <= 0) return [run(title, TITLE_FONT, PT(22))];
  return [run(title.slice(0, cut), TITLE_FONT, PT(22)), new TextRun({ text: title.slice(cut), font: TITLE_FONT, size: PT(22), break: 1 })];
}

/** 落款 and 成文日期: the date 4 characters in from the right, the signature centred above it. */
export function signature(n: FormFrame): Paragraph[] {
  const date = dateZh(n.day);
  const sig = n.profile.signature;
  const sigRight = Math.max(0, 4 + (textWidthChars(date) - textWidthChars(sig)) / 2);
  return [
    new Paragraph({ children: [], spacing: LINE_28PT }),
    new Paragraph({ alignment: AlignmentType.RIGHT, keepNext: true, spacing: LINE_28PT, indent: { right: Math.round(sigRight * CHAR) }, children: [run(sig)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, keepNext: true, spacing: LINE_28PT, indent: { right: 4 * CHAR }, children: [run(date)] }),
  ];
}

/** 附注: the 公开属性, two characters in, in brackets, on the line under the date. */
export function disclosureNote(n: FormFrame): Paragraph {
  return new Paragraph({ spacing: LINE_28PT, indent: { firstLine: 2 * CHAR }, children: [run(`（此件${DISCLOSURE_LABELS[n.profile.disclosure]}）`)] });
}

const VERSION_PT = 14; // 4号
const VERSION_ROW = TW(VERSION_PT * 2);

/**
 * 版记: 抄送 and 印发机关和印发日期 between a thick first and last line with a thin line between,
 * 4号 仿宋, one character in on either side; a floating table anchored to the last paragraph and
 * placed at the foot of the text area, so it stands at the bottom of the last page.
 */
export function versionRecord(n: FormFrame): Table {
  const thick = { style: BorderStyle.SINGLE, size: 8, color: '000000' };
  const thin = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
  const one = TW(VERSION_PT);
  const text = (t: string, align: (typeof AlignmentType)[keyof typeof AlignmentType], indent: { left?: number; right?: number }) =>
    new Paragraph({ alignment: align, indent, children: [run(t, BODY_FONT, PT(VERSION_PT))] });
  // A hair narrower than the text: LibreOffice lays a floating table as wide as the text inline.
  const width = TEXT_W - TW(16);
  const rows: TableRow[] = [];
  const copyTo = n.profile.copyTo.trim();
  const copyLines = copyTo ? Math.max(1, Math.ceil((textWidthChars(`抄送：${copyTo}`) + 2) / (width / one))) : 0;
  if (copyTo) {
    rows.push(
      new TableRow({
        cantSplit: true,
        height: { value: VERSION_ROW * copyLines, rule: HeightRule.ATLEAST },
        children: [
          new TableCell({
            columnSpan: 2,
            verticalAlign: VerticalAlign.CENTER,
            borders: { top: thick, bottom: thin, left: NONE, right: NONE },
            children: [text(`抄送：${copyTo}`, AlignmentType.LEFT, { left: one, right: one })],
          }),
        ],
      }),
    );
  }
  rows.push(
    new TableRow({
      cantSplit: true,
      height: { value: VERSION_ROW, rule: HeightRule.ATLEAST },
      children: [
        new TableCell({
          verticalAlign: VerticalAlign.CENTER,
          borders: { top: copyTo ? thin : thick, bottom: thick, left: NONE, right: NONE },
          children: [text(n.profile.printingOrgan, AlignmentType.LEFT, { left: one })],
        }),
        new TableCell({
          verticalAlign: VerticalAlign.CENTER,
          borders: { top: copyTo ? thin : thick, bottom: thick, left: NONE, right: NONE },
          children: [text(`${dateZh(n.day)}印发`, AlignmentType.RIGHT, { right: one })],
        }),
      ],
    }),
  );
  const height = VERSION_ROW * (copyLines + 1);
  return new Table({
    width: { size: width, type: WidthType.DXA },
    columnWidths: [Math.floor(width * 0.55), width - Math.floor(width * 0.55)],
    layout: TableLayoutType.FIXED,
    borders: { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE },
    float: {
      horizontalAnchor: TableAnchorType.MARGIN,
      verticalAnchor: TableAnchorType.MARGIN,
      absoluteHorizontalPosition: TW(8),
      absoluteVerticalPosition: TEXT_H - height,
      topFromText: TW(14),
    },
    rows,
  });
}

export function noticeChildren(n: NoticeDocument): (Paragraph | Table)[] {
  const f = n.figures;
  const recipients = n.profile.recipients.trim();
  return [
    ...letterhead(n),
    new Paragraph({ children: [], spacing: LINE_28PT }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { line: 700, lineRule: LineRuleType.EXACT }, children: titleRuns(n.title) }),
    ...(n.draft ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [run('（草稿）', KAI_FONT)] })] : []),
    new Paragraph({ children: [], spacing: LINE_28PT }),
    ...(recipients ? [new Paragraph({ spacing: LINE_28PT, children: [run(recipients)] })] : []),
    heading1('一、总体情况'),
    bodyParagraph(overviewText(f)),
    heading1('二、各单位回应情况'),
    bodyParagraph(`按按时回应率由高到低排序如下（承办：本期交办数；按时、超时：本期到期应回应的时限；平均回应用时单位为小时）。`),
    table(['排名', '责任单位', '承办', '回应', '按时', '超时', '按时回应率', '平均回应用时'], departmentRows(f), [14, 38, 13, 13, 13, 13, 25, 27]),
    ...effectSection(f),
    heading1('三、超时事项'),
    ...overdueSection(f),
    heading1('四、经验做法'),
    ...freeText(n.notable),
    heading1('五、舆情热度走势'),
    ...trendSection(f),
    heading1('六、监测运行情况'),
    ...healthLines(f).map((l) => bodyParagraph(l)),
    heading1('七、下一步工作要求'),
    ...freeText(n.requirements),
    ...signature(n),
    disclosureNote(n),
    versionRecord(n),
    // The paragraph the 版记 is anchored to (a document ends with a paragraph).
    new Paragraph({ children: [], spacing: { line: TW(1), lineRule: LineRuleType.EXACT } }),
  ];
}

/** Page numbers "— N —" in 4号 宋体: odd pages on the right, even pages on the left, one character in. */
function footer(side: 'odd' | 'even'): Footer {
  const children: ParagraphChild[] = [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: SONG_FONT, size: PT(14) })];
  const one = TW(14);
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: one } : { left: one },
        children,
      }),
    ],
  });
}

const TITLE_LINE_CHARS = 17;

/**
 * Where a title too long for one line is broken: after a ，、： or before 的舆情… (never inside a
 * word), both lines fitting, the most even split first; none: the title as one run.
 */
export function titleLines(title: string): string[] {
  if (textWidthChars(title) <= TITLE_LINE_CHARS) return [title];
  const cuts: number[] = [];
  for (let i = 1; i < title.length; i++) if (/[，、：]/.test(title[i - 1]) || title.startsWith('的舆情', i)) cuts.push(i);
  const fitting = cuts
    .map((i) => [title.slice(0, i), title.slice(i)])
    .filter(([a, b]) => textWidthChars(a) <= TITLE_LINE_CHARS && textWidthChars(b) <= TITLE_LINE_CHARS)
    .sort((x, y) => Math.abs(textWidthChars(x[0]) - textWidthChars(x[1])) - Math.abs(textWidthChars(y[0]) - textWidthChars(y[1])));
  return fitting[0] ?? [title];
}

/** The title (二号 小标宋, centred), a blank line and the 主送 line, as under the 版头 of every document. */
export function titleBlock(title: string, recipients: string): Paragraph[] {
  return [
    new Paragraph({ children: [], spacing: LINE_28PT }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: 700, lineRule: LineRuleType.EXACT },
      children: titleLines(title).map((l, i) => new TextRun({ text: l, font: TITLE_FONT, size: PT(22), break: i > 0 ? 1 : undefined })),
    }),
    new Paragraph({ children: [], spacing: LINE_28PT }),
    ...(recipients.trim() ? [new Paragraph({ spacing: LINE_28PT, children: [run(recipients.trim())] })] : []),
  ];
}

export async function renderNoticeDocx(n: NoticeDocument): Promise<Buffer> {
  return renderFormDocx({ creator: n.profile.organ, title: n.title, description: `${n.figures.period.label} ${formatYmd(n.day)}` }, noticeChildren(n));
}

/** A document in this form (A4, the margins, the page numbers) with the given body. */
export async function renderFormDocx(meta: { creator: string; title: string; description: string }, children: (Paragraph | Table)[]): Promise<Buffer> {
  const doc = new Document({
    creator: meta.creator,
    title: meta.title,
    description: meta.description,
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: BODY_FONT, size: PT(16) } } } },
    sections: [
      {
        properties: { page: { size: { width: PAGE_W, height: PAGE_H }, margin: { ...MARGIN, header: Math.round(15 * MM), footer: Math.round(28 * MM) - TW(14) } } },
        footers: { default: footer('odd'), even: footer('even') },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
