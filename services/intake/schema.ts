import { z } from '@hono/zod-openapi';
import { MEDIA_TYPES } from '../../core/vocabulary.js';
import { TOKEN_SCOPES } from '../../db/schema-tokens.js';
import { DateTime } from '../shared/schema.js';

// API tokens and the intake API (POST /api/intake/items).

export const MAX_INTAKE_ITEMS = 500;

export const ApiTokenCreate = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: '12345 热线对接' }),
    scopes: z
      .array(z.enum(TOKEN_SCOPES))
      .min(1)
      .max(TOKEN_SCOPES.length)
      .default(['items:submit'])
      .transform((s) => [...new Set(s)])
      .openapi({ description: 'items:submit 推送条目；items:read 预留（只读）' }),
  })
  .strict()
  .openapi('ApiTokenCreate');
export type ApiTokenCreate = z.infer<typeof ApiTokenCreate>;

export const ApiTokenView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    /** The secret's first characters, to tell tokens apart. */
    prefix: z.string(),
    scopes: z.array(z.enum(TOKEN_SCOPES)),
    createdAt: DateTime,
    createdBy: z.string().nullable(),
    lastUsedAt: DateTime.nullable(),
    revokedAt: DateTime.nullable(),
  })
  .openapi('ApiToken');
export type ApiTokenView = z.infer<typeof ApiTokenView>;

export const ApiTokenList = z.object({ tokens: z.array(ApiTokenView) });

export const ApiTokenCreated = ApiTokenView.extend({
  token: z.string().openapi({ description: '令牌明文，只在创建时返回一次', example: 'odk_…' }),
}).openapi('ApiTokenCreated');

/** One pushed item: validated one by one, so a bad item is rejected with its reason and the rest go on. */
export const IntakeItem = z
  .object({
    title: z.string().trim().min(1).max(500),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    externalId: z.string().trim().min(1).max(200).optional().openapi({ description: '来源系统中的编号（无网址时必填）' }),
    publishedAt: z.iso.datetime({ offset: true }).optional().openapi({ description: '发布时间（ISO 8601，带时区）；缺省为接收时间' }),
    text: z.string().max(100_000).default(''),
    author: z.string().trim().max(200).default(''),
    sourceName: z.string().trim().min(1).max(200).openapi({ description: '来源名称：同一令牌下同名来源归入同一个接口推送监测源', example: '12345热线' }),
    mediaType: z.enum(MEDIA_TYPES).default('other').openapi({ description: '媒体类型（新建监测源时采用）' }),
  })
  .strict()
  .refine((it) => it.url !== undefined || it.externalId !== undefined, {
    message: 'needs url or externalId',
    params: { messageZh: '网址（url）和外部编号（externalId）至少填写一个' },
    path: ['url'],
  })
  .openapi('IntakeItem');
export type IntakeItem = z.infer<typeof IntakeItem>;

export const IntakeBatch = z
  .object({
    items: z
      .array(z.unknown())
      .min(1)
      .max(MAX_INTAKE_ITEMS)
      .openapi({ type: 'array', items: { $ref: '#/components/schemas/IntakeItem' }, description: `1 至 ${MAX_INTAKE_ITEMS} 条；每条单独校验，不合格的条目在结果中列为 rejected` }),
  })
  .strict()
  .openapi('IntakeBatch');

export const IntakeItemResult = z
  .object({
    index: z.number().int(),
    status: z.enum(['accepted', 'duplicate', 'rejected']),
    /** The item's identity (its canonical URL, or ext:<source>:<externalId>); absent when rejected. */
    key: z.string().optional(),
    reason: z.string().optional(),
    reasonZh: z.string().optional(),
  })
  .openapi('IntakeItemResult');
export type IntakeItemResult = z.infer<typeof IntakeItemResult>;

export const IntakeResult = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    results: z.array(IntakeItemResult),
  })
  .openapi('IntakeResult');
export type IntakeResult = z.infer<typeof IntakeResult>;
