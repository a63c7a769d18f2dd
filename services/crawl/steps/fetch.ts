import { createHash } from 'node:crypto';
import { decodeBody } from '../../../core/charset.js';
import { pageRequest, type JsonSourceConfig } from '../../../core/json-source.js';
import type { Source } from '../../../db/schema.js';
import { guardedFetch, type FetchOptions, type FetchResult } from '../../../platform/http/fetch.js';
import { CrawlFailure, CrawlInterrupted, type CrawlContext, type CrawlDeps, type CrawlSettings } from '../context.js';
import { step } from './step.js';

// Step 1, fetch: one guarded, conditional GET of the source's URL (SSRF policy, admin allow-list,
// timeouts, caps, per-host limits). A failure is a CrawlFailure; 304 or the very body of the last
// fetch is "unchanged".

/** Conditional-GET validators and the body's hash, kept on the source for the next fetch. */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
  bodyHash: string | null;
}

/** A new body to parse. */
export interface Fetched {
  kind: 'body';
  body: Buffer;
  contentType: string | null;
  finalUrl: string;
  httpStatus: number;
  validators: Validators;
  /** The allow-list this fetch went by: the source's detail pages go by it too. */
  allow: Set<string>;
}

/** Nothing new since the last fetch: a 304, or the same body. */
export interface Unchanged {
  kind: 'unchanged';
  httpStatus: number;
  message: string;
  validators?: Validators;
}

export const fetchSource = step('fetch', async function fetchSource({ deps, source }: CrawlContext): Promise<Fetched | Unchanged> {
  const { fetched, allow } = await fetchWithAllowlist(deps, source);
  if (fetched.kind === 'error') throw new CrawlFailure(fetched.status, fetched.message, fetched.httpStatus, fetched.retryAfterMs);
  if (fetched.kind === 'not_modified') return { kind: 'unchanged', httpStatus: fetched.httpStatus, message: 'Not modified (304)' };
  const bodyHash = createHash('sha1').update(fetched.body).digest('hex');
  const validators = { etag: fetched.etag, lastModified: fetched.lastModified, bodyHash };
  if (source.body_hash === bodyHash) return { kind: 'unchanged', httpStatus: fetched.httpStatus, message: 'Body unchanged', validators };
  const { body, contentType, finalUrl, httpStatus } = fetched;
  return { kind: 'body', body, contentType, finalUrl, httpStatus, validators, allow };
});

/**
 * The allow-list is cached for a few seconds: an entry an admin added just now must not be
 * refused into an hour of backoff. On an SSRF refusal, ask again, and fetch again if it changed.
 */
async function fetchWithAllowlist(deps: CrawlDeps, source: Source): Promise<{ fetched: FetchResult; allow: Set<string> }> {
  const allow = await deps.allowlist();
  const fetched = await fetchSourceUrl(deps, source, allow);
  if (fetched.kind !== 'error' || fetched.status !== 'ssrf_refused') return { fetched, allow };
  const fresh = await deps.allowlist({ fresh: true });
  if (fresh.size === allow.size && [...fresh].every((h) => allow.has(h))) return { fetched, allow };
  return { fetched: await fetchSourceUrl(deps, source, fresh), allow: fresh };
}

/** The source's document: one conditional GET, or a JSON source's pages. */
function fetchSourceUrl(deps: CrawlDeps, source: Source, allow: Set<string>): Promise<FetchResult> {
  if (source.kind === 'json' && source.json_config) {
    return fetchJsonPages(source.url, source.json_config, source.charset, deps.settings.maxBytes, (url, request) => fetchUrl(deps, source, url, allow, false, request));
  }
  return fetchUrl(deps, source, source.url, allow, true);
}

/** The request options of one page of a JSON source. */
export type PageRequest = Pick<FetchOptions, 'method' | 'body' | 'headers'>;

/**
 * A JSON source's pages 1…N, fetched one after another (each a guarded fetch: the same SSRF
 * policy, limits and per-host politeness as any fetch), each decoded by the source's charset and
 * gathered into one UTF-8 document, a JSON array of the pages' texts, that the parse step reads.
 * A failure of the first page is the fetch's failure; a later page failing ends the paging there,
 * as does reaching maxBytes in all (the byte cap holds for the source's document, not per page).
 */
export async function fetchJsonPages(
  url: string,
  config: JsonSourceConfig,
  charset: string | null,
  maxBytes: number,
  get: (url: string, request: PageRequest) => Promise<FetchResult>,
): Promise<FetchResult> {
  const texts: string[] = [];
  let bytes = 0;
  let first: Extract<FetchResult, { kind: 'body' }> | null = null;
  for (let page = 1; page <= config.pages; page++) {
    const req = pageRequest(url, config, page);
    const headers: Record<string, string> = { accept: 'application/json, text/plain, */*', ...config.headers };
    if (req.contentType) headers['content-type'] = req.contentType;
    const r = await get(req.url, { method: req.method, body: req.body === null ? undefined : Buffer.from(req.body), headers });
    if (r.kind !== 'body') {
      if (first) break;
      return r.kind === 'not_modified' ? { kind: 'error', status: 'network_error', httpStatus: 304, message: 'Unexpected 304 to an unconditional request' } : r;
    }
    bytes += r.body.length;
    if (first && bytes > maxBytes) break;
    first ??= r;
    texts.push(decodeBody({ bytes: r.body, contentType: r.contentType, override: charset }).text);
  }
  const body = Buffer.from(JSON.stringify(texts));
  return { ...first!, contentType: 'application/json; charset=utf-8', etag: null, lastModified: null, body };
}

/** The guarded-fetch options of a crawl: the crawl settings, the admin allow-list, conditional validators. */
export function crawlFetchOptions(
  settings: Pick<CrawlSettings, 'timeoutMs' | 'connectTimeoutMs' | 'maxBytes' | 'maxRedirects' | 'userAgent'>,
  allow: Set<string>,
  extra: Pick<FetchOptions, 'etag' | 'lastModified' | 'resolve' | 'signal' | 'method' | 'body' | 'headers'> = {},
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
    ...(extra.method && { method: extra.method }),
    ...(extra.body && { body: extra.body }),
    ...(extra.headers && { headers: extra.headers }),
  };
}

/**
 * One guarded GET of a URL of the source, within the per-host limits; conditional (the source's
 * ETag / Last-Modified) for the source's own URL. Throws CrawlInterrupted when shutdown aborted it.
 */
export function fetchUrl(deps: CrawlDeps, source: Source, url: string, allow: Set<string>, conditional: boolean, request: PageRequest = {}): Promise<FetchResult> {
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
        ...request,
      }),
    ).then((r) => {
      if (deps.signal?.aborted) throw new CrawlInterrupted();
      return r;
    }),
  );
}
