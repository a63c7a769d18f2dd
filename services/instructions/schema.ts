import { z } from '@hono/zod-openapi';
import { BigId, DateTime } from '../shared/schema.js';

// 领导批示: request and answer shapes of the instruction routes.

export const InstructionParams = z.object({
  id: BigId.openapi({ param: { name: 'id', in: 'path' }, example: '1' }),
  iid: BigId.openapi({ param: { name: 'iid', in: 'path' }, example: '1' }),
});

export const InstructionInput = z
  .object({
    content: z.string().trim().min(1).max(5_000).openapi({ example: '请住建局迅速核实情况，妥善回应群众关切。' }),
    reportWithinHours: z.number().int().min(1).max(720).optional().openapi({ description: '请于 N 小时内报告办理情况（不填：不设时限）' }),
  })
  .strict()
  .openapi('InstructionInput');
export type InstructionInput = z.infer<typeof InstructionInput>;

export const InstructionReportInput = z
  .object({ content: z.string().trim().min(1).max(20_000).openapi({ example: '已约谈施工单位，夜间停工，明日回复网民。' }) })
  .strict()
  .openapi('InstructionReportInput');
export type InstructionReportInput = z.infer<typeof InstructionReportInput>;

export const InstructionView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    authorId: z.number().int().nullable(),
    authorName: z.string(),
    content: z.string(),
    createdAt: DateTime,
    reportWithinHours: z.number().int().nullable(),
    obligationId: z.string().nullable(),
    dueAt: DateTime.nullable().openapi({ description: '报告办理情况的时限' }),
    report: z
      .object({ at: DateTime, byId: z.number().int().nullable(), byName: z.string(), content: z.string(), onTime: z.boolean().nullable() })
      .nullable()
      .openapi({ description: '办理情况报告（未报告：null）' }),
  })
  .openapi('Instruction');
export type InstructionView = z.infer<typeof InstructionView>;

export const InstructionList = z.object({ instructions: z.array(InstructionView) }).openapi('InstructionList');
