import { BAND_COUNT, bands, hamming } from './simhash.js';

// Grouping near-duplicate items into stories: pure, over fingerprints already in hand.

export interface StoryCandidate {
  id: string;
  simhash: bigint;
}

export type StoryAssignment = { kind: 'existing'; storyId: string } | { kind: 'new'; index: number };

/**
 * Assigns each item to the nearest candidate story within maxDistance, or to a new story. Items of
 * the same batch group with each other too: a new story founded by an earlier item of the batch is
 * a candidate for later ones. `index` numbers the new stories 0..n-1 in founding order.
 */
export function groupIntoStories(
  items: readonly { simhash: bigint }[],
  candidates: readonly StoryCandidate[],
  maxDistance: number,
): { assignments: StoryAssignment[]; founders: number[] } {
  const index = new BandIndex<StoryAssignment>();
  for (const c of candidates) index.add(c.simhash, { kind: 'existing', storyId: c.id });
  const assignments: StoryAssignment[] = [];
  const founders: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const h = items[i].simhash;
    const near = index.nearest(h, maxDistance);
    if (near) {
      assignments.push(near);
    } else {
      const a: StoryAssignment = { kind: 'new', index: founders.length };
      founders.push(i);
      index.add(h, a);
      assignments.push(a);
    }
  }
  return { assignments, founders };
}

/** Exact-match band maps; by pigeonhole any fingerprint within NEAR_DUPLICATE_DISTANCE shares at least one band. */
export class BandIndex<T> {
  private readonly maps: Map<number, { h: bigint; v: T }[]>[] = Array.from({ length: BAND_COUNT }, () => new Map());

  add(h: bigint, v: T): void {
    const bs = bands(h);
    for (let b = 0; b < BAND_COUNT; b++) {
      const list = this.maps[b].get(bs[b]);
      if (list) list.push({ h, v });
      else this.maps[b].set(bs[b], [{ h, v }]);
    }
  }

  nearest(h: bigint, maxDistance: number): T | undefined {
    const bs = bands(h);
    let best: T | undefined;
    let bestD = maxDistance + 1;
    for (let b = 0; b < BAND_COUNT; b++) {
      for (const e of this.maps[b].get(bs[b]) ?? []) {
        const d = hamming(h, e.h);
        if (d < bestD) {
          bestD = d;
          best = e.v;
        }
      }
    }
    return best;
  }
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
