import type { Db } from '../../db/client.js';
import { LEVELS, type Category, type Level } from '../../core/vocabulary.js';
import { bands } from '../../core/simhash.js';
import { bandKeys } from '../../core/minhash.js';
import { EVENT_WINDOW_DAYS, groupIntoStories } from '../../core/stories.js';
import { eventFeatures, type EventFeatures } from '../../core/event-features.js';
import { isSpike } from '../../core/spike.js';
import { insertItems, type NewItem } from '../../db/repos/items.js';
import {
  allocateStoryIds,
  deleteEmptyStories,
  insertStories,
  lockStoryGrouping,
  nearStories,
  refreshStoryHeat,
  storyActivity,
  storyCandidates,
} from '../../db/repos/stories.js';
import { reopenAlertsOfClosedCases, touchStoryAlerts, upsertStoryAlert } from '../../db/repos/alerts.js';
import { writeAuditMany } from '../../db/repos/audit.js';
import type { AppEvent } from '../../platform/queues.js';
import { placesOfItems } from '../places/gazetteer.js';

// The ingest command: one batch of new items into stories and alerts, in the caller's
// transaction. The decisions live here (which story an item joins, the alert's suggestion,
// reopening the alert of a closed case, the spike mark); db/repos hold the statements.

export interface IngestItem extends NewItem {
  /** MinHash signature (core/minhash.ts). */
  minhash: Int32Array;
  /** What the item is about (core/event-features.ts); computed here when the caller did not. */
  features?: EventFeatures;
}

export interface RuleSuggestion {
  level: Level;
  category: Category;
  departmentId: number | null;
}

export interface IngestResult {
  inserted: number;
  /** The url keys of the items inserted (the others were stored already). */
  insertedKeys: Set<string>;
  storyIds: string[];
  events: AppEvent[];
}

/** Stories that stay open to new reposts. */
const STORY_WINDOW_DAYS = 30;
const INSERT_CHUNK = 1000;
/** SimHash band k with value b locks slot k·2^16 + b; MinHash keys lock slots above those. */
const LSH_SLOT_BASE = 1 << 20;
const LSH_SLOT_SPAN = 1 << 30;
/** Keyword slots lie above the MinHash ones; the heaviest few keywords of each item are locked. */
const KEYWORD_SLOT_SPAN = 1 << 29;
const LOCKED_KEYWORDS = 4;
/** Batches touching more slots than this take the whole lock instead. */
const STORY_LOCK_MAX_SLOTS = 128;

/**
 * Inserts new items exactly once (unique url_key; ON CONFLICT DO NOTHING), groups them into
 * stories, raises one alert per matching story and updates heat and spike marks. Must run inside
 * a transaction (trx); returns the events to publish after commit.
 */
export async function ingestItems(
  trx: Db,
  items: IngestItem[],
  rules: Map<number, RuleSuggestion>,
  now: Date,
  { eventGrouping = true }: { /** false: fingerprints only, as before event grouping (the bench's baseline). */ eventGrouping?: boolean } = {},
): Promise<IngestResult> {
  if (items.length === 0) return { inserted: 0, insertedKeys: new Set(), storyIds: [], events: [] };
  const features: EventFeatures[] = eventGrouping ? items.map((it) => it.features ?? eventFeatures(it.title, it.text, it.publishedAt)) : [];
  await lockStoryGrouping(trx, storyLockSlots(items, features));

  // Candidates: stories near by fingerprint, and items sharing keywords within the published-time window.
  const since = new Date(now.getTime() - STORY_WINDOW_DAYS * 86_400_000);
  const candidates = eventGrouping ? await storyCandidates(trx, items, since, features, EVENT_WINDOW_DAYS * 86_400_000) : await nearStories(trx, items, since);
  const { assignments, founders } = groupIntoStories(
    items.map((it, i) => ({ simhash: it.simhash, minhash: it.minhash, features: features[i] as EventFeatures | undefined })),
    candidates,
  );

  const newIds = await allocateStoryIds(trx, founders.length);
  await insertStories(
    trx,
    founders.map((itemIdx, j) => {
      const it = items[itemIdx];
      return { id: newIds[j], title: it.title, simhash: it.simhash, minhash: it.minhash, seenAt: it.fetchedAt, features: features[itemIdx] ?? null };
    }),
  );
  const storyOf = (i: number) => {
    const a = assignments[i];
    return a.kind === 'existing' ? a.storyId : newIds[a.index];
  };
  // The places of the office's area each item names (地域), kept on the item.
  const places = await placesOfItems(trx, items);
  const insertedKeys = new Set<string>();
  for (let i = 0; i < items.length; i += INSERT_CHUNK) {
    const chunk = items.slice(i, i + INSERT_CHUNK).map((it, j) => ({ ...it, places: places[i + j] }));
    const featuresOf = eventGrouping ? (j: number) => features[i + j] : undefined;
    for (const key of await insertItems(trx, chunk, (j) => storyOf(i + j), featuresOf)) insertedKeys.add(key);
  }

  const touched = new Set<string>();
  items.forEach((it, i) => insertedKeys.has(it.urlKey) && touched.add(storyOf(i)));
  const storyIds = [...touched];
  const alerted = await refreshStoryHeat(trx, storyIds);
  // Stories founded for items another worker stored first hold nothing: drop them.
  if (newIds.length && insertedKeys.size < items.length) await deleteEmptyStories(trx, newIds);

  const matched = items.flatMap((it, i) => (insertedKeys.has(it.urlKey) && it.hits.length > 0 ? [{ it, storyId: storyOf(i) }] : []));
  const events = await raiseAlerts(trx, matched, alerted, rules, now);
  return { inserted: insertedKeys.size, insertedKeys, storyIds, events };
}

/**
 * Two crawls must not both found a story for the same repost or retelling. Grouping is serialised
 * per fingerprint band and leading keyword: a small batch locks each slot its SimHash bands, MinHash
 * keys and top keywords hash into; a big batch takes the whole lock. Crawls of unrelated news then
 * commit in parallel.
 */
function storyLockSlots(items: IngestItem[], features: readonly EventFeatures[]): number[] | 'all' {
  const slots = new Set<number>();
  for (const [i, it] of items.entries()) {
    bands(it.simhash).forEach((b, k) => slots.add(k * 65536 + b));
    for (const key of bandKeys(it.minhash)) slots.add(LSH_SLOT_BASE + (key % LSH_SLOT_SPAN));
    for (const w of features[i]?.keywords.slice(0, LOCKED_KEYWORDS) ?? []) slots.add(LSH_SLOT_BASE + LSH_SLOT_SPAN + (wordSlot(w) % KEYWORD_SLOT_SPAN));
    if (slots.size > STORY_LOCK_MAX_SLOTS) return 'all';
  }
  return [...slots];
}

interface StoryHits {
  ruleIds: Set<number>;
  words: Set<string>;
  negativity: number;
}

/** The rule hits of the new items, per story. */
function hitsByStory(matched: { it: IngestItem; storyId: string }[]): Map<string, StoryHits> {
  const byStory = new Map<string, StoryHits>();
  for (const { it, storyId } of matched) {
    const agg = byStory.get(storyId) ?? { ruleIds: new Set(), words: new Set(), negativity: 0 };
    for (const h of it.hits) {
      agg.ruleIds.add(h.ruleId);
      h.words.forEach((w) => agg.words.add(w));
    }
    agg.negativity = Math.max(agg.negativity, it.negativity);
    byStory.set(storyId, agg);
  }
  return byStory;
}

async function raiseAlerts(
  trx: Db,
  matched: { it: IngestItem; storyId: string }[],
  alreadyAlerted: string[],
  rules: Map<number, RuleSuggestion>,
  now: Date,
): Promise<AppEvent[]> {
  const byStory = hitsByStory(matched);
  const events: AppEvent[] = [];
  const created = new Set<string>();
  for (const [storyId, agg] of byStory) {
    const s = strongestSuggestion([...agg.ruleIds], rules);
    const row = await upsertStoryAlert(
      trx,
      { storyId, ruleIds: [...agg.ruleIds], words: [...agg.words], level: s.level, category: s.category, departmentId: s.departmentId, negativity: agg.negativity },
      now,
    );
    if (row.inserted) {
      created.add(storyId);
      events.push({ type: 'alert.created', alertId: row.id, storyId });
    }
  }
  const touchedStories = [...new Set([...alreadyAlerted, ...byStory.keys()])];
  if (touchedStories.length === 0) return events;
  // New items on a story of a closed case (办结) need the duty desk's attention again.
  const reopened = await reopenAlertsOfClosedCases(trx, touchedStories, now);
  const spiking = await spikingStories(trx, touchedStories, now);
  for (const u of await touchStoryAlerts(trx, touchedStories, spiking, now)) {
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

async function spikingStories(trx: Db, storyIds: string[], now: Date): Promise<string[]> {
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const activity = await storyActivity(trx, storyIds, hourAgo);
  return activity
    .filter((x) => isSpike({ lastHour: x.after, before: x.before, hoursBefore: Math.max(0, (hourAgo.getTime() - x.firstMs) / 3_600_000) }))
    .map((x) => x.storyId);
}

/** The alert suggests what its most serious rule suggests (the first such rule on a tie). */
export function strongestSuggestion(ruleIds: number[], rules: Map<number, RuleSuggestion>): RuleSuggestion {
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

/** A keyword's lock slot (FNV-1a of its UTF-16 code units). */
function wordSlot(w: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
