import type { Db } from '../../db/client.js';
import type { Source } from '../../db/schema.js';
import { findRule } from '../../db/repos/rules.js';
import { activePeriodAt } from '../../db/repos/periods.js';
import { recordQueries, syncQueries, type QueryRecord } from '../../db/repos/source-queries.js';
import { parseRule } from '../../core/rules/parse.js';
import { canonicalUrl } from '../../core/url.js';
import {
  classifyQuery,
  countQueries,
  distinctQueries,
  nextQuerySchedule,
  queriesFromRule,
  queriesSummary,
  queryJitter,
  searchPages,
  searchUrl,
  sourceStatusOf,
  uniqueBy,
  type QueryStatus,
  type SearchSourceConfig,
} from '../../core/search-source.js';
import type { FetchStatus } from '../../core/vocabulary.js';
import { guardedFetch, type FetchResult } from '../../platform/http/fetch.js';
import type { AppEvent } from '../../platform/queues.js';
import { CrawlFailure, type CrawlDeps, type ParseSpec } from './context.js';
import type { IngestResult } from './ingest.js';
import type { CrawlRun, FetchOutcome } from './outcome.js';
import { recordOutcome } from './outcome.js';
import type { ParsedEntry } from './parse.js';
import { decodeText } from './steps/decode.js';
import { crawlFetchOptions, fetchUrl } from './steps/fetch.js';
import { previewEntries, type PreviewDeps, type PreviewResult } from './preview.js';
import { readBody } from './steps/parse.js';
import type { AlsoInTransaction } from './steps/store.js';

// News search sources (kind 'search'): each due query's result page fetched through the crawl's
// guarded fetch (SSRF policy, allow-list, limits, per-host politeness), read as RSS or as an HTML
// list with the existing parsers, and every query's entries stored together as ordinary items (the
// same article found by two queries is one item: entries are keyed by canonical URL). Each query
// keeps its own health and backoff (core/search-source.ts); the source's health sums them up.

/** The parse spec of a search source's result pages: a feed, or a site list by its selectors. */
export function resultSpec(config: SearchSourceConfig, charset: string | null): ParseSpec {
  return config.format === 'html' ? { kind: 'site', charset, selectors: config.selectors } : { kind: 'feed', charset, selectors: null };
}

/** The queries a search source polls: its rule's region × subject words, or the hand-written ones. */
export async function searchQueries(db: Db, config: SearchSourceConfig): Promise<string[]> {
  if (config.ruleId === null) return distinctQueries(config.queries);
  const rule = await findRule(db, config.ruleId);
  if (!rule) throw new CrawlFailure('parse_error', `监测规则 #${config.ruleId} 已不存在，无法生成查询词 / Rule #${config.ruleId} no longer exists: no queries to search`);
  try {
    return queriesFromRule(parseRule(rule.expression));
  } catch {
    throw new CrawlFailure('parse_error', `监测规则“${rule.name}”的表达式有误，无法生成查询词 / The expression of rule "${rule.name}" cannot be read: no queries`);
  }
}

/** One query's result pages, read. */
export interface QueryResult {
  query: string;
  /** The last page fetched (the failing one when a page failed). */
  url: string;
  fetchStatus: FetchStatus;
  httpStatus: number | null;
  /** English reason of a failure ('' when read). */
  message: string;
  retryAfterMs?: number;
  /** Entries of every page read, with links made absolute against their result page's address. */
  entries: ParsedEntry[];
  status: QueryStatus;
  /** Result pages that brought entries (page 1 counts when it was read, even honestly empty). */
  pagesRead: number;
  /** The page whose fetch failed (anti-bot or failing), or null; the earlier pages' entries are kept. */
  failedPage: number | null;
}

type PageResult = Omit<QueryResult, 'pagesRead' | 'failedPage'>;

/** Fetches and reads one result page of a query with `get` (the crawl's or the preview's guarded fetch). */
async function fetchPage(template: string, query: string, page: number, spec: ParseSpec, get: (url: string) => Promise<FetchResult>): Promise<PageResult> {
  const url = searchUrl(template, query, page);
  const r = await get(url);
  if (r.kind !== 'body') {
    const fetchStatus: FetchStatus = r.kind === 'error' ? r.status : 'not_modified';
    const httpStatus = r.kind === 'error' ? r.httpStatus : 304;
    const message = r.kind === 'error' ? r.message : 'Not modified (304)';
    const status = classifyQuery({ fetchStatus, httpStatus, entries: 0, text: null });
    return { query, url, fetchStatus, httpStatus, message, retryAfterMs: r.kind === 'error' ? r.retryAfterMs : undefined, entries: [], status };
  }
  const fetched = { body: r.body, contentType: r.contentType, finalUrl: r.finalUrl, httpStatus: r.httpStatus };
  let entries: ParsedEntry[] = [];
  let fetchStatus: FetchStatus = 'ok';
  let message = '';
  try {
    entries = (await readBody(spec, fetched)).entries.map((e) => ({ ...e, link: e.link ? (canonicalUrl(e.link, r.finalUrl) ?? e.link) : null }));
  } catch (err) {
    if (!(err instanceof CrawlFailure)) throw err;
    fetchStatus = err.status;
    message = err.message;
  }
  // The page's text is read again only when it listed nothing: is it an anti-bot page, or an honest "no results"?
  const text = entries.length === 0 ? decodeText(spec, fetched) : null;
  const status = classifyQuery({ fetchStatus, httpStatus: r.httpStatus, entries: entries.length, text });
  // A page that read as nothing is named by what it is: an anti-bot check, or an honest empty result.
  if (status === 'anti_bot' && (fetchStatus === 'ok' || fetchStatus === 'selector_empty' || fetchStatus === 'parse_error')) fetchStatus = 'blocked_challenge';
  if (status === 'empty') fetchStatus = 'ok';
  if (status === 'anti_bot' && message === '') message = 'The result page is an anti-bot check (captcha)';
  return { query, url, fetchStatus, httpStatus: r.httpStatus, message, entries, status };
}

/** How a later result page reads when the engine has no more results. */
const PAST_THE_END: ReadonlySet<FetchStatus> = new Set<FetchStatus>(['selector_empty', 'parse_error']);

const entryKey = (e: ParsedEntry) => e.link ?? `${e.title}\n${e.published ?? ''}`;

/**
 * Fetches and reads a query's result pages 1…`pages` one after another (`pause` between two pages:
 * politeness). Paging stops early at an empty page, or one that brings no entry the earlier pages
 * did not list (an engine repeating its last page). A failing later page ends the paging with the
 * query's health that page's (so the query backs off) while the earlier pages' entries are kept.
 */
export async function fetchQuery(
  template: string,
  query: string,
  spec: ParseSpec,
  get: (url: string) => Promise<FetchResult>,
  { pages = 1, pause }: { pages?: number; pause?: () => Promise<void> } = {},
): Promise<QueryResult> {
  const first = await fetchPage(template, query, 1, spec, get);
  if (first.status === 'anti_bot' || first.status === 'failing') return { ...first, pagesRead: 0, failedPage: 1 };
  const entries = [...first.entries];
  const seen = new Set(entries.map(entryKey));
  let pagesRead = 1;
  for (let page = 2; page <= pages && first.status === 'ok'; page++) {
    await pause?.();
    const r = await fetchPage(template, query, page, spec, get);
    // A page past the last one is the end of the results, not a failure: an HTML engine answers it
    // with a page its list selector finds nothing on (or a 404/410), a feed with an empty channel.
    if (r.status === 'failing' && r.entries.length === 0 && (PAST_THE_END.has(r.fetchStatus) || r.httpStatus === 404 || r.httpStatus === 410)) break;
    if (r.status === 'anti_bot' || r.status === 'failing') {
      return { ...r, message: `Page ${page}: ${r.message || r.fetchStatus}`, entries, pagesRead, failedPage: page };
    }
    const fresh = r.entries.filter((e) => !seen.has(entryKey(e)));
    if (fresh.length === 0) break;
    pagesRead++;
    for (const e of fresh) {
      seen.add(entryKey(e));
      entries.push(e);
    }
  }
  return { ...first, entries, pagesRead, failedPage: null };
}

interface SearchEnd {
  outcome: FetchOutcome;
  events: AppEvent[];
}

type StoreEntries = (
  deps: CrawlDeps,
  source: Source,
  entries: ParsedEntry[],
  baseUrl: string,
  allow: Set<string>,
  alsoInTransaction?: AlsoInTransaction,
) => Promise<IngestResult>;

/**
 * One crawl of a search source: the due queries fetched one after another, their entries stored
 * as one batch, each query's health and the source's summary written in the same transaction.
 * The source is due again when its earliest query is.
 */
export async function crawlSearch(run: CrawlRun, storeEntries: StoreEntries): Promise<SearchEnd> {
  const { deps, source } = run;
  const config = source.search_config;
  if (!config) throw new CrawlFailure('parse_error', 'Search source has no configuration');
  const now = deps.now();
  const queries = await searchQueries(deps.db, config);
  if (queries.length === 0) throw new CrawlFailure('parse_error', '没有可用的查询词 / No queries to search');
  const states = await syncQueries(deps.db, source.id, queries, now);
  const due = states.filter((q) => q.next_due_at.getTime() <= now.getTime());
  const allow = await deps.allowlist();
  const spec = resultSpec(config, source.charset);
  const results: QueryResult[] = [];
  // Pages go through the per-host limiter like every fetch: its minimum delay spaces them.
  const pages = searchPages(config, source.url);
  for (const q of due) results.push(await fetchQuery(source.url, q.query, spec, (url) => fetchUrl(deps, source, url, allow, false), { pages }));

  const period = await activePeriodAt(deps.db, now);
  const byQuery = new Map(states.map((s) => [s.query, s]));
  const records: QueryRecord[] = results.map((r) => {
    const prev = byQuery.get(r.query)!;
    const next = nextQuerySchedule({
      status: r.status,
      now,
      pollIntervalS: source.poll_interval_s,
      backoffMaxS: deps.settings.backoffMaxS,
      jitter: queryJitter(source.id, r.query),
      retryAfterMs: r.retryAfterMs,
      pollFactor: period?.pollFactor ?? 1,
      consecutiveFailures: prev.consecutive_failures,
      failureScore: prev.failure_score,
    });
    return {
      query: r.query,
      status: r.status,
      fetchStatus: r.fetchStatus,
      httpStatus: r.httpStatus,
      message: r.message,
      consecutiveFailures: next.consecutiveFailures,
      failureScore: next.failureScore,
      itemsSeen: r.entries.length,
      pagesRead: r.pagesRead,
      failedPage: r.failedPage,
      nextDueAt: next.nextDueAt,
    };
  });
  const fetched = new Map(records.map((r) => [r.query, r]));
  const statuses = states.map((s) => fetched.get(s.query)?.status ?? s.status);
  const nextDue = states.map((s) => (fetched.get(s.query)?.nextDueAt ?? s.next_due_at).getTime());
  const counts = countQueries(statuses);
  const failure = results.find((r) => r.status === 'failing')?.fetchStatus ?? 'network_error';
  const status = due.length === 0 ? 'not_modified' : sourceStatusOf(counts, failure);
  const entries = uniqueBy(
    results.flatMap((r) => r.entries),
    (e) => e.link,
  );
  const summary = queriesSummary(counts);
  const outcomeOf = (inserted: number): FetchOutcome => ({
    status,
    httpStatus: results.find((r) => r.httpStatus !== null)?.httpStatus ?? null,
    message: `${summary.zh}；本次抓取 ${results.length} 个，共 ${entries.length} 条，新增 ${inserted} 条 / ${summary.en}; ${results.length} fetched, ${entries.length} entries, ${inserted} new`,
    itemsSeen: entries.length,
    itemsNew: inserted,
    retryAfterMs: undefined,
    nextFetchAt: new Date(Math.max(Math.min(...nextDue), now.getTime() + 1000)),
  });
  const stored = await storeEntries(deps, source, entries, source.url, allow, async (trx, result) => {
    await recordQueries(trx, source.id, records, now);
    await recordOutcome(trx, run, outcomeOf(result.inserted));
  });
  return { outcome: outcomeOf(stored.inserted), events: stored.events };
}


/** 试抓取 of a search source: its queries, and the first query's results (nothing is stored). */
export interface SearchPreview extends Omit<PreviewResult, 'note' | 'misses'> {
  queries: string[];
  /** The first query's health: results, an honest empty page, anti-bot, or failing. */
  queryStatus: QueryStatus | null;
  /** Result pages the source reads per query, those the first query's preview read, and the page that failed (null: none). */
  pages: number;
  pagesRead: number;
  failedPage: number | null;
}

/** The pause between two result pages of a preview (the crawl's pages are spaced by its per-host limiter). */
export const PREVIEW_PAGE_PAUSE_MS = 500;

/**
 * 试抓取 of a news search source: the queries it would poll, and the first query's result pages
 * fetched and read as a crawl does (guarded fetch with the allow-list, the same parsers, the same
 * paging and a pause between pages).
 */
export async function previewSearch(
  deps: PreviewDeps,
  source: { url: string; charset: string | null; search: SearchSourceConfig },
  queries: string[],
  pause: () => Promise<void> = () => new Promise((resolve) => setTimeout(resolve, PREVIEW_PAGE_PAUSE_MS)),
): Promise<SearchPreview> {
  const t0 = performance.now();
  const pages = searchPages(source.search, source.url);
  if (queries.length === 0) {
    return { queries, status: 'parse_error', httpStatus: null, message: 'No queries to search', finalUrl: null, total: 0, entries: [], durationMs: 0, queryStatus: null, pages, pagesRead: 0, failedPage: null };
  }
  const allow = await deps.allowlist();
  const r = await fetchQuery(
    source.url,
    queries[0]!,
    resultSpec(source.search, source.charset),
    (url) => guardedFetch(url, crawlFetchOptions(deps.settings, allow, { resolve: deps.resolve, signal: deps.signal })),
    { pages, pause },
  );
  return {
    queries,
    status: r.status === 'empty' ? 'ok' : r.fetchStatus,
    httpStatus: r.httpStatus,
    message: r.message,
    finalUrl: r.url,
    total: r.entries.length,
    entries: previewEntries(r.entries, r.url, deps.now()),
    durationMs: Math.round(performance.now() - t0),
    queryStatus: r.status,
    pages,
    pagesRead: r.pagesRead,
    failedPage: r.failedPage,
  };
}
