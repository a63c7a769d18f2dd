import { sql } from 'kysely';
import type { Db } from '../client.js';

// Working-calendar overrides: an admin's 调休 workdays and extra holidays over the package calendar.

export interface CalendarOverride {
  day: string;
  isWorkday: boolean;
  note: string;
}

const dayText = sql<string>`to_char(day, 'YYYY-MM-DD')`;

export async function listCalendarOverrides(db: Db, year?: number): Promise<CalendarOverride[]> {
  let q = db.selectFrom('calendar_overrides').select([dayText.as('day'), 'is_workday', 'note']);
  if (year !== undefined) q = q.where(sql`extract(year from day)`, '=', year);
  const rows = await q.orderBy('calendar_overrides.day').execute();
  return rows.map((r) => ({ day: r.day, isWorkday: r.is_workday, note: r.note }));
}

export async function findCalendarOverride(db: Db, day: string): Promise<CalendarOverride | undefined> {
  const r = await db
    .selectFrom('calendar_overrides')
    .select([dayText.as('day'), 'is_workday', 'note'])
    .where('day', '=', day)
    .executeTakeFirst();
  return r && { day: r.day, isWorkday: r.is_workday, note: r.note };
}

export async function upsertCalendarOverride(trx: Db, o: CalendarOverride): Promise<void> {
  await trx
    .insertInto('calendar_overrides')
    .values({ day: o.day, is_workday: o.isWorkday, note: o.note })
    .onConflict((oc) => oc.column('day').doUpdateSet({ is_workday: o.isWorkday, note: o.note }))
    .execute();
}

export async function deleteCalendarOverride(trx: Db, day: string): Promise<boolean> {
  const r = await trx.deleteFrom('calendar_overrides').where('day', '=', day).executeTakeFirst();
  return r.numDeletedRows > 0n;
}
