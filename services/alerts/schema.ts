import { z } from '@hono/zod-openapi';
import { ALERT_STATUSES, CATEGORIES, DISMISS_REASONS, LEVELS } from '../../core/vocabulary.js';
import { BigId, Cursor, DateTime, Heat, Limit } from '../shared/schema.js';

export const AlertQuery = z.object({
  status: z.enum(ALERT_STATUSES).optional(),
  limit: Limit(50, 200),
  cursor: Cursor,
});

const DismissNote = z.string().trim().max(500).optional().openapi({ description: '排除说明（可选）' });

export const DismissInput = z.object({ reason: z.enum(DISMISS_REASONS), note: DismissNote }).strict().openapi('DismissInput');

export const BulkDismissInput = z
  .object({ ids: z.array(BigId).min(1).max(200), reason: z.enum(DISMISS_REASONS), note: DismissNote })
  .strict()
  .openapi('BulkDismissInput');

export const AlertView = z
  .object({
    id: z.string(),
    storyId: z.string(),
    status: z.enum(ALERT_STATUSES),
    statusLabel: z.string(),
    storyTitle: z.string(),
    heat: Heat,
    matchedWords: z.array(z.string()),
    rules: z.array(z.object({ id: z.number().int(), name: z.string().nullable() })),
    suggestedLevel: z.enum(LEVELS),
    suggestedLevelLabel: z.string(),
    suggestedCategory: z.enum(CATEGORIES),
    suggestedCategoryLabel: z.string(),
    suggestedDepartment: z.object({ id: z.number().int(), name: z.string().nullable() }).nullable(),
    spike: z.boolean(),
    spikeAt: DateTime.nullable(),
    negativity: z.number(),
    firstItemUrl: z.string().nullable(),
    sourceNames: z.array(z.string()),
    places: z.array(z.string()).openapi({ description: '地域：信息中提到的本辖区乡镇、村（社区），如“龙山镇石桥村”', example: ['龙山镇石桥村'] }),
    dismissReason: z.enum(DISMISS_REASONS).nullable(),
    dismissReasonLabel: z.string().nullable(),
    dismissedAt: DateTime.nullable(),
    dismissedBy: z.string().nullable(),
    dismissNote: z.string(),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .openapi('Alert');
export type AlertView = z.infer<typeof AlertView>;

export const AlertPage = z
  .object({
    alerts: z.array(AlertView),
    nextCursor: z.string().nullable(),
    newCount: z.number().int().openapi({ description: '待研判预警总数（不受筛选和分页影响）' }),
  })
  .openapi('AlertPage');

export const BulkDismissResult = z
  .object({
    dismissed: z.array(AlertView),
    skipped: z.array(z.object({ id: z.string(), status: z.string() })),
  })
  .openapi('BulkDismissResult');
