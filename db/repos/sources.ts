import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { NewSource, Source, SourceUpdate } from '../schema.js';

// Reads and admin edits of sources. The crawler's writes live in source-fetches.ts.

export type SourceWithCount = Source & { item_count: number };

function withItemCount(db: Db) {
  return db
    .selectFrom('sources')
    .selectAll('sources')
    .select(sql<number>`(select count(*) from items where items.source_id = sources.id)::int`.as('item_count'));
}

export async function listSources(db: Db): Promise<SourceWithCount[]> {
  return withItemCount(db).orderBy('sources.id').execute();
}

export async function findSource(db: Db, id: number): Promise<SourceWithCount | undefined> {
  return withItemCount(db).where('sources.id', '=', id).executeTakeFirst();
}

/**
 * The source row, locked until the transaction ends (its state before an audited edit). FOR NO KEY
 * UPDATE, the lock the UPDATE takes anyway: it does not wait for foreign-key checks of rows
 * referring to the source (a crawl inserting its items).
 */
export async function lockSource(db: Db, id: number): Promise<Source | undefined> {
  return db.selectFrom('sources').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirst();
}

export async function insertSource(db: Db, values: NewSource): Promise<Source> {
  return db.insertInto('sources').values(values).returningAll().executeTakeFirstOrThrow();
}

export interface SourceEdit {
  set: SourceUpdate;
  /** Make the source due now (unless a crawl holds its lease: that crawl is the fetch). */
  dueNow: boolean;
  /** Forget conditional-GET validators and the body hash, so the next fetch parses afresh. */
  forgetValidators: boolean;
}

export async function updateSource(db: Db, id: number, edit: SourceEdit, now: Date): Promise<Source | undefined> {
  return db
    .updateTable('sources')
    .set({
      ...edit.set,
      ...(edit.forgetValidators ? { etag: null, last_modified: null, body_hash: null } : {}),
      ...(edit.dueNow ? { next_fetch_at: sql<Date>`case when claimed_by is null then ${now}::timestamptz else next_fetch_at end` } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the source; returns the removed row (undefined when there was none). */
export async function deleteSource(db: Db, id: number): Promise<Source | undefined> {
  return db.deleteFrom('sources').where('id', '=', id).returningAll().executeTakeFirst();
}

export async function sourceUrlTaken(db: Db, url: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('sources').select('id').where('url', '=', url);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function listFetches(db: Db, sourceId: number, limit: number) {
  return db
    .selectFrom('source_fetches')
    .selectAll()
    .where('source_id', '=', sourceId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
