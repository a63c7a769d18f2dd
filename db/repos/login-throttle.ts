import { sql } from 'kysely';
import type { Db } from '../client.js';

/** Failures recorded for an address within the window ending now (0 when the window has passed). */
export async function failuresFrom(db: Db, ip: string, now: Date, windowMs: number): Promise<number> {
  const row = await db.selectFrom('login_throttle').selectAll().where('ip', '=', ip).executeTakeFirst();
  if (!row || row.window_started_at.getTime() <= now.getTime() - windowMs) return 0;
  return row.failures;
}

/** Counts one failed sign-in from an address; a window older than windowMs starts over. */
export async function recordFailureFrom(db: Db, ip: string, now: Date, windowMs: number): Promise<void> {
  const windowStart = new Date(now.getTime() - windowMs);
  await db
    .insertInto('login_throttle')
    .values({ ip, failures: 1, window_started_at: now })
    .onConflict((oc) =>
      oc.column('ip').doUpdateSet({
        failures: sql`case when login_throttle.window_started_at <= ${windowStart} then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql`case when login_throttle.window_started_at <= ${windowStart} then ${now} else login_throttle.window_started_at end`,
      }),
    )
    .execute();
}
