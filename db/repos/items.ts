import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../client.js';

// Item reads for the API. Lists are ordered by (fetched_at desc, id desc) and paged by keyset.

/** A row's position in the (fetched_at desc, id desc) order; `at` is exact to the microsecond. */
export interface ItemKey {
  at: string;
  id: string;
}

export interface ItemFilter {
  /** Substring of title or text (case-insensitive). */
  q?: string;
  sourceId?: number;
  storyId?: string;
  /** published_at bounds: from inclusive, to exclusive. */
  from?: Date;
  to?: Date;
  after?: ItemKey;
  limit: number;
}

/** Timestamps as exact UTC text, so keys survive the trip through JS (which keeps milliseconds only). */
export const exactUtc = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function itemsWithSource(db: Db) {
  return db
    .selectFrom('items')
    .innerJoin('sources', 'sources.id', 'items.source_id')
    .selectAll('items')
    .select(['sources.name as source_name', exactUtc('items.fetched_at').as('fetched_key')]);
}

export type ItemRow = Awaited<ReturnType<typeof listItems>>[number];

export async function listItems(db: Db, f: ItemFilter) {
  let q = itemsWithSource(db);
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    q = q.where((eb) => eb.or([eb('items.title', 'ilike', pattern), eb('items.text', 'ilike', pattern)]));
  }
  if (f.sourceId !== undefined) q = q.where('items.source_id', '=', f.sourceId);
  if (f.storyId !== undefined) q = q.where('items.story_id', '=', f.storyId);
  if (f.from) q = q.where('items.published_at', '>=', f.from);
  if (f.to) q = q.where('items.published_at', '<', f.to);
  if (f.after) {
    const after = f.after;
    q = q.where(
      (): Expression<SqlBool> => sql<SqlBool>`(items.fetched_at, items.id) < (${after.at}::timestamptz, ${after.id}::bigint)`,
    );
  }
  return q.orderBy('items.fetched_at', 'desc').orderBy('items.id', 'desc').limit(f.limit).execute();
}

/** The newest items, for dry-running a rule. */
export async function latestItems(db: Db, limit: number) {
  return itemsWithSource(db).orderBy('items.fetched_at', 'desc').orderBy('items.id', 'desc').limit(limit).execute();
}
