import { z } from '@hono/zod-openapi';
import { DISCLOSURES, serialFormatValid } from '../../core/reports/office.js';
import { DateTime } from '../shared/schema.js';

const Line = (max: number, description: string, example: string) => z.string().trim().max(max).openapi({ description, example });
const Required = (max: number, description: string, example: string) => z.string().trim().min(1).max(max).openapi({ description, example });
const SerialFormat = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .refine(serialFormatValid, { message: 'must contain {号} exactly once', params: { messageZh: '须且只能包含一个 {号}（期号数字）' } })
  .openapi({ description: '期号格式：{年} 为年份，{号} 为当年顺序号', example: '〔{年}〕第{号}期' });

export const OfficeProfileInput = z
  .object({
    organ: Required(100, '发文机关全称', '清河市人民政府办公室'),
    mark: Required(40, '版头发文机关标志', '清河市政务舆情通报'),
    serialFormats: z.object({ weekly: SerialFormat, monthly: SerialFormat, quarterly: SerialFormat, range: SerialFormat, flash: SerialFormat.optional().openapi({ description: '舆情快报期号格式（不填：保留现有格式）' }), daily: SerialFormat.optional().openapi({ description: '舆情日报期号格式（不填：保留现有格式）' }), special: SerialFormat.optional().openapi({ description: '舆情专报期号格式（不填：保留现有格式）' }) }).strict(),
    recipients: Line(300, '主送机关（可为空）', '各乡镇人民政府、街道办事处，市直各部门：'),
    copyTo: Line(300, '抄送机关（可为空）', '市委办公室，市人大常委会办公室，市政协办公室。'),
    printingOrgan: Required(100, '印发机关', '清河市人民政府办公室'),
    signature: Required(100, '落款（发文机关署名）', '清河市人民政府办公室'),
    disclosure: z.enum(DISCLOSURES).openapi({ description: '公开属性：public 主动公开，on_request 依申请公开，not_public 不予公开' }),
    rectificationTo: Required(100, '整改情况报送单位', '市政府办公室政务公开科'),
  })
  .strict()
  .openapi('OfficeProfileInput');
export type OfficeProfileInput = z.infer<typeof OfficeProfileInput>;

export const OfficeProfileView = z
  .object({
    organ: z.string(),
    mark: z.string(),
    serialFormats: z.object({ weekly: z.string(), monthly: z.string(), quarterly: z.string(), range: z.string(), flash: z.string().optional(), daily: z.string().optional(), special: z.string().optional() }),
    recipients: z.string(),
    copyTo: z.string(),
    printingOrgan: z.string(),
    signature: z.string(),
    disclosure: z.enum(DISCLOSURES),
    disclosureLabel: z.string(),
    rectificationTo: z.string(),
    updatedAt: DateTime,
    updatedBy: z.string().nullable(),
  })
  .openapi('OfficeProfile');
export type OfficeProfileView = z.infer<typeof OfficeProfileView>;
