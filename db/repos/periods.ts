import type { Db } from '../client.js';
import type { HeightenedPeriod } from '../../core/workflow/types.js';

// Heightened periods (重大节假日和重大活动期间): tighter deadlines while they last.

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
}

export async function insertPeriod(trx: Db, p: PeriodInput, createdBy: number | null) {
  return trx
    .insertInto('heightened_periods')
    .values({ name: p.name, starts_at: p.startsAt, ends_at: p.endsAt, factor: p.factor, created_by: createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updatePeriod(trx: Db, id: number, p: PeriodInput) {
  return trx
    .updateTable('heightened_periods')
    .set({ name: p.name, starts_at: p.startsAt, ends_at: p.endsAt, factor: p.factor })
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
  const rows = await db.selectFrom('heightened_periods').select(['starts_at', 'ends_at', 'factor']).execute();
  return rows.map((p) => ({ startsAt: p.starts_at, endsAt: p.ends_at, factor: p.factor }));
}
