import { canonicalUrl } from '../../../core/url.js';
import { htmlToText } from '../../../core/html.js';
import { parseItemDate } from '../../../core/dates.js';
import type { ParsedEntry } from '../parse.js';
import type { CrawlContext } from '../context.js';
import { step } from './step.js';

// Step 4, normalise: each entry's link made canonical (the item's identity, its url key), entries
// without any identity dropped, duplicates within the page dropped. entryFields is the text side
// of normalising, run on the entries that survive (fingerprint, preview).

export interface KeyedEntry {
  entry: ParsedEntry;
  /** The canonical URL, or `guid:<source>:<guid>` for an entry with no link. */
  urlKey: string;
  /** The canonical URL (the source's URL for an entry with no link). */
  url: string;
}

export const normalise = step('normalise', function normalise({ source }: CrawlContext, entries: ParsedEntry[], baseUrl: string): KeyedEntry[] {
  const keyed: KeyedEntry[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const url = entry.link ? canonicalUrl(entry.link, baseUrl) : null;
    const key = url ?? (entry.guid ? `guid:${source.id}:${entry.guid}` : null);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    keyed.push({ entry, urlKey: key, url: url ?? source.url });
  }
  return keyed;
});

/** An entry's title, plain text and date as stored on an item. */
export function entryFields(entry: ParsedEntry, content: string, now: Date) {
  const title = htmlToText(entry.title).slice(0, 500) || '（无标题）';
  const text = htmlToText(content).slice(0, 100_000);
  const date = parseItemDate(entry.published, now);
  return { title, text, date };
}
