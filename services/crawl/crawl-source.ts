import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Source } from '../../db/schema.js';
import { claimSource, recordFetch } from '../../db/repos/crawl-state.js';
import { ingestItems, knownUrlKeys, type IngestItem, type IngestResult } from '../../db/repos/ingest.js';
import { decodeBody } from '../../core/charset.js';
import { canonicalUrl } from '../../core/url.js';
import { htmlToText } from '../../core/html.js';
import { parseItemDate } from '../../core/dates.js';
import { simhash } from '../../core/simhash.js';
import { storyText } from '../../core/stories.js';
import { minhash } from '../../core/minhash.js';
import { negativity } from '../../core/sentiment.js';
import { matchItem } from '../../core/rules/index.js';
import { nextSchedule, updateTypicalGap } from '../../core/schedule.js';
import type { FetchStatus } from '../../core/vocabulary.js';
import { guardedFetch, type FetchOptions, type FetchResult } from '../../platform/http/fetch.js';
import { parseFeed, parseSiteList, extractDetail, type ParsedEntry } from './parse.js';
import type { HostLimiter } from '../../platform/http/host-limiter.js';
import type { RuleCache } from './rules-cache.js';
import type { AppEvent } from '../../platform/queues.js';
import type { Logger } from '../../platform/logger.js';

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
  /** host:port entries an admin allowed to resolve to private addresses (cached briefly). */
  /** The admin allow-list of private host:port; `{ fresh: true }` bypasses any cache. */
  allowlist: (opts?: { fresh?: boolean }) => Promise<Set<string>>;
  publish: (ev: AppEvent) => Promise<void>;
  now: () => Date;
  /** DNS override for tests; production uses the system resolver. */
  resolve?: FetchOptions['resolve'];
  /** Aborted when the process shuts down: fetches stop, the job goes back to the queue, nothing is written. */
  signal?: AbortSignal;
}

/** Thrown (not recorded on the source) when shutdown interrupts a crawl; BullMQ retries the job. */
export class CrawlInterrupted extends Error {
  constructor() {
    super('Crawl interrupted by shutdown');
  }
}

export interface CrawlOutcome {
  sourceId: number;
  status: FetchStatus | 'skipped';
  itemsSeen: number;
  itemsNew: number;
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

/**
 * One crawl of one source, as a linear pipeline: claim → fetch → decode → parse → normalise →
 * drop known → fingerprint + match → store (one transaction) → publish. Fetch and parse failures
 * are data: written on the source with its backoff, never thrown. Database errors are thrown so
 * the job retries; nothing is half-written because the items and the source row commit together.
 */
export async function crawlSource(deps: CrawlDeps, sourceId: number, jobId: string): Promise<CrawlOutcome> {
  const startedAt = deps.now();
  const t0 = performance.now();
  const source = await claimSource(deps.db, sourceId, jobId, startedAt, deps.settings.leaseMs);
  if (!source) return { sourceId, status: 'skipped', itemsSeen: 0, itemsNew: 0 };

  let status: FetchStatus = 'ok';
  let httpStatus: number | null = null;
  let message = '';
  let retryAfterMs: number | undefined;
  let itemsSeen = 0;
  let events: AppEvent[] = [];
  let itemsNew = 0;
  const run = async (): Promise<void> => {
    let allow = await deps.allowlist();
    let fetched = await fetchWith(deps, source, source.url, allow, true);
    if (fetched.kind === 'error' && fetched.status === 'ssrf_refused') {
      // The allow-list is cached for a few seconds: an entry an admin added just now must not be
      // refused into an hour of backoff. Ask again, and fetch again if the list changed.
      const fresh = await deps.allowlist({ fresh: true });
      if (fresh.size !== allow.size || [...fresh].some((h) => !allow.has(h))) {
        allow = fresh;
        fetched = await fetchWith(deps, source, source.url, allow, true);
      }
    }
    httpStatus = fetched.httpStatus;
    if (fetched.kind === 'error') throw new CrawlFailure(fetched.status, fetched.message, fetched.httpStatus, fetched.retryAfterMs);
    if (fetched.kind === 'not_modified') {
      status = 'not_modified';
      message = 'Not modified (304)';
      await finish(deps, source, jobId, { startedAt, t0, status, httpStatus, message, itemsSeen, itemsNew });
      return;
    }
    const bodyHash = createHash('sha1').update(fetched.body).digest('hex');
    const validators = { etag: fetched.etag, lastModified: fetched.lastModified, bodyHash };
    if (source.body_hash === bodyHash) {
      status = 'not_modified';
      message = 'Body unchanged';
      await finish(deps, source, jobId, { startedAt, t0, status, httpStatus, message, itemsSeen, itemsNew, validators });
      return;
    }
    const all = await entriesOf(source, fetched);
    itemsSeen = all.length;
    // Feeds list the newest first: a feed with absurdly many entries keeps its first ones only.
    const entries = all.slice(0, MAX_ENTRIES_PER_CRAWL);
    const seenText = all.length > entries.length ? `${itemsSeen} entries (only the first ${entries.length} kept)` : `${itemsSeen} entries`;
    const selectorMisses = source.kind === 'site' ? 0 : undefined;
    const stored = await storeEntries(deps, source, entries, fetched.finalUrl, allow, async (trx, result, now) => {
      const typicalGapS = result.inserted > 0 ? updateTypicalGap(source.typical_gap_s, source.last_new_item_at, now) : undefined;
      await finish({ ...deps, db: trx }, source, jobId, {
        startedAt,
        t0,
        status,
        httpStatus,
        message: `${seenText}, ${result.inserted} new`,
        itemsSeen,
        itemsNew: result.inserted,
        validators,
        selectorMisses,
        typicalGapS,
      });
    });
    itemsNew = stored.inserted;
    events = stored.events;
    message = `${seenText}, ${itemsNew} new`;
  };
  try {
    await run();
  } catch (err) {
    if (!(err instanceof CrawlFailure)) throw err;
    status = err.status;
    message = err.message;
    // A parse failure carries no HTTP status of its own: keep the one of the response it parsed.
    httpStatus = err.httpStatus ?? httpStatus;
    retryAfterMs = err.retryAfterMs;
    await finish(deps, source, jobId, {
      startedAt,
      t0,
      status,
      httpStatus,
      message,
      itemsSeen,
      itemsNew: 0,
      retryAfterMs,
      selectorMisses: status === 'selector_empty' ? source.selector_misses + 1 : undefined,
    });
  }
  for (const ev of events) await deps.publish(ev).catch(() => {});
  await deps.publish({ type: 'source.updated', sourceId }).catch(() => {});
  deps.logger.info(
    { source_id: sourceId, status, http_status: httpStatus, duration_ms: Math.round(performance.now() - t0), items_seen: itemsSeen, items_new: itemsNew },
    'Crawl finished',
  );
  return { sourceId, status, itemsSeen, itemsNew };
}

interface FinishInput {
  startedAt: Date;
  t0: number;
  status: FetchStatus;
  httpStatus: number | null;
  message: string;
  itemsSeen: number;
  itemsNew: number;
  retryAfterMs?: number;
  validators?: { etag: string | null; lastModified: string | null; bodyHash: string | null };
  selectorMisses?: number;
  typicalGapS?: number | null;
}

async function finish(deps: CrawlDeps, source: Source, jobId: string, f: FinishInput): Promise<void> {
  const now = deps.now();
  const sched = nextSchedule({
    pollIntervalS: source.poll_interval_s,
    failureScore: source.failure_score,
    consecutiveFailures: source.consecutive_failures,
    status: f.status,
    now,
    backoffMaxS: deps.settings.backoffMaxS,
    retryAfterMs: f.retryAfterMs,
    jitter: ((source.id * 2654435761) % 1000) / 1000,
  });
  await recordFetch(deps.db, {
    sourceId: source.id,
    jobId,
    startedAt: f.startedAt,
    durationMs: Math.round(performance.now() - f.t0),
    status: f.status,
    httpStatus: f.httpStatus,
    message: f.message,
    itemsSeen: f.itemsSeen,
    itemsNew: f.itemsNew,
    nextFetchAt: sched.nextFetchAt,
    failureScore: sched.failureScore,
    consecutiveFailures: sched.consecutiveFailures,
    now,
    validators: f.validators,
    // A site answering 304 / an unchanged body still has working selectors: the miss streak ends.
    selectorMisses: f.selectorMisses ?? (f.status === 'not_modified' && source.kind === 'site' ? 0 : undefined),
    typicalGapS: f.typicalGapS,
  });
}

/**
 * Entries of one fetch → stored items: normalise links, drop known ones before any costly work,
 * build items (text, date, fingerprint, tone, rule hits), then ONE transaction that ingests them
 * and runs `alsoInTransaction` (the source's health row) so both commit or neither does.
 */
export async function storeEntries(
  deps: CrawlDeps,
  source: Source,
  entries: ParsedEntry[],
  baseUrl: string,
  allow: Set<string>,
  alsoInTransaction?: (trx: Db, result: IngestResult, now: Date) => Promise<void>,
): Promise<IngestResult> {
  const fresh = await dropKnown(deps.db, source, entries, baseUrl);
  const now = deps.now();
  const items = await buildItems(deps, source, fresh, now, allow);
  const ruleSet = await deps.rules.get();
  return deps.db.transaction().execute(async (trx) => {
    // The source's row first: ingesting may write audit rows (an alert reopened on a closed case),
    // and an audit row holds the audit chain's head until commit. An admin's edit of the source
    // locks the source and then writes its audit row; taking the source here before any audit row
    // keeps the two in the same order, so they queue instead of deadlocking.
    await trx.selectFrom('sources').select('id').where('id', '=', source.id).forNoKeyUpdate().execute();
    const result = await ingestItems(trx, items, ruleSet.suggestions, now);
    await alsoInTransaction?.(trx, result, now);
    return result;
  });
}

/** The guarded-fetch options of a crawl: the crawl settings, the admin allow-list, conditional validators. */
export function crawlFetchOptions(
  settings: Pick<CrawlSettings, 'timeoutMs' | 'connectTimeoutMs' | 'maxBytes' | 'maxRedirects' | 'userAgent'>,
  allow: Set<string>,
  extra: Pick<FetchOptions, 'etag' | 'lastModified' | 'resolve' | 'signal'> = {},
): FetchOptions {
  return {
    timeoutMs: settings.timeoutMs,
    connectTimeoutMs: settings.connectTimeoutMs,
    maxBytes: settings.maxBytes,
    maxRedirects: settings.maxRedirects,
    userAgent: settings.userAgent,
    etag: extra.etag ?? null,
    lastModified: extra.lastModified ?? null,
    isAllowed: (hostPort) => allow.has(hostPort.toLowerCase()),
    resolve: extra.resolve,
    signal: extra.signal,
  };
}

function fetchWith(deps: CrawlDeps, source: Source, url: string, allow: Set<string>, conditional: boolean): Promise<FetchResult> {
  let host = '';
  try {
    host = new URL(url).host.toLowerCase();
  } catch {
    host = url;
  }
  return deps.limiter.run(host, () =>
    guardedFetch(
      url,
      crawlFetchOptions(deps.settings, allow, {
        etag: conditional ? source.etag : null,
        lastModified: conditional ? source.last_modified : null,
        resolve: deps.resolve,
        signal: deps.signal,
      }),
    ).then((r) => {
      if (deps.signal?.aborted) throw new CrawlInterrupted();
      return r;
    }),
  );
}

/** What parsing needs to know of a source (a stored row, or unsaved form values in a preview). */
export interface ParseSpec {
  kind: Source['kind'];
  charset: string | null;
  selectors: Source['selectors'];
}

/**
 * Charset decode + parse of one fetched body, as a crawl does it. Throws CrawlFailure: parse_error
 * when the body is not what the source's kind expects, selector_empty when a site's list selector
 * matches nothing.
 */
export async function entriesOf(source: ParseSpec, fetched: Extract<FetchResult, { kind: 'body' }>): Promise<ParsedEntry[]> {
  const { text } = decodeBody({ bytes: fetched.body, contentType: fetched.contentType, override: source.charset });
  if (source.kind === 'feed') refuseHugeFeed(text, fetched.httpStatus);
  const entries = await parseEntries(source, text, fetched.finalUrl);
  if (source.kind === 'site' && entries.length === 0) {
    throw new CrawlFailure(
      'selector_empty',
      '列表选择器没有匹配到任何条目，网页可能已改版，请检查选择器 / The list selector matched no entries: the page layout may have changed, check the selectors',
      fetched.httpStatus,
    );
  }
  return entries;
}

/** Counts entry elements (<item>, <entry>, namespaced or not) cheaply, before any XML parsing. */
function refuseHugeFeed(text: string, httpStatus: number): void {
  const tag = /<(?:[\w.-]+:)?(?:item|entry)[\s/>]/g;
  let n = 0;
  while (tag.exec(text) !== null) {
    if (++n > MAX_FEED_ENTRIES) {
      throw new CrawlFailure(
        'too_large',
        `订阅源条目超过 ${MAX_FEED_ENTRIES} 条，未解析 / The feed lists more than ${MAX_FEED_ENTRIES} entries: not parsed`,
        httpStatus,
      );
    }
  }
}

async function parseEntries(source: ParseSpec, text: string, baseUrl: string): Promise<ParsedEntry[]> {
  try {
    if (source.kind === 'feed') return await parseFeed(text);
    if (!source.selectors) throw new Error('Site source has no selectors');
    return parseSiteList(text, baseUrl, source.selectors);
  } catch (err) {
    throw new CrawlFailure('parse_error', `Parse error: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500));
  }
}

/** An entry's title, plain text and date as stored on an item. */
export function entryFields(entry: ParsedEntry, content: string, now: Date) {
  const title = htmlToText(entry.title).slice(0, 500) || '（无标题）';
  const text = htmlToText(content).slice(0, 100_000);
  const date = parseItemDate(entry.published, now);
  return { title, text, date };
}

interface KeyedEntry {
  entry: ParsedEntry;
  urlKey: string;
  url: string;
}

/** Normalises links and drops entries already stored, before any costly work. */
async function dropKnown(db: Db, source: Source, entries: ParsedEntry[], baseUrl: string): Promise<KeyedEntry[]> {
  const keyed: KeyedEntry[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const url = entry.link ? canonicalUrl(entry.link, baseUrl) : null;
    const key = url ?? (entry.guid ? `guid:${source.id}:${entry.guid}` : null);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    keyed.push({ entry, urlKey: key, url: url ?? source.url });
  }
  const known = await knownUrlKeys(
    db,
    keyed.map((k) => k.urlKey),
  );
  return keyed.filter((k) => !known.has(k.urlKey));
}

async function buildItems(deps: CrawlDeps, source: Source, fresh: KeyedEntry[], now: Date, allow: Set<string>): Promise<IngestItem[]> {
  const ruleSet = await deps.rules.get();
  const detailSelector = source.kind === 'site' ? source.selectors?.text : undefined;
  const items: IngestItem[] = [];
  let details = 0;
  for (const [i, k] of fresh.entries()) {
    // Fingerprinting and rule matching are synchronous: let timers and lock renewals run now and then.
    if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    let content = k.entry.content;
    if (detailSelector && details < deps.settings.maxDetailPages) {
      details++;
      const page = await fetchWith(deps, source, k.url, allow, false);
      if (page.kind === 'body') {
        const { text } = decodeBody({ bytes: page.body, contentType: page.contentType, override: source.charset });
        content = extractDetail(text, detailSelector) || content;
      }
    }
    const { title, text, date } = entryFields(k.entry, content, now);
    const neg = negativity(`${title}\n${text}`);
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
      negativity: neg,
      hits: matchItem(ruleSet.compiled, { title, text, negativity: neg }),
    });
  }
  return items;
}
