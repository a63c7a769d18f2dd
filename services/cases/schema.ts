import { z } from '@hono/zod-openapi';
import { CASE_ORIGINS, CASE_STATUSES, CATEGORIES, CHANNELS, LEVELS, OBLIGATION_KINDS } from '../../core/vocabulary.js';
import { LEDGER_RESPONSE_STATUSES, LEDGER_SORTS } from '../../db/repos/cases-ledger.js';
import { BigId, Cursor, DateTime, Limit, QueryDate } from '../shared/schema.js';
import { REQUEST_TYPES } from '../../core/workflow/origin-windows.js';
import { MIN_YEAR } from '../../core/dates.js';

const DeptId = z.number().int().min(1).max(2_147_483_647);
const Named = z.object({ id: z.number().int(), name: z.string() });
const UserRef = z.string().nullable();

export const MANUAL_ORIGINS = ['cyberspace_office', 'government_office', 'hotline', 'mailbox', 'other'] as const;

export const ManualOpinion = z
  .object({
    origin: z.enum(MANUAL_ORIGINS),
    originNote: z.string().trim().max(500).default('').openapi({ description: '来源说明（转办单位、来电人、信件编号等）' }),
    url: z
      .string()
      .trim()
      .max(2000)
      .refine((s) => s === '' || (/^https?:\/\//i.test(s) && URL.canParse(s)), {
        message: 'must be an http(s) URL or empty',
        params: { messageZh: '必须是 http(s) 网址或留空' },
      })
      .default(''),
    title: z.string().trim().min(1).max(300),
    text: z.string().max(50_000).default(''),
    // Not before 1990 (the crawler's and the 12345 import's bound): year 1 failed the working-day
    // calendar with a 500, and any such date started a clock decades overdue.
    receivedAt: z.iso
      .datetime({ offset: true })
      .refine((s) => new Date(s).getUTCFullYear() >= MIN_YEAR, { message: `must not be before ${MIN_YEAR}`, params: { messageZh: `受理时间不能早于 ${MIN_YEAR} 年` } })
      .transform((s) => new Date(s))
      .openapi({ type: 'string', format: 'date-time' }),
    requestType: z
      .enum(REQUEST_TYPES)
      .nullable()
      .optional()
      .openapi({ description: '诉求类型（热线、信箱来信）：consultation 咨询 / complaint 投诉 / help 求助 / suggestion 建议 / investigation 需调查核实 / other 其他；决定办理时限（工作日）' }),
  })
  .strict()
  .refine((v) => v.requestType == null || v.origin === 'hotline' || v.origin === 'mailbox', {
    path: ['requestType'],
    message: 'is for hotline and mailbox cases only',
    params: { messageZh: '诉求类型仅适用于热线和信箱来信' },
  });

export const OpenCaseInput = z
  .object({
    alertIds: z.array(BigId).min(1).max(50).optional(),
    manual: ManualOpinion.optional(),
    title: z.string().trim().min(1).max(300).optional(),
    summary: z.string().max(5000).optional(),
    level: z.enum(LEVELS),
    category: z.enum(CATEGORIES),
    leadDepartmentId: DeptId,
    coDepartmentIds: z.array(DeptId).max(50).default([]),
  })
  .strict()
  .refine((v) => (v.alertIds === undefined) !== (v.manual === undefined), {
    message: 'give either alertIds or manual',
    params: { messageZh: '须提供 alertIds（由预警转为事件并交办）或 manual（手工登记）之一' },
  })
  .openapi('OpenCaseInput');
export type OpenCaseInput = z.infer<typeof OpenCaseInput>;

export const AttachInput = z.object({ caseId: BigId }).strict().openapi('AttachInput');

export const PatchCaseInput = z
  .object({
    title: z.string().trim().min(1).max(300).optional(),
    summary: z.string().max(5000).optional(),
    level: z.enum(LEVELS).optional(),
    category: z.enum(CATEGORIES).optional(),
    reason: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .optional()
      .openapi({ description: '调整的理由：调整级别时必填；调整诉求类型（热线、信箱来信）时必填且不超过 200 字。记入审计记录和时间线' }),
    leadDepartmentId: DeptId.optional(),
    coDepartmentIds: z.array(DeptId).max(50).optional(),
    requestType: z.enum(REQUEST_TYPES).nullable().optional().openapi({ description: '诉求类型（热线、信箱来信；改后重算未完成事项的时限，须同时填写 reason，1–200 字）' }),
  })
  .strict()
  .openapi('PatchCaseInput');
export type PatchCaseInput = z.infer<typeof PatchCaseInput>;

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const LedgerQuery = z.object({
  from: QueryDate.openapi({ description: '发现时间不早于（含）' }),
  to: QueryDate.openapi({ description: '发现时间早于（不含）' }),
  level: z.enum(LEVELS).optional(),
  category: z.enum(CATEGORIES).optional(),
  departmentId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  overdue: Bool.optional().openapi({ type: 'string', enum: ['true', 'false'], description: '超期（未办事项已过时限，或逾期完成）' }),
  responseStatus: z.enum(LEDGER_RESPONSE_STATUSES).optional().openapi({ description: '回应稿状态：submitted 待审核 / returned 已退回 / approved 待发布' }),
  q: z.string().trim().max(200).optional().openapi({ description: '编号、标题或摘要包含的文字' }),
  town: z.string().trim().min(1).max(60).optional().openapi({ description: '地域：信息提到该乡镇（街道）的事件（乡镇代码，见 GET /api/area/towns）' }),
  sort: z.enum(LEDGER_SORTS).default('openedAt'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  limit: Limit(50, 200),
  cursor: Cursor,
});
export type LedgerQuery = z.infer<typeof LedgerQuery>;

export const LedgerRowView = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.enum(CASE_STATUSES),
    statusLabel: z.string(),
    clockStartedAt: DateTime.openapi({ description: '发现时间' }),
    origin: z.enum(CASE_ORIGINS),
    originLabel: z.string(),
    originNote: z.string(),
    sourceNames: z.array(z.string()).openapi({ description: '来源（最早的几个信息源）' }),
    places: z.array(z.string()).openapi({ description: '地域：事件信息中提到的本辖区乡镇、村（社区）', example: ['龙山镇石桥村'] }),
    title: z.string(),
    summary: z.string(),
    level: z.enum(LEVELS),
    levelLabel: z.string(),
    category: z.enum(CATEGORIES),
    categoryLabel: z.string(),
    leadDepartment: Named,
    coDepartments: z.array(Named),
    openedAt: DateTime,
    assignedAt: DateTime.nullable().openapi({ description: '转办时间' }),
    dueAt: DateTime.nullable().openapi({ description: '回应时限' }),
    respondedAt: DateTime.nullable().openapi({ description: '回应时间（首次发布）' }),
    respondedBackfilled: z.boolean().openapi({ description: '回应时间为补录（发布后补记）' }),
    responseChannel: z.enum(CHANNELS).nullable(),
    responseChannelLabel: z.string().nullable().openapi({ description: '回应方式' }),
    onTime: z.boolean().nullable().openapi({ description: '是否按时' }),
    onTimeLabel: z.string().nullable(),
    overdue: z.boolean(),
    feedback: z.object({ count: z.number().int(), latestAt: DateTime.nullable(), latest: z.string().nullable() }).openapi({ description: '跟踪反馈' }),
    closedAt: DateTime.nullable().openapi({ description: '办结时间' }),
    draftedBy: UserRef.openapi({ description: '经办人' }),
    reviewedBy: UserRef.openapi({ description: '审核人' }),
    instructions: z
      .array(z.object({ authorName: z.string(), content: z.string(), reported: z.boolean() }))
      .openapi({ description: '领导批示（按时间先后；reported：已报告办理情况）' }),
  })
  .openapi('LedgerRow');
export type LedgerRowView = z.infer<typeof LedgerRowView>;

export const LedgerPage = z
  .object({ cases: z.array(LedgerRowView), nextCursor: z.string().nullable(), total: z.number().int() })
  .openapi('LedgerPage');

export const ObligationView = z
  .object({
    id: z.string(),
    kind: z.enum(OBLIGATION_KINDS),
    kindLabel: z.string(),
    seq: z.number().int(),
    status: z.enum(['open', 'met', 'cancelled']),
    windowHours: z.number().openapi({ description: '常规时限长度（回应时限策略，或热线、信箱按诉求类型的工作日时限；工作日按每日 24 计）' }),
    windowUnit: z.enum(['natural', 'working_days']),
    effectiveHours: z.number().openapi({ description: '实际适用的时限长度：windowHours × 重点时段系数（单位同 windowUnit；未处于重点时段时等于 windowHours）' }),
    period: z
      .object({ name: z.string(), factor: z.number() })
      .nullable()
      .openapi({ description: '缩短本时限的重点时段（计算到期时间时的名称和系数）；null：常规时限' }),
    startedAt: DateTime,
    goalMs: z.number(),
    elapsedMs: z.number(),
    remainingMs: z.number(),
    dueAt: DateTime,
    metAt: DateTime.nullable(),
    metBy: z.string().nullable(),
    breached: z.boolean(),
    onTime: z.boolean().nullable(),
    note: z.string(),
  })
  .openapi('Obligation');

const Row = z.record(z.string(), z.unknown());

export const CaseView = z
  .object({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    summary: z.string(),
    level: z.enum(LEVELS),
    levelLabel: z.string(),
    category: z.enum(CATEGORIES),
    categoryLabel: z.string(),
    status: z.enum(CASE_STATUSES),
    statusLabel: z.string(),
    origin: z.enum(CASE_ORIGINS),
    originLabel: z.string(),
    originNote: z.string(),
    requestType: z.enum(REQUEST_TYPES).nullable().openapi({ description: '诉求类型（热线、信箱来信）；无：null' }),
    requestTypeLabel: z.string().nullable(),
    expectedResponse: z.string(),
    leadDepartment: Named,
    coDepartments: z.array(Named),
    clockStartedAt: DateTime,
    openedAt: DateTime,
    openedBy: UserRef,
    assignedAt: DateTime.nullable(),
    respondedAt: DateTime.nullable(),
    followUpUntil: DateTime.nullable(),
    closedAt: DateTime.nullable(),
    effectRating: z.string().nullable(),
    conclusion: z.string(),
    places: z.array(z.string()).openapi({ description: '地域：事件信息中提到的本辖区乡镇、村（社区）', example: ['龙山镇石桥村'] }),
    decline: z
      .object({ department: Named, by: UserRef, reason: z.string(), at: DateTime })
      .nullable()
      .openapi({ description: '待处理的退回交办（牵头单位退回，等待改派或不同意退回）；无：null' }),
    stories: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        itemCount: z.number().int(),
        sourceCount: z.number().int(),
        firstSeenAt: DateTime,
        lastSeenAt: DateTime,
        alertId: z.string().nullable(),
        alertStatus: z.string().nullable(),
      }),
    ),
    items: z.array(
      z.object({
        id: z.string(),
        itemId: z.string().nullable(),
        title: z.string(),
        text: z.string(),
        url: z.string(),
        sourceName: z.string(),
        publishedAt: DateTime.nullable(),
        capturedAt: DateTime,
      }),
    ),
    obligations: z.array(ObligationView),
    responses: z.array(Row),
    feedback: z.array(Row),
    reportsUp: z.array(Row),
    referrals: z.array(Row),
    timeline: z.array(
      z.object({
        id: z.string(),
        at: DateTime,
        actorId: z.number().int().nullable(),
        actorName: z.string(),
        entity: z.string(),
        entityId: z.string(),
        action: z.string(),
        before: z.unknown(),
        after: z.unknown(),
      }),
    ),
    updatedAt: DateTime,
  })
  .openapi('Case');
export type CaseView = z.infer<typeof CaseView>;

export const DeclineInput = z
  .object({ reason: z.string().trim().min(1).max(2000).openapi({ description: '退回理由（如：不属于本单位职责，建议交某单位）' }) })
  .strict()
  .openapi('DeclineInput');
export type DeclineInput = z.infer<typeof DeclineInput>;

export const OverruleDeclineInput = z
  .object({ reason: z.string().trim().min(1).max(2000).openapi({ description: '不同意退回的理由' }) })
  .strict()
  .openapi('OverruleDeclineInput');
