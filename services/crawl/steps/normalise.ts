import { createHash } from 'node:crypto';
import { canonicalUrls } from '../../../core/url.js';
import { htmlToText } from '../../../core/html.js';
import { decodeLeftoverEntities, stripControls } from '../../../core/text-repair.js';
import { parseItemDate } from '../../../core/dates.js';
import type { ParsedEntry } from '../parse.js';
import type { CrawlContext } from '../context.js';
import { step } from './step.js';

// Step 4, normalise: each entry's link made canonical (the item's identity, its url key; the
// fragment kept only where the page's links differ by nothing else), duplicates within the page dropped. An entry with neither link nor guid is kept — a 舆情 office
// needs the post even when its publisher gave it no address — keyed by a hash of the source, its
// title, date and content, and shown with no link of its own. entryFields is the text side of
// normalising, run on the entries that survive (fingerprint, preview).

export interface KeyedEntry {
  entry: ParsedEntry;
  /** The canonical URL, `guid:<source>:<guid>` for an entry with no link, `hash:<source>:<hash>` with neither. */
  urlKey: string;
  /** The canonical URL (the source's URL for an entry with no link). */
  url: string;
}

export const normalise = step('normalise', function normalise({ source }: CrawlContext, entries: ParsedEntry[], baseUrl: string): KeyedEntry[] {
  const keyed: KeyedEntry[] = [];
  const seen = new Set<string>();
  const urls = canonicalUrls(entries.map((e) => e.link || null), baseUrl);
  for (const [i, entry] of entries.entries()) {
    const url = urls[i];
    const key = url ?? (entry.guid ? `guid:${source.id}:${entry.guid}` : contentKey(source.id, entry));
    if (seen.has(key)) continue;
    seen.add(key);
    keyed.push({ entry, urlKey: key, url: url ?? source.url });
  }
  return keyed;
});

/** The stable key of an entry with neither link nor guid: the same post on the next crawl gets the same key. */
export function contentKey(sourceId: number, entry: ParsedEntry): string {
  const hash = createHash('sha256').update(JSON.stringify([sourceId, entry.title, entry.published, entry.content])).digest('hex');
  return `hash:${sourceId}:${hash.slice(0, 32)}`;
}

/**
 * An entry's title, plain text and date as stored on an item: control characters removed, and
 * entities a publisher encoded twice (`&amp;hellip;`) decoded once more.
 */
export function entryFields(entry: ParsedEntry, content: string, now: Date) {
  const title = stripControls(decodeLeftoverEntities(htmlToText(entry.title))).slice(0, 500) || '（无标题）';
  const text = stripControls(decodeLeftoverEntities(htmlToText(content))).slice(0, 100_000);
  const date = parseItemDate(entry.published, now);
  return { title, text, date };
}
