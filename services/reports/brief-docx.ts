import type { Ymd } from '../../core/business-time.js';
import type { BriefContent } from '../../core/reports/brief.js';
import type { OfficeProfile } from '../../core/reports/office.js';
import { bodyParagraph, disclosureNote, heading1, letterhead, renderFormDocx, signature, titleBlock, versionRecord } from './docx.js';
import { Paragraph, LineRuleType } from 'docx';

// 舆情快报 as a Word document in the same 公文 form as the notice (services/reports/docx.ts): 版头
// with the profile's mark and the brief's 期号, title, 主送 (the recipient of the 上报), 一、基本情况,
// 二、研判, 三、处置情况, 落款 and 成文日期, 公开属性, 版记.

export interface BriefDocument {
  profile: OfficeProfile;
  serial: string;
  day: Ymd;
  recipient: string;
  content: BriefContent;
  caseNumber: string;
}

export async function renderBriefDocx(b: BriefDocument): Promise<Buffer> {
  const frame = { profile: b.profile, serial: b.serial, day: b.day };
  const recipient = b.recipient.trim();
  const children = [
    ...letterhead(frame),
    ...titleBlock(b.content.title, recipient ? (/[：:]$/.test(recipient) ? recipient : `${recipient}：`) : ''),
    heading1('一、基本情况'),
    ...b.content.situation.map((p) => bodyParagraph(p)),
    heading1('二、研判'),
    ...b.content.assessment.map((p) => bodyParagraph(p)),
    heading1('三、处置情况'),
    ...b.content.handling.map((p) => bodyParagraph(p)),
    ...signature(frame),
    disclosureNote(frame),
    versionRecord(frame),
    new Paragraph({ children: [], spacing: { line: 20, lineRule: LineRuleType.EXACT } }),
  ];
  return renderFormDocx({ creator: b.profile.organ, title: b.content.title, description: `${b.caseNumber} ${b.serial}` }, children);
}
