import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type ParagraphChild,
} from 'docx';
import { BUSINESS_TZ } from '../../core/business-time.js';
import { hoursText, percentText, type ReportFigures } from '../../core/reports/figures.js';
import { lateText, overviewText } from '../../core/reports/text.js';
import { trendChartPng } from './chart.js';

// The notice as a Word document in the layout of an official document (公文, GB/T 9704): A4,
// margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in 方正小标宋简体 二号 (22 pt),
// body in 仿宋_GB2312 三号 (16 pt) at a fixed 28 pt line, first-level headings in 黑体, second-level
// in 楷体_GB2312, page numbers "— N —" in the footer. Rendered from the stored figures and the
// free text only, so the same inputs always make the same document body.

const MM = 56.6929; // twips per millimetre
const PAGE_W = Math.round(210 * MM);
const PAGE_H = Math.round(297 * MM);
const MARGIN = { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) };
const TEXT_W = PAGE_W - MARGIN.left - MARGIN.right;

const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体' };
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' };
const HEI_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
const KAI_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '楷体_GB2312' };
const SONG_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const PT = (pt: number) => pt * 2; // docx sizes are half-points
const LINE_28PT = { line: 560, lineRule: LineRuleType.EXACT };

export interface NoticeDocument {
  title: string;
  office: string;
  /** The date line: when it was issued, or (draft) generated. 'YYYY年M月D日'. */
  dateText: string;
  draft: boolean;
  figures: ReportFigures;
  notable: string;
  requirements: string;
}

const run = (text: string, font = BODY_FONT, size = PT(16), bold = false) => new TextRun({ text, font, size, bold });

function bodyParagraph(text: string, indent = true): Paragraph {
  return new Paragraph({ children: [run(text)], spacing: LINE_28PT, indent: indent ? { firstLine: PT(16) * 20 } : undefined, alignment: AlignmentType.JUSTIFIED });
}

function heading1(text: string): Paragraph {
  return new Paragraph({ children: [run(text, HEI_FONT)], spacing: LINE_28PT, indent: { firstLine: PT(16) * 20 } });
}

function heading2(text: string): Paragraph {
  return new Paragraph({ children: [run(text, KAI_FONT)], spacing: LINE_28PT, indent: { firstLine: PT(16) * 20 } });
}

function freeText(text: string): Paragraph[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => bodyParagraph(l));
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

function table(header: string[], rows: string[][], widthsMm: number[]): Table {
  const total = widthsMm.reduce((a, b) => a + b, 0);
  const widths = widthsMm.map((w) => Math.floor((w / total) * TEXT_W));
  const cell = (text: string, i: number, head: boolean) =>
    new TableCell({
      width: { size: widths[i], type: WidthType.DXA },
      verticalAlign: VerticalAlign.CENTER,
      children: [
        new Paragraph({
          alignment: i === 1 && !head ? AlignmentType.LEFT : AlignmentType.CENTER,
          children: [new TextRun({ text, font: head ? HEI_FONT : BODY_FONT, size: PT(12) })],
        }),
      ],
    });
  return new Table({
    width: { size: TEXT_W, type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h, i) => cell(h, i, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((t, i) => cell(t, i, false)) })),
    ],
  });
}

function caption(text: string): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, font: KAI_FONT, size: PT(12) })] });
}

const shanghaiTime = new Intl.DateTimeFormat('zh-CN', { timeZone: BUSINESS_TZ, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

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
        shanghaiTime.format(new Date(o.dueAt)),
        `${lateText(o.hoursLate)}${o.status === 'open' ? '（仍未完成）' : ''}`,
      ]),
      [10, 52, 26, 24, 24, 30],
    ),
  ];
}

/** Trend rows for the table under the chart: per day up to 31 days, else per 7-day block. */
export function trendRows(f: ReportFigures): string[][] {
  const t = f.trend;
  if (t.length <= 31) return t.map((d) => [d.day.slice(5), String(d.items), String(d.alerts), String(d.opened), String(d.responded)]);
  const rows: string[][] = [];
  for (let i = 0; i < t.length; i += 7) {
    const block = t.slice(i, i + 7);
    const sum = (k: 'items' | 'alerts' | 'opened' | 'responded') => String(block.reduce((n, d) => n + d[k], 0));
    rows.push([`${block[0].day.slice(5)}至${block[block.length - 1].day.slice(5)}`, sum('items'), sum('alerts'), sum('opened'), sum('responded')]);
  }
  return rows;
}

function trendSection(f: ReportFigures): (Paragraph | Table)[] {
  const png = trendChartPng(f.trend.map((d) => ({ items: d.items, opened: d.opened })));
  const widthPx = 600;
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new ImageRun({ type: 'png', data: png, transformation: { width: widthPx, height: Math.round(widthPx * 0.4) }, altText: { name: 'trend', title: '舆情热度走势', description: '柱：每日监测信息量；折线：每日立案数' } })],
    }),
    caption('图1　舆情热度走势（柱：每日监测信息量；折线：每日立案数）'),
    table(['日期', '监测信息', '预警', '立案', '回应'], trendRows(f), [36, 24, 20, 20, 20]),
  ];
}

function healthSection(f: ReportFigures): Paragraph[] {
  const h = f.crawlHealth;
  const list = (xs: { name: string; failures: number; lastStatusLabel: string }[]) => xs.map((s) => `${s.name}（${s.failures}次，最近：${s.lastStatusLabel}）`).join('、');
  const out = [bodyParagraph(`本期${h.sources}个监测源共抓取${h.fetches}次。`)];
  out.push(bodyParagraph(h.unreachable.length ? `无法访问的监测源${h.unreachable.length}个：${list(h.unreachable)}。` : '无无法访问的监测源。'));
  out.push(bodyParagraph(h.blocked.length ? `被拦截或拒绝的监测源${h.blocked.length}个：${list(h.blocked)}。` : '无被拦截的监测源。'));
  out.push(bodyParagraph(h.silent.length ? `本期无新增信息的监测源${h.silent.length}个：${h.silent.map((s) => s.name).join('、')}。` : '各监测源本期均有新增信息。'));
  return out;
}

export function noticeChildren(n: NoticeDocument): (Paragraph | Table)[] {
  const f = n.figures;
  return [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { line: 700, lineRule: LineRuleType.EXACT }, children: [run(n.title, TITLE_FONT, PT(22))] }),
    ...(n.draft ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [run('（草稿）', KAI_FONT)] })] : []),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: LINE_28PT, children: [run(`${n.office}　　${n.dateText}`, KAI_FONT)] }),
    new Paragraph({ children: [] }),
    heading1('一、总体情况'),
    bodyParagraph(overviewText(f)),
    heading1('二、各单位回应情况'),
    bodyParagraph(`按按时回应率排名如下（受理：本期立案数；按时、超时：本期判定的回应时限；平均回应用时单位为小时）。`),
    table(['排名', '责任单位', '受理', '回应', '按时', '超时', '按时回应率', '平均回应用时'], departmentRows(f), [12, 46, 14, 14, 14, 14, 24, 26]),
    heading1('三、超时事项'),
    ...overdueSection(f),
    heading1('四、好的做法'),
    ...freeText(n.notable),
    heading1('五、舆情热度走势'),
    ...trendSection(f),
    heading1('六、监测运行情况'),
    ...healthSection(f),
    heading1('七、下一步工作要求'),
    ...freeText(n.requirements),
    new Paragraph({ children: [] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: LINE_28PT, children: [run(n.office)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: LINE_28PT, children: [run(n.dateText)] }),
  ];
}

function footer(): Footer {
  const children: ParagraphChild[] = [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: SONG_FONT, size: PT(14) })];
  return new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children })] });
}

export async function renderNoticeDocx(n: NoticeDocument): Promise<Buffer> {
  const doc = new Document({
    creator: n.office,
    title: n.title,
    description: n.figures.period.label,
    styles: { default: { document: { run: { font: BODY_FONT, size: PT(16) } } } },
    sections: [
      {
        properties: { page: { size: { width: PAGE_W, height: PAGE_H }, margin: { ...MARGIN, header: Math.round(15 * MM), footer: Math.round(20 * MM) } } },
        footers: { default: footer() },
        children: noticeChildren(n),
      },
    ],
  });
  return Packer.toBuffer(doc);
}
