import { BAND_COUNT, bands, hamming, NEAR_DUPLICATE_DISTANCE } from './simhash.js';
import { bandKeys, jaccard, SAME_STORY_JACCARD } from './minhash.js';

// Grouping near-duplicate items into stories: pure, over fingerprints already in hand. Two
// fingerprints decide together: SimHash within NEAR_DUPLICATE_DISTANCE bits (near-identical text),
// or a MinHash estimate of Jaccard similarity ≥ SAME_STORY_JACCARD (a repost with a framing line
// added and words changed). The more similar candidate wins.

export interface Fingerprint {
  simhash: bigint;
  minhash: ArrayLike<number>;
}

export interface StoryCandidate extends Fingerprint {
  id: string;
}

export type StoryAssignment = { kind: 'existing'; storyId: string } | { kind: 'new'; index: number };

/** Similarity in [0, 1] when the two belong to the same story, else null. */
export function sameStory(a: Fingerprint, b: Fingerprint): number | null {
  const j = a.minhash.length && b.minhash.length ? jaccard(a.minhash, b.minhash) : 0;
  if (j >= SAME_STORY_JACCARD) return j;
  const d = hamming(a.simhash, b.simhash);
  return d <= NEAR_DUPLICATE_DISTANCE ? Math.max(j, 1 - d / 64) : null;
}

/**
 * Assigns each item to the most similar candidate story, or to a new story. Items of the same
 * batch group with each other too: a new story founded by an earlier item of the batch is a
 * candidate for later ones. `index` numbers the new stories 0..n-1 in founding order.
 */
export function groupIntoStories(
  items: readonly Fingerprint[],
  candidates: readonly StoryCandidate[],
): { assignments: StoryAssignment[]; founders: number[] } {
  const index = new StoryIndex<StoryAssignment>();
  for (const c of candidates) index.add(c, { kind: 'existing', storyId: c.id });
  const assignments: StoryAssignment[] = [];
  const founders: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const near = index.nearest(items[i]);
    if (near) {
      assignments.push(near);
    } else {
      const a: StoryAssignment = { kind: 'new', index: founders.length };
      founders.push(i);
      index.add(items[i], a);
      assignments.push(a);
    }
  }
  return { assignments, founders };
}

/**
 * In-memory candidate lookup by exact band matches: SimHash bands (by pigeonhole, any fingerprint
 * within NEAR_DUPLICATE_DISTANCE shares one) and MinHash LSH band keys.
 */
export class StoryIndex<T> {
  private readonly simBands: Map<number, number[]>[] = Array.from({ length: BAND_COUNT }, () => new Map());
  private readonly lshKeys = new Map<number, number[]>();
  private readonly entries: { fp: Fingerprint; v: T }[] = [];

  add(fp: Fingerprint, v: T): void {
    const id = this.entries.push({ fp, v }) - 1;
    bands(fp.simhash).forEach((b, k) => push(this.simBands[k], b, id));
    if (fp.minhash.length) for (const key of bandKeys(fp.minhash)) push(this.lshKeys, key, id);
  }

  nearest(fp: Fingerprint): T | undefined {
    const seen = new Set<number>();
    bands(fp.simhash).forEach((b, k) => this.simBands[k].get(b)?.forEach((id) => seen.add(id)));
    if (fp.minhash.length) for (const key of bandKeys(fp.minhash)) this.lshKeys.get(key)?.forEach((id) => seen.add(id));
    let best: T | undefined;
    let bestScore = -1;
    for (const id of seen) {
      const e = this.entries[id];
      const score = sameStory(fp, e.fp);
      if (score !== null && score > bestScore) {
        bestScore = score;
        best = e.v;
      }
    }
    return best;
  }
}

function push(map: Map<number, number[]>, key: number, id: number): void {
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
