import { z } from '@hono/zod-openapi';
import { VERIFICATION_RESULTS } from '../../core/workflow/forwarding.js';
import { DateTime } from '../shared/schema.js';

// Forwarded opinions (网信办 / 政府办转办) as the API reads and writes them: the 核实 result and the
// replies to the forwarding office (向转办单位反馈办理情况).

export const VerificationInput = z
  .object({
    result: z.enum(VERIFICATION_RESULTS).openapi({ description: '核实结果：true 属实 · partly_true 部分属实 · untrue 不属实' }),
    note: z.string().trim().min(1).max(2_000).openapi({ description: '核实情况（简要说明）' }),
  })
  .strict()
  .openapi('VerificationInput');
export type VerificationInput = z.infer<typeof VerificationInput>;

export const ForwardReplyInput = z
  .object({
    content: z.string().trim().min(1).max(10_000).openapi({ description: '反馈内容（办理情况）' }),
    recipient: z.string().trim().min(1).max(200).optional().openapi({ description: '反馈对象，缺省为转办单位（登记时的来源说明）' }),
    repliedAt: z.iso.datetime({ offset: true }).optional().openapi({ description: '反馈时间，缺省为现在；补录最多 24 小时前（BACKFILL_MAX_HOURS），更早须由审核人补录' }),
  })
  .strict()
  .openapi('ForwardReplyInput');
export type ForwardReplyInput = z.infer<typeof ForwardReplyInput>;

const Person = z.object({ id: z.number().int(), name: z.string().nullable() }).nullable();

export const ForwardingView = z
  .object({
    /** Whether the case was forwarded (网信办 / 政府办转办): only then are 核实 and feedback asked. */
    forwarded: z.boolean(),
    /** The office replies go to (the origin note, else the origin's office). */
    office: z.string(),
    verification: z
      .object({ result: z.enum(VERIFICATION_RESULTS), label: z.string(), note: z.string(), verifiedBy: Person, verifiedAt: DateTime })
      .nullable(),
    /** The 向转办单位反馈办理情况 obligation (created at publication), newest. */
    feedback: z
      .object({ id: z.string(), status: z.enum(['open', 'met', 'cancelled']), dueAt: DateTime, metAt: DateTime.nullable(), onTime: z.boolean().nullable() })
      .nullable(),
    replies: z.array(
      z.object({ id: z.string(), recipient: z.string(), content: z.string(), repliedAt: DateTime, backfilled: z.boolean(), recordedBy: Person, recordedAt: DateTime }),
    ),
  })
  .openapi('Forwarding');
export type ForwardingView = z.infer<typeof ForwardingView>;
