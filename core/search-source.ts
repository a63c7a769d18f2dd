import { nextSchedule } from './schedule.js';
import type { RuleExpr } from './rules/parse.js';
import type { FetchStatus } from './vocabulary.js';

// News search sources (kind 'search'): a search URL template with {query} (and {page}) polled once
// per query; the queries written by hand or generated from a monitoring rule (region words ×
// subject words); each query with its own health and backoff. Pure: the crawl, the preview and the
// source's health read it.

export type SearchFormat = 'rss' | 'html';

export interface SearchSelectors {
  item: string;
  link?: string;
  title?: string;
  date?: string;
  text?: string;
}

export interface SearchSourceConfig {
  /** Queries written by hand (one per line in the form); used when ruleId is null. */
  queries: string[];
  /** The monitoring rule the queries are generated from, or null. */
  ruleId: number | null;
  /** How the result page reads: a news search's RSS output, or an HTML list by selectors. */
  format: SearchFormat;
  /** The list selectors of an HTML result page (format 'html'). */
  selectors: SearchSelectors | null;
  /** Result pages read per query, 1…MAX_SEARCH_PAGES (pages 2… need {page} in the URL template); absent: 1. */
  pages?: number;
}

/** Result pages of one query read at most per crawl, and by default. */
export const MAX_SEARCH_PAGES = 5;
export const DEFAULT_SEARCH_PAGES = 1;

/** True when a URL template has the {page} slot (as typed, or URL-encoded). */
export function hasPageSlot(template: string): boolean {
  return template.includes('{page}') || /%7Bpage%7D/i.test(template);
}

/** The result pages a crawl reads per query: the source's setting within 1…MAX_SEARCH_PAGES, 1 when the template has no {page}. */
export function searchPages(config: Pick<SearchSourceConfig, 'pages'>, template: string): number {
  if (!hasPageSlot(template)) return 1;
  const n = Math.trunc(config.pages ?? DEFAULT_SEARCH_PAGES);
  return Math.min(MAX_SEARCH_PAGES, Math.max(1, Number.isFinite(n) ? n : DEFAULT_SEARCH_PAGES));
}

/** Queries one search source polls at most (a rule's region × subject words are capped here). */
export const MAX_QUERIES = 20;
/** Characters of one query at most. */
export const MAX_QUERY_CHARS = 100;

/** The health of one query, as its last fetch left it. */
export const QUERY_STATUSES = ['pending', 'ok', 'empty', 'anti_bot', 'failing'] as const;
export type QueryStatus = (typeof QUERY_STATUSES)[number];
export const QUERY_STATUS_LABELS: Record<QueryStatus, string> = {
  pending: '待抓取',
  ok: '有结果',
  empty: '无结果',
  anti_bot: '遇到反爬验证',
  failing: '抓取失败',
};

/**
 * The conjunctions of a rule's positive part (its disjunctive normal form), e.g. (永济|蒲州)+(拆迁|补偿)
 * → [永济 拆迁] [永济 补偿] [蒲州 拆迁] [蒲州 补偿]: region words × subject words. Words only
 * vetoed by `-` are left out (a search engine cannot be told what a rule excludes; matching does
 * that). Stops growing past `cap` conjunctions.
 */
function conjunctions(expr: RuleExpr, cap: number): string[][] {
  switch (expr.kind) {
    case 'term':
      return [[expr.word]];
    case 'or':
      return [...conjunctions(expr.left, cap), ...conjunctions(expr.right, cap)].slice(0, cap);
    case 'not':
      return conjunctions(expr.left, cap);
    case 'and': {
      const left = conjunctions(expr.left, cap);
      const right = conjunctions(expr.right, cap);
      const out: string[][] = [];
      for (const l of left) {
        for (const r of right) {
          if (out.length >= cap) return out;
          out.push([...l, ...r]);
        }
      }
      return out;
    }
  }
}

/** The search queries a rule yields: its words joined by a space per conjunction, distinct, at most `cap`. */
export function queriesFromRule(expr: RuleExpr, cap = MAX_QUERIES): string[] {
  return distinctQueries(
    conjunctions(expr, cap * 4).map((words) => [...new Set(words)].join(' ')),
    cap,
  );
}

/** Trimmed, whitespace-collapsed, non-empty, distinct queries, at most `cap`. */
export function distinctQueries(queries: readonly string[], cap = MAX_QUERIES): string[] {
  const seen = new Set<string>();
  for (const q of queries) {
    const t = q.replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_CHARS);
    if (t !== '') seen.add(t);
    if (seen.size >= cap) break;
  }
  return [...seen];
}

/** The URL of one query's result page: {query} URL-encoded, {page} the page number. */
export function searchUrl(template: string, query: string, page = 1): string {
  const q = encodeURIComponent(query);
  return template
    .replaceAll('{query}', q)
    .replace(/%7Bquery%7D/gi, q)
    .replaceAll('{page}', String(page))
    .replace(/%7Bpage%7D/gi, String(page));
}

/** True when a URL template has the {query} slot (as typed, or URL-encoded). */
export function hasQuerySlot(template: string): boolean {
  return template.includes('{query}') || /%7Bquery%7D/i.test(template);
}

/** What a search engine's anti-bot page says (a 200 answer that is not a result page). */
const ANTI_BOT_MARKERS = ['安全验证', '人机验证', '验证码', '访问过于频繁', '请求过于频繁', '异常流量', '异常访问', '滑动验证', 'captcha', 'unusual traffic'];
/** What an honest empty result page says. */
const EMPTY_MARKERS = ['未找到相关', '没有找到相关', '找不到相关', '无相关结果', '没有找到与', '抱歉，没有找到', '0 条结果', 'no results found', 'did not match any'];

export function looksAntiBot(text: string): boolean {
  const t = text.toLowerCase();
  return ANTI_BOT_MARKERS.some((m) => t.includes(m));
}

export function looksEmptyResult(text: string): boolean {
  const t = text.toLowerCase();
  return EMPTY_MARKERS.some((m) => t.includes(m));
}

/** One query's fetch as the crawl saw it. */
export interface QueryFetch {
  /** The fetch or parse outcome ('ok' when the result page was read). */
  fetchStatus: FetchStatus;
  httpStatus: number | null;
  /** Entries the result page listed. */
  entries: number;
  /** The result page's text when it was fetched (to tell an anti-bot page from an empty one). */
  text: string | null;
}

/**
 * A query's health from one fetch: an anti-bot answer (a challenge or WAF page, HTTP 403 / 429, or
 * a 200 page asking for a captcha) is told apart from an honest empty result page, and both from
 * a failure (network, server error, a list selector that matches nothing on a page that does not
 * say "no results").
 */
export function classifyQuery(f: QueryFetch): QueryStatus {
  if (f.fetchStatus === 'blocked_challenge' || f.fetchStatus === 'rate_limited' || f.httpStatus === 403 || f.httpStatus === 429) return 'anti_bot';
  if (f.entries > 0) return 'ok';
  if (f.text !== null && looksAntiBot(f.text)) return 'anti_bot';
  if (f.fetchStatus === 'ok' || f.fetchStatus === 'not_modified') return 'empty';
  if (f.fetchStatus === 'selector_empty' && f.text !== null && looksEmptyResult(f.text)) return 'empty';
  return 'failing';
}

/** A fixed number in [0, 1) per source and query (FNV-1a): spreads the queries of a source over its interval. */
export function queryJitter(sourceId: number, query: string): number {
  let h = 0x811c9dc5 ^ sourceId;
  for (let i = 0; i < query.length; i++) {
    h ^= query.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return ((h >>> 0) % 1000) / 1000;
}

export interface QueryState {
  consecutiveFailures: number;
  failureScore: number;
}

export interface QueryScheduleInput extends QueryState {
  status: QueryStatus;
  now: Date;
  pollIntervalS: number;
  backoffMaxS: number;
  /** queryJitter(source, query). */
  jitter: number;
  retryAfterMs?: number;
  /** The active heightened period's poll factor (0.1–1). */
  pollFactor?: number;
}

/**
 * When a query is due next. A query with results or an honest empty page is polled at the
 * source's interval spread by ±10 % jitter; an anti-bot or failing one backs off exponentially
 * (core/schedule.ts, capped at backoffMaxS) on its own, so the others carry on.
 */
export function nextQuerySchedule(input: QueryScheduleInput): { nextDueAt: Date; consecutiveFailures: number; failureScore: number } {
  const healthy = input.status === 'ok' || input.status === 'empty';
  const s = nextSchedule({
    pollIntervalS: input.pollIntervalS,
    failureScore: input.failureScore,
    consecutiveFailures: input.consecutiveFailures,
    status: healthy ? 'ok' : input.status === 'anti_bot' ? 'blocked_challenge' : 'network_error',
    now: input.now,
    backoffMaxS: input.backoffMaxS,
    retryAfterMs: input.retryAfterMs,
    jitter: input.jitter,
    pollFactor: input.pollFactor,
  });
  if (!healthy) return { nextDueAt: s.nextFetchAt, consecutiveFailures: s.consecutiveFailures, failureScore: s.failureScore };
  const spread = 0.9 + 0.2 * input.jitter;
  const delayMs = (s.nextFetchAt.getTime() - input.now.getTime()) * spread;
  return { nextDueAt: new Date(input.now.getTime() + Math.round(delayMs)), consecutiveFailures: 0, failureScore: s.failureScore };
}

export interface QueryCounts {
  total: number;
  ok: number;
  empty: number;
  antiBot: number;
  failing: number;
  pending: number;
}

export function countQueries(statuses: readonly QueryStatus[]): QueryCounts {
  const c: QueryCounts = { total: statuses.length, ok: 0, empty: 0, antiBot: 0, failing: 0, pending: 0 };
  for (const s of statuses) {
    if (s === 'ok') c.ok++;
    else if (s === 'empty') c.empty++;
    else if (s === 'anti_bot') c.antiBot++;
    else if (s === 'failing') c.failing++;
    else c.pending++;
  }
  return c;
}

/** The source's health line, "中文 / English": how many queries have results, none, anti-bot, failing. */
export function queriesSummary(c: QueryCounts): { zh: string; en: string } {
  const zh = [`共 ${c.total} 个查询词：${c.ok} 个有结果`, `${c.empty} 个无结果`, `${c.antiBot} 个遇到反爬验证`, `${c.failing} 个抓取失败`];
  const en = [`${c.total} queries: ${c.ok} with results`, `${c.empty} empty`, `${c.antiBot} anti-bot`, `${c.failing} failing`];
  if (c.pending > 0) {
    zh.push(`${c.pending} 个待抓取`);
    en.push(`${c.pending} pending`);
  }
  return { zh: zh.join('，'), en: en.join(', ') };
}

/**
 * The source's status from its queries: ok while any query answers (with results or honestly
 * empty); anti-bot when every answered query met a challenge; else the failure of the queries.
 */
export function sourceStatusOf(c: QueryCounts, failure: FetchStatus): FetchStatus {
  if (c.ok + c.empty > 0) return 'ok';
  if (c.antiBot > 0 && c.failing === 0) return 'blocked_challenge';
  if (c.failing > 0) return failure;
  return 'pending';
}

/** The first item of each key, in order (the same article found by two queries is one item). */
export function uniqueBy<T>(items: readonly T[], key: (t: T) => string | null): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const it of items) {
    const k = key(it);
    if (k !== null) {
      if (seen.has(k)) continue;
      seen.add(k);
    }
    out.push(it);
  }
  return out;
}
