// The one guarded HTTP client: every outbound request of the product goes through guardedFetch.
// Built on node:http/https so the address the SSRF guard checks is the address the socket connects to.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { promises as dns } from 'node:dns';
import zlib from 'node:zlib';
import { Transform } from 'node:stream';
import iconv from 'iconv-lite';
import type { FetchStatus } from '../../core/vocabulary.js';
import { checkParsedUrl, checkTarget, isForbiddenAddress, urlTarget, type UrlTarget } from './ssrf.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface FetchOptions {
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Maximum body size, counted after decompression. */
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  etag?: string | null;
  lastModified?: string | null;
  /** True when host:port (e.g. "127.0.0.1:3100") was allow-listed by an admin: private addresses permitted. */
  isAllowed: (hostPort: string) => boolean;
  signal?: AbortSignal;
  /** Name resolution, injectable for tests. Default: dns.promises.lookup(hostname, {all: true}). */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Cap on bytes received on the wire (before decompression). Default: maxBytes. */
  maxCompressedBytes?: number;
  /** Request method (default GET). A 303, or a 301/302 answering a POST, is followed with a bodiless GET. */
  method?: 'GET' | 'POST';
  /** Request body, sent with POST (e.g. a webhook's JSON). */
  body?: Buffer;
  /** Extra request headers; they override the crawler's defaults. */
  headers?: Record<string, string>;
}

export type FetchResult =
  | {
      kind: 'body';
      httpStatus: number;
      finalUrl: string;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      body: Buffer;
    }
  | { kind: 'not_modified'; httpStatus: 304; finalUrl: string }
  | {
      kind: 'error';
      status: FetchErrorStatus;
      httpStatus: number | null;
      /** Readable reason, English, for logs and the source row. */
      message: string;
      /** From Retry-After (seconds or HTTP date) on 429/503. */
      retryAfterMs?: number;
    };

export type FetchErrorStatus = Exclude<FetchStatus, 'ok' | 'not_modified' | 'pending' | 'parse_error' | 'selector_empty'>;
type ErrorResult = Extract<FetchResult, { kind: 'error' }>;

/** A failure already classified; guardedFetch turns it into an error result (it never throws). */
export class FetchFailure extends Error {
  constructor(
    readonly status: FetchErrorStatus,
    message: string,
    readonly httpStatus: number | null = null,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, ' +
  'text/html;q=0.8, application/xhtml+xml;q=0.8, */*;q=0.5';
const ACCEPT_LANGUAGE = 'zh-CN,zh;q=0.9,en;q=0.5';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** How much of a 403/503 body is read to recognise an anti-bot challenge page. */
const CHALLENGE_SAMPLE_BYTES = 64 * 1024;

/** The one guarded HTTP client every outbound request goes through. Never throws. */
export async function guardedFetch(url: string, opts: FetchOptions): Promise<FetchResult> {
  const controller = new AbortController();
  let currentHost = hostForMessage(url);
  const deadline = setTimeout(() => {
    controller.abort(new FetchFailure('timeout', `Timed out after ${opts.timeoutMs} ms fetching ${currentHost}`));
  }, opts.timeoutMs);
  const onCallerAbort = () => controller.abort(callerAbortFailure(opts.signal?.reason));
  if (opts.signal?.aborted) onCallerAbort();
  else opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await followRedirects(url, opts, controller.signal, (host) => (currentHost = host));
  } catch (err) {
    return toErrorResult(controller.signal.aborted ? controller.signal.reason : err);
  } finally {
    clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', onCallerAbort);
  }
}

async function followRedirects(
  startUrl: string,
  opts: FetchOptions,
  signal: AbortSignal,
  onHop: (host: string) => void,
): Promise<FetchResult> {
  let url = parseUrl(startUrl);
  let hopOpts = opts;
  const visited = new Set<string>();
  for (let redirects = 0; ; redirects++) {
    onHop(url.host);
    visited.add(url.href);
    const res = await requestOnce(url, hopOpts, signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECT_STATUSES.has(status) && location) {
      res.destroy();
      const next = resolveLocation(location, url);
      if (visited.has(next.href)) {
        throw new FetchFailure('too_many_redirects', `Redirect loop at ${url.host} (back to ${next.href})`, status);
      }
      if (redirects >= opts.maxRedirects) {
        throw new FetchFailure('too_many_redirects', `More than ${opts.maxRedirects} redirects fetching ${hostForMessage(startUrl)}`, status);
      }
      url = next;
      if (hopOpts.method === 'POST' && (status === 301 || status === 302 || status === 303)) hopOpts = { ...hopOpts, method: 'GET', body: undefined };
      continue;
    }
    return handleFinalResponse(res, url, opts, signal);
  }
}

async function handleFinalResponse(
  res: http.IncomingMessage,
  url: URL,
  opts: FetchOptions,
  signal: AbortSignal,
): Promise<FetchResult> {
  const status = res.statusCode ?? 0;
  if (status === 304) {
    res.destroy();
    return { kind: 'not_modified', httpStatus: 304, finalUrl: url.href };
  }
  if (status >= 200 && status < 300) {
    const body = await readBody(res, opts, signal, 'strict', url.host);
    return {
      kind: 'body',
      httpStatus: status,
      finalUrl: url.href,
      contentType: header(res, 'content-type'),
      etag: header(res, 'etag'),
      lastModified: header(res, 'last-modified'),
      body,
    };
  }
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(header(res, 'retry-after'), Date.now()) : undefined;
  let sample = '';
  if (status === 403 || status === 503) {
    sample = bodyText(await readBody(res, { ...opts, maxBytes: CHALLENGE_SAMPLE_BYTES }, signal, 'sample', url.host));
  } else {
    res.destroy();
  }
  throw classifyHttpStatus(status, url.host, sample, retryAfterMs);
}

/** Status of a non-2xx, non-304 final response. `sample` is the start of the body (403/503 only). */
export function classifyHttpStatus(status: number, host: string, sample: string, retryAfterMs?: number): FetchFailure {
  if (status === 412 || status === 521 || ((status === 403 || status === 503) && looksLikeChallenge(sample))) {
    return new FetchFailure('blocked_challenge', `HTTP ${status} anti-bot challenge from ${host}`, status, retryAfterMs);
  }
  if (status === 429) return new FetchFailure('rate_limited', `HTTP 429 rate limited by ${host}`, status, retryAfterMs);
  if (status >= 400 && status < 500) return new FetchFailure('http_4xx', `HTTP ${status} from ${host}`, status);
  if (status >= 500 && status < 600) {
    if (looksLikeRsshubError(sample)) {
      return new FetchFailure('http_5xx', `${RSSHUB_ROUTE_ERROR_ZH} / RSSHub route error: HTTP ${status} from ${host}`, status, retryAfterMs);
    }
    return new FetchFailure('http_5xx', `HTTP ${status} from ${host}`, status, retryAfterMs);
  }
  if (status >= 300 && status < 400) {
    return new FetchFailure('network_error', `HTTP ${status} from ${host} without a usable Location header`, status);
  }
  return new FetchFailure('network_error', `Unexpected HTTP ${status} from ${host}`, status);
}

const CHALLENGE_MARKERS = [
  '__jsl_clearance',
  '__jsluid',
  'acw_sc__v2',
  'just a moment',
  'cf-chl',
  'cf_chl',
  'challenge-platform',
  'yunsuo_session_verify',
  'captcha',
  '安全验证',
  '访问验证',
  '人机验证',
  '滑动验证',
  '验证码',
  '网站防火墙',
  '安全狗',
  '云盾',
  '访问被阻断',
  '网站卫士',
  '创宇盾',
];

/** How a source's health names RSSHub's own error page (its route failed upstream). */
export const RSSHUB_ROUTE_ERROR_ZH = 'RSSHub 路由出错';

/** True when a 503 body is RSSHub's error page ("Looks like something went wrong"). */
export function looksLikeRsshubError(body: string): boolean {
  const text = body.toLowerCase();
  return text.includes('rsshub') && text.includes('looks like something went wrong');
}

/** True when a 403/503 body looks like a JS-cookie challenge or a WAF block page. */
export function looksLikeChallenge(body: string): boolean {
  const text = body.toLowerCase();
  if (CHALLENGE_MARKERS.some((m) => text.includes(m))) return true;
  if (/\bwaf\b/.test(text)) return true;
  return text.includes('document.cookie') && /settimeout|location(\.href)?\s*=|location\.(replace|reload|assign)/.test(text);
}

/** Retry-After as delta-seconds or an HTTP date, in ms from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Classifies a socket / DNS / TLS error from node into a fetch status. */
export function classifyNetworkError(err: unknown, host: string): FetchFailure {
  if (err instanceof FetchFailure) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const detail = code || e?.message || String(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'ENODATA' || code === 'ESERVFAIL') {
    return new FetchFailure('dns_error', `Could not resolve ${host} (${detail})`);
  }
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN'].includes(code)) {
    return new FetchFailure('connect_error', `Could not connect to ${host} (${detail})`);
  }
  if (code === 'ETIMEDOUT') return new FetchFailure('timeout', `Timed out connecting to ${host}`);
  const message = e?.message ?? '';
  if (
    /^(CERT_|ERR_TLS_|ERR_SSL_)/.test(code) ||
    /SSL|CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code) ||
    /\bSSL\b|\bTLS\b|certificate/i.test(message)
  ) {
    return new FetchFailure('tls_error', `TLS error talking to ${host} (${detail})`);
  }
  return new FetchFailure('network_error', `Network error talking to ${host} (${detail})`);
}

function toErrorResult(err: unknown): ErrorResult {
  const f = err instanceof FetchFailure ? err : new FetchFailure('network_error', `Unexpected error: ${String(err)}`);
  const result: ErrorResult = { kind: 'error', status: f.status, httpStatus: f.httpStatus, message: f.message };
  if (f.retryAfterMs !== undefined) result.retryAfterMs = f.retryAfterMs;
  return result;
}

function callerAbortFailure(reason: unknown): FetchFailure {
  if (reason instanceof Error && reason.name === 'TimeoutError') return new FetchFailure('timeout', 'Fetch timed out (caller signal)');
  return new FetchFailure('network_error', 'Fetch aborted by the caller');
}

function parseUrl(raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new FetchFailure('ssrf_refused', `Not a valid absolute URL: ${raw.slice(0, 200)}`);
  }
}

function resolveLocation(location: string, base: URL): URL {
  try {
    return new URL(location, base);
  } catch {
    throw new FetchFailure('network_error', `Invalid redirect Location from ${base.host}: ${location.slice(0, 200)}`);
  }
}

function hostForMessage(raw: string): string {
  try {
    return new URL(raw).host;
  } catch {
    return raw.slice(0, 100);
  }
}

function header(res: http.IncomingMessage, name: string): string | null {
  const v = res.headers[name];
  if (Array.isArray(v)) return v[0] ?? null;
  return v ?? null;
}

/** Rejects with the signal's reason as soon as it aborts. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function defaultResolve(hostname: string): Promise<ResolvedAddress[]> {
  return dns.lookup(hostname, { all: true, verbatim: true }).then((list) =>
    list.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })),
  );
}

/** Resolves and checks the host; the returned addresses are the only ones the socket may use. */
async function vettedAddresses(url: URL, opts: FetchOptions, signal: AbortSignal): Promise<ResolvedAddress[]> {
  const check = checkParsedUrl(url, opts.isAllowed);
  if (!check.ok) throw new FetchFailure('ssrf_refused', check.reason);
  return resolveVetted(urlTarget(url), opts, signal);
}

/**
 * The guard for a connection that is not HTTP (the mail transport): checks the host rules, resolves
 * the name and refuses it when any address is private or reserved, unless host:port is allow-listed.
 * The caller connects only to the returned addresses. Throws FetchFailure ('ssrf_refused',
 * 'dns_error').
 */
export async function vetTarget(
  target: UrlTarget,
  opts: Pick<FetchOptions, 'isAllowed' | 'resolve'>,
  signal: AbortSignal = new AbortController().signal,
): Promise<ResolvedAddress[]> {
  const check = checkTarget(target, opts.isAllowed);
  if (!check.ok) throw new FetchFailure('ssrf_refused', check.reason);
  return resolveVetted(target, opts, signal);
}

async function resolveVetted(
  { host, hostPort }: UrlTarget,
  opts: Pick<FetchOptions, 'isAllowed' | 'resolve'>,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family: family === 6 ? 6 : 4 }];
  let addresses: ResolvedAddress[];
  try {
    addresses = await abortable((opts.resolve ?? defaultResolve)(host), signal);
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    const failure = classifyNetworkError(err, host);
    if (failure.status === 'dns_error') throw failure;
    const e = err as NodeJS.ErrnoException | undefined;
    throw new FetchFailure('dns_error', `Could not resolve ${host} (${e?.code ?? e?.message ?? String(err)})`);
  }
  if (addresses.length === 0) throw new FetchFailure('dns_error', `Could not resolve ${host} (no addresses)`);
  if (!opts.isAllowed(hostPort)) {
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad) throw new FetchFailure('ssrf_refused', `${host} resolves to the private or reserved address ${bad.address}`);
  }
  return addresses;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | ResolvedAddress[], family?: number) => void;

/** A `lookup` for http.request that only ever hands out the already vetted addresses. */
function fixedLookup(addresses: ResolvedAddress[]) {
  return (hostname: string, options: { family?: number | string; all?: boolean } | LookupCallback, cb?: LookupCallback) => {
    const callback = (typeof options === 'function' ? options : cb) as LookupCallback;
    const o = typeof options === 'function' ? {} : options;
    const fam = o.family === 4 || o.family === 'IPv4' ? 4 : o.family === 6 || o.family === 'IPv6' ? 6 : 0;
    const list = fam === 0 ? addresses : addresses.filter((a) => a.family === fam);
    // Answer asynchronously, as dns.lookup does.
    process.nextTick(() => {
      if (list.length === 0) {
        const err: NodeJS.ErrnoException = Object.assign(new Error(`No IPv${fam} address for ${hostname}`), { code: 'ENOTFOUND' });
        callback(err, o.all ? [] : '', undefined);
      } else if (o.all) callback(null, list);
      else callback(null, list[0].address, list[0].family);
    });
  };
}

async function requestOnce(url: URL, opts: FetchOptions, signal: AbortSignal): Promise<http.IncomingMessage> {
  const addresses = await vettedAddresses(url, opts, signal);
  const { host, port } = urlTarget(url);
  const headers: Record<string, string> = {
    'user-agent': opts.userAgent,
    accept: ACCEPT,
    'accept-language': ACCEPT_LANGUAGE,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
  Object.assign(headers, opts.headers);
  const body = opts.method === 'POST' ? (opts.body ?? Buffer.alloc(0)) : null;
  if (body) headers['content-length'] = String(body.length);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    let connectTimer: NodeJS.Timeout | undefined;
    const clearConnectTimer = () => clearTimeout(connectTimer);
    const req = client.request({
      host,
      port,
      path: `${url.pathname}${url.search}`,
      method: body ? 'POST' : 'GET',
      headers,
      agent: false,
      lookup: fixedLookup(addresses) as unknown as typeof import('node:dns').lookup,
    });
    const onAbort = () => req.destroy(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => {
      clearConnectTimer();
      signal.removeEventListener('abort', onAbort);
    });
    req.once('socket', (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(() => {
        req.destroy(new FetchFailure('timeout', `Connect timeout after ${opts.connectTimeoutMs} ms to ${url.host}`));
      }, opts.connectTimeoutMs);
      socket.once('connect', clearConnectTimer);
    });
    req.on('error', (err) => {
      clearConnectTimer();
      reject(signal.aborted ? signal.reason : classifyNetworkError(err, url.host));
    });
    req.once('response', (res) => {
      clearConnectTimer();
      resolve(res);
    });
    if (body) req.end(body);
    else req.end();
  });
}

function decoderFor(contentEncoding: string | null, host: string): Transform[] {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  // Codings are listed in the order they were applied: undo them in reverse.
  return codings.reverse().map((c) => {
    if (c === 'gzip' || c === 'x-gzip') return zlib.createGunzip();
    if (c === 'br') return zlib.createBrotliDecompress();
    if (c === 'deflate') return createDeflateDecoder();
    throw new FetchFailure('network_error', `Unsupported Content-Encoding "${c}" from ${host}`);
  });
}

/** "deflate" should be zlib-wrapped, but some servers send raw deflate: decide on the first byte. */
function createDeflateDecoder(): Transform {
  let inner: Transform | null = null;
  const front: Transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!inner) {
        const zlibHeader = chunk.length >= 2 && (chunk[0] & 0x0f) === 8 && ((chunk[0] << 8) | chunk[1]) % 31 === 0;
        const chosen = zlibHeader ? zlib.createInflate() : zlib.createInflateRaw();
        chosen.on('data', (d: Buffer) => front.push(d));
        chosen.on('error', (e: Error) => front.destroy(e));
        inner = chosen;
      }
      if (inner.write(chunk)) done();
      else inner.once('drain', () => done());
    },
    flush(done) {
      if (!inner) return done();
      inner.once('end', () => done());
      inner.end();
    },
    destroy(err, done) {
      inner?.destroy();
      done(err);
    },
  });
  return front;
}

/**
 * Reads the body, decompressing as it goes, counting wire bytes and decoded bytes against the caps.
 * 'strict': over a cap is too_large, a broken stream is network_error.
 * 'sample': returns whatever was read up to the cap (used to recognise challenge pages).
 */
function readBody(
  res: http.IncomingMessage,
  opts: FetchOptions,
  signal: AbortSignal,
  mode: 'strict' | 'sample',
  host: string,
): Promise<Buffer> {
  const maxBytes = opts.maxBytes;
  const maxWire = mode === 'sample' ? Number.POSITIVE_INFINITY : (opts.maxCompressedBytes ?? opts.maxBytes);
  const tooLarge = (what: string) => new FetchFailure('too_large', `Body from ${host} exceeds ${what}`, res.statusCode ?? null);
  let decoders: Transform[];
  try {
    decoders = decoderFor(header(res, 'content-encoding'), host);
  } catch (err) {
    res.destroy();
    return Promise.reject(err);
  }
  // Content-Length counts wire bytes: with no content coding they are also the decoded bytes.
  const declaredLimit = decoders.length === 0 ? Math.min(maxWire, maxBytes) : maxWire;
  const declared = Number(header(res, 'content-length') ?? NaN);
  if (mode === 'strict' && declared > declaredLimit) {
    res.destroy();
    return Promise.reject(tooLarge(`the ${declaredLimit}-byte limit (Content-Length ${declared})`));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let decoded = 0;
    let wire = 0;
    let settled = false;
    const finish = (err: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      res.destroy();
      for (const d of decoders) d.destroy();
      if (err && mode === 'strict') reject(err);
      else if (signal.aborted) reject(signal.reason);
      else resolve(Buffer.concat(chunks));
    };
    const onAbort = () => {
      settled = true;
      res.destroy();
      for (const d of decoders) d.destroy();
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    const onDecoded = (chunk: Buffer) => {
      if (settled) return;
      if (decoded + chunk.length > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - decoded));
        return finish(tooLarge(`the ${maxBytes}-byte limit after decompression`));
      }
      decoded += chunk.length;
      chunks.push(chunk);
    };
    const truncated = (err?: unknown) => {
      const detail = err instanceof Error ? ` (${(err as NodeJS.ErrnoException).code ?? err.message})` : '';
      finish(new FetchFailure('network_error', `Connection to ${host} closed before the body was complete${detail}`, res.statusCode ?? null));
    };

    const first = decoders[0];
    const last = decoders[decoders.length - 1];
    for (let i = 0; i + 1 < decoders.length; i++) decoders[i].pipe(decoders[i + 1]);
    for (const d of decoders) {
      d.on('error', (err: Error) =>
        finish(new FetchFailure('network_error', `Could not decompress the body from ${host} (${err.message})`, res.statusCode ?? null)),
      );
    }
    if (last) {
      last.on('data', onDecoded);
      last.on('end', () => finish(null));
    }
    res.on('data', (chunk: Buffer) => {
      if (settled) return;
      wire += chunk.length;
      if (wire > maxWire) return finish(tooLarge(`the ${maxWire}-byte limit on the wire`));
      if (!first) return onDecoded(chunk);
      if (!first.write(chunk)) {
        res.pause();
        first.once('drain', () => res.resume());
      }
    });
    res.on('end', () => {
      if (first) first.end();
      else finish(null);
    });
    res.on('error', truncated);
    res.on('close', () => {
      if (!res.complete) truncated();
    });
  });
}

/** Text of a body sample for challenge detection: UTF-8 and GB18030 readings side by side. */
function bodyText(sample: Buffer): string {
  return `${sample.toString('utf8')}\n${iconv.decode(sample, 'gb18030')}`;
}
