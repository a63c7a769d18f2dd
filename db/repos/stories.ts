import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.js';
import { BAND_COUNT, bands, fromPgBigint, toPgBigint, NEAR_DUPLICATE_DISTANCE } from '../../core/simhash.js';
import { bandKeys } from '../../core/minhash.js';
import type { Fingerprint, StoryCandidate } from '../../core/stories.js';
import type { EventFeatures } from '../../core/event-features.js';

export async function findStory(db: Db, id: string) {
  return db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
}

// Story grouping's statements. What joins which story is decided in services/crawl/ingest.ts.

/** Advisory lock class of story grouping (the first key of the two-key form). */
const STORY_LOCK_CLASS = 7242;

/**
 * Serialises story grouping: 'all' takes the global lock exclusively; a list of slots takes the
 * global lock shared plus an exclusive lock on each slot, in ascending order (so no deadlock).
 */
export async function lockStoryGrouping(trx: Db, slots: readonly number[] | 'all'): Promise<void> {
  if (slots === 'all') {
    await sql`select pg_advisory_xact_lock(${STORY_LOCK_CLASS}, -1)`.execute(trx);
    return;
  }
  const sorted = [...slots].sort((a, b) => a - b);
  await sql`select pg_advisory_xact_lock_shared(${STORY_LOCK_CLASS}, -1)`.execute(trx);
  await sql`select pg_advisory_xact_lock(${STORY_LOCK_CLASS}, s) from unnest(${sorted}::int[]) with ordinality as u(s, n) order by n`.execute(trx);
}

/** n fresh story ids, in order. */
export async function allocateStoryIds(trx: Db, n: number): Promise<string[]> {
  if (n === 0) return [];
  const r = await sql<{ id: string }>`select nextval('stories_id_seq')::text as id from generate_series(1, ${n})`.execute(trx);
  return r.rows.map((x) => x.id);
}

export interface NewStory {
  id: string;
  title: string;
  simhash: bigint;
  minhash: ArrayLike<number>;
  seenAt: Date;
  /** The founder's event features (null: fingerprints only). */
  features?: EventFeatures | null;
}

// Bulk inserts pass one array per column and unnest them: one statement, a handful of
// parameters, no per-row parameter parsing (several times faster than multi-row VALUES).

/** Inserts stories with their SimHash bands and MinHash LSH keys. */
export async function insertStories(trx: Db, rows: readonly NewStory[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: NewStory) => T) => rows.map(f);
  const bandCols = Array.from({ length: BAND_COUNT }, (_, k) => col((r) => bands(r.simhash)[k]));
  await sql`
    insert into stories (id, title, simhash, band0, band1, band2, band3, band4, band5, minhash, first_seen_at, last_seen_at, features)
    select id, title, simhash, b0, b1, b2, b3, b4, b5, minhash::int[], seen, seen, features::jsonb
    from unnest(${col((r) => r.id)}::bigint[], ${col((r) => r.title)}::text[], ${col((r) => toPgBigint(r.simhash))}::bigint[],
                ${bandCols[0]}::int[], ${bandCols[1]}::int[], ${bandCols[2]}::int[], ${bandCols[3]}::int[], ${bandCols[4]}::int[], ${bandCols[5]}::int[],
                ${col((r) => `{${Array.from(r.minhash).join(',')}}`)}::text[], ${col((r) => r.seenAt.toISOString())}::timestamptz[],
                ${col((r) => (r.features ? JSON.stringify(r.features) : null))}::text[])
      as u(id, title, simhash, b0, b1, b2, b3, b4, b5, minhash, seen, features)`.execute(trx);
  const keys: string[] = [];
  const storyIds: string[] = [];
  for (const r of rows) {
    for (const key of bandKeys(r.minhash)) {
      keys.push(String(key));
      storyIds.push(r.id);
    }
  }
  await sql`insert into story_keys (key, story_id) select * from unnest(${keys}::bigint[], ${storyIds}::bigint[]) on conflict do nothing`.execute(trx);
}

/** The ids of the stories near the prints: a SimHash band equal and within the near-duplicate distance, or a MinHash LSH key shared (the `near` CTE's body). */
function nearStoryIds(prints: readonly Fingerprint[]): RawBuilder<unknown> {
  const bs: number[][] = Array.from({ length: BAND_COUNT }, () => []);
  const hashes: string[] = [];
  const lsh: number[] = [];
  for (const p of prints) {
    hashes.push(toPgBigint(p.simhash));
    bands(p.simhash).forEach((b, k) => bs[k].push(b));
    lsh.push(...bandKeys(p.minhash));
  }
  return sql`
      select s.id
      from unnest(${hashes}::bigint[], ${bs[0]}::int[], ${bs[1]}::int[], ${bs[2]}::int[], ${bs[3]}::int[], ${bs[4]}::int[], ${bs[5]}::int[])
             as q(h, b0, b1, b2, b3, b4, b5)
      join stories s on (s.band0 = q.b0 or s.band1 = q.b1 or s.band2 = q.b2 or s.band3 = q.b3 or s.band4 = q.b4 or s.band5 = q.b5)
      where bit_count((s.simhash # q.h)::bit(64)) <= ${NEAR_DUPLICATE_DISTANCE}
      union
      select story_id from story_keys where key = any(${lsh}::bigint[])
  `;
}

/**
 * Stories seen since `since` that may be near any of the fingerprints: those sharing a MinHash LSH
 * key, and those within the SimHash distance (banded index, then bit_count of the XOR in SQL so
 * few rows come back however many stories share a band value).
 */
export async function nearStories(trx: Db, prints: readonly Fingerprint[], since: Date): Promise<StoryCandidate[]> {
  const r = await sql<{ id: string; simhash: string; minhash: number[]; features: EventFeatures | null }>`
    with near as (
${nearStoryIds(prints)}
    )
    select s.id::text, s.simhash::text, s.minhash, s.features from stories s join near on near.id = s.id
    where s.last_seen_at >= ${since}`.execute(trx);
  return r.rows.map((row) => ({ id: row.id, simhash: fromPgBigint(row.simhash), minhash: row.minhash, ...(row.features ? { features: row.features } : {}) }));
}

/** Items kept as candidates of one new item (sharing two keywords or more; the most shared, then the latest published, first). */
const EVENT_CANDIDATES_PER_ITEM = 40;
/** Keywords a candidate shares at least (as core/stories.ts's in-memory index asks). */
const MIN_SHARED = 2;

/**
 * Event grouping's candidates in one round trip: the stories near by fingerprint (as nearStories),
 * and the items already in stories that may tell the same event as any of the new items — sharing
 * two keywords or more (GIN) and published within `windowMs` of the new item (published time, not
 * fetch time). Such an item comes back as a candidate of its story, with the item's SimHash and
 * features (no MinHash: the stories' own fingerprints are the near half's job).
 */
export async function storyCandidates(
  trx: Db,
  prints: readonly Fingerprint[],
  since: Date,
  features: readonly EventFeatures[],
  windowMs: number,
): Promise<StoryCandidate[]> {
  // Per new item with keywords: its keywords and its window by published time.
  const q = JSON.stringify(
    features
      .filter((f) => f.keywords.length > 0)
      .map((f) => ({ k: f.keywords, lo: new Date(f.publishedMs - windowMs).toISOString(), hi: new Date(f.publishedMs + windowMs).toISOString() })),
  );
  const r = await sql<{ id: string; simhash: string; minhash: number[] | null; features: EventFeatures | null }>`
    with near as (
${nearStoryIds(prints)}
    ), q as (
      select array(select jsonb_array_elements_text(e->'k')) as k, (e->>'lo')::timestamptz as lo, (e->>'hi')::timestamptz as hi
      from jsonb_array_elements(${q}::jsonb) e
    ), hits as (
      select distinct c.item_id
      from q cross join lateral (
        select x.item_id from item_events x
        cross join lateral (select count(*) as n from unnest(x.keywords) w where w = any(q.k)) shared
        where x.keywords && q.k and x.published_at between q.lo and q.hi and shared.n >= ${MIN_SHARED}
        -- The items sharing the most keywords first (a repost of an older member is not crowded out
        -- by the many recent items that share two generic words), the latest published on a tie.
        order by shared.n desc, x.published_at desc
        limit ${EVENT_CANDIDATES_PER_ITEM}
      ) c
    )
    select s.id::text, s.simhash::text, s.minhash, s.features from stories s join near on near.id = s.id
    where s.last_seen_at >= ${since}
    union all
    select i.story_id::text, i.simhash::text, null, e.features
    from hits h join item_events e on e.item_id = h.item_id join items i on i.id = e.item_id
    where i.story_id is not null`.execute(trx);
  return r.rows.map((row) => ({
    id: row.id,
    simhash: fromPgBigint(row.simhash),
    minhash: row.minhash ?? NO_MINHASH,
    ...(row.features ? { features: row.features } : {}),
  }));
}
const NO_MINHASH = new Int32Array(0);

/** Recounts heat (items, sources, first and last seen); returns the stories among them that already carry an alert. */
export async function refreshStoryHeat(trx: Db, storyIds: readonly string[]): Promise<string[]> {
  if (storyIds.length === 0) return [];
  const r = await sql<{ id: string; alerted: boolean }>`
    update stories s set item_count = x.n, source_count = x.sources, last_seen_at = x.last_seen, first_seen_at = least(s.first_seen_at, x.first_seen)
    from (select story_id, count(*)::int as n, count(distinct source_id)::int as sources, max(fetched_at) as last_seen, min(fetched_at) as first_seen
          from items where story_id = any(${storyIds as string[]}::bigint[]) group by story_id) x
    where s.id = x.story_id
    returning s.id::text, exists (select 1 from alerts a where a.story_id = s.id) as alerted`.execute(trx);
  return r.rows.filter((x) => x.alerted).map((x) => x.id);
}

/** Deletes those of the stories that hold no item. */
export async function deleteEmptyStories(trx: Db, ids: readonly string[]): Promise<void> {
  await sql`delete from stories s where s.id = any(${ids as string[]}::bigint[]) and not exists (select 1 from items i where i.story_id = s.id)`.execute(trx);
}

export interface StoryActivity {
  storyId: string;
  /** Items fetched after `at`, and at or before it. */
  after: number;
  before: number;
  /** The story's first fetch, milliseconds since the epoch. */
  firstMs: number;
}

/** Per story, how many of its items were fetched after a moment and how many before. */
export async function storyActivity(trx: Db, storyIds: readonly string[], at: Date): Promise<StoryActivity[]> {
  const r = await sql<{ story_id: string; after: number; before: number; first_ms: number }>`
    select story_id::text, count(*) filter (where fetched_at > ${at})::int as after,
           count(*) filter (where fetched_at <= ${at})::int as before,
           (extract(epoch from min(fetched_at)) * 1000)::float8 as first_ms
    from items where story_id = any(${storyIds as string[]}::bigint[]) group by story_id`.execute(trx);
  return r.rows.map((x) => ({ storyId: x.story_id, after: x.after, before: x.before, firstMs: x.first_ms }));
}
