import type { Db } from '../../db/client.js';
import type { Source } from '../../db/schema.js';
import type { FetchStatus } from '../../core/vocabulary.js';
import type { FetchOptions } from '../../platform/http/fetch.js';
import type { HostLimiter } from '../../platform/http/host-limiter.js';
import type { AppEvent } from '../../platform/queues.js';
import type { Logger } from '../../platform/logger.js';
import type { RuleCache } from './rules-cache.js';
import type { StepName } from './steps/step.js';

// What every step of the crawl stands on: its dependencies, the source it crawls, its limits and
// its two errors. Imports no step.

export interface CrawlSettings {
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  backoffMaxS: number;
  /** How long a claimed source stays leased to one crawl before another may take it. */
  leaseMs: number;
  /** Detail pages fetched per crawl of a site source; the rest keep their list-page text. */
  maxDetailPages: number;
}

export interface CrawlDeps {
  db: Db;
  logger: Logger;
  settings: CrawlSettings;
  limiter: HostLimiter;
  rules: RuleCache;
  /** The admin allow-list of private host:port; `{ fresh: true }` bypasses any cache. */
  allowlist: (opts?: { fresh?: boolean }) => Promise<Set<string>>;
  publish: (ev: AppEvent) => Promise<void>;
  now: () => Date;
  /** DNS override for tests; production uses the system resolver. */
  resolve?: FetchOptions['resolve'];
  /** Aborted when the process shuts down: fetches stop, the job goes back to the queue, nothing is written. */
  signal?: AbortSignal;
  /** Hears the name of each step as it starts (tests, tracing). */
  onStep?: (name: StepName) => void;
}

/** What each step is given besides its input: the dependencies and the source being crawled. */
export interface CrawlContext {
  deps: CrawlDeps;
  source: Source;
}

/** What parsing needs to know of a source (a stored row, or unsaved form values in a preview). */
export interface ParseSpec {
  kind: Source['kind'];
  charset: string | null;
  selectors: Source['selectors'];
  /** A JSON source's request and mapping (kind 'json'). */
  json_config?: Source['json_config'];
}

/**
 * Entries one crawl turns into items at most. Real feeds and list pages carry tens to hundreds; a
 * feed with 100,000 entries under the byte cap would otherwise hold the worker for tens of seconds.
 */
export const MAX_ENTRIES_PER_CRAWL = 1000;
/**
 * A feed listing more entries than this is not parsed at all: under the byte cap a hostile feed can
 * list over a million empty entries, and parsing them would stall the worker for seconds.
 */
export const MAX_FEED_ENTRIES = 10_000;

/** Thrown (not recorded on the source) when shutdown interrupts a crawl; BullMQ retries the job. */
export class CrawlInterrupted extends Error {
  constructor() {
    super('Crawl interrupted by shutdown');
  }
}

/** A fetch or parse failure: recorded on the source (or shown in a preview), never thrown out of a crawl. */
export class CrawlFailure extends Error {
  constructor(
    public readonly status: FetchStatus,
    message: string,
    public readonly httpStatus: number | null = null,
    public readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
