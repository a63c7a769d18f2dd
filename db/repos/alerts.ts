import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../client.js';
import type { AlertStatus, DismissReason } from '../../core/vocabulary.js';
import { exactUtc } from './items.js';

// Alert reads for the triage queue, dismissal, and the event-replay query behind SSE Last-Event-ID.

/** Position in the (updated_at desc, id desc) order; `at` is exact to the microsecond. */
export interface AlertKey {
  at: string;
  id: string;
}

/** updated_at in whole microseconds since the epoch: exact and monotone, the basis of SSE event ids. */
const updatedMicros = sql<string>`(extract(epoch from alerts.updated_at) * 1000000)::bigint::text`;

function alertsWithStory(db: Db) {
  return db
    .selectFrom('alerts')
    .innerJoin('stories', 'stories.id', 'alerts.story_id')
    .selectAll('alerts')
    .select([
      'stories.title as story_title',
      'stories.item_count',
      'stories.source_count',
      'stories.first_seen_at',
      'stories.last_seen_at',
      exactUtc('alerts.updated_at').as('updated_key'),
      sql<string | null>`(select i.url from items i where i.story_id = alerts.story_id
                          order by i.published_at, i.id limit 1)`.as('first_item_url'),
      sql<string[]>`(select coalesce(array_agg(distinct so.name), '{}') from items i
                     join sources so on so.id = i.source_id where i.story_id = alerts.story_id)`.as('source_names'),
    ]);
}

export type AlertRow = Awaited<ReturnType<typeof listAlerts>>[number];

export async function listAlerts(db: Db, f: { status?: AlertStatus; after?: AlertKey; limit: number }) {
  let q = alertsWithStory(db);
  if (f.status) q = q.where('alerts.status', '=', f.status);
  if (f.after) {
    const after = f.after;
    q = q.where(
      (): Expression<SqlBool> => sql<SqlBool>`(alerts.updated_at, alerts.id) < (${after.at}::timestamptz, ${after.id}::bigint)`,
    );
  }
  return q.orderBy('alerts.updated_at', 'desc').orderBy('alerts.id', 'desc').limit(f.limit).execute();
}

export async function findAlert(db: Db, id: string) {
  return alertsWithStory(db).where('alerts.id', '=', id).executeTakeFirst();
}

export async function findAlertByStory(db: Db, storyId: string) {
  return alertsWithStory(db).where('alerts.story_id', '=', storyId).executeTakeFirst();
}

/** Dismisses a 'new' alert. Returns false when no 'new' alert has this id. */
export async function dismissAlert(db: Db, id: string, reason: DismissReason, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('alerts')
    .set({ status: 'dismissed', dismiss_reason: reason, dismissed_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'new')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function alertStatus(db: Db, id: string): Promise<AlertStatus | undefined> {
  const r = await db.selectFrom('alerts').select('status').where('id', '=', id).executeTakeFirst();
  return r?.status;
}

export interface AlertChange {
  alertId: string;
  storyId: string;
  /** updated_at in microseconds since the epoch, decimal. */
  updatedMicros: string;
  /** Never updated since creation. */
  created: boolean;
}

/**
 * Alerts whose change key (updated_at in microseconds, id) comes after the given one, oldest change
 * first: a keyset page over the alerts_updated index.
 */
export async function alertChangesAfter(db: Db, after: { micros: bigint; alertId: bigint }, limit: number): Promise<AlertChange[]> {
  const rows = await db
    .selectFrom('alerts')
    .select(['id', 'story_id', updatedMicros.as('updated_micros'), sql<boolean>`alerts.created_at = alerts.updated_at`.as('created')])
    .where(
      sql<SqlBool>`(alerts.updated_at, alerts.id) > (timestamptz 'epoch' + ${String(after.micros)}::bigint * interval '1 microsecond', ${String(after.alertId)}::bigint)`,
    )
    .orderBy('updated_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ alertId: r.id, storyId: r.story_id, updatedMicros: r.updated_micros, created: r.created }));
}

/** The change key of one alert as it is now, or undefined when it does not exist. */
export async function alertChangeKey(db: Db, id: string): Promise<string | undefined> {
  const r = await db.selectFrom('alerts').select(updatedMicros.as('k')).where('id', '=', id).executeTakeFirst();
  return r?.k;
}
