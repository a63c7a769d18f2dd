import type { Ymd } from '../../core/business-time.js';
import { BRIEF_SECTIONS, type BriefContent, type BriefKind } from '../../core/reports/brief.js';
import type { OfficeProfile } from '../../core/reports/office.js';
import type { SpecialContent } from '../../core/reports/special-brief.js';
import { trendChartPng } from './chart.js';
import { bodyParagraph, caption, chartParagraph, disclosureNote, heading1, letterhead, renderFormDocx, signature, table, titleBlock, versionRecord } from './docx.js';
import { Paragraph, LineRuleType, type Table } from 'docx';

// 舆情快报 and 舆情专报 as Word documents in the same 公文 form as the notice (services/reports/docx.ts):
// 版头 with the profile's mark and the brief's 期号, title, 主送 (the recipient of the 上报), the
// kind's sections in order (快报: 基本情况, 研判, 处置情况; 专报: 舆情概况, 传播情况 with the heat
// chart and the top sources table, 网民主要观点, 研判, 处置情况, 下一步建议), 落款 and 成文日期,
// 公开属性, 版记.

export type BriefDocument = {
  profile: OfficeProfile;
  serial: string;
  day: Ymd;
  recipient: string;
  caseNumber: string;
} & ({ kind?: 'flash'; content: BriefContent } | { kind: 'special'; content: SpecialContent });

/** Under 二、传播情况 of a 专报: 图1 the heat curve (new items as bars, the running total as the line) and 表1 the top sources. */
function spreadFigures(c: SpecialContent): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  if (c.heat.points.some((p) => p.total > 0)) {
    const png = trendChartPng(c.heat.points.map((p) => ({ items: p.items, opened: p.total, label: p.label })));
    const span = c.heat.from === c.heat.to ? c.heat.from : `${c.heat.from}至${c.heat.to}`;
    out.push(
      chartParagraph(png, '柱：新增信息量；折线：累计信息量'),
      caption(`图1　舆情热度走势（${span}，${c.heat.unit === 'hour' ? '每小时' : '每日'}；柱：新增信息，条，左轴；折线：累计信息，条，右轴）`),
    );
  }
  if (c.sources.length > 0) {
    out.push(
      caption('表1　主要传播平台', true),
      table(['序号', '信息来源', '信息量（条）', '占比'], c.sources.map((s, i) => [String(i + 1), s.source, String(s.n), s.share]), [14, 60, 30, 24]),
    );
  }
  return out;
}

export async function renderBriefDocx(b: BriefDocument): Promise<Buffer> {
  const kind: BriefKind = b.kind ?? 'flash';
  const frame = { profile: b.profile, serial: b.serial, day: b.day };
  const recipient = b.recipient.trim();
  const sections = b.content as unknown as Record<string, string[]>;
  const children = [
    ...letterhead(frame),
    ...titleBlock(b.content.title, recipient ? (/[：:]$/.test(recipient) ? recipient : `${recipient}：`) : ''),
    ...BRIEF_SECTIONS[kind].flatMap(([key, heading]) => [
      heading1(heading),
      ...sections[key].map((p) => bodyParagraph(p)),
      ...(b.kind === 'special' && key === 'spread' ? spreadFigures(b.content) : []),
    ]),
    ...signature(frame),
    disclosureNote(frame),
    versionRecord(frame),
    new Paragraph({ children: [], spacing: { line: 20, lineRule: LineRuleType.EXACT } }),
  ];
  return renderFormDocx({ creator: b.profile.organ, title: b.content.title, description: `${b.caseNumber} ${b.serial}` }, children);
}
