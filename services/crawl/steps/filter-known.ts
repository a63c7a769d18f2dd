import { knownUrlKeys } from '../../../db/repos/items.js';
import type { CrawlContext } from '../context.js';
import type { KeyedEntry } from './normalise.js';
import { step } from './step.js';

// Step 5, filter known: entries whose url key is stored already go no further (one index lookup,
// before any costly work: a re-crawl of a known page costs almost nothing).

export const filterKnown = step('filter-known', async function filterKnown({ deps }: CrawlContext, keyed: KeyedEntry[]): Promise<KeyedEntry[]> {
  const known = await knownUrlKeys(
    deps.db,
    keyed.map((k) => k.urlKey),
  );
  return keyed.filter((k) => !known.has(k.urlKey));
});
