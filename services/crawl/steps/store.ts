import type { Db } from '../../../db/client.js';
import { lockSource } from '../../../db/repos/source-fetches.js';
import type { CrawlContext } from '../context.js';
import { ingestItems, type IngestResult } from '../ingest.js';
import type { Matched } from './match.js';
import { step } from './step.js';

// Step 9, store: ONE transaction ingests the items (stories, alerts, services/crawl/ingest.ts) and
// runs `alsoInTransaction` (the source's outcome), so both commit or neither does.

export type AlsoInTransaction = (trx: Db, result: IngestResult, now: Date) => Promise<void>;

export const store = step(
  'store',
  async function store({ deps, source }: CrawlContext, matched: Matched, now: Date, alsoInTransaction?: AlsoInTransaction): Promise<IngestResult> {
    return deps.db.transaction().execute(async (trx) => {
      // The source's row first: ingesting may write audit rows (an alert reopened on a closed case),
      // and an audit row holds the audit chain's head until commit. An admin's edit of the source
      // locks the source and then writes its audit row; taking the source here before any audit row
      // keeps the two in the same order, so they queue instead of deadlocking.
      await lockSource(trx, source.id);
      const result = await ingestItems(trx, matched.items, matched.suggestions, now);
      await alsoInTransaction?.(trx, result, now);
      return result;
    });
  },
);
