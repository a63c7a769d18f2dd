import { z } from '@hono/zod-openapi';
import { BRIEF_KINDS, BRIEF_SECTIONS } from '../../core/reports/brief.js';
import { DateTime } from '../shared/schema.js';

const Section = (description: string) => z.string().trim().min(1).max(5000).openapi({ description: `${description}（每行一段）` });

export const BriefText = z
  .object({ situation: Section('一、基本情况'), assessment: Section('二、研判'), handling: Section('三、处置情况') })
  .strict()
  .openapi('CaseBriefText');

export const SpecialBriefText = z
  .object({
    overview: Section('一、舆情概况'),
    spread: Section('二、传播情况（图表按事件情况生成）'),
    views: Section('三、网民主要观点'),
    assessment: Section('四、研判'),
    handling: Section('五、处置情况'),
    next: Section('六、下一步建议'),
  })
  .strict()
  .openapi('CaseSpecialBriefText');

const Kind = z.enum(BRIEF_KINDS).openapi({ description: '种类：flash 舆情快报，special 舆情专报', example: 'flash' });

export const BriefInput = z
  .object({
    kind: Kind.default('flash'),
    recipient: z.string().trim().min(1).max(200).openapi({ description: '报送对象（主送，亦为上报记录的接收方）', example: '市委办公室、市政府办公室' }),
    text: z.union([BriefText, SpecialBriefText]).optional().openapi({ description: '经办人修改后的正文，各部分与种类相符（不填：按事件情况生成）' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.text && !BRIEF_SECTIONS[v.kind].every(([k]) => k in v.text!)) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'the sections do not match the kind of brief', params: { messageZh: '正文各部分与报告种类不符' } });
    }
  })
  .openapi('CaseBriefInput');

export const BriefKindQuery = z.object({ kind: Kind.default('flash') });

export const CaseBriefView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    kind: z.enum(BRIEF_KINDS),
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
export const CaseBriefDraft = z
  .object({ kind: z.enum(BRIEF_KINDS), title: z.string() })
  .extend(BriefText.partial().shape)
  .extend(SpecialBriefText.partial().shape)
  .openapi('CaseBriefDraft', { description: '各部分正文（与种类相符的部分）' });
export const CaseBriefList = z.object({ briefs: z.array(CaseBriefView) }).openapi('CaseBriefList');
