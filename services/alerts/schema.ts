import { z } from '@hono/zod-openapi';
import { ALERT_STATUSES, CATEGORIES, DISMISS_REASONS, LEVELS } from '../../core/vocabulary.js';
import { Cursor, DateTime, Heat, Limit } from '../shared/schema.js';

export const AlertQuery = z.object({
  status: z.enum(ALERT_STATUSES).optional(),
  limit: Limit(50, 200),
  cursor: Cursor,
});

export const DismissInput = z.object({ reason: z.enum(DISMISS_REASONS) }).strict().openapi('DismissInput');

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
    dismissReason: z.enum(DISMISS_REASONS).nullable(),
    dismissReasonLabel: z.string().nullable(),
    dismissedAt: DateTime.nullable(),
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
