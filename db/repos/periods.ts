import type { Db } from '../client.js';
import type { HeightenedPeriod } from '../../core/workflow/types.js';

// Heightened periods (重大节假日和重大活动期间): tighter deadlines while they last, faster polling
// (poll_factor) and no quiet hours.

export async function listPeriods(db: Db) {
  return db.selectFrom('heightened_periods').selectAll().orderBy('starts_at', 'desc').orderBy('id', 'desc').execute();
}

export async function findPeriod(db: Db, id: number) {
  return db.selectFrom('heightened_periods').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface PeriodInput {
  name: string;
  startsAt: Date;
  endsAt: Date;
  factor: number;
  /** Poll-interval factor; omitted: the column's default (0.5) on insert, unchanged on update. */
  pollFactor?: number;
}

export async function insertPeriod(trx: Db, p: PeriodInput, createdBy: number | null) {
  return trx
    .insertInto('heightened_periods')
    .values({ name: p.name, starts_at: p.startsAt, ends_at: p.endsAt, factor: p.factor, poll_factor: p.pollFactor, created_by: createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updatePeriod(trx: Db, id: number, p: PeriodInput) {
  return trx
    .updateTable('heightened_periods')
    .set({ name: p.name, starts_at: p.startsAt, ends_at: p.endsAt, factor: p.factor, ...(p.pollFactor !== undefined ? { poll_factor: p.pollFactor } : {}) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deletePeriod(trx: Db, id: number): Promise<boolean> {
  const r = await trx.deleteFrom('heightened_periods').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Every period's window and factor, as computeDueAt takes them. */
export async function listPeriodWindows(db: Db): Promise<HeightenedPeriod[]> {
  const rows = await db.selectFrom('heightened_periods').select(['name', 'starts_at', 'ends_at', 'factor']).execute();
  return rows.map((p) => ({ name: p.name, startsAt: p.starts_at, endsAt: p.ends_at, factor: p.factor }));
}

/**
 * The heightened period in force at `now` ([starts_at, ends_at)), as what it changes: the smallest
 * poll-interval factor of the periods active then (periods may overlap); null: none is active.
 */
export async function activePeriodAt(db: Db, now: Date): Promise<{ pollFactor: number } | null> {
  const row = await db
    .selectFrom('heightened_periods')
    .select((eb) => eb.fn.min('poll_factor').as('poll_factor'))
    .where('starts_at', '<=', now)
    .where('ends_at', '>', now)
    .executeTakeFirst();
  return row?.poll_factor == null ? null : { pollFactor: Number(row.poll_factor) };
}
