import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../client.js';
import type { AlertStatus, Category, DismissReason, Level } from '../../core/vocabulary.js';
import { exactUtc } from './items.js';
import { storyPlaceLabels } from './places.js';

// Alert reads for the triage queue, dismissal, the event-replay query behind SSE Last-Event-ID,
// and the crawl's alert writes.

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
      sql<string | null>`(select coalesce(nullif(u.display_name, ''), u.username) from users u where u.id = alerts.dismissed_by)`.as('dismissed_by_name'),
      sql<string | null>`(select i.url from items i where i.story_id = alerts.story_id
                          order by i.published_at, i.id limit 1)`.as('first_item_url'),
      sql<string[]>`(select coalesce(array_agg(distinct so.name), '{}') from items i
                     join sources so on so.id = i.source_id where i.story_id = alerts.story_id)`.as('source_names'),
      storyPlaceLabels('alerts.story_id').as('places'),
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

export async function findAlerts(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return alertsWithStory(db).where('alerts.id', 'in', [...ids]).orderBy('alerts.id').execute();
}

export async function findAlertByStory(db: Db, storyId: string) {
  return alertsWithStory(db).where('alerts.story_id', '=', storyId).executeTakeFirst();
}

/** Dismisses a 'new' alert. Returns false when no 'new' alert has this id. */
export async function dismissAlert(
  db: Db,
  id: string,
  reason: DismissReason,
  now: Date,
  by: { userId: number | null; note: string } = { userId: null, note: '' },
): Promise<boolean> {
  const r = await db
    .updateTable('alerts')
    .set({ status: 'dismissed', dismiss_reason: reason, dismissed_at: now, dismissed_by: by.userId, dismiss_note: by.note, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'new')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Restores a dismissed alert to 'new' (undo). Returns the dismissal it undid, or undefined when the alert is not dismissed. */
export async function restoreAlert(db: Db, id: string, now: Date) {
  const before = await db
    .selectFrom('alerts')
    .select(['dismiss_reason', 'dismiss_note', 'case_id'])
    .where('id', '=', id)
    .where('status', '=', 'dismissed')
    .forUpdate()
    .executeTakeFirst();
  if (!before) return undefined;
  await db
    .updateTable('alerts')
    .set({ status: 'new', dismiss_reason: null, dismissed_at: null, dismissed_by: null, dismiss_note: '', updated_at: now })
    .where('id', '=', id)
    .execute();
  return before;
}

/** The case an alert belongs to (for its audit rows). */
export async function alertCaseId(db: Db, id: string): Promise<string | null> {
  return (await db.selectFrom('alerts').select('case_id').where('id', '=', id).executeTakeFirst())?.case_id ?? null;
}

/** How many alerts await triage (the desk's counter; the alerts_status index answers it). */
export async function countNewAlerts(db: Db): Promise<number> {
  const r = await db.selectFrom('alerts').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'new').executeTakeFirstOrThrow();
  return Number(r.n);
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

// The crawl's alert statements. Which alert to raise, with what suggestion, and when to reopen
// one are decided in services/crawl/ingest.ts.

export interface StoryAlert {
  storyId: string;
  ruleIds: number[];
  words: string[];
  level: Level;
  category: Category;
  departmentId: number | null;
  negativity: number;
}

/**
 * Raises the story's alert, or merges the rule ids, words and negativity into the one it has;
 * `inserted` tells which.
 */
export async function upsertStoryAlert(trx: Db, a: StoryAlert, now: Date): Promise<{ id: string; inserted: boolean }> {
  const r = await sql<{ id: string; inserted: boolean }>`
    insert into alerts (story_id, rule_ids, matched_words, suggested_level, suggested_category, suggested_department_id, negativity, created_at, updated_at)
    values (${a.storyId}, ${a.ruleIds}::int[], ${a.words}::text[], ${a.level}, ${a.category}, ${a.departmentId}, ${a.negativity}, ${now}, ${now})
    on conflict (story_id) do update set
      rule_ids = array(select distinct x from unnest(alerts.rule_ids || excluded.rule_ids) x order by x),
      matched_words = array(select distinct w from unnest(alerts.matched_words || excluded.matched_words) w),
      negativity = greatest(alerts.negativity, excluded.negativity),
      updated_at = excluded.updated_at
    returning id::text, (xmax = 0) as inserted`.execute(trx);
  return r.rows[0];
}

/**
 * Sets the alerts of these stories that stand on a closed case (办结) back to 'new', keeping their
 * case_id; returns them (the caller writes their audit rows).
 */
export async function reopenAlertsOfClosedCases(trx: Db, storyIds: readonly string[], now: Date): Promise<{ id: string; case_id: string }[]> {
  const r = await sql<{ id: string; case_id: string }>`
    update alerts a set status = 'new', updated_at = ${now}
    where a.story_id = any(${storyIds as string[]}::bigint[]) and a.status = 'case'
      and exists (select 1 from case_stories cs join cases c on c.id = cs.case_id
                  where cs.story_id = a.story_id and c.status = 'closed')
    returning a.id::text, a.case_id::text`.execute(trx);
  return r.rows;
}

/** Touches the alerts of these stories (updated_at) and marks those of the spiking ones; returns them. */
export async function touchStoryAlerts(
  trx: Db,
  storyIds: readonly string[],
  spiking: readonly string[],
  now: Date,
): Promise<{ id: string; story_id: string }[]> {
  const r = await sql<{ id: string; story_id: string }>`
    update alerts set updated_at = ${now},
      spike_at = case when not spike and story_id = any(${spiking as string[]}::bigint[]) then ${now} else spike_at end,
      spike = spike or story_id = any(${spiking as string[]}::bigint[])
    where story_id = any(${storyIds as string[]}::bigint[])
    returning id::text, story_id::text`.execute(trx);
  return r.rows;
}
