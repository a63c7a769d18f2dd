import { z } from '@hono/zod-openapi';
import { CALLBACK_RESULTS } from '../../core/workflow/origin-windows.js';
import { DateTime } from '../shared/schema.js';

// 回访 of a hotline / mailbox case as the API reads and writes it.

export const CallbackInput = z
  .object({
    caller: z.string().trim().min(1).max(100).optional().openapi({ description: '回访人，缺省为登记人' }),
    callee: z.string().trim().min(1).max(100).openapi({ description: '回访对象（诉求人、来信人）' }),
    calledAt: z.iso.datetime({ offset: true }).optional().openapi({ description: '回访时间，缺省为现在；不能晚于现在，不能早于答复发布；补录最多 24 小时前（BACKFILL_MAX_HOURS），更早须由审核人补录' }),
    result: z.enum(CALLBACK_RESULTS).openapi({ description: '回访结果：satisfied 满意 · basically_satisfied 基本满意 · dissatisfied 不满意' }),
    note: z.string().trim().max(2_000).default('').openapi({ description: '回访情况' }),
  })
  .strict()
  .openapi('CallbackInput');
export type CallbackInput = z.infer<typeof CallbackInput>;

const Person = z.object({ id: z.number().int(), name: z.string().nullable() }).nullable();

export const CallbacksView = z
  .object({
    /** Whether the case takes a 回访 (hotline / mailbox). */
    applies: z.boolean(),
    /** A 回访 is owed now: the latest reply was published after the latest 回访 (or none yet). */
    due: z.boolean(),
    latestPublishedAt: DateTime.nullable().openapi({ description: '最近一次答复发布时间' }),
    callbacks: z.array(
      z.object({
        id: z.string(),
        caller: z.string(),
        callee: z.string(),
        calledAt: DateTime,
        backfilled: z.boolean(),
        result: z.enum(CALLBACK_RESULTS),
        resultLabel: z.string(),
        note: z.string(),
        recordedBy: Person,
        recordedAt: DateTime,
      }),
    ),
  })
  .openapi('Callbacks');
export type CallbacksView = z.infer<typeof CallbacksView>;
