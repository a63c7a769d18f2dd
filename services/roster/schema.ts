import { z } from '@hono/zod-openapi';
import { DateTime } from '../shared/schema.js';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const UserId = z.number().int().min(1);

export const ShiftInput = z
  .object({ name: z.string().trim().min(1).max(50), start: HHMM, end: HHMM, position: z.number().int().min(0).max(100).default(0) })
  .strict()
  .refine((s) => s.start !== s.end, { path: ['end'], message: 'must differ from start', params: { messageZh: '不能与开始时间相同' } })
  .openapi('ShiftInput');
export type ShiftInput = z.infer<typeof ShiftInput>;

export const ShiftView = z
  .object({ id: z.number().int(), name: z.string(), start: z.string(), end: z.string(), crossesMidnight: z.boolean(), position: z.number().int() })
  .openapi('Shift');

const Person = z.object({ id: z.number().int(), name: z.string() }).nullable();

export const RosterSlotView = z
  .object({ day: z.string(), shiftId: z.number().int(), primary: Person, backup: Person, leader: Person, note: z.string(), updatedAt: DateTime })
  .openapi('RosterSlot');

export const RosterQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).openapi({ example: '2026-12' }) });

export const PatternSlot = z
  .object({ weekday: z.number().int().min(1).max(7), shiftId: z.number().int().min(1), primaryUserId: UserId, backupUserId: UserId.nullable().default(null), leaderUserId: UserId.nullable().default(null) })
  .strict();

export const FillInput = z
  .object({
    month: RosterQuery.shape.month,
    slots: z.array(PatternSlot).min(1).max(7 * 20),
    shiftsByDayKind: z.object({ workday: z.array(z.number().int()).max(20), offday: z.array(z.number().int()).max(20) }).partial().strict().optional(),
  })
  .strict()
  .openapi('RosterFillInput');
export type FillInput = z.infer<typeof FillInput>;

export const SwapInput = z
  .object({
    day: Day,
    shiftId: z.number().int().min(1),
    primaryUserId: UserId,
    backupUserId: UserId.nullable().default(null),
    leaderUserId: UserId.nullable().default(null),
    reason: z.string().trim().max(500).default(''),
  })
  .strict()
  .openapi('RosterSwapInput');
export type SwapInput = z.infer<typeof SwapInput>;

export const OnDutyView = z
  .object({
    onDuty: z
      .object({ day: z.string(), shiftId: z.number().int(), shiftName: z.string(), startsAt: DateTime, endsAt: DateTime, primary: Person, backup: Person, leader: Person })
      .nullable(),
    youAreOnDuty: z.boolean(),
  })
  .openapi('OnDutyNow');
