import { extractDetail } from '../parse.js';
import type { CrawlContext } from '../context.js';
import { fetchUrl } from './fetch.js';
import { decodeText } from './decode.js';
import type { KeyedEntry } from './normalise.js';
import { step } from './step.js';

// Step 6, fetch details (site sources with a detail selector): the pages of the new entries, up to
// maxDetailPages a crawl, each decoded and cut to the detail selector's text. An entry whose page
// fails or yields nothing keeps its list-page text.

export interface DetailedEntry extends KeyedEntry {
  /** The detail page's HTML under the detail selector, when fetched and not empty. */
  detail?: string;
}

/** Whether a crawl of this source fetches its entries' detail pages. */
export function hasDetailPages(source: CrawlContext['source']): boolean {
  return source.kind === 'site' && Boolean(source.selectors?.text);
}

export const fetchDetails = step(
  'fetch-details',
  async function fetchDetails({ deps, source }: CrawlContext, fresh: KeyedEntry[], allow: Set<string>): Promise<DetailedEntry[]> {
    const selector = source.selectors?.text;
    if (!selector) return fresh;
    const detailed: DetailedEntry[] = [];
    for (const [i, k] of fresh.entries()) {
      if (i >= deps.settings.maxDetailPages) {
        detailed.push(k);
        continue;
      }
      const page = await fetchUrl(deps, source, k.url, allow, false);
      const detail = page.kind === 'body' ? extractDetail(decodeText(source, page), selector) : '';
      detailed.push(detail ? { ...k, detail } : k);
    }
    return detailed;
  },
);
