import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { RosterEntry, Shift } from '../../core/roster.js';

// The duty roster: shifts (duty_shifts) and who is on each shift of each day (duty_roster).

const dayText = sql<string>`to_char(duty_roster.day, 'YYYY-MM-DD')`;

export async function listShifts(db: Db): Promise<Shift[]> {
  const rows = await db.selectFrom('duty_shifts').selectAll().orderBy('position').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, startMinute: r.start_minute, endMinute: r.end_minute, position: r.position }));
}

export async function findShift(db: Db, id: number): Promise<Shift | undefined> {
  return (await listShifts(db)).find((s) => s.id === id);
}

export interface ShiftInput {
  name: string;
  startMinute: number;
  endMinute: number;
  position: number;
}

export async function insertShift(trx: Db, s: ShiftInput): Promise<number> {
  const r = await trx
    .insertInto('duty_shifts')
    .values({ name: s.name, start_minute: s.startMinute, end_minute: s.endMinute, position: s.position })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateShift(trx: Db, id: number, s: ShiftInput): Promise<boolean> {
  const r = await trx
    .updateTable('duty_shifts')
    .set({ name: s.name, start_minute: s.startMinute, end_minute: s.endMinute, position: s.position })
    .where('id', '=', id)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function deleteShift(trx: Db, id: number): Promise<boolean> {
  const r = await trx.deleteFrom('duty_shifts').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Roster entries with day in [from, to] (inclusive, 'YYYY-MM-DD'), with the people's names. */
export async function listRoster(db: Db, from: string, to: string) {
  return db
    .selectFrom('duty_roster')
    .innerJoin('users as p', 'p.id', 'duty_roster.primary_user_id')
    .leftJoin('users as b', 'b.id', 'duty_roster.backup_user_id')
    .leftJoin('users as l', 'l.id', 'duty_roster.leader_user_id')
    .select([
      dayText.as('day'),
      'duty_roster.shift_id',
      'duty_roster.primary_user_id',
      'duty_roster.backup_user_id',
      'duty_roster.leader_user_id',
      'duty_roster.note',
      'duty_roster.updated_at',
      'p.display_name as primary_name',
      'b.display_name as backup_name',
      'l.display_name as leader_name',
    ])
    .where('duty_roster.day', '>=', from)
    .where('duty_roster.day', '<=', to)
    .orderBy('duty_roster.day')
    .orderBy('duty_roster.shift_id')
    .execute();
}

export const toEntry = (r: { day: string; shift_id: number; primary_user_id: number; backup_user_id: number | null; leader_user_id: number | null }): RosterEntry => ({
  day: r.day,
  shiftId: r.shift_id,
  primaryUserId: r.primary_user_id,
  backupUserId: r.backup_user_id,
  leaderUserId: r.leader_user_id,
});

/** The roster slot (locked until the transaction ends), for an audited change. */
export async function lockSlot(trx: Db, day: string, shiftId: number) {
  return trx
    .selectFrom('duty_roster')
    .select([dayText.as('day'), 'shift_id', 'primary_user_id', 'backup_user_id', 'leader_user_id', 'note'])
    .where('day', '=', day)
    .where('shift_id', '=', shiftId)
    .forUpdate()
    .executeTakeFirst();
}

export async function upsertSlot(trx: Db, e: RosterEntry, note: string, now: Date): Promise<void> {
  const v = { primary_user_id: e.primaryUserId, backup_user_id: e.backupUserId, leader_user_id: e.leaderUserId, note, updated_at: now };
  await trx
    .insertInto('duty_roster')
    .values({ day: e.day, shift_id: e.shiftId, ...v })
    .onConflict((oc) => oc.columns(['day', 'shift_id']).doUpdateSet(v))
    .execute();
}

/** Replaces the roster of the days [from, to] with `entries`; returns how many rows were removed. */
export async function replaceRange(trx: Db, from: string, to: string, entries: readonly RosterEntry[], now: Date): Promise<number> {
  const del = await trx.deleteFrom('duty_roster').where('day', '>=', from).where('day', '<=', to).executeTakeFirst();
  if (entries.length > 0) {
    await trx
      .insertInto('duty_roster')
      .values(
        entries.map((e) => ({
          day: e.day,
          shift_id: e.shiftId,
          primary_user_id: e.primaryUserId,
          backup_user_id: e.backupUserId,
          leader_user_id: e.leaderUserId,
          updated_at: now,
        })),
      )
      .execute();
  }
  return Number(del.numDeletedRows);
}

/** Active users among `ids` with their roles (to check a roster names real, enabled people). */
export async function activeUsers(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'role', 'display_name']).where('id', 'in', [...new Set(ids)]).where('disabled', '=', false).execute();
}

/** Every enabled duty officer (who gets alert pushes outside any shift). */
export async function dutyOfficerIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('users').select('id').where('role', '=', 'duty').where('disabled', '=', false).orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Leaders in charge (分管领导): the leader step's fallback when the roster names no leader on duty. */
export async function leadersInCharge(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'leader')
    .where('leader_rank', '=', 'in_charge')
    .where('disabled', '=', false)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function userNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
