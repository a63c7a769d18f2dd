import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { Level, Category } from '../../core/vocabulary.js';
import { LEVELS } from '../../core/vocabulary.js';
import { BAND_COUNT, bands, fromPgBigint, toPgBigint, NEAR_DUPLICATE_DISTANCE } from '../../core/simhash.js';
import { groupIntoStories, type StoryCandidate } from '../../core/stories.js';
import { bandKeys } from '../../core/minhash.js';
import { isSpike } from '../../core/spike.js';
import type { AppEvent } from '../../platform/queues.js';
import { writeAuditMany } from './audit.js';

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
const INSERT_CHUNK = 1000;
/** Advisory lock class of story grouping (the first key of the two-key form). */
const STORY_LOCK_CLASS = 7242;
/** SimHash band k with value b locks slot k·2^16 + b; MinHash keys lock slots above those. */
const LSH_SLOT_BASE = 1 << 20;
const LSH_SLOT_SPAN = 1 << 30;
/** Batches touching more slots than this take the whole lock instead. */
const STORY_LOCK_MAX_SLOTS = 128;

/**
 * Inserts new items exactly once (unique url_key; ON CONFLICT DO NOTHING), groups them into
 * stories, raises one alert per matching story and updates heat and spike marks. Must run inside
 * a transaction (trx); returns the events to publish after commit.
 */
export async function ingestItems(trx: Db, items: IngestItem[], rules: Map<number, RuleSuggestion>, now: Date): Promise<IngestResult> {
  if (items.length === 0) return { inserted: 0, storyIds: [], events: [] };
  await lockStoryGrouping(trx, items);

  const candidates = await findCandidateStories(trx, items, now);
  const { assignments, founders } = groupIntoStories(items, candidates);

  const newIds = founders.length
    ? (await sql<{ id: string }>`select nextval('stories_id_seq')::text as id from generate_series(1, ${founders.length})`.execute(trx)).rows.map((r) => r.id)
    : [];
  await insertStories(trx, founders.map((itemIdx, j) => ({ id: newIds[j], it: items[itemIdx] })));
  const storyOf = (i: number) => {
    const a = assignments[i];
    return a.kind === 'existing' ? a.storyId : newIds[a.index];
  };
  const insertedKeys = new Set<string>();
  for (let i = 0; i < items.length; i += INSERT_CHUNK) {
    const chunk = items.slice(i, i + INSERT_CHUNK);
    for (const key of await insertItems(trx, chunk, (j) => storyOf(i + j))) insertedKeys.add(key);
  }

  const touched = new Set<string>();
  items.forEach((it, i) => insertedKeys.has(it.urlKey) && touched.add(storyOf(i)));
  const storyIds = [...touched];
  const alerted = await refreshStoryHeat(trx, storyIds);
  if (newIds.length && insertedKeys.size < items.length) {
    // Stories founded for items another worker stored first hold nothing: drop them.
    await sql`delete from stories s where s.id = any(${newIds}::bigint[]) and not exists (select 1 from items i where i.story_id = s.id)`.execute(trx);
  }

  const matched = items.flatMap((it, i) => (insertedKeys.has(it.urlKey) && it.hits.length > 0 ? [{ it, storyId: storyOf(i) }] : []));
  const events = await raiseAlerts(trx, matched, alerted, rules, now);
  return { inserted: insertedKeys.size, storyIds, events };
}

/**
 * Two crawls must not both found a story for the same repost. Grouping is serialised per
 * fingerprint band: a small batch takes the global lock shared plus an exclusive lock on each slot
 * its SimHash bands and MinHash keys hash into (sorted, so no deadlock); a big batch takes the
 * global lock exclusively. Crawls of unrelated news then commit in parallel.
 */
async function lockStoryGrouping(trx: Db, items: IngestItem[]): Promise<void> {
  const slots = new Set<number>();
  for (const it of items) {
    bands(it.simhash).forEach((b, k) => slots.add(k * 65536 + b));
    for (const key of bandKeys(it.minhash)) slots.add(LSH_SLOT_BASE + (key % LSH_SLOT_SPAN));
    if (slots.size > STORY_LOCK_MAX_SLOTS) break;
  }
  if (slots.size > STORY_LOCK_MAX_SLOTS) {
    await sql`select pg_advisory_xact_lock(${STORY_LOCK_CLASS}, -1)`.execute(trx);
    return;
  }
  const sorted = [...slots].sort((a, b) => a - b);
  await sql`select pg_advisory_xact_lock_shared(${STORY_LOCK_CLASS}, -1)`.execute(trx);
  await sql`select pg_advisory_xact_lock(${STORY_LOCK_CLASS}, s) from unnest(${sorted}::int[]) with ordinality as u(s, n) order by n`.execute(trx);
}

// Bulk inserts pass one array per column and unnest them: one statement, a handful of
// parameters, no per-row parameter parsing (several times faster than multi-row VALUES).

async function insertStories(trx: Db, rows: { id: string; it: IngestItem }[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: { id: string; it: IngestItem }) => T) => rows.map(f);
  const bandCols = Array.from({ length: BAND_COUNT }, (_, k) => col((r) => bands(r.it.simhash)[k]));
  await sql`
    insert into stories (id, title, simhash, band0, band1, band2, band3, band4, band5, minhash, first_seen_at, last_seen_at)
    select id, title, simhash, b0, b1, b2, b3, b4, b5, minhash::int[], seen, seen
    from unnest(${col((r) => r.id)}::bigint[], ${col((r) => r.it.title)}::text[], ${col((r) => toPgBigint(r.it.simhash))}::bigint[],
                ${bandCols[0]}::int[], ${bandCols[1]}::int[], ${bandCols[2]}::int[], ${bandCols[3]}::int[], ${bandCols[4]}::int[], ${bandCols[5]}::int[],
                ${col((r) => `{${r.it.minhash.join(',')}}`)}::text[], ${col((r) => r.it.fetchedAt.toISOString())}::timestamptz[])
      as u(id, title, simhash, b0, b1, b2, b3, b4, b5, minhash, seen)`.execute(trx);
  const keys: string[] = [];
  const storyIds: string[] = [];
  for (const r of rows) {
    for (const key of bandKeys(r.it.minhash)) {
      keys.push(String(key));
      storyIds.push(r.id);
    }
  }
  await sql`insert into story_keys (key, story_id) select * from unnest(${keys}::bigint[], ${storyIds}::bigint[]) on conflict do nothing`.execute(trx);
}

/** Inserts items, skipping url keys already stored; returns the keys actually inserted. */
async function insertItems(trx: Db, items: IngestItem[], storyOf: (i: number) => string): Promise<string[]> {
  const col = <T>(f: (it: IngestItem, i: number) => T) => items.map(f);
  const r = await sql<{ url_key: string }>`
    insert into items (source_id, story_id, url_key, url, guid, title, text, author, published_at, published_at_estimated,
                       fetched_at, simhash, negativity, matched_rule_ids, matched_words)
    select source_id, story_id, url_key, url, guid, title, text, author, published_at, estimated,
           fetched_at, simhash, negativity, rule_ids::int[], array(select jsonb_array_elements_text(words::jsonb))
    from unnest(${col((it) => it.sourceId)}::int[], ${col((_, i) => storyOf(i))}::bigint[], ${col((it) => it.urlKey)}::text[],
                ${col((it) => it.url)}::text[], ${col((it) => it.guid)}::text[], ${col((it) => it.title)}::text[],
                ${col((it) => it.text)}::text[], ${col((it) => it.author)}::text[], ${col((it) => it.publishedAt.toISOString())}::timestamptz[],
                ${col((it) => it.publishedAtEstimated)}::bool[], ${col((it) => it.fetchedAt.toISOString())}::timestamptz[],
                ${col((it) => toPgBigint(it.simhash))}::bigint[], ${col((it) => it.negativity)}::real[],
                ${col((it) => `{${[...new Set(it.hits.map((h) => h.ruleId))].join(',')}}`)}::text[],
                ${col((it) => JSON.stringify([...new Set(it.hits.flatMap((h) => h.words))]))}::text[])
      as u(source_id, story_id, url_key, url, guid, title, text, author, published_at, estimated, fetched_at, simhash, negativity, rule_ids, words)
    on conflict (url_key) do nothing
    returning url_key`.execute(trx);
  return r.rows.map((x) => x.url_key);
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

/** Recounts heat; returns the stories among them that already carry an alert. */
async function refreshStoryHeat(trx: Db, storyIds: string[]): Promise<string[]> {
  if (storyIds.length === 0) return [];
  const r = await sql<{ id: string; alerted: boolean }>`
    update stories s set item_count = x.n, source_count = x.sources, last_seen_at = x.last_seen, first_seen_at = least(s.first_seen_at, x.first_seen)
    from (select story_id, count(*)::int as n, count(distinct source_id)::int as sources, max(fetched_at) as last_seen, min(fetched_at) as first_seen
          from items where story_id = any(${storyIds}::bigint[]) group by story_id) x
    where s.id = x.story_id
    returning s.id::text, exists (select 1 from alerts a where a.story_id = s.id) as alerted`.execute(trx);
  return r.rows.filter((x) => x.alerted).map((x) => x.id);
}

async function raiseAlerts(
  trx: Db,
  matched: { it: IngestItem; storyId: string }[],
  alreadyAlerted: string[],
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
  const touchedStories = [...new Set([...alreadyAlerted, ...byStory.keys()])];
  if (touchedStories.length === 0) return events;
  const reopened = await reopenClosedCaseAlerts(trx, touchedStories, now);
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
  // The reopens' audit rows last: an audit row holds the audit chain's head until commit, and a
  // triage holding one of these alerts waits for that head — taken before the alerts update above,
  // the crawl and the triage would wait for each other.
  await writeAuditMany(
    trx,
    reopened.map((a) => ({
      actor: null,
      entity: 'alert',
      entityId: a.id,
      caseId: a.case_id,
      action: 'alert.reopen',
      before: { status: 'case' },
      after: { status: 'new', reason: 'new items after the case was closed' },
    })),
  );
  return events;
}

/**
 * New items on a story of a closed case (办结) need the duty desk's attention again: the story's
 * alert goes back to 'new', keeping its case_id; the caller writes their audit rows (actor: the system).
 */
async function reopenClosedCaseAlerts(trx: Db, storyIds: string[], now: Date): Promise<{ id: string; case_id: string }[]> {
  const r = await sql<{ id: string; case_id: string }>`
    update alerts a set status = 'new', updated_at = ${now}
    where a.story_id = any(${storyIds}::bigint[]) and a.status = 'case'
      and exists (select 1 from case_stories cs join cases c on c.id = cs.case_id
                  where cs.story_id = a.story_id and c.status = 'closed')
    returning a.id::text, a.case_id::text`.execute(trx);
  return r.rows;
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
