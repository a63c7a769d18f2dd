import { BAND_COUNT, bands, hamming, NEAR_DUPLICATE_DISTANCE } from './simhash.js';
import { bandKeys, jaccard, SAME_STORY_JACCARD } from './minhash.js';
import { entitiesConflict, keywordOverlap, sameFrameOtherSubject, sharesFirm, sharesName, subjectsConflict, titleSimilarity, type EventFeatures } from './event-features.js';

// Grouping items into stories (one story = one event): pure, over fingerprints and features already
// in hand. Two fingerprints decide near-copies: SimHash within NEAR_DUPLICATE_DISTANCE bits
// (near-identical text), or a MinHash estimate of Jaccard similarity ≥ SAME_STORY_JACCARD (a repost
// with a framing line added and words changed). With event features (core/event-features.ts),
// differently worded retellings join too (keywords, title, a shared place or firm), and nothing
// joins across the published-time window or conflicting places, firms and numbers. The most
// similar candidate story wins.

export interface Fingerprint {
  simhash: bigint;
  minhash: ArrayLike<number>;
}

/** An item to group: its fingerprints and, for event grouping, what it is about (core/event-features.ts). */
export interface StoryItem extends Fingerprint {
  features?: EventFeatures;
}

/** An item already in a story (several candidates may carry the same story id). */
export interface StoryCandidate extends StoryItem {
  id: string;
}

export type StoryAssignment = { kind: 'existing'; storyId: string } | { kind: 'new'; index: number };

/** Items of one event are published within this many days of each other (by published time, not fetch time). */
export const EVENT_WINDOW_DAYS = 30;
const EVENT_WINDOW_MS = EVENT_WINDOW_DAYS * 86_400_000;
/** Score an event match needs (keywords, title and a shared place or firm together). */
export const SAME_EVENT_SCORE = 0.42;
/** Candidates must share this many keywords to be scored at all (titles equal pass too). */
const MIN_SHARED_KEYWORDS = 2;
/** Below this keyword overlap (and with unlike titles) a shared place alone joins nothing. */
const MIN_KEYWORD_OVERLAP = 0.12;

/** Similarity in [0, 1] when the two belong to the same story, else null. */
export function sameStory(a: Fingerprint, b: Fingerprint): number | null {
  const j = a.minhash.length && b.minhash.length ? jaccard(a.minhash, b.minhash) : 0;
  if (j >= SAME_STORY_JACCARD) return j;
  const d = hamming(a.simhash, b.simhash);
  return d <= NEAR_DUPLICATE_DISTANCE ? Math.max(j, 1 - d / 64) : null;
}

/** How much two items' keywords, titles and anchors (a shared 村/小区/road or firm) say they tell one event, in [0, 1]. */
export function eventScore(a: EventFeatures, b: EventFeatures): number {
  const kw = keywordOverlap(a, b);
  const title = titleSimilarity(a.title, b.title);
  const ea = a.entities;
  const eb = b.entities;
  const anchored = sharesName(ea.village, eb.village) || sharesName(ea.site, eb.site) || sharesFirm(ea.company, eb.company) || sharesFirm(ea.plant, eb.plant);
  const town = sharesName(ea.town, eb.town);
  if (kw < MIN_KEYWORD_OVERLAP && title < 0.5) return 0;
  return Math.min(1, 0.6 * kw + 0.3 * title + (anchored ? 0.25 : 0) + (town ? 0.1 : 0));
}

/** Items published too far apart, or naming different places, firms or numbers, never share a story. */
export function eventsApart(a: EventFeatures, b: EventFeatures): boolean {
  if (Math.abs(a.publishedMs - b.publishedMs) > EVENT_WINDOW_MS) return true;
  const sameTitle = a.title.length >= 6 && a.title === b.title;
  return entitiesConflict(a.entities, b.entities, sameTitle) || sameFrameOtherSubject(a, b);
}

/**
 * Items that never share a story: eventsApart, or two subjects (拆迁 / 停水, core/subjects.ts) even
 * at one village, unless the two are near-copies by their fingerprints.
 */
export function itemsApart(a: StoryItem, b: StoryItem): boolean {
  if (!a.features || !b.features) return false;
  if (eventsApart(a.features, b.features)) return true;
  return subjectsConflict(a.features, b.features) && sameStory(a, b) === null;
}

/**
 * Similarity in [0, 1] of two items of one story, else null. Near-copies join by their
 * fingerprints (sameStory); with features on both sides, items also join as retellings of one
 * event (eventScore ≥ SAME_EVENT_SCORE), and neither joins across the published-time window or
 * conflicting entities. Fingerprint matches rank above event matches.
 */
export function storySimilarity(a: StoryItem, b: StoryItem): number | null {
  if (a.features && b.features && eventsApart(a.features, b.features)) return null;
  const fp = sameStory(a, b);
  if (fp !== null) return 1 + fp;
  if (a.features && b.features && subjectsConflict(a.features, b.features)) return null;
  if (!a.features || !b.features) return null;
  const e = eventScore(a.features, b.features);
  return e >= SAME_EVENT_SCORE ? e : null;
}

/**
 * Assigns each item to the most similar candidate story, or to a new story. Items of the same
 * batch group with each other too: a new story founded by an earlier item of the batch is a
 * candidate for later ones. `index` numbers the new stories 0..n-1 in founding order. Every item
 * joins the index, so later items may join a story through any of its members.
 */
export function groupIntoStories(
  items: readonly StoryItem[],
  candidates: readonly StoryCandidate[],
): { assignments: StoryAssignment[]; founders: number[] } {
  const index = new StoryIndex<StoryAssignment>(assignmentKey);
  for (const c of candidates) index.add(c, { kind: 'existing', storyId: c.id });
  const assignments: StoryAssignment[] = [];
  const founders: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const near = index.nearest(items[i]);
    if (near) {
      assignments.push(near);
      if (items[i].features) index.add(items[i], near);
    } else {
      const a: StoryAssignment = { kind: 'new', index: founders.length };
      founders.push(i);
      index.add(items[i], a);
      assignments.push(a);
    }
  }
  return { assignments, founders };
}

const assignmentKey = (a: StoryAssignment) => (a.kind === 'existing' ? `s${a.storyId}` : `n${a.index}`);

/**
 * In-memory candidate lookup by exact band matches: SimHash bands (by pigeonhole, any fingerprint
 * within NEAR_DUPLICATE_DISTANCE shares one), MinHash LSH band keys, and — for items with
 * features — shared keywords and equal titles. A story is refused when any of its members found
 * as a candidate is apart from the item (another place, firm, or outside the window).
 */
export class StoryIndex<T> {
  private readonly simBands: Map<number, number[]>[] = Array.from({ length: BAND_COUNT }, () => new Map());
  private readonly lshKeys = new Map<number, number[]>();
  private readonly words = new Map<string, number[]>();
  private readonly entries: { fp: StoryItem; v: T }[] = [];

  constructor(private readonly keyOf: (v: T) => string = (v) => String(v)) {}

  add(fp: StoryItem, v: T): void {
    const id = this.entries.push({ fp, v }) - 1;
    bands(fp.simhash).forEach((b, k) => push(this.simBands[k], b, id));
    if (fp.minhash.length) for (const key of bandKeys(fp.minhash)) push(this.lshKeys, key, id);
    if (fp.features) for (const w of wordKeys(fp.features)) push(this.words, w, id);
  }

  nearest(fp: StoryItem): T | undefined {
    const seen = new Set<number>();
    bands(fp.simhash).forEach((b, k) => this.simBands[k].get(b)?.forEach((id) => seen.add(id)));
    if (fp.minhash.length) for (const key of bandKeys(fp.minhash)) this.lshKeys.get(key)?.forEach((id) => seen.add(id));
    if (fp.features) {
      const shared = new Map<number, number>();
      for (const w of wordKeys(fp.features)) {
        for (const id of this.words.get(w) ?? []) shared.set(id, (shared.get(id) ?? 0) + (w.startsWith('\u0001') ? MIN_SHARED_KEYWORDS : 1));
      }
      for (const [id, n] of shared) if (n >= MIN_SHARED_KEYWORDS) seen.add(id);
    }
    const stories = new Map<string, { v: T; score: number; vetoed: boolean }>();
    for (const id of seen) {
      const e = this.entries[id];
      const key = this.keyOf(e.v);
      const s = stories.get(key) ?? { v: e.v, score: -1, vetoed: false };
      stories.set(key, s);
      if (itemsApart(fp, e.fp)) {
        s.vetoed = true;
        continue;
      }
      const score = storySimilarity(fp, e.fp);
      if (score !== null && score > s.score) s.score = score;
    }
    let best: T | undefined;
    let bestScore = -1;
    for (const s of stories.values()) {
      if (!s.vetoed && s.score >= 0 && s.score > bestScore) {
        bestScore = s.score;
        best = s.v;
      }
    }
    return best;
  }
}

/** The keys an item is found by: its keywords, and its title (marked so one equal title counts as enough). */
function wordKeys(f: EventFeatures): string[] {
  return f.title.length >= 6 ? [...f.keywords, `\u0001${f.title}`] : f.keywords;
}

function push<K>(map: Map<K, number[]>, key: K, id: number): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

/** Credit lines and repost prefixes that differ between sites but say nothing about the story. */
const BOILERPLATE_LINE = /^\s*(来源|稿源|责任编辑|编辑|责编|审核|校对|作者|记者|通讯员|原标题|本文转载自|转载自|转自|原文链接|声明)\s*[:：].*$/gm;
const REPOST_PREFIX = /^\s*(转自[^：:\n]{0,30}[：:]\s*|【?(转载|转发|转帖|转|分享)】?\s*[:：]?\s*)/;

/** The text a story fingerprint is computed over: title and body without site-specific boilerplate. */
export function storyText(title: string, text: string): string {
  const t = title.replace(REPOST_PREFIX, '');
  const body = text.replace(REPOST_PREFIX, '').replace(BOILERPLATE_LINE, '');
  return `${t}\n${body}`;
}
