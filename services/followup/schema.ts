import { z } from '@hono/zod-openapi';
import { CASE_STATUSES, EFFECT_RATINGS } from '../../core/vocabulary.js';
import { DateTime } from '../shared/schema.js';

export const FEEDBACK_KINDS = ['reaction', 'action', 'release', 'other'] as const;
export const FEEDBACK_KIND_LABELS: Record<(typeof FEEDBACK_KINDS)[number], string> = {
  reaction: '舆论反应',
  action: '后续处置',
  release: '新发布信息',
  other: '其他',
};

export const FeedbackInput = z.object({ kind: z.enum(FEEDBACK_KINDS), body: z.string().trim().min(1).max(10_000) }).strict().openapi('FeedbackInput');

export const FeedbackView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    kind: z.enum(FEEDBACK_KINDS),
    kindLabel: z.string(),
    body: z.string(),
    author: z.object({ id: z.number().int(), name: z.string().nullable() }).nullable(),
    createdAt: DateTime,
  })
  .openapi('Feedback');
export type FeedbackView = z.infer<typeof FeedbackView>;
export const FeedbackList = z.object({ feedback: z.array(FeedbackView) }).openapi('FeedbackList');

export const CloseInput = z
  .object({ effectRating: z.enum(EFFECT_RATINGS), conclusion: z.string().trim().min(1).max(10_000) })
  .strict()
  .openapi('CaseCloseInput');
export const ReopenInput = z.object({ reason: z.string().trim().min(1).max(5_000) }).strict().openapi('CaseReopenInput');

export const CaseStateView = z
  .object({
    id: z.string(),
    status: z.enum(CASE_STATUSES),
    statusLabel: z.string(),
    respondedAt: DateTime.nullable(),
    followUpUntil: DateTime.nullable(),
    closedAt: DateTime.nullable(),
    closedBy: z.number().int().nullable(),
    effectRating: z.enum(EFFECT_RATINGS).nullable(),
    effectRatingLabel: z.string().nullable(),
    conclusion: z.string(),
  })
  .openapi('CaseState');
export type CaseStateView = z.infer<typeof CaseStateView>;

const HeatSide = z.object({ items: z.number().int(), sources: z.number().int(), itemsPerHour: z.number() });

export const HeatView = z
  .object({
    caseId: z.string(),
    /** The first publication; null while nothing is published (then only the window before now is given). */
    publishedAt: DateTime.nullable(),
    windowHours: z.number().int(),
    before: HeatSide,
    after: HeatSide.nullable(),
    newSourcesAfter: z.number().int().nullable(),
    /** One bar per hour; hour 0 starts at the publication (negative: before it). */
    series: z.array(z.object({ hour: z.number().int(), startsAt: DateTime, items: z.number().int() })),
  })
  .openapi('CaseHeat');
export type HeatView = z.infer<typeof HeatView>;
