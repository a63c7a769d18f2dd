import { z } from '@hono/zod-openapi';
import { DateTime } from '../shared/schema.js';

// 交接班: what the outgoing duty officer submits and the incoming one accepts, and how both read.

export const HandoverSubmitInput = z
  .object({ notes: z.string().trim().max(4000).default('').openapi({ description: '交班意见：需要下一班继续关注的事项' }) })
  .strict()
  .openapi('HandoverSubmitInput');
export type HandoverSubmitInput = z.infer<typeof HandoverSubmitInput>;

export const HandoverAcceptInput = z
  .object({ note: z.string().trim().max(2000).default('').openapi({ description: '接班意见（可选）' }) })
  .strict()
  .openapi('HandoverAcceptInput');
export type HandoverAcceptInput = z.infer<typeof HandoverAcceptInput>;

export const HandoverListQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).openapi({ example: '2026-12' }) });

const Person = z.object({ id: z.number().int(), name: z.string() }).nullable();

/** What the product pre-fills: the state of the desk when the record is written. */
export const HandoverSnapshot = z
  .object({
    untriaged: z.object({ total: z.number().int(), items: z.array(z.object({ id: z.string(), title: z.string(), createdAt: DateTime })) }),
    opened: z.array(z.object({ id: z.string(), number: z.string(), title: z.string(), level: z.string(), department: z.string().nullable(), openedAt: DateTime })),
    deadlines: z.object({
      from: DateTime,
      to: DateTime,
      items: z.array(z.object({ caseId: z.string(), number: z.string(), title: z.string(), kind: z.string(), dueAt: DateTime })),
    }),
    pushes: z.array(z.object({ alertId: z.string(), title: z.string(), pushedAt: DateTime, nextDueAt: DateTime.nullable() })),
  })
  .openapi('HandoverSnapshot');
export type HandoverSnapshot = z.infer<typeof HandoverSnapshot>;

export const ShiftSlotView = z
  .object({ day: z.string(), shiftId: z.number().int(), shiftName: z.string(), startsAt: DateTime, endsAt: DateTime, primary: Person, leader: Person })
  .openapi('ShiftSlot');

export const HandoverView = z
  .object({
    id: z.number().int(),
    day: z.string(),
    shiftId: z.number().int(),
    shiftName: z.string(),
    startsAt: DateTime,
    endsAt: DateTime,
    from: Person,
    to: Person,
    nextStartsAt: DateTime.nullable(),
    notes: z.string(),
    snapshot: HandoverSnapshot.nullable(),
    submittedAt: DateTime.nullable(),
    acceptedAt: DateTime.nullable(),
    acceptedBy: Person,
    acceptNote: z.string(),
    leaderNotifiedAt: DateTime.nullable(),
    state: z.enum(['missing', 'submitted', 'accepted']).openapi({ description: 'missing：未提交；submitted：待接班；accepted：已接班' }),
  })
  .openapi('Handover');
export type HandoverView = z.infer<typeof HandoverView>;

export const HandoverCurrentView = z
  .object({
    slot: ShiftSlotView.nullable().openapi({ description: '本人正在（或刚结束）值守的班次；不在班：null' }),
    next: ShiftSlotView.nullable(),
    submitted: HandoverView.nullable(),
    prefill: HandoverSnapshot.nullable(),
    toAccept: z.array(HandoverView),
  })
  .openapi('HandoverCurrent');
export type HandoverCurrentView = z.infer<typeof HandoverCurrentView>;
