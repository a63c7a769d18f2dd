import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { Level, Category } from '../../core/vocabulary.js';
import { LEVELS } from '../../core/vocabulary.js';
import { BAND_COUNT, bands, fromPgBigint, toPgBigint, NEAR_DUPLICATE_DISTANCE } from '../../core/simhash.js';
import { groupIntoStories, type StoryCandidate } from '../../core/stories.js';
import { bandKeys } from '../../core/minhash.js';
import { isSpike } from '../../core/spike.js';
import type { AppEvent } from '../../worker/queues.js';

// The crawler's writes: one batch of new items, their stories and alerts, in the caller's transaction.

export interface IngestItem {
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
  /** MinHash signature (core/minhash.ts). */
  minhash: Int32Array;
  negativity: number;
  hits: { ruleId: number; words: string[] }[];
}

export interface RuleSuggestion {
  level: Level;
  category: Category;
  departmentId: number | null;
}

export interface IngestResult {
  inserted: number;
  storyIds: string[];
  events: AppEvent[];
}

/** Which of these url keys are stored already (one index lookup, before anything is computed). */
export async function knownUrlKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const r = await sql<{ url_key: string }>`select url_key from items where url_key = any(${keys as string[]}::text[])`.execute(db);
  return new Set(r.rows.map((x) => x.url_key));
}

/** Stories that stay open to new reposts. */
const STORY_WINDOW_DAYS = 30;
const INSERT_CHUNK = 500;
/** Serialises story grouping across workers so two crawls never found the same story twice. */
const STORY_LOCK_KEY = 724_200_001;

/**
 * Inserts new items exactly once (unique url_key; ON CONFLICT DO NOTHING), groups them into
 * stories, raises one alert per matching story and updates heat and spike marks. Must run inside
 * a transaction (trx); returns the events to publish after commit.
 */
export async function ingestItems(trx: Db, items: IngestItem[], rules: Map<number, RuleSuggestion>, now: Date): Promise<IngestResult> {
  if (items.length === 0) return { inserted: 0, storyIds: [], events: [] };
  await sql`select pg_advisory_xact_lock(${STORY_LOCK_KEY})`.execute(trx);

  const candidates = await findCandidateStories(trx, items, now);
  const { assignments, founders } = groupIntoStories(items, candidates);

  const newIds = founders.length
    ? (await sql<{ id: string }>`select nextval('stories_id_seq')::text as id from generate_series(1, ${founders.length})`.execute(trx)).rows.map((r) => r.id)
    : [];
  for (let i = 0; i < founders.length; i += INSERT_CHUNK) {
    await trx
      .insertInto('stories')
      .values(
        founders.slice(i, i + INSERT_CHUNK).map((itemIdx, j) => {
          const it = items[itemIdx];
          const [band0, band1, band2, band3, band4, band5] = bands(it.simhash);
          return {
            id: newIds[i + j],
            title: it.title,
            simhash: toPgBigint(it.simhash),
            band0,
            band1,
            band2,
            band3,
            band4,
            band5,
            minhash: Array.from(it.minhash),
            first_seen_at: it.fetchedAt,
            last_seen_at: it.fetchedAt,
          } as never;
        }),
      )
      .execute();
  }
  const keys = founders.flatMap((itemIdx, j) => bandKeys(items[itemIdx].minhash).map((key) => ({ key, story_id: newIds[j] })));
  for (let i = 0; i < keys.length; i += INSERT_CHUNK * 4) {
    await trx.insertInto('story_keys').values(keys.slice(i, i + INSERT_CHUNK * 4)).onConflict((oc) => oc.doNothing()).execute();
  }
  const storyOf = (i: number) => {
    const a = assignments[i];
    return a.kind === 'existing' ? a.storyId : newIds[a.index];
  };

  const insertedKeys = new Set<string>();
  for (let i = 0; i < items.length; i += INSERT_CHUNK) {
    const rows = await trx
      .insertInto('items')
      .values(
        items.slice(i, i + INSERT_CHUNK).map((it, j) => ({
          source_id: it.sourceId,
          story_id: storyOf(i + j),
          url_key: it.urlKey,
          url: it.url,
          guid: it.guid,
          title: it.title,
          text: it.text,
          author: it.author,
          published_at: it.publishedAt,
          published_at_estimated: it.publishedAtEstimated,
          fetched_at: it.fetchedAt,
          simhash: toPgBigint(it.simhash),
          negativity: it.negativity,
          matched_rule_ids: [...new Set(it.hits.map((h) => h.ruleId))],
          matched_words: [...new Set(it.hits.flatMap((h) => h.words))],
        })),
      )
      .onConflict((oc) => oc.column('url_key').doNothing())
      .returning('url_key')
      .execute();
    for (const r of rows) insertedKeys.add(r.url_key);
  }

  const touched = new Set<string>();
  items.forEach((it, i) => insertedKeys.has(it.urlKey) && touched.add(storyOf(i)));
  const storyIds = [...touched];
  await refreshStoryHeat(trx, storyIds);
  if (newIds.length) {
    // Stories founded for items another worker stored first hold nothing: drop them.
    await sql`delete from stories s where s.id = any(${newIds}::bigint[]) and not exists (select 1 from items i where i.story_id = s.id)`.execute(trx);
  }

  const events = await raiseAlerts(
    trx,
    items.filter((it, i) => insertedKeys.has(it.urlKey) && it.hits.length > 0).map((it) => ({ it, storyId: storyOf(items.indexOf(it)) })),
    storyIds,
    rules,
    now,
  );
  return { inserted: insertedKeys.size, storyIds, events };
}

/**
 * Stories that may be near any of the items, with their fingerprints: those sharing a MinHash LSH
 * key, and those within the SimHash distance (banded index, then bit_count of the XOR in SQL so
 * few rows come back however many stories share a band value). core/stories decides.
 */
async function findCandidateStories(trx: Db, items: IngestItem[], now: Date): Promise<StoryCandidate[]> {
  const bs: number[][] = Array.from({ length: BAND_COUNT }, () => []);
  const hashes: string[] = [];
  const lsh: number[] = [];
  for (const it of items) {
    hashes.push(toPgBigint(it.simhash));
    bands(it.simhash).forEach((b, k) => bs[k].push(b));
    lsh.push(...bandKeys(it.minhash));
  }
  const since = new Date(now.getTime() - STORY_WINDOW_DAYS * 86_400_000);
  const r = await sql<{ id: string; simhash: string; minhash: number[] }>`
    with near as (
      select s.id
      from unnest(${hashes}::bigint[], ${bs[0]}::int[], ${bs[1]}::int[], ${bs[2]}::int[], ${bs[3]}::int[], ${bs[4]}::int[], ${bs[5]}::int[])
             as q(h, b0, b1, b2, b3, b4, b5)
      join stories s on (s.band0 = q.b0 or s.band1 = q.b1 or s.band2 = q.b2 or s.band3 = q.b3 or s.band4 = q.b4 or s.band5 = q.b5)
      where bit_count((s.simhash # q.h)::bit(64)) <= ${NEAR_DUPLICATE_DISTANCE}
      union
      select story_id from story_keys where key = any(${lsh}::bigint[])
    )
    select s.id::text, s.simhash::text, s.minhash from stories s join near on near.id = s.id
    where s.last_seen_at >= ${since}`.execute(trx);
  return r.rows.map((row) => ({ id: row.id, simhash: fromPgBigint(row.simhash), minhash: row.minhash }));
}

async function refreshStoryHeat(trx: Db, storyIds: string[]): Promise<void> {
  if (storyIds.length === 0) return;
  await sql`
    update stories s set item_count = x.n, source_count = x.sources, last_seen_at = x.last_seen, first_seen_at = least(s.first_seen_at, x.first_seen)
    from (select story_id, count(*)::int as n, count(distinct source_id)::int as sources, max(fetched_at) as last_seen, min(fetched_at) as first_seen
          from items where story_id = any(${storyIds}::bigint[]) group by story_id) x
    where s.id = x.story_id`.execute(trx);
}

async function raiseAlerts(
  trx: Db,
  matched: { it: IngestItem; storyId: string }[],
  touchedStories: string[],
  rules: Map<number, RuleSuggestion>,
  now: Date,
): Promise<AppEvent[]> {
  const byStory = new Map<string, { ruleIds: Set<number>; words: Set<string>; negativity: number }>();
  for (const { it, storyId } of matched) {
    const agg = byStory.get(storyId) ?? { ruleIds: new Set(), words: new Set(), negativity: 0 };
    for (const h of it.hits) {
      agg.ruleIds.add(h.ruleId);
      h.words.forEach((w) => agg.words.add(w));
    }
    agg.negativity = Math.max(agg.negativity, it.negativity);
    byStory.set(storyId, agg);
  }
  const events: AppEvent[] = [];
  const created = new Set<string>();
  if (byStory.size > 0) {
    for (const [storyId, agg] of byStory) {
      const s = strongestSuggestion([...agg.ruleIds], rules);
      const r = await sql<{ id: string; inserted: boolean }>`
        insert into alerts (story_id, rule_ids, matched_words, suggested_level, suggested_category, suggested_department_id, negativity, created_at, updated_at)
        values (${storyId}, ${[...agg.ruleIds]}::int[], ${[...agg.words]}::text[], ${s.level}, ${s.category}, ${s.departmentId}, ${agg.negativity}, ${now}, ${now})
        on conflict (story_id) do update set
          rule_ids = array(select distinct x from unnest(alerts.rule_ids || excluded.rule_ids) x order by x),
          matched_words = array(select distinct w from unnest(alerts.matched_words || excluded.matched_words) w),
          negativity = greatest(alerts.negativity, excluded.negativity),
          updated_at = excluded.updated_at
        returning id::text, (xmax = 0) as inserted`.execute(trx);
      const row = r.rows[0];
      if (row.inserted) {
        created.add(storyId);
        events.push({ type: 'alert.created', alertId: row.id, storyId });
      }
    }
  }
  if (touchedStories.length === 0) return events;
  const spiking = await spikingStories(trx, touchedStories, now);
  const updated = await sql<{ id: string; story_id: string }>`
    update alerts set updated_at = ${now},
      spike_at = case when not spike and story_id = any(${spiking}::bigint[]) then ${now} else spike_at end,
      spike = spike or story_id = any(${spiking}::bigint[])
    where story_id = any(${touchedStories}::bigint[])
    returning id::text, story_id::text`.execute(trx);
  for (const u of updated.rows) {
    if (!created.has(u.story_id)) events.push({ type: 'alert.updated', alertId: u.id, storyId: u.story_id });
  }
  return events;
}

async function spikingStories(trx: Db, storyIds: string[], now: Date): Promise<string[]> {
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const r = await sql<{ story_id: string; last_hour: number; before: number; first_ms: number }>`
    select story_id::text, count(*) filter (where fetched_at > ${hourAgo})::int as last_hour,
           count(*) filter (where fetched_at <= ${hourAgo})::int as before,
           (extract(epoch from min(fetched_at)) * 1000)::float8 as first_ms
    from items where story_id = any(${storyIds}::bigint[]) group by story_id`.execute(trx);
  return r.rows
    .filter((x) => isSpike({ lastHour: x.last_hour, before: x.before, hoursBefore: Math.max(0, (hourAgo.getTime() - x.first_ms) / 3_600_000) }))
    .map((x) => x.story_id);
}

function strongestSuggestion(ruleIds: number[], rules: Map<number, RuleSuggestion>): RuleSuggestion {
  let best: RuleSuggestion = { level: 'general', category: 'other', departmentId: null };
  let bestRank = -1;
  for (const id of ruleIds) {
    const s = rules.get(id);
    if (!s) continue;
    const rank = LEVELS.indexOf(s.level);
    if (rank > bestRank) {
      best = s;
      bestRank = rank;
    }
  }
  return best;
}
