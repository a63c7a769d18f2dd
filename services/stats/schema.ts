import { z } from '@hono/zod-openapi';
import { OBLIGATION_KINDS } from '../../core/vocabulary.js';
import { DateTime } from '../shared/schema.js';

const Bound = z
  .string()
  .max(40)
  .optional()
  .openapi({ description: '日期（YYYY-MM-DD，按北京时间整日）或 ISO 8601 时间', example: '2026-11-01' });

export const StatsQuery = z.object({ from: Bound, to: Bound });

const Count = z.object({ key: z.string(), label: z.string(), count: z.number().int() });
const NamedCount = z.object({ id: z.number().int(), name: z.string(), count: z.number().int() });

export const StatsView = z
  .object({
    range: z.object({ from: DateTime, to: DateTime, timeZone: z.string() }),
    totals: z.object({ cases: z.number().int() }),
    byLevel: z.array(Count),
    byCategory: z.array(Count),
    byStatus: z.array(Count),
    byDepartment: z.array(NamedCount),
    bySource: z.array(NamedCount),
    onTime: z
      .object({
        judged: z.number().int(),
        onTime: z.number().int(),
        late: z.number().int(),
        openOverdue: z.number().int(),
        rate: z.number().nullable(),
      })
      .openapi({ description: '按时回应率 = 按时完成的回应事项 ÷ 本期到期应回应的事项（本期内履行的，及本期内到期仍未履行的）' }),
    responseTime: z.object({
      count: z.number().int(),
      medianHours: z.number().nullable(),
      p90Hours: z.number().nullable(),
      averageHours: z.number().nullable(),
    }),
    responseHistogram: z
      .array(z.object({ fromHours: z.number(), toHours: z.number().nullable(), count: z.number().int() }))
      .openapi({ description: '回应用时分布：各区间 [fromHours, toHours) 内首次回应的事件数（toHours 为 null 表示以上）' }),
    overdue: z.array(
      z.object({
        obligationId: z.string(),
        caseId: z.string(),
        caseNumber: z.string(),
        caseTitle: z.string(),
        kind: z.enum(OBLIGATION_KINDS),
        kindLabel: z.string(),
        seq: z.number().int(),
        status: z.enum(['open', 'met']),
        dueAt: DateTime,
        metAt: DateTime.nullable(),
        hoursLate: z.number(),
        department: z.object({ id: z.number().int(), name: z.string() }),
      }),
    ),
    daily: z.array(z.object({ day: z.string(), opened: z.number().int(), responded: z.number().int() })),
    departments: z.array(
      z.object({
        rank: z.number().int(),
        id: z.number().int(),
        name: z.string(),
        cases: z.number().int(),
        judged: z.number().int(),
        onTime: z.number().int(),
        onTimeRate: z.number().nullable(),
        responded: z.number().int(),
        averageResponseHours: z.number().nullable(),
        closed: z.number().int().openapi({ description: '本期办结并评定效果的事件数' }),
        goodRate: z.number().nullable().openapi({ description: '好评率：效果评定为好、较好的比例' }),
        heatDrop: z.number().nullable().openapi({ description: '热度下降率：首次回应后 24 小时信息量较前 24 小时下降的比例' }),
        reflareRate: z.number().nullable().openapi({ description: '反弹率：本期重新打开的事件 ÷ 本期办结的事件' }),
        effectScore: z.number().nullable().openapi({ description: '效果得分（0–100），公式见 effectFormula' }),
        effectRank: z.number().int().openapi({ description: '按效果得分的排名' }),
      }),
    ),
    effectFormula: z.string(),
    callbacks: z
      .object({ calledBack: z.number().int(), satisfied: z.number().int(), rate: z.number().nullable() })
      .openapi({ description: '回访满意率（热线、信箱来信）= 最近一次回访为满意或基本满意的事件 ÷ 已回访的事件（本期发现的事件）；无回访：null' }),
  })
  .openapi('Stats');
export type StatsView = z.infer<typeof StatsView>;
