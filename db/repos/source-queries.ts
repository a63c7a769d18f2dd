import type { Selectable } from 'kysely';
import type { Db } from '../client.js';
import type { SourceQueriesTable } from '../schema.js';
import type { QueryStatus } from '../../core/search-source.js';
import type { FetchStatus } from '../../core/vocabulary.js';

// The queries of news search sources (kind 'search'), each with its own health and backoff.

export type SourceQuery = Selectable<SourceQueriesTable>;

/** The queries of the given sources (all search sources when ids is undefined), in order of query. */
export async function listQueries(db: Db, sourceIds?: number[]): Promise<SourceQuery[]> {
  if (sourceIds && sourceIds.length === 0) return [];
  let q = db.selectFrom('source_queries').selectAll();
  if (sourceIds) q = q.where('source_id', 'in', sourceIds);
  return q.orderBy('source_id').orderBy('next_due_at').orderBy('query').execute();
}

/**
 * Makes the source's stored queries the given ones: new queries are due now, queries no longer
 * wanted are dropped (their health with them), the others keep their state. Returns them all.
 */
export async function syncQueries(db: Db, sourceId: number, queries: string[], now: Date): Promise<SourceQuery[]> {
  if (queries.length === 0) {
    await db.deleteFrom('source_queries').where('source_id', '=', sourceId).execute();
    return [];
  }
  await db.deleteFrom('source_queries').where('source_id', '=', sourceId).where('query', 'not in', queries).execute();
  await db
    .insertInto('source_queries')
    .values(queries.map((query) => ({ source_id: sourceId, query, next_due_at: now })))
    .onConflict((oc) => oc.columns(['source_id', 'query']).doNothing())
    .execute();
  return listQueries(db, [sourceId]);
}

export interface QueryRecord {
  query: string;
  status: QueryStatus;
  fetchStatus: FetchStatus;
  httpStatus: number | null;
  message: string;
  consecutiveFailures: number;
  failureScore: number;
  itemsSeen: number;
  /** Result pages read, and the page that failed (null: none). */
  pagesRead: number;
  failedPage: number | null;
  nextDueAt: Date;
}

/** Writes one crawl's outcome of each fetched query. */
export async function recordQueries(db: Db, sourceId: number, records: QueryRecord[], now: Date): Promise<void> {
  for (const r of records) {
    const healthy = r.status === 'ok' || r.status === 'empty';
    await db
      .updateTable('source_queries')
      .set({
        status: r.status,
        fetch_status: r.fetchStatus,
        http_status: r.httpStatus,
        message: r.message.slice(0, 500),
        consecutive_failures: r.consecutiveFailures,
        failure_score: r.failureScore,
        items_seen: r.itemsSeen,
        pages_read: r.pagesRead,
        failed_page: r.failedPage,
        last_fetch_at: now,
        ...(healthy ? { last_success_at: now } : {}),
        next_due_at: r.nextDueAt,
      })
      .where('source_id', '=', sourceId)
      .where('query', '=', r.query)
      .execute();
  }
}
