import { z } from '@hono/zod-openapi';
import { CATEGORIES, LEVELS, RULE_SCOPES } from '../../core/vocabulary.js';
import { DateTime } from '../shared/schema.js';
import { PushPolicySchema } from '../alerts/push-schema.js';

const fields = {
  name: z.string().trim().min(1).max(200),
  expression: z.string().trim().min(1).max(2000).openapi({ example: '(永济|蒲州)+(拆迁|补偿|强拆)-(招聘|广告)' }),
  scope: z.enum(RULE_SCOPES).openapi({ description: 'title: 只匹配标题; title_text: 标题和正文' }),
  negativeOnly: z.boolean().openapi({ description: '只匹配负面信息' }),
  suggestedLevel: z.enum(LEVELS),
  suggestedCategory: z.enum(CATEGORIES),
  suggestedDepartmentId: z.number().int().min(1).nullable(),
  enabled: z.boolean(),
  pushPolicy: PushPolicySchema.nullable().openapi({ description: '预警推送策略；null：使用默认策略' }),
};

export const RuleCreate = z
  .object({
    ...fields,
    scope: fields.scope.default('title_text'),
    negativeOnly: fields.negativeOnly.default(false),
    suggestedLevel: fields.suggestedLevel.default('general'),
    suggestedCategory: fields.suggestedCategory.default('other'),
    suggestedDepartmentId: fields.suggestedDepartmentId.default(null),
    enabled: fields.enabled.default(true),
    pushPolicy: fields.pushPolicy.default(null),
  })
  .strict()
  .openapi('RuleCreate');
export type RuleCreate = z.infer<typeof RuleCreate>;

export const RulePatch = z
  .object({
    name: fields.name.optional(),
    expression: fields.expression.optional(),
    scope: fields.scope.optional(),
    negativeOnly: fields.negativeOnly.optional(),
    suggestedLevel: fields.suggestedLevel.optional(),
    suggestedCategory: fields.suggestedCategory.optional(),
    suggestedDepartmentId: fields.suggestedDepartmentId.optional(),
    enabled: fields.enabled.optional(),
    pushPolicy: fields.pushPolicy.optional(),
  })
  .strict()
  .openapi('RulePatch');
export type RulePatch = z.infer<typeof RulePatch>;

export const RuleView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    expression: z.string(),
    scope: z.enum(RULE_SCOPES),
    negativeOnly: z.boolean(),
    suggestedLevel: z.enum(LEVELS),
    suggestedLevelLabel: z.string(),
    suggestedCategory: z.enum(CATEGORIES),
    suggestedCategoryLabel: z.string(),
    suggestedDepartmentId: z.number().int().nullable(),
    suggestedDepartmentName: z.string().nullable(),
    enabled: z.boolean(),
    pushPolicy: PushPolicySchema.nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .openapi('Rule');
export type RuleView = z.infer<typeof RuleView>;

export const RuleList = z.object({ rules: z.array(RuleView) });

export const RuleTestInput = z
  .object({
    expression: fields.expression,
    scope: fields.scope.default('title_text'),
    negativeOnly: fields.negativeOnly.default(false),
    limit: z.number().int().min(1).max(5000).default(500).openapi({ description: '试运行扫描最近的多少条信息' }),
  })
  .strict()
  .openapi('RuleTestInput');
export type RuleTestInput = z.infer<typeof RuleTestInput>;

export const RuleTestMatch = z.object({
  itemId: z.string(),
  title: z.string(),
  url: z.string(),
  sourceName: z.string(),
  publishedAt: DateTime,
  words: z.array(z.string()),
});

export const RuleTestResult = z.object({ matched: z.array(RuleTestMatch), scanned: z.number().int() }).openapi('RuleTestResult');
export type RuleTestResult = z.infer<typeof RuleTestResult>;
