import type { Source } from '../../db/schema.js';
import { claimSource } from '../../db/repos/source-fetches.js';
import type { FetchStatus } from '../../core/vocabulary.js';
import type { AppEvent } from '../../platform/queues.js';
import type { ParsedEntry } from './parse.js';
import { CrawlFailure, type CrawlContext, type CrawlDeps } from './context.js';
import { recordOutcome, type CrawlRun, type FetchOutcome } from './outcome.js';
import type { IngestResult } from './ingest.js';
import { fetchSource, type Fetched, type Unchanged } from './steps/fetch.js';
import { decode } from './steps/decode.js';
import { parse, type Parsed } from './steps/parse.js';
import { normalise } from './steps/normalise.js';
import { filterKnown } from './steps/filter-known.js';
import { fetchDetails, hasDetailPages } from './steps/fetch-details.js';
import { fingerprint } from './steps/fingerprint.js';
import { match } from './steps/match.js';
import { store, type AlsoInTransaction } from './steps/store.js';
import { crawlSearch } from './search.js';

export { CrawlFailure, CrawlInterrupted, MAX_ENTRIES_PER_CRAWL, MAX_FEED_ENTRIES } from './context.js';
export type { CrawlDeps, CrawlSettings, ParseSpec } from './context.js';

// One crawl of one source, miniflux's reader → processor → storage as named steps (steps/, in
// STEP_ORDER): fetch → decode → parse → normalise → filter known → [fetch details] → fingerprint →
// match → store. It moves forward only; the outcome is recorded on the source once (outcome.ts).

export interface CrawlOutcome {
  sourceId: number;
  status: FetchStatus | 'skipped';
  itemsSeen: number;
  itemsNew: number;
}

/** How a crawl ended: the outcome recorded on the source, and the events to publish. */
interface CrawlEnd {
  outcome: FetchOutcome;
  events: AppEvent[];
}

/**
 * Claims the source, runs the pipeline, publishes. Fetch and parse failures are data: recorded on
 * the source with its backoff, never thrown. Database errors are thrown so the job retries;
 * nothing is half-written because the items and the source's outcome commit together.
 */
export async function crawlSource(deps: CrawlDeps, sourceId: number, jobId: string): Promise<CrawlOutcome> {
  const startedAt = deps.now();
  const t0 = performance.now();
  const source = await claimSource(deps.db, sourceId, jobId, startedAt, deps.settings.leaseMs);
  if (!source) return { sourceId, status: 'skipped', itemsSeen: 0, itemsNew: 0 };
  const run: CrawlRun = { deps, source, jobId, startedAt, t0 };
  const { outcome, events } = await crawl(run).catch((err: unknown) => failed(run, err));
  for (const ev of events) await deps.publish(ev).catch(() => {});
  await deps.publish({ type: 'source.updated', sourceId }).catch(() => {});
  deps.logger.info(
    {
      source_id: sourceId,
      status: outcome.status,
      http_status: outcome.httpStatus,
      duration_ms: Math.round(performance.now() - t0),
      items_seen: outcome.itemsSeen,
      items_new: outcome.itemsNew,
    },
    'Crawl finished',
  );
  return { sourceId, status: outcome.status, itemsSeen: outcome.itemsSeen, itemsNew: outcome.itemsNew };
}

/** The reader (fetch → decode → parse), then the entries stored with the outcome in one transaction. */
async function crawl(run: CrawlRun): Promise<CrawlEnd> {
  if (run.source.kind === 'search') return crawlSearch(run, storeEntries);
  const fetched = await fetchSource(run);
  if (fetched.kind === 'unchanged') return recorded(run, unchanged(fetched));
  const text = decode(run, fetched);
  const parsed = await parse(run, text, fetched);
  const stored = await storeEntries(run.deps, run.source, parsed.entries, fetched.finalUrl, fetched.allow, (trx, result) =>
    recordOutcome(trx, run, succeeded(fetched, parsed, result)),
  );
  return { outcome: succeeded(fetched, parsed, stored), events: stored.events };
}

/**
 * The processor and the storage: entries of one fetch → stored items. Links normalised, known ones
 * dropped before any costly work, detail pages of a site's new entries, fingerprints, rule hits,
 * then ONE transaction that ingests them and runs `alsoInTransaction`.
 */
export async function storeEntries(
  deps: CrawlDeps,
  source: Source,
  entries: ParsedEntry[],
  baseUrl: string,
  allow: Set<string>,
  alsoInTransaction?: AlsoInTransaction,
): Promise<IngestResult> {
  const ctx: CrawlContext = { deps, source };
  const keyed = normalise(ctx, entries, baseUrl);
  const fresh = await filterKnown(ctx, keyed);
  const detailed = hasDetailPages(source) ? await fetchDetails(ctx, fresh, allow) : fresh;
  const now = deps.now();
  const items = await fingerprint(ctx, detailed, now);
  const matched = await match(ctx, items);
  return store(ctx, matched, now, alsoInTransaction);
}

/**
 * What a successful fetch found, in both languages as "中文 / English" (the dashboard shows the
 * reader's half; see web/src/lib/bilingual.ts).
 */
export function successMessage(seenCount: number, kept: number, inserted: number, note: { zh: string; en: string } | null): string {
  const zhSeen = seenCount > kept ? `共 ${seenCount} 条（仅保留前 ${kept} 条）` : `共 ${seenCount} 条`;
  const enSeen = seenCount > kept ? `${seenCount} entries (only the first ${kept} kept)` : `${seenCount} entries`;
  const zh = `${note ? `${note.zh}；` : ''}${zhSeen}，新增 ${inserted} 条`;
  const en = `${note ? `${note.en}; ` : ''}${enSeen}, ${inserted} new`;
  return `${zh} / ${en}`;
}

function succeeded(fetched: Fetched, parsed: Parsed, stored: IngestResult): FetchOutcome {
  return {
    status: 'ok',
    httpStatus: fetched.httpStatus,
    message: successMessage(parsed.seen, parsed.entries.length, stored.inserted, parsed.note),
    itemsSeen: parsed.seen,
    itemsNew: stored.inserted,
    validators: fetched.validators,
  };
}

function unchanged(fetched: Unchanged): FetchOutcome {
  return { status: 'not_modified', httpStatus: fetched.httpStatus, message: fetched.message, itemsSeen: 0, itemsNew: 0, validators: fetched.validators };
}

/** A fetch or parse failure is recorded on the source; anything else (the database, shutdown) is thrown. */
async function failed(run: CrawlRun, err: unknown): Promise<CrawlEnd> {
  if (!(err instanceof CrawlFailure)) throw err;
  return recorded(run, { status: err.status, httpStatus: err.httpStatus, message: err.message, itemsSeen: 0, itemsNew: 0, retryAfterMs: err.retryAfterMs });
}

async function recorded(run: CrawlRun, outcome: FetchOutcome): Promise<CrawlEnd> {
  await recordOutcome(run.deps.db, run, outcome);
  return { outcome, events: [] };
}
