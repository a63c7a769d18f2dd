import { z } from '@hono/zod-openapi';
import { ALERT_STATUSES, MEDIA_TYPES } from '../../core/vocabulary.js';
import { BigId, Cursor, DateTime, Limit, QueryDate } from '../shared/schema.js';

export const ItemQuery = z.object({
  q: z.string().trim().max(200).optional().openapi({ description: '标题或正文包含的文字' }),
  sourceId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  storyId: BigId.optional(),
  mediaType: z.enum(MEDIA_TYPES).optional().openapi({ description: '媒体类型' }),
  ruleId: z.coerce.number().int().min(1).max(2_147_483_647).optional().openapi({ description: '命中的监测方案' }),
  town: z.string().trim().min(1).max(60).optional().openapi({ description: '地域：提到该乡镇（街道）的信息（乡镇代码，见 GET /api/area/towns）' }),
  from: QueryDate.openapi({ description: '发布时间不早于（含）' }),
  to: QueryDate.openapi({ description: '发布时间早于（不含）' }),
  limit: Limit(50, 200),
  cursor: Cursor,
});
export type ItemQuery = z.infer<typeof ItemQuery>;

export const ItemView = z
  .object({
    id: z.string(),
    sourceId: z.number().int(),
    sourceName: z.string(),
    mediaType: z.enum(MEDIA_TYPES),
    storyId: z.string().nullable(),
    url: z.string(),
    title: z.string(),
    text: z.string(),
    author: z.string(),
    publishedAt: DateTime,
    publishedAtEstimated: z.boolean(),
    fetchedAt: DateTime,
    negativity: z.number(),
    matchedRuleIds: z.array(z.number().int()),
    matchedWords: z.array(z.string()),
    places: z.array(z.string()).openapi({ description: '地域：信息中提到的本辖区乡镇、村（社区）', example: ['龙山镇石桥村'] }),
    alert: z
      .object({ id: z.string(), status: z.enum(ALERT_STATUSES), caseId: z.string().nullable() })
      .nullable()
      .openapi({ description: '所在同题聚合的预警（无则为 null）' }),
  })
  .openapi('Item');
export type ItemView = z.infer<typeof ItemView>;

export const ItemPage = z.object({ items: z.array(ItemView), nextCursor: z.string().nullable() }).openapi('ItemPage');
