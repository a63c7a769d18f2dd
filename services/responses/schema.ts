import { z } from '@hono/zod-openapi';
import { CASE_STATUSES, CHANNELS, OBLIGATION_KINDS, RESPONSE_STATUSES } from '../../core/vocabulary.js';
import { BigId, DateTime } from '../shared/schema.js';
import { APPROVAL_STEP_KINDS } from '../../core/workflow/approval.js';

export const CaseResponseParams = z.object({
  id: BigId.openapi({ param: { name: 'id', in: 'path' }, example: '1' }),
  rid: BigId.openapi({ param: { name: 'rid', in: 'path' }, example: '1' }),
});

const Body = z.string().trim().min(1).max(20_000);

export const DraftInput = z.object({ body: Body }).strict().openapi('ResponseDraftInput');
export const EditInput = z.object({ body: Body }).strict().openapi('ResponseEditInput');
export const SubmitInput = z
  .object({
    secrecyConfirmed: z.boolean().optional().openapi({ description: '保密审查（必须为 true）：已按保密审查制度审查，不涉及国家秘密、工作秘密和个人隐私（记录确认人和时间）' }),
  })
  .strict()
  .openapi('ResponseSubmitInput');
export const ReturnInput = z
  .object({ comment: z.string().trim().min(1).max(5_000).openapi({ description: '退回意见（必填）' }) })
  .strict()
  .openapi('ResponseReturnInput');
export const CountersignInput = z
  .object({
    decision: z.enum(['confirm', 'return']).openapi({ description: 'confirm：内容准确一致；return：退回修改（须填写意见）' }),
    comment: z.string().trim().max(5_000).default('').openapi({ description: '会签意见（退回时必填）' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.decision === 'return' && v.comment.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['comment'], message: 'a return needs a comment', params: { messageZh: '退回须填写会签意见' } });
    }
  })
  .openapi('ResponseCountersignInput');

export const PublishInput = z
  .object({
    channel: z.enum(CHANNELS),
    url: z.url({ protocol: /^https?$/ }).max(2_000).optional(),
    publishedAt: z.iso.datetime({ offset: true }).optional().openapi({ description: '发布时间，缺省为现在；不早于审核通过时间，补录最多 24 小时前（BACKFILL_MAX_HOURS），更早须由审核人补录' }),
  })
  .strict()
  .openapi('ResponsePublishInput');

const Person = z.object({ id: z.number().int(), name: z.string().nullable() }).nullable();

export const ResponseView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    status: z.enum(RESPONSE_STATUSES),
    statusLabel: z.string(),
    body: z.string(),
    /** 分类处理: the kind of response the case's category expects. */
    expectedKind: z.string(),
    draftedBy: Person,
    draftedAt: DateTime,
    submittedBy: Person,
    submittedAt: DateTime.nullable(),
    reviewedBy: Person,
    reviewedAt: DateTime.nullable(),
    reviewComment: z.string(),
    publishedBy: Person,
    publishedAt: DateTime.nullable(),
    /** 补录: the publication time was typed in afterwards. */
    backfilled: z.boolean(),
    channel: z.enum(CHANNELS).nullable(),
    channelLabel: z.string().nullable(),
    url: z.string(),
    /** 保密审查 confirmed on submit (the latest submission): by whom, when. */
    secrecyConfirmedBy: Person,
    secrecyConfirmedAt: DateTime.nullable(),
    /** 审批链: the steps of the chain this response was submitted under, each done / current / pending. */
    approvalChain: z.array(
      z.object({
        step: z.number().int(),
        kind: z.enum(APPROVAL_STEP_KINDS),
        label: z.string(),
        state: z.enum(['done', 'current', 'pending']),
        decidedBy: Person,
        decidedAt: DateTime.nullable(),
      }),
    ),
    /** Every approval step taken (approve / return, with the comment), oldest first. */
    approvals: z.array(
      z.object({
        step: z.number().int(),
        kind: z.enum(APPROVAL_STEP_KINDS),
        label: z.string(),
        decision: z.enum(['approve', 'return']),
        comment: z.string(),
        decidedBy: Person,
        decidedAt: DateTime,
      }),
    ),
    /** 会签: the co-departments asked at the latest submission, each confirmed / returned / pending. */
    countersign: z.object({
      pending: z.boolean(),
      departments: z.array(
        z.object({
          departmentId: z.number().int(),
          name: z.string(),
          state: z.enum(['confirmed', 'returned', 'pending']),
          comment: z.string(),
          decidedBy: Person,
          decidedAt: DateTime.nullable(),
        }),
      ),
    }),
    /** Every 会签 sign-off (confirm / return with the comment), oldest first. */
    countersigns: z.array(
      z.object({
        departmentId: z.number().int().nullable(),
        name: z.string(),
        decision: z.enum(['confirm', 'return']),
        comment: z.string(),
        decidedBy: Person,
        decidedAt: DateTime,
      }),
    ),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .openapi('Response');
export type ResponseView = z.infer<typeof ResponseView>;

export const ResponseList = z.object({ responses: z.array(ResponseView), expectedKind: z.string() }).openapi('ResponseList');

export const PublishResult = z
  .object({
    response: ResponseView,
    case: z.object({
      id: z.string(),
      status: z.enum(CASE_STATUSES),
      respondedAt: DateTime.nullable(),
      followUpUntil: DateTime.nullable(),
    }),
    obligationsMet: z.array(z.object({ id: z.string(), kind: z.enum(OBLIGATION_KINDS), onTime: z.boolean() })),
    nextUpdate: z.object({ id: z.string(), seq: z.number().int(), dueAt: DateTime }).nullable(),
  })
  .openapi('ResponsePublishResult');
export type PublishResult = z.infer<typeof PublishResult>;
