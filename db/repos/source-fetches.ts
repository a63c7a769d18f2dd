import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { Source } from '../schema.js';
import type { FetchStatus } from '../../core/vocabulary.js';

// A source's fetches: which sources are due, the lease one crawl takes on its source, the lock of
// its store, and the outcome written on the source with a row of fetch history (source_fetches).

/** Sources whose next fetch is due, oldest first. */
export async function listDueSources(db: Db, now: Date, limit: number): Promise<{ id: number; nextFetchAt: Date; url: string }[]> {
  const rows = await db
    .selectFrom('sources')
    .select(['id', 'next_fetch_at', 'url'])
    .where('enabled', '=', true)
    // Intake sources (接口推送) are pushed to, never fetched.
    .where('kind', '<>', 'intake')
    .where('next_fetch_at', '<=', now)
    .orderBy('next_fetch_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, nextFetchAt: r.next_fetch_at, url: r.url }));
}

/**
 * While a heightened period (重点时段) is active with poll factor `factor`: every healthy source
 * (enabled, not being crawled, not in a failure backoff) still scheduled a full interval after its
 * last fetch is brought forward to its last fetch plus the shortened interval (due now if that has
 * passed). A crawl inside the period schedules with the factor itself, so after the period's first
 * ticks this changes nothing. Returns how many sources moved.
 */
export async function bringPollsForward(db: Db, now: Date, factor: number): Promise<number> {
  const r = await sql`
    update sources
    set next_fetch_at = greatest(last_fetch_at + make_interval(secs => poll_interval_s * ${factor}::float8), ${now}::timestamptz)
    where enabled and kind <> 'intake' and claimed_by is null and consecutive_failures = 0 and last_fetch_at is not null
      and next_fetch_at > last_fetch_at + make_interval(secs => poll_interval_s * ${factor}::float8) + interval '1 second'`.execute(db);
  return Number(r.numAffectedRows ?? 0n);
}

/**
 * Takes the source's lease for one crawl: only when it is due (or already held by this same job,
 * as after a stalled job is retried). Pushes next_fetch_at past the lease so no scheduler
 * enqueues it again meanwhile; a crashed crawl is retried when the lease runs out.
 */
export async function claimSource(db: Db, id: number, jobId: string, now: Date, leaseMs: number): Promise<Source | undefined> {
  return db
    .updateTable('sources')
    .set({ next_fetch_at: new Date(now.getTime() + leaseMs), claimed_by: jobId })
    .where('id', '=', id)
    .where('enabled', '=', true)
    .where('kind', '<>', 'intake')
    .where((eb) => eb.or([eb('next_fetch_at', '<=', now), eb('claimed_by', '=', jobId)]))
    .returningAll()
    .executeTakeFirst();
}

/**
 * Locks the source's row until the transaction ends (FOR NO KEY UPDATE, as an admin's edit does):
 * a crawl's store takes it before any audit row, in the same order as the edit.
 */
export async function lockSource(trx: Db, id: number): Promise<void> {
  await trx.selectFrom('sources').select('id').where('id', '=', id).forNoKeyUpdate().execute();
}

export interface FetchRecord {
  sourceId: number;
  jobId: string;
  startedAt: Date;
  durationMs: number;
  status: FetchStatus;
  httpStatus: number | null;
  message: string;
  itemsSeen: number;
  itemsNew: number;
  nextFetchAt: Date;
  failureScore: number;
  consecutiveFailures: number;
  now: Date;
  /** Only on a success with a body. */
  validators?: { etag: string | null; lastModified: string | null; bodyHash: string | null };
  selectorMisses?: number;
  typicalGapS?: number | null;
}

/** How many fetches of history each source keeps. */
export const FETCH_HISTORY_KEPT = 200;

/** Thrown by recordFetch when the crawl outlived its lease and another crawl of the source took it. */
export class LeaseLost extends Error {
  constructor(sourceId: number) {
    super(`Source ${sourceId}: the crawl outlived its lease; another crawl records this slot`);
  }
}

/**
 * Writes the outcome of one fetch on the source and its history, releasing the lease. Throws
 * LeaseLost (writing nothing) when another crawl holds the lease now: recording this one too would
 * count the slot twice; inside the crawl's transaction its items roll back with it, and the job's
 * retry finds the source taken and skips.
 */
export async function recordFetch(db: Db, r: FetchRecord): Promise<void> {
  const success = r.status === 'ok' || r.status === 'not_modified';
  const updated = await db
    .updateTable('sources')
    .set({
      status: r.status,
      status_message: r.message,
      http_status: r.httpStatus,
      last_fetch_at: r.now,
      ...(success ? { last_success_at: r.now } : {}),
      ...(r.itemsNew > 0 ? { last_new_item_at: r.now } : {}),
      ...(r.typicalGapS !== undefined ? { typical_gap_s: r.typicalGapS } : {}),
      ...(r.validators ? { etag: r.validators.etag, last_modified: r.validators.lastModified, body_hash: r.validators.bodyHash } : {}),
      ...(r.selectorMisses !== undefined ? { selector_misses: r.selectorMisses } : {}),
      next_fetch_at: r.nextFetchAt,
      failure_score: r.failureScore,
      consecutive_failures: r.consecutiveFailures,
      claimed_by: null,
      updated_at: r.now,
    })
    .where('id', '=', r.sourceId)
    .where((eb) => eb.or([eb('claimed_by', '=', r.jobId), eb('claimed_by', 'is', null)]))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new LeaseLost(r.sourceId);
  // History row, and every PRUNE_EVERY fetches the source's history trimmed to FETCH_HISTORY_KEPT.
  await sql`
    with ins as (
      insert into source_fetches (source_id, started_at, duration_ms, status, http_status, items_seen, items_new, message)
      values (${r.sourceId}, ${r.startedAt}, ${r.durationMs}, ${r.status}, ${r.httpStatus}, ${r.itemsSeen}, ${r.itemsNew}, ${r.message})
      returning id
    )
    delete from source_fetches
    where source_id = ${r.sourceId} and (select id from ins) % ${PRUNE_EVERY} = 0
      and id < (select id from source_fetches where source_id = ${r.sourceId}
                order by id desc offset ${FETCH_HISTORY_KEPT - 1} limit 1)`.execute(db);
}
const PRUNE_EVERY = 20;
