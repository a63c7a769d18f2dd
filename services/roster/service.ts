import type { Db } from '../../db/client.js';
import { writeAudit } from '../../db/repos/audit.js';
import { listCalendarOverrides } from '../../db/repos/calendar.js';
import * as repo from '../../db/repos/roster.js';
import { daysOfMonth, fillMonth, minuteOfText, onDutyAt, rosterDaysAround, textOfMinute, type OnDuty, type RosterEntry, type Shift } from '../../core/roster.js';
import { workCalendar } from '../../core/workflow/calendar.js';
import { fieldError, notFound } from '../../platform/errors.js';
import type { Actor } from '../shared/actor.js';
import type { FillInput, ShiftInput, SwapInput } from './schema.js';

// 值班表 commands: shifts, filling a month from a weekly pattern, swapping one shift (with a
// reason), and "who is on duty now". Each change is one transaction with its audit row.

export const presentShift = (s: Shift) => ({
  id: s.id,
  name: s.name,
  start: textOfMinute(s.startMinute),
  end: textOfMinute(s.endMinute),
  crossesMidnight: s.endMinute <= s.startMinute,
  position: s.position,
});

const shiftFields = (s: ShiftInput) => ({ name: s.name, startMinute: minuteOfText(s.start)!, endMinute: minuteOfText(s.end)!, position: s.position });
const shiftNotFound = () => notFound('Shift', '班次');

export async function createShift(db: Db, actor: Actor, input: ShiftInput) {
  return db.transaction().execute(async (trx) => {
    const id = await repo.insertShift(trx, shiftFields(input));
    await writeAudit(trx, { actor, entity: 'shift', entityId: id, action: 'roster.shift.create', after: input });
    return presentShift({ id, ...shiftFields(input) });
  });
}

export async function updateShift(db: Db, actor: Actor, id: number, input: ShiftInput) {
  return db.transaction().execute(async (trx) => {
    const before = await repo.findShift(trx, id);
    if (!before || !(await repo.updateShift(trx, id, shiftFields(input)))) throw shiftNotFound();
    await writeAudit(trx, { actor, entity: 'shift', entityId: id, action: 'roster.shift.update', before: presentShift(before), after: input });
    return presentShift({ id, ...shiftFields(input) });
  });
}

export async function deleteShift(db: Db, actor: Actor, id: number) {
  await db.transaction().execute(async (trx) => {
    const before = await repo.findShift(trx, id);
    if (!before || !(await repo.deleteShift(trx, id))) throw shiftNotFound();
    await writeAudit(trx, { actor, entity: 'shift', entityId: id, action: 'roster.shift.delete', before: presentShift(before) });
  });
}

/** Refuses a roster naming unknown shifts, disabled or unknown users, or people in the wrong role. */
async function checkEntries(db: Db, entries: readonly Pick<RosterEntry, 'shiftId' | 'primaryUserId' | 'backupUserId' | 'leaderUserId'>[]) {
  const shifts = new Set((await repo.listShifts(db)).map((s) => s.id));
  const ids = entries.flatMap((e) => [e.primaryUserId, e.backupUserId, e.leaderUserId]).filter((x): x is number => x !== null);
  const users = new Map((await repo.activeUsers(db, ids)).map((u) => [u.id, u]));
  for (const e of entries) {
    if (!shifts.has(e.shiftId)) throw fieldError('shiftId', 'is not a shift', '班次不存在');
    for (const [field, id, roles] of [
      ['primaryUserId', e.primaryUserId, ['duty', 'admin']],
      ['backupUserId', e.backupUserId, ['duty', 'admin']],
      ['leaderUserId', e.leaderUserId, ['leader', 'reviewer']],
    ] as const) {
      if (id === null) continue;
      const u = users.get(id);
      if (!u) throw fieldError(field, 'is not an enabled user', '不是有效的用户');
      if (!(roles as readonly string[]).includes(u.role)) throw fieldError(field, `must have role ${roles.join(' or ')}`, field === 'leaderUserId' ? '带班领导须为领导或办公室主任' : '值班人员须为值班员');
    }
  }
}

/** Replaces a month's roster with the weekly pattern repeated over it (calendar: holidays and 调休). */
export async function fillRosterMonth(db: Db, actor: Actor, input: FillInput, now: Date) {
  await checkEntries(db, input.slots);
  const days = daysOfMonth(input.month);
  const from = days[0]!;
  const to = days[days.length - 1]!;
  return db.transaction().execute(async (trx) => {
    const overrides = await listCalendarOverrides(trx);
    const entries = fillMonth(input.month, input, workCalendar(new Map(overrides.map((o) => [o.day, o.isWorkday]))));
    const removed = await repo.replaceRange(trx, from, to, entries, now);
    await writeAudit(trx, { actor, entity: 'roster', entityId: input.month, action: 'roster.fill', before: { rows: removed }, after: { ...input, rows: entries.length } });
    return { month: input.month, rows: entries.length, replaced: removed };
  });
}

/** Sets who is on one shift (a swap); changing an assigned shift needs a reason. Audited with before and after. */
export async function swapShift(db: Db, actor: Actor, input: SwapInput, now: Date) {
  await checkEntries(db, [input]);
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockSlot(trx, input.day, input.shiftId);
    if (before && input.reason === '') throw fieldError('reason', 'is required to change an assigned shift', '调换已排定的班次须填写原因');
    const entry: RosterEntry = { day: input.day, shiftId: input.shiftId, primaryUserId: input.primaryUserId, backupUserId: input.backupUserId, leaderUserId: input.leaderUserId };
    await repo.upsertSlot(trx, entry, input.reason, now);
    await writeAudit(trx, {
      actor,
      entity: 'roster',
      entityId: `${input.day}/${input.shiftId}`,
      action: before ? 'roster.swap' : 'roster.assign',
      before: before ?? undefined,
      after: { ...entry, reason: input.reason },
    });
    return entry;
  });
}

export async function rosterOfMonth(db: Db, month: string) {
  const days = daysOfMonth(month);
  const rows = await repo.listRoster(db, days[0]!, days[days.length - 1]!);
  const person = (id: number | null, name: string | null) => (id === null ? null : { id, name: name ?? '' });
  return rows.map((r) => ({
    day: r.day,
    shiftId: r.shift_id,
    primary: person(r.primary_user_id, r.primary_name),
    backup: person(r.backup_user_id, r.backup_name),
    leader: person(r.leader_user_id, r.leader_name),
    note: r.note,
    updatedAt: r.updated_at.toISOString(),
  }));
}

/** Who is on duty at `now` (null outside any shift), with the shift. */
export async function onDutyNow(db: Db, now: Date): Promise<(OnDuty & { shift: Shift }) | null> {
  const { from, to } = rosterDaysAround(now);
  const [shifts, rows] = await Promise.all([repo.listShifts(db), repo.listRoster(db, from, to)]);
  const d = onDutyAt(rows.map(repo.toEntry), shifts, now);
  if (!d) return null;
  return { ...d, shift: shifts.find((s) => s.id === d.shiftId)! };
}

export async function presentOnDuty(db: Db, userId: number, now: Date) {
  const d = await onDutyNow(db, now);
  if (!d) return { onDuty: null, youAreOnDuty: false };
  const names = await repo.userNames(db, [d.primary, d.backup, d.leader].filter((x): x is number => x !== null));
  const person = (id: number | null) => (id === null ? null : { id, name: names.get(id) ?? '' });
  return {
    onDuty: {
      day: d.day,
      shiftId: d.shiftId,
      shiftName: d.shift.name,
      startsAt: d.startsAt.toISOString(),
      endsAt: d.endsAt.toISOString(),
      primary: person(d.primary),
      backup: person(d.backup),
      leader: person(d.leader),
    },
    youAreOnDuty: d.primary === userId || d.backup === userId,
  };
}
