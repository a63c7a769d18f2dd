// "Test fetch" (试抓取): one fetch of a source's URL, decoded and parsed exactly as a crawl does
// (guarded fetch with the SSRF policy and the admin allow-list, charset decode, feed or site
// parse), returning what it would yield. Writes nothing: no items, no fetch record, no health.
import { canonicalUrls } from '../../core/url.js';
import { dateTextIn } from '../../core/dates.js';
import type { FetchStatus } from '../../core/vocabulary.js';
import { CrawlFailure, type CrawlSettings, type ParseSpec } from './context.js';
import { crawlFetchOptions, fetchJsonPages } from './steps/fetch.js';
import type { MappingMiss } from '../../core/json-source.js';
import { readBody, type ReadNote } from './steps/parse.js';
import { entryFields } from './steps/normalise.js';
import { guardedFetch, type FetchOptions } from '../../platform/http/fetch.js';
import type { ParsedEntry } from './parse.js';

export const PREVIEW_MAX_ENTRIES = 20;
const EXCERPT_CHARS = 200;

export interface PreviewEntry {
  title: string;
  url: string | null;
  /** ISO time; estimated (the fetch time) when the entry carries no readable date. */
  publishedAt: string;
  publishedAtEstimated: boolean;
  /** The date as the page or feed wrote it (the run read inside a longer text), or null when it gave none. */
  dateText: string | null;
  excerpt: string;
}

export interface PreviewResult {
  status: FetchStatus;
  httpStatus: number | null;
  /** English reason as the crawler words it ('' when ok). */
  message: string;
  /** How the document was read when not plainly (a malformed or truncated feed read leniently). */
  note: ReadNote | null;
  finalUrl: string | null;
  /** Entries found in total; `entries` holds the first PREVIEW_MAX_ENTRIES. */
  total: number;
  entries: PreviewEntry[];
  /** A JSON source's mapping paths that found nothing in some items. */
  misses: MappingMiss[];
  durationMs: number;
}

export interface PreviewDeps {
  settings: Pick<CrawlSettings, 'timeoutMs' | 'connectTimeoutMs' | 'maxBytes' | 'maxRedirects' | 'userAgent'>;
  /** host:port entries allowed to resolve to private addresses. */
  allowlist: () => Promise<Set<string>>;
  now: () => Date;
  resolve?: FetchOptions['resolve'];
  signal?: AbortSignal;
}

/**
 * The first PREVIEW_MAX_ENTRIES entries as the preview shows them (title, address, date, excerpt).
 * `json`: a JSON source's epoch-second / millisecond dates reach here already turned into ISO
 * instants (core/json-source.ts), which the endpoint never wrote: no 原文 is shown for them.
 */
export function previewEntries(found: ParsedEntry[], finalUrl: string, now: Date, json = false): PreviewEntry[] {
  const urls = canonicalUrls(found.map((e) => e.link || null), finalUrl);
  return found.slice(0, PREVIEW_MAX_ENTRIES).map((entry, i): PreviewEntry => {
    const { title, text, date } = entryFields(entry, entry.content, now);
    return {
      title,
      url: urls[i],
      publishedAt: date.date.toISOString(),
      publishedAtEstimated: date.estimated,
      dateText: json && isConvertedEpoch(entry.published) ? null : writtenDate(entry.published),
      excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text,
    };
  });
}

export async function previewSource(deps: PreviewDeps, source: ParseSpec & { url: string }): Promise<PreviewResult> {
  const t0 = performance.now();
  const done = (r: Omit<PreviewResult, 'durationMs'>): PreviewResult => ({ ...r, durationMs: Math.round(performance.now() - t0) });
  const allow = await deps.allowlist();
  const fetched =
    source.kind === 'json' && source.json_config
      ? await fetchJsonPages(source.url, source.json_config, source.charset, deps.settings.maxBytes, (url, request) =>
          guardedFetch(url, crawlFetchOptions(deps.settings, allow, { resolve: deps.resolve, signal: deps.signal, ...request })),
        )
      : await guardedFetch(source.url, crawlFetchOptions(deps.settings, allow, { resolve: deps.resolve, signal: deps.signal }));
  if (fetched.kind === 'error') {
    return done({ status: fetched.status, httpStatus: fetched.httpStatus, message: fetched.message, note: null, finalUrl: null, total: 0, entries: [], misses: [] });
  }
  if (fetched.kind === 'not_modified') {
    // Not conditional, so a 304 is the server's oddity; there is nothing to show.
    return done({ status: 'not_modified', httpStatus: 304, message: 'Not modified (304)', note: null, finalUrl: fetched.finalUrl, total: 0, entries: [], misses: [] });
  }
  try {
    const { entries: found, note, misses = [] } = await readBody(source, fetched);
    const entries = previewEntries(found, fetched.finalUrl, deps.now(), source.kind === 'json');
    return done({ status: 'ok', httpStatus: fetched.httpStatus, message: '', note, finalUrl: fetched.finalUrl, total: found.length, entries, misses });
  } catch (err) {
    if (!(err instanceof CrawlFailure)) throw err;
    return done({ status: err.status, httpStatus: err.httpStatus ?? fetched.httpStatus, message: err.message, note: null, finalUrl: fetched.finalUrl, total: 0, entries: [], misses: [] });
  }
}

/** An instant as core/json-source.ts writes a converted epoch (Date#toISOString). */
function isConvertedEpoch(published: string | null): boolean {
  return published !== null && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(published);
}

/** The longest date text a preview shows. */
const DATE_TEXT_CHARS = 60;

/** What an entry's date field said: the date run inside it when there is one, else the text itself (shortened). */
function writtenDate(published: string | null): string | null {
  const raw = published?.replace(/\s+/g, ' ').trim();
  if (!raw) return null;
  const found = dateTextIn(raw) ?? raw;
  return found.length > DATE_TEXT_CHARS ? `${found.slice(0, DATE_TEXT_CHARS)}…` : found;
}
