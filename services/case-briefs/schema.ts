import { z } from '@hono/zod-openapi';
import { DateTime } from '../shared/schema.js';

const Section = (description: string) => z.string().trim().min(1).max(5000).openapi({ description: `${description}（每行一段）` });

export const BriefText = z
  .object({ situation: Section('一、基本情况'), assessment: Section('二、研判'), handling: Section('三、处置情况') })
  .strict()
  .openapi('CaseBriefText');

export const BriefInput = z
  .object({
    recipient: z.string().trim().min(1).max(200).openapi({ description: '报送对象（主送，亦为上报记录的接收方）', example: '市委办公室、市政府办公室' }),
    text: BriefText.optional().openapi({ description: '经办人修改后的正文（不填：按事件情况生成）' }),
  })
  .strict()
  .openapi('CaseBriefInput');

export const CaseBriefView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    title: z.string(),
    recipient: z.string(),
    serial: z.string().openapi({ description: '期号', example: '〔2026〕快报第1期' }),
    fileName: z.string(),
    reportUpId: z.string().nullable(),
    issuedBy: z.string().nullable(),
    issuedAt: DateTime,
  })
  .openapi('CaseBrief');
export type CaseBriefView = z.infer<typeof CaseBriefView>;

export const CaseBriefIssued = CaseBriefView.extend({ met: z.array(z.object({ id: z.string(), kind: z.string(), onTime: z.boolean() })) }).openapi('CaseBriefIssued');
export const CaseBriefDraft = BriefText.extend({ title: z.string() }).openapi('CaseBriefDraft');
export const CaseBriefList = z.object({ briefs: z.array(CaseBriefView) }).openapi('CaseBriefList');
