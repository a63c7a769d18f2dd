import { LineRuleType, Paragraph } from 'docx';
import type { Ymd } from '../../core/business-time.js';
import { dailySections, type DailyFigures } from '../../core/reports/daily.js';
import type { OfficeProfile } from '../../core/reports/office.js';
import { bodyParagraph, disclosureNote, heading1, letterhead, renderFormDocx, signature, titleBlock, versionRecord } from './docx.js';

// 舆情日报 as a Word document in the same 公文 form as the notice (services/reports/docx.ts): 版头
// with the profile's mark and the brief's 期号 (kind 'daily'), title with the date in Chinese form,
// 主送, 一、新增舆情, 二、今明两日到期事项, 三、超期未办事项, 四、重点时段, 落款 and 成文日期, 公开属性, 版记.

export interface DailyDocument {
  profile: OfficeProfile;
  serial: string;
  day: Ymd;
  title: string;
  figures: DailyFigures;
}

export async function renderDailyDocx(d: DailyDocument): Promise<Buffer> {
  const frame = { profile: d.profile, serial: d.serial, day: d.day };
  const children = [
    ...letterhead(frame),
    ...titleBlock(d.title, d.profile.recipients),
    ...dailySections(d.figures).flatMap((s) => [heading1(s.heading), ...s.paragraphs.map((p) => bodyParagraph(p))]),
    ...signature(frame),
    disclosureNote(frame),
    versionRecord(frame),
    new Paragraph({ children: [], spacing: { line: 20, lineRule: LineRuleType.EXACT } }),
  ];
  return renderFormDocx({ creator: d.profile.organ, title: d.title, description: `${d.title} ${d.serial}` }, children);
}
