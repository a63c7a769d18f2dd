import { simhash } from '../../../core/simhash.js';
import { minhash } from '../../../core/minhash.js';
import { storyText } from '../../../core/stories.js';
import { eventFeatures } from '../../../core/event-features.js';
import { negativity } from '../../../core/sentiment.js';
import type { CrawlContext } from '../context.js';
import type { IngestItem } from '../ingest.js';
import { entryFields } from './normalise.js';
import type { DetailedEntry } from './fetch-details.js';
import { step } from './step.js';

// Step 7, fingerprint: each new entry becomes an item — title, plain text and date (entryFields),
// SimHash and MinHash of its text and its event features (story grouping), negativity (tone).

/** An item before rule matching. */
export type Fingerprinted = Omit<IngestItem, 'hits'>;

export const fingerprint = step(
  'fingerprint',
  async function fingerprint({ source }: CrawlContext, entries: DetailedEntry[], now: Date): Promise<Fingerprinted[]> {
    const items: Fingerprinted[] = [];
    for (const [i, k] of entries.entries()) {
      // Fingerprinting is synchronous: let timers and lock renewals run now and then.
      if (i % 100 === 99) await yieldToEventLoop();
      const { title, text, date } = entryFields(k.entry, k.detail ?? k.entry.content, now);
      const fingerprintText = storyText(title, text);
      items.push({
        sourceId: source.id,
        urlKey: k.urlKey,
        url: k.url,
        guid: k.entry.guid,
        title,
        text,
        author: (k.entry.author ?? '').slice(0, 200),
        publishedAt: date.date,
        publishedAtEstimated: date.estimated,
        fetchedAt: now,
        simhash: simhash(fingerprintText),
        minhash: minhash(fingerprintText),
        features: eventFeatures(title, text, date.date),
        negativity: negativity(`${title}\n${text}`),
      });
    }
    return items;
  },
);

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
