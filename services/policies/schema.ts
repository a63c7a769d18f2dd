import { z } from '@hono/zod-openapi';
import { APPROVAL_STEP_KINDS } from '../../core/workflow/approval.js';
import { CATEGORIES, ESCALATION_TARGETS, LEVEL_LABELS, LEVELS, OBLIGATION_KINDS } from '../../core/vocabulary.js';

// The policy as the API reads and writes it: exactly the core's PolicyRule shape.

const Window = z.object({ hours: z.number().positive().max(24 * 365), unit: z.enum(['natural', 'working_days']) }).strict();

const ObligationSpec = z
  .object({ kind: z.enum(OBLIGATION_KINDS), window: Window, repeatEveryHours: z.number().positive().max(24 * 365).optional() })
  .strict();

const Trigger = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fraction'), fraction: z.number().gt(0).lte(1) }).strict(),
  z.object({ type: z.literal('before_due'), hours: z.number().min(0).max(24 * 365) }).strict(),
  z.object({ type: z.literal('after_due'), hours: z.number().min(0).max(24 * 365) }).strict(),
]);

const EscalationStep = z
  .object({
    id: z.string().trim().min(1).max(64),
    kinds: z.array(z.enum(OBLIGATION_KINDS)).min(1).optional(),
    trigger: Trigger,
    target: z.enum(ESCALATION_TARGETS),
    onlyWithoutDraft: z.boolean().optional(),
    urgent: z.boolean(),
    breach: z.boolean().optional(),
  })
  .strict();

export const PolicyRuleSchema = z
  .object({
    level: z.enum(LEVELS),
    category: z.enum(CATEGORIES).nullable(),
    obligations: z.array(ObligationSpec).max(20),
    escalationSteps: z.array(EscalationStep).max(50),
    followUpHours: z.number().int().positive().max(24 * 365),
    /** 审批链: the approval steps a response needs, in order; absent = the level's default. */
    approvalSteps: z.array(z.enum(APPROVAL_STEP_KINDS)).min(1).max(3).optional(),
    /** 会签: co-departments sign off before the first approval step; absent = on for 较大 and above. */
    countersign: z.boolean().optional().openapi({ description: '会签：协办单位确认“内容准确一致”后再进入审核；缺省：较大及以上开启' }),
    /** Working days a forwarding office waits for feedback after publication; absent = 2. */
    forwardFeedbackDays: z.number().gt(0).max(30).multipleOf(0.5).optional().openapi({ description: '向转办单位反馈办理情况的时限（发布后工作日数，缺省 2）' }),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.approvalSteps && new Set(r.approvalSteps).size !== r.approvalSteps.length) {
      ctx.addIssue({ code: 'custom', path: ['approvalSteps'], message: 'each approval step at most once', params: { messageZh: '审批步骤不能重复' } });
    }
    const kinds = r.obligations.map((o) => o.kind);
    if (new Set(kinds).size !== kinds.length) {
      ctx.addIssue({ code: 'custom', path: ['obligations'], message: 'each obligation kind at most once', params: { messageZh: '同一种事项只能出现一次' } });
    }
    const ids = r.escalationSteps.map((s) => s.id);
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: 'custom', path: ['escalationSteps'], message: 'step ids must be unique', params: { messageZh: '升级步骤不能重复' } });
    }
  })
  .openapi('PolicyRule');

export const PolicyInput = z
  .object({ rules: z.array(PolicyRuleSchema).min(1).max(64) })
  .strict()
  .superRefine((p, ctx) => {
    const keys = p.rules.map((r) => `${r.level}/${r.category ?? ''}`);
    if (new Set(keys).size !== keys.length) {
      ctx.addIssue({ code: 'custom', path: ['rules'], message: 'one rule per level and category', params: { messageZh: '每个级别与类别只能有一条规则' } });
    }
    for (const level of LEVELS) {
      if (!p.rules.some((r) => r.level === level && r.category === null)) {
        ctx.addIssue({ code: 'custom', path: ['rules'], message: `level ${level} needs a default rule (category null)`, params: { messageZh: `“${LEVEL_LABELS[level]}”级别缺少默认规则（不限类别的规则）` } });
      }
    }
  })
  .openapi('PolicyInput');

export const PolicyView = z.object({ rules: z.array(PolicyRuleSchema) }).openapi('Policy');
