import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../client.js';
import { toPgBigint } from '../../core/simhash.js';
import type { MediaType } from '../../core/vocabulary.js';
import type { EventFeatures } from '../../core/event-features.js';
import { itemNamesTown, itemPlaceLabels } from './places.js';

// Item reads for the API, and the crawl's writes. Lists are ordered by (fetched_at desc, id desc) and paged by keyset.

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
  /** The source's media type (news, forum, …). */
  mediaType?: MediaType;
  /** Items a monitoring rule matched. */
  ruleId?: number;
  /** Items naming this town of the area (its code). */
  town?: string;
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
    .leftJoin('alerts', 'alerts.story_id', 'items.story_id')
    .selectAll('items')
    .select([
      'sources.name as source_name',
      'sources.media_type as media_type',
      exactUtc('items.fetched_at').as('fetched_key'),
      'alerts.id as alert_id',
      'alerts.status as alert_status',
      'alerts.case_id as alert_case_id',
      itemPlaceLabels().as('places'),
    ]);
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
  if (f.mediaType !== undefined) q = q.where('sources.media_type', '=', f.mediaType);
  if (f.ruleId !== undefined) {
    const ruleId = f.ruleId;
    q = q.where((): Expression<SqlBool> => sql<SqlBool>`items.matched_rule_ids @> array[${ruleId}]::int[]`);
  }
  if (f.town !== undefined) q = q.where(itemNamesTown(f.town));
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

// The crawl's statements: which links are stored already, and the bulk insert of new items.

/** Which of these url keys are stored already (one index lookup, before anything is computed). */
export async function knownUrlKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const r = await sql<{ url_key: string }>`select url_key from items where url_key = any(${keys as string[]}::text[])`.execute(db);
  return new Set(r.rows.map((x) => x.url_key));
}

/** One crawled item as stored (its story given apart). */
export interface NewItem {
  sourceId: number;
  urlKey: string;
  url: string;
  guid: string | null;
  title: string;
  text: string;
  author: string;
  publishedAt: Date;
  publishedAtEstimated: boolean;
  fetchedAt: Date;
  simhash: bigint;
  negativity: number;
  /** Rule hits: stored as the distinct rule ids and the distinct matched words. */
  hits: { ruleId: number; words: string[] }[];
  /** The places of the office's area the item names (services/places): town and village codes. */
  places?: { towns: string[]; villages: string[] };
}

/**
 * Inserts items in one statement (one array per column, unnested), skipping url keys already
 * stored (ON CONFLICT DO NOTHING); returns the keys actually inserted. With `features` (event
 * grouping), the same statement keeps each inserted item's event features in item_events.
 */
export async function insertItems(trx: Db, items: readonly NewItem[], storyOf: (i: number) => string, features?: (i: number) => EventFeatures): Promise<string[]> {
  const col = <T>(f: (it: NewItem, i: number) => T) => items.map(f);
  const insert = sql`
    insert into items (source_id, story_id, url_key, url, guid, title, text, author, published_at, published_at_estimated,
                       fetched_at, simhash, negativity, matched_rule_ids, matched_words, place_towns, place_villages)
    select source_id, story_id, url_key, url, guid, title, text, author, published_at, estimated,
           fetched_at, simhash, negativity, rule_ids::int[], array(select jsonb_array_elements_text(words::jsonb)),
           array(select jsonb_array_elements_text(towns::jsonb)), array(select jsonb_array_elements_text(villages::jsonb))
    from unnest(${col((it) => it.sourceId)}::int[], ${col((_, i) => storyOf(i))}::bigint[], ${col((it) => it.urlKey)}::text[],
                ${col((it) => it.url)}::text[], ${col((it) => it.guid)}::text[], ${col((it) => it.title)}::text[],
                ${col((it) => it.text)}::text[], ${col((it) => it.author)}::text[], ${col((it) => it.publishedAt.toISOString())}::timestamptz[],
                ${col((it) => it.publishedAtEstimated)}::bool[], ${col((it) => it.fetchedAt.toISOString())}::timestamptz[],
                ${col((it) => toPgBigint(it.simhash))}::bigint[], ${col((it) => it.negativity)}::real[],
                ${col((it) => `{${[...new Set(it.hits.map((h) => h.ruleId))].join(',')}}`)}::text[],
                ${col((it) => JSON.stringify([...new Set(it.hits.flatMap((h) => h.words))]))}::text[],
                ${col((it) => JSON.stringify(it.places?.towns ?? []))}::text[], ${col((it) => JSON.stringify(it.places?.villages ?? []))}::text[])
      as u(source_id, story_id, url_key, url, guid, title, text, author, published_at, estimated, fetched_at, simhash, negativity, rule_ids, words, towns, villages)
    on conflict (url_key) do nothing`;
  if (!features) {
    const r = await sql<{ url_key: string }>`${insert} returning url_key`.execute(trx);
    return r.rows.map((x) => x.url_key);
  }
  const f = col((_, i) => features(i));
  const r = await sql<{ url_key: string }>`
    with ins as (${insert} returning id, url_key), ev as (
      insert into item_events (item_id, published_at, keywords, features)
      select ins.id, to_timestamp(u.ms / 1000.0), array(select jsonb_array_elements_text(u.f::jsonb -> 'keywords')), u.f::jsonb
      from ins join unnest(${col((it) => it.urlKey)}::text[], ${f.map((x) => x.publishedMs)}::float8[], ${f.map((x) => JSON.stringify(x))}::text[]) as u(key, ms, f)
        on u.key = ins.url_key
    )
    select url_key from ins`.execute(trx);
  return r.rows.map((x) => x.url_key);
}
