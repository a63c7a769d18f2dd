// The crawler under broken networks and hostile servers: every case goes through the real crawl
// path (a source row in a test database, crawlSource, the guarded client, the source's health row)
// and checks what an operator would see on the source, that nothing was written from an error
// page, that every fetch ended within its deadline, and that the next crawl still runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import iconv from 'iconv-lite';
import { Redis } from 'ioredis';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { redisUrl } from '../helpers/env.js';
import { addSource, allowHost, crawlDeps, makeDue, silentLogger } from '../helpers/crawl.js';
import { loadConfig } from '../../platform/config.js';
import { startWorker } from '../../worker/main.js';
import { crawlSource, MAX_ENTRIES_PER_CRAWL, MAX_FEED_ENTRIES, type CrawlOutcome } from '../../services/crawl/crawl-source.js';
import { HostLimiter } from '../../platform/http/host-limiter.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { challengePage } from '../../demo/faults.js';
import { FETCH_STATUS_LABELS, type FetchStatus } from '../../core/vocabulary.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { recordFigure, variant } from './figures.js';

// ── Fixtures ────────────────────────────────────────────────────────────────────────────────────

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

let t: TestDb;
let site: FixtureSite;
let hostile: http.Server;
let hostileUrl = '';
const routes = new Map<string, Handler>();
const requests: http.IncomingMessage[] = [];
const closers: Array<() => Promise<void>> = [];

/** A valid RSS 2.0 document with n items whose links are unique to `tag`. */
function rss(tag: string, n: number, itemBytes = 0): string {
  const pad = itemBytes > 0 ? `<description>${'民生'.repeat(Math.ceil(itemBytes / 6))}</description>` : '';
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    items.push(`<item><title>${tag} 第${i}条</title><link>http://feeds.example/${tag}/${i}.html</link><guid>${tag}-${i}</guid>${pad}</item>`);
  }
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${tag}</title><link>http://feeds.example/</link><description>d</description>${items.join('')}</channel></rss>`;
}

const sourceRow = (id: number) => t.db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const itemCount = async (sourceId: number) =>
  Number((await sql<{ n: string }>`select count(*) as n from items where source_id = ${sourceId}`.execute(t.db)).rows[0].n);
const hasCjk = (s: string) => /[\u4e00-\u9fff]/.test(s);

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        (server as http.Server).closeAllConnections?.();
        server.close(() => resolve());
      }),
  );
  await allowHost(t.db, `127.0.0.1:${port}`);
  return port;
}

/** Writes `chunk` `times` times with backpressure, stopping as soon as the client goes away. */
async function pump(res: http.ServerResponse, chunk: Buffer, times: number): Promise<void> {
  for (let i = 0; i < times && !res.destroyed; i++) {
    if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
  }
  res.end();
}

/** A self-signed certificate for 127.0.0.1, built with node:crypto alone (DER by hand, ECDSA P-256). */
function selfSignedCert(): { key: string; cert: string } {
  const der = (tag: number, content: Buffer): Buffer => {
    const n = content.length;
    let len: Buffer;
    if (n < 0x80) len = Buffer.from([n]);
    else {
      const hex = n.toString(16);
      const b = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
      len = Buffer.concat([Buffer.from([0x80 | b.length]), b]);
    }
    return Buffer.concat([Buffer.from([tag]), len, content]);
  };
  const seq = (...c: Buffer[]) => der(0x30, Buffer.concat(c));
  const oid = (s: string) => {
    const p = s.split('.').map(Number);
    const bytes = [40 * p[0] + p[1]];
    for (const v0 of p.slice(2)) {
      const stack = [v0 & 0x7f];
      for (let v = v0 >> 7; v > 0; v >>= 7) stack.unshift((v & 0x7f) | 0x80);
      bytes.push(...stack);
    }
    return der(0x06, Buffer.from(bytes));
  };
  const time = (d: Date) => der(0x17, Buffer.from(`${d.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`));
  const name = seq(der(0x31, seq(oid('2.5.4.3'), der(0x0c, Buffer.from('127.0.0.1')))));
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const now = Date.now();
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, Buffer.from([0x01, 0x23])),
    ecdsaSha256,
    name,
    seq(time(new Date(now - 86_400_000)), time(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, ecdsaSha256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = cert.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`,
  };
}

beforeAll(async () => {
  t = await createTestDb('crawler_network');
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 30 });
  await allowHost(t.db, new URL(site.url).host);
  hostile = http.createServer((req, res) => {
    requests.push(req);
    const path = (req.url ?? '/').split('?')[0];
    const h = routes.get(path);
    if (!h) {
      res.writeHead(404).end();
      return;
    }
    Promise.resolve(h(req, res)).catch(() => res.destroy());
  });
  hostileUrl = `http://127.0.0.1:${await listen(hostile)}`;
});

afterAll(async () => {
  for (const c of closers.reverse()) await c().catch(() => {});
  await site?.close();
  await t?.drop();
});

// ── HTTP status matrix ──────────────────────────────────────────────────────────────────────────

/** A 安全狗-style block page, UTF-8. */
const SAFEDOG_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>访问被拒绝</title></head><body>
<h1>访问被拒绝</h1><p>您的请求带有不合法参数，已被网站管理员设置拦截！</p><p>可能原因：您提交的内容包含危险的攻击请求</p>
<p>网站防火墙 · 安全狗</p></body></html>`;
/** A 云盾-style block page, GBK without charset in Content-Type. */
const YUNDUN_PAGE = iconv.encode(
  `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>访问被拒绝</title></head><body>
<p>很抱歉，由于您访问的URL有可能对网站造成安全威胁，您的访问被阻断。</p><p>您的请求ID是：0bc3f1a217</p><p>阿里云云盾</p></body></html>`,
  'gbk',
);

interface StatusCase {
  name: string;
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  expect: FetchStatus;
  /** Next attempt must not be before crawl start + this. */
  retryAfterMs?: number;
}

const retryDate = () => new Date(Math.ceil((Date.now() + 2 * 3600_000) / 1000) * 1000);
// Error bodies are valid feeds on purpose: an error page must never become items, whatever it holds.
const errorFeed = (tag: string) => rss(`err-${tag}`, 3);

function statusCases(): StatusCase[] {
  const date = retryDate();
  return [
    { name: '400', status: 400, body: errorFeed('400'), expect: 'http_4xx' },
    { name: '401', status: 401, headers: { 'www-authenticate': 'Basic realm="x"' }, body: errorFeed('401'), expect: 'http_4xx' },
    { name: '403 plain', status: 403, body: '<html><body><h1>403 Forbidden</h1><hr>nginx</body></html>', expect: 'http_4xx' },
    { name: '403 安全狗 WAF', status: 403, headers: { 'content-type': 'text/html; charset=utf-8' }, body: SAFEDOG_PAGE, expect: 'blocked_challenge' },
    { name: '403 云盾 WAF (GBK)', status: 403, headers: { 'content-type': 'text/html' }, body: YUNDUN_PAGE, expect: 'blocked_challenge' },
    { name: '404', status: 404, body: errorFeed('404'), expect: 'http_4xx' },
    { name: '410', status: 410, body: errorFeed('410'), expect: 'http_4xx' },
    { name: '412 challenge', status: 412, headers: { 'content-type': 'text/html; charset=utf-8' }, body: challengePage('a1b2c3'), expect: 'blocked_challenge' },
    { name: '521 challenge', status: 521, headers: { 'content-type': 'text/html; charset=utf-8' }, body: challengePage('d4e5f6'), expect: 'blocked_challenge' },
    { name: '429 Retry-After seconds', status: 429, headers: { 'retry-after': '5400' }, body: errorFeed('429s'), expect: 'rate_limited', retryAfterMs: 5400_000 },
    {
      name: '429 Retry-After HTTP date',
      status: 429,
      headers: { 'retry-after': date.toUTCString() },
      body: errorFeed('429d'),
      expect: 'rate_limited',
      // Whole seconds of an HTTP date, measured from a moment just before the crawl.
      retryAfterMs: date.getTime() - Date.now() - 2000,
    },
    { name: '500', status: 500, body: errorFeed('500'), expect: 'http_5xx' },
    { name: '502', status: 502, body: errorFeed('502'), expect: 'http_5xx' },
    { name: '503 Retry-After', status: 503, headers: { 'retry-after': '7200' }, body: errorFeed('503'), expect: 'http_5xx', retryAfterMs: 7200_000 },
    { name: '504', status: 504, body: errorFeed('504'), expect: 'http_5xx' },
  ];
}

/** Status cases by name: false when started, true once every assertion on it held. */
const classifiedCases = new Map<string, boolean>();
const caseStarted = (name: string) => classifiedCases.set(name, false);
const caseClassified = (name: string) => classifiedCases.set(name, true);
let crawlCalls = 0;
let statusCrashes = 0;
let itemsFromErrorPages = 0;

/** Runs one crawl; a throw is counted as a crash (and fails the test) instead of escaping. */
async function crawlCounted(deps: ReturnType<typeof crawlDeps>['deps'], id: number, job: string): Promise<CrawlOutcome | null> {
  crawlCalls++;
  try {
    return await crawlSource(deps, id, job);
  } catch (err) {
    statusCrashes++;
    return null;
  }
}

describe('HTTP status matrix through the crawl', () => {
  afterAll(() => {
    const total = classifiedCases.size;
    const classified = [...classifiedCases.values()].filter(Boolean).length;
    recordFigure({
      area: 'crawler',
      name: 'HTTP status cases classified on the source',
      value: classified,
      unit: 'cases',
      goal: `${total} of ${total}`,
      met: classified === total && total > 0,
      detail: { cases: Object.fromEntries(classifiedCases), crawls: crawlCalls },
    });
    recordFigure({
      area: 'crawler',
      name: 'crawl crashes over the HTTP status matrix',
      value: statusCrashes,
      unit: 'crashes',
      goal: '0',
      met: statusCrashes === 0,
      detail: { crawls: crawlCalls },
    });
    recordFigure({
      area: 'crawler',
      name: 'items written from error pages',
      value: itemsFromErrorPages,
      unit: 'items',
      goal: '0',
      met: itemsFromErrorPages === 0,
    });
  });

  it('classifies every error status on the source (status, Chinese label, English reason, backoff, Retry-After) and writes no item', async () => {
    const { deps } = crawlDeps(t.db);
    for (const c of statusCases()) {
      caseStarted(c.name);
      const path = `/status/${createHash('sha1').update(c.name).digest('hex').slice(0, 8)}`;
      routes.set(path, (_req, res) => {
        res.writeHead(c.status, { 'content-type': 'application/rss+xml; charset=utf-8', ...c.headers });
        res.end(c.body ?? '');
      });
      const id = await addSource(t.db, { url: `${hostileUrl}${path}`, name: `status ${c.name}` });
      const before = Date.now();
      const r = await crawlCounted(deps, id, `job-status-${c.name}`);
      const row = await sourceRow(id);
      const items = await itemCount(id);
      itemsFromErrorPages += items;
      expect(r?.status, c.name).toBe(c.expect);
      expect(row.status, c.name).toBe(c.expect);
      expect(row.http_status, c.name).toBe(c.status);
      expect(row.status_message, c.name).toContain(String(c.status));
      expect(hasCjk(FETCH_STATUS_LABELS[row.status]), c.name).toBe(true);
      expect(row.consecutive_failures, c.name).toBe(1);
      expect(row.failure_score, c.name).toBeGreaterThan(0);
      expect(row.claimed_by, c.name).toBeNull();
      expect(row.next_fetch_at.getTime(), c.name).toBeGreaterThan(before);
      if (c.retryAfterMs !== undefined) expect(row.next_fetch_at.getTime() - before, c.name).toBeGreaterThanOrEqual(c.retryAfterMs);
      expect(items, c.name).toBe(0);
      caseClassified(c.name);
    }
    expect(statusCrashes).toBe(0);
    expect(itemsFromErrorPages).toBe(0);
  });

  it('a Retry-After is honoured by the scheduler: the source is not due again before it', async () => {
    const { deps } = crawlDeps(t.db);
    routes.set('/status/ra-short', (_req, res) => {
      res.writeHead(429, { 'retry-after': '3600' }).end();
    });
    caseStarted('429 Retry-After held by the scheduler');
    const id = await addSource(t.db, { url: `${hostileUrl}/status/ra-short`, name: 'retry-after scheduler' });
    const start = Date.now();
    expect((await crawlCounted(deps, id, 'job-ra-1'))?.status).toBe('rate_limited');
    const due = async (at: number) =>
      (await t.db.selectFrom('sources').select('id').where('id', '=', id).where('next_fetch_at', '<=', new Date(at)).execute()).length > 0;
    expect(await due(start + 3590_000)).toBe(false);
    expect(await due(start + 25 * 3600_000)).toBe(true);
    // And a claim before the time is refused: the crawl is skipped, the server is not asked again.
    const asked = requests.filter((r) => r.url === '/status/ra-short').length;
    expect((await crawlCounted(deps, id, 'job-ra-2'))?.status).toBe('skipped');
    expect(requests.filter((r) => r.url === '/status/ra-short').length).toBe(asked);
    caseClassified('429 Retry-After held by the scheduler');
  });

  it('2xx: 200 and 201 store their items; 204 (no content) is a clear parse error, not "no news"', async () => {
    const { deps } = crawlDeps(t.db);
    routes.set('/ok/200', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('ok200', 4)));
    routes.set('/ok/201', (_req, res) => res.writeHead(201, { 'content-type': 'application/rss+xml' }).end(rss('ok201', 3)));
    routes.set('/ok/204', (_req, res) => res.writeHead(204).end());
    const a = await addSource(t.db, { url: `${hostileUrl}/ok/200`, name: '200' });
    const b = await addSource(t.db, { url: `${hostileUrl}/ok/201`, name: '201' });
    const c = await addSource(t.db, { url: `${hostileUrl}/ok/204`, name: '204' });
    for (const n of ['200', '201', '204']) caseStarted(n);
    expect((await crawlCounted(deps, a, 'job-200'))?.status).toBe('ok');
    expect(await itemCount(a)).toBe(4);
    caseClassified('200');
    expect((await crawlCounted(deps, b, 'job-201'))?.status).toBe('ok');
    expect(await itemCount(b)).toBe(3);
    caseClassified('201');
    const r204 = await crawlCounted(deps, c, 'job-204');
    expect(r204?.status).toBe('parse_error');
    const row = await sourceRow(c);
    expect(row.status_message).toMatch(/empty/i);
    expect(row.http_status).toBe(204);
    expect(await itemCount(c)).toBe(0);
    caseClassified('204');
  });

  it('follows a 301→302→303→307→308 chain to the feed and stores it under the final URL', async () => {
    const { deps } = crawlDeps(t.db);
    const chain = [301, 302, 303, 307, 308];
    chain.forEach((code, i) => {
      routes.set(`/chain/${i}`, (_req, res) => res.writeHead(code, { location: i + 1 < chain.length ? `/chain/${i + 1}` : '/chain/feed' }).end());
    });
    routes.set('/chain/feed', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('chain', 2)));
    caseStarted('301/302/303/307/308 chain');
    const id = await addSource(t.db, { url: `${hostileUrl}/chain/0`, name: 'redirect chain' });
    const r = await crawlCounted(deps, id, 'job-chain');
    expect(r?.status).toBe('ok');
    expect(r?.itemsNew).toBe(2);
    expect((await sourceRow(id)).http_status).toBe(200);
    caseClassified('301/302/303/307/308 chain');
  });

  it.each([
    ['ETag', (req: http.IncomingMessage) => req.headers['if-none-match'] === '"v7"'],
    ['Last-Modified', (req: http.IncomingMessage) => req.headers['if-modified-since'] === 'Tue, 24 Nov 2026 08:00:00 GMT'],
  ])('304 revalidation by %s: validators sent, nothing parsed, the source stays healthy', async (kind, fresh) => {
    const { deps } = crawlDeps(t.db);
    const path = `/cond/${kind}`;
    let served = 0;
    routes.set(path, (req, res) => {
      if (fresh(req)) return void res.writeHead(304).end();
      served++;
      const validator: Record<string, string> = kind === 'ETag' ? { etag: '"v7"' } : { 'last-modified': 'Tue, 24 Nov 2026 08:00:00 GMT' };
      res.writeHead(200, { 'content-type': 'application/rss+xml', ...validator }).end(rss(`cond-${kind}`, 2));
    });
    caseStarted(`304 by ${kind}`);
    const id = await addSource(t.db, { url: `${hostileUrl}${path}`, name: `304 ${kind}` });
    expect((await crawlCounted(deps, id, `job-cond-${kind}-1`))?.status).toBe('ok');
    await makeDue(t.db, id);
    const second = await crawlCounted(deps, id, `job-cond-${kind}-2`);
    expect(second?.status).toBe('not_modified');
    expect(served).toBe(1);
    const row = await sourceRow(id);
    expect(row.status).toBe('not_modified');
    expect(row.http_status).toBe(304);
    expect(row.consecutive_failures).toBe(0);
    expect(await itemCount(id)).toBe(2);
    caseClassified(`304 by ${kind}`);
  });
});

// ── Redirect limits ─────────────────────────────────────────────────────────────────────────────

describe('redirect chains, loops and self-redirects through the crawl', () => {
  const MAX = 5;
  beforeAll(() => {
    for (let i = 0; i <= MAX + 1; i++) {
      routes.set(`/hops/${i}`, (_req, res) => res.writeHead(302, { location: i > 0 ? `/hops/${i - 1}` : '/hops/feed' }).end());
    }
    routes.set('/hops/feed', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('hops', 1)));
    routes.set('/loop/a', (_req, res) => res.writeHead(301, { location: '/loop/b' }).end());
    routes.set('/loop/b', (_req, res) => res.writeHead(302, { location: `${hostileUrl}/loop/a` }).end());
    routes.set('/loop/self', (_req, res) => res.writeHead(307, { location: '/loop/self' }).end());
  });

  it.each([
    [`exactly ${MAX} redirects (the limit)`, `/hops/${MAX - 1}`, 'ok', /entries/],
    [`${MAX + 1} redirects (one over)`, `/hops/${MAX}`, 'too_many_redirects', /More than 5 redirects/],
    ['a loop A→B→A', '/loop/a', 'too_many_redirects', /Redirect loop/],
    ['a self-redirect', '/loop/self', 'too_many_redirects', /Redirect loop/],
  ])('%s', async (_name, path, status, message) => {
    const { deps } = crawlDeps(t.db, { settings: { maxRedirects: MAX } });
    const id = await addSource(t.db, { url: `${hostileUrl}${path}`, name: `redirect ${path}` });
    const r = await crawlCounted(deps, id, `job-hops-${path}`);
    expect(r?.status).toBe(status);
    const row = await sourceRow(id);
    expect(row.status).toBe(status);
    expect(row.status_message).toMatch(message);
    expect(hasCjk(FETCH_STATUS_LABELS[row.status])).toBe(true);
    if (status !== 'ok') expect(await itemCount(id)).toBe(0);
  });
});

// ── Broken networks ─────────────────────────────────────────────────────────────────────────────

describe('hangs, drips, resets, truncation and TLS failures through the crawl', () => {
  const timeoutMs = 1500;
  const connectTimeoutMs = 1000;
  let proxy: FaultProxy;
  let chunkedProxy: FaultProxy;
  let tlsUrl = '';
  let handshakeCloseUrl = '';
  let tlsProxy: FaultProxy;
  let worstOverrunMs = 0;
  let worstCase = '';
  let partialItems = 0;
  let cases = 0;
  const overruns: Record<string, number> = {};

  beforeAll(async () => {
    const sitePort = new URL(site.url).port;
    proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(sitePort) });
    closers.push(() => proxy.close());
    await allowHost(t.db, proxy.hostPort);
    // A feed sent chunked (no Content-Length), so a cut leaves it without its final chunk.
    routes.set('/chunked/feed.xml', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const body = Buffer.from(rss('chunked', 40, 200));
      for (let i = 0; i < body.length; i += 4096) res.write(body.subarray(i, i + 4096));
      res.end();
    });
    chunkedProxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(hostileUrl).port) });
    closers.push(() => chunkedProxy.close());
    await allowHost(t.db, chunkedProxy.hostPort);

    const { key, cert } = selfSignedCert();
    const tlsServer = https.createServer({ key, cert }, (_req, res) => res.writeHead(200).end(rss('tls', 2)));
    const tlsPort = await listen(tlsServer);
    tlsUrl = `https://127.0.0.1:${tlsPort}/feed.xml`;
    tlsProxy = await startFaultProxy({ host: '127.0.0.1', port: tlsPort });
    closers.push(() => tlsProxy.close());
    await allowHost(t.db, tlsProxy.hostPort);
    // Reads the ClientHello, then hangs up in the middle of the handshake.
    const closer = net.createServer((s) => s.once('data', () => s.destroy()));
    handshakeCloseUrl = `https://127.0.0.1:${await listen(closer)}/feed.xml`;
  });

  afterAll(() => {
    recordFigure({
      area: 'crawler',
      name: 'worst overrun beyond the fetch deadline',
      value: worstOverrunMs,
      unit: 'ms',
      goal: '≤ 1000 ms',
      met: worstOverrunMs <= 1000,
      detail: { timeoutMs, worstCase, cases, overruns },
    });
    recordFigure({
      area: 'crawler',
      name: 'partial items written from broken transfers',
      value: partialItems,
      unit: 'items',
      goal: '0',
      met: partialItems === 0,
      detail: { cases },
    });
  });

  /**
   * Crawls a source through a fault while a second, healthy source of the same host waits for the
   * same one-per-host slot: the healthy crawl can only run once the broken one has let go of it.
   */
  async function crawlFaulted(
    name: string,
    url: string,
    followUpUrl: string,
    expected: FetchStatus | FetchStatus[],
  ): Promise<{ row: Awaited<ReturnType<typeof sourceRow>>; elapsed: number }> {
    const limiter = new HostLimiter({ perHost: 1, minDelayMs: 0 });
    const { deps } = crawlDeps(t.db, { limiter, settings: { timeoutMs, connectTimeoutMs } });
    const id = await addSource(t.db, { url, name: `fault ${name}` });
    const next = await addSource(t.db, { url: followUpUrl, name: `after ${name}` });
    // The healthy crawl starts once the broken one holds the slot (the limiter is first in, first served).
    let entered!: () => void;
    const holding = new Promise<void>((resolve) => (entered = resolve));
    const run = limiter.run.bind(limiter);
    let fetchMs = -1;
    limiter.run = <T>(host: string, fn: () => Promise<T>): Promise<T> => {
      if (fetchMs !== -1) return run(host, fn);
      fetchMs = 0;
      entered();
      return run(host, () => {
        const s0 = performance.now();
        return fn().finally(() => (fetchMs = performance.now() - s0));
      });
    };
    const t0 = performance.now();
    let faultedEnd = 0;
    const faulted = crawlSource(deps, id, `job-fault-${name}`).then((r) => {
      faultedEnd = performance.now();
      return r;
    });
    await holding;
    const following = crawlSource(deps, next, `job-next-${name}`);
    const [r, n] = await Promise.all([faulted, following]);
    const elapsed = faultedEnd - t0;
    // Overrun of the fetch itself beyond its deadline (the crawl around it adds database round trips).
    const overrun = Math.max(0, Math.round(fetchMs - timeoutMs));
    overruns[name] = overrun;
    if (overrun > worstOverrunMs) {
      worstOverrunMs = overrun;
      worstCase = name;
    }
    cases++;
    const row = await sourceRow(id);
    const items = await itemCount(id);
    partialItems += items;
    const want = Array.isArray(expected) ? expected : [expected];
    expect(want, `${name}: ${r.status} ${row.status_message}`).toContain(r.status);
    expect(row.status).toBe(r.status);
    expect(row.status_message.length).toBeGreaterThan(10);
    expect(hasCjk(FETCH_STATUS_LABELS[row.status])).toBe(true);
    expect(row.claimed_by).toBeNull();
    expect(items).toBe(0);
    // The slot was released: the healthy crawl behind it ran, to the end.
    expect(n.status, `${name}: follow-up crawl`).toBe('ok');
    // Generous: the deadline plus one database round trip on a loaded 2-core machine.
    expect(elapsed).toBeLessThan(timeoutMs + 3000);
    return { row, elapsed };
  }

  const good = (p: FaultProxy, path: string) => `http://${p.hostPort}${path}?after=${Math.random().toString(36).slice(2)}`;

  it('blackhole (accepts, never answers) ends at the deadline as timeout', async () => {
    proxy.once({ kind: 'blackhole' });
    const { row, elapsed } = await crawlFaulted('blackhole', `http://${proxy.hostPort}/news/rss.xml?bh`, good(proxy, '/news/rss.xml'), 'timeout');
    expect(row.status_message).toMatch(/Timed out/);
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 50);
  });

  it('delay before the first byte beyond the deadline is timeout; within it, the crawl succeeds', async () => {
    proxy.once({ kind: 'delay', ms: timeoutMs * 4 });
    await crawlFaulted('first-byte delay', `http://${proxy.hostPort}/news/rss.xml?delay`, good(proxy, '/news/rss.xml'), 'timeout');
    proxy.once({ kind: 'delay', ms: 200 });
    const { deps } = crawlDeps(t.db, { settings: { timeoutMs, connectTimeoutMs } });
    const id = await addSource(t.db, { url: `http://${proxy.hostPort}/news/atom.xml?short-delay`, name: 'short delay' });
    expect((await crawlSource(deps, id, 'job-short-delay')).status).toBe('ok');
  });

  it('a slow drip (2 kB/s) of a feed too long to finish within the deadline is cut as timeout, nothing stored', async () => {
    const size = await new Promise<number>((resolve, reject) =>
      http
        .get(`${site.url}/news/rss.xml`, (res) => {
          let n = 0;
          res.on('data', (c: Buffer) => (n += c.length));
          res.on('end', () => resolve(n));
        })
        .on('error', reject),
    );
    expect(size).toBeGreaterThan((2000 * timeoutMs * 2) / 1000);
    proxy.once({ kind: 'drip', bytesPerSecond: 2000 });
    await crawlFaulted('slow drip', `http://${proxy.hostPort}/news/rss.xml?drip`, good(proxy, '/news/rss.xml'), 'timeout');
  });

  it('a reset mid-body is network_error, nothing stored', async () => {
    proxy.once({ kind: 'reset', afterBytes: 3000 });
    const { row } = await crawlFaulted('reset mid-body', `http://${proxy.hostPort}/news/rss.xml?reset`, good(proxy, '/news/rss.xml'), 'network_error');
    expect(row.status_message).toMatch(/closed before the body was complete|ECONNRESET/);
  });

  it('a body cut short of its Content-Length, then a clean close, is network_error', async () => {
    proxy.once({ kind: 'truncate', afterBytes: 3000 });
    const { row } = await crawlFaulted('truncated (Content-Length)', `http://${proxy.hostPort}/news/rss.xml?trunc`, good(proxy, '/news/rss.xml'), 'network_error');
    expect(row.status_message).toMatch(/closed before the body was complete/);
  });

  it('a chunked body without its final chunk, then a clean close, is network_error', async () => {
    // The route really is chunked: no Content-Length, Transfer-Encoding chunked.
    const direct = await new Promise<http.IncomingMessage>((resolve) => http.get(`${hostileUrl}/chunked/feed.xml`, resolve));
    direct.resume();
    expect(direct.headers['transfer-encoding']).toBe('chunked');
    expect(direct.headers['content-length']).toBeUndefined();
    chunkedProxy.once({ kind: 'truncate', afterBytes: 5000 });
    const { row } = await crawlFaulted(
      'truncated (chunked)',
      `http://${chunkedProxy.hostPort}/chunked/feed.xml?trunc`,
      good(chunkedProxy, '/chunked/feed.xml'),
      'network_error',
    );
    expect(row.status_message).toMatch(/closed before the body was complete/);
  });

  it('an immediate close is network_error', async () => {
    proxy.once({ kind: 'close' });
    await crawlFaulted('immediate close', `http://${proxy.hostPort}/news/rss.xml?close`, good(proxy, '/news/rss.xml'), 'network_error');
  });

  it('a self-signed certificate is tls_error', async () => {
    const followUp = `${site.url}/gov/rdf.xml?after-tls`;
    const { row } = await crawlFaulted('TLS self-signed', tlsUrl, followUp, 'tls_error');
    expect(row.status_message).toMatch(/SELF_SIGNED|certificate/i);
  });

  it('plain HTTP behind an https:// URL is tls_error', async () => {
    const { row } = await crawlFaulted('TLS to a plain HTTP server', `https://${proxy.hostPort}/news/rss.xml`, good(proxy, '/news/rss.xml'), 'tls_error');
    expect(row.status_message).toMatch(/TLS/);
  });

  it('a server that hangs up during the handshake is a TLS/network error, not a crash', async () => {
    await crawlFaulted('TLS handshake hang-up', handshakeCloseUrl, `${site.url}/gov/rdf.xml?after-hangup`, ['tls_error', 'network_error']);
  });

  it('a TLS handshake that never completes ends at the deadline', async () => {
    tlsProxy.once({ kind: 'blackhole' });
    await crawlFaulted('TLS handshake blackhole', `https://${tlsProxy.hostPort}/feed.xml`, `${site.url}/gov/rdf.xml?after-tls-bh`, 'timeout');
  });
});

// ── Size and decompression bombs ────────────────────────────────────────────────────────────────

describe('size and decompression bombs through the crawl', () => {
  const MB = 1 << 20;
  /** The crawl's decompressed-size cap; the long variant uses the product default (CRAWL_MAX_BYTES). */
  const maxBytes = variant(2 * MB, 10 * MB);
  const inflated = variant(256 * MB, 2048 * MB);
  const bombs: Array<{ name: string; path: string }> = [];
  let aborted = 0;
  let rssBaseline = 0;
  let rssPeak = 0;
  let sampler: NodeJS.Timeout | undefined;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const sample = () => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  };
  const startMeasuring = () => {
    rssBaseline = process.memoryUsage().rss;
    rssPeak = rssBaseline;
    loop.reset();
    loop.enable();
    sampler = setInterval(sample, 20);
  };
  const stopMeasuring = () => {
    clearInterval(sampler);
    sample();
    loop.disable();
    return { rssGrowthMb: Math.round(((rssPeak - rssBaseline) / MB) * 10) / 10, loopP99Ms: Math.round((loop.percentile(99) / 1e6) * 10) / 10 };
  };
  afterAll(() => clearInterval(sampler));

  beforeAll(() => {
    const member = zlib.gzipSync(Buffer.alloc(16 * MB), { level: 9 }); // ~16 kB
    const members = inflated / (16 * MB);
    const brotli = zlib.brotliCompressSync(Buffer.alloc(variant(64 * MB, 256 * MB)), {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 },
    });
    const deflate = zlib.deflateSync(Buffer.alloc(variant(64 * MB, 256 * MB)), { level: 9 });
    const doubleGzip = zlib.gzipSync(Buffer.concat(Array.from({ length: Math.min(members, 64) }, () => member)), { level: 9 });
    const xml = { 'content-type': 'application/rss+xml' };
    const add = (name: string, path: string, h: Handler) => {
      bombs.push({ name, path });
      routes.set(path, h);
    };
    add(`gzip bomb (${inflated / MB} MB inflated, multi-member)`, '/bomb/gzip', (_req, res) => {
      res.writeHead(200, { ...xml, 'content-encoding': 'gzip' });
      return pump(res, member, members);
    });
    add('brotli bomb', '/bomb/br', (_req, res) => {
      res.writeHead(200, { ...xml, 'content-encoding': 'br' });
      res.end(brotli);
    });
    add('deflate bomb', '/bomb/deflate', (_req, res) => {
      res.writeHead(200, { ...xml, 'content-encoding': 'deflate' });
      res.end(deflate);
    });
    add('gzip inside gzip (Content-Encoding: gzip, gzip)', '/bomb/gzip-gzip', (_req, res) => {
      res.writeHead(200, { ...xml, 'content-encoding': 'gzip, gzip' });
      res.end(doubleGzip);
    });
    add('huge plain body, chunked, no Content-Length', '/bomb/plain', (_req, res) => {
      res.writeHead(200, xml);
      return pump(res, Buffer.alloc(64 * 1024, 'A'), inflated / (64 * 1024));
    });
    add('Content-Length far over the cap', '/bomb/declared', (_req, res) => {
      res.writeHead(200, { ...xml, 'content-length': String(10 * 1024 * MB) });
      res.write(rss('declared', 10)); // then nothing: only the header can end this quickly
    });
  });

  it('every bomb is aborted at the cap as too_large, nothing stored, memory and event loop bounded', async () => {
    const { deps } = crawlDeps(t.db, { settings: { maxBytes, timeoutMs: 15_000 } });
    const outcomes: Record<string, string> = {};
    startMeasuring();
    for (const b of bombs) {
      const id = await addSource(t.db, { url: `${hostileUrl}${b.path}`, name: b.name });
      const r = await crawlSource(deps, id, `job-${b.path}`);
      const row = await sourceRow(id);
      outcomes[b.name] = `${r.status}: ${row.status_message}`;
      expect(r.status, b.name).toBe('too_large');
      expect(row.status).toBe('too_large');
      expect(row.status_message).toMatch(/exceeds the \d+-byte limit/);
      expect(hasCjk(FETCH_STATUS_LABELS[row.status])).toBe(true);
      expect(await itemCount(id)).toBe(0);
      aborted++;
    }
    const m = stopMeasuring();
    recordFigure({
      area: 'crawler',
      name: 'decompression and size bombs aborted at the cap',
      value: aborted,
      unit: 'cases',
      goal: `${bombs.length} of ${bombs.length}`,
      met: aborted === bombs.length,
      detail: { maxBytes, inflatedBytes: inflated, outcomes },
    });
    recordFigure({
      area: 'crawler',
      name: 'peak RSS growth during the bombs',
      value: m.rssGrowthMb,
      unit: 'MB',
      goal: '≤ 256 MB',
      met: m.rssGrowthMb <= 256,
      detail: { maxBytesMb: maxBytes / MB },
    });
    recordFigure({
      area: 'crawler',
      name: 'event-loop delay p99 during the bombs',
      value: m.loopP99Ms,
      unit: 'ms',
      goal: '≤ 500 ms',
      met: m.loopP99Ms <= 500,
    });
    expect(aborted).toBe(bombs.length);
    // Generous bounds: a regression that inflates a bomb would take gigabytes and whole seconds.
    expect(m.rssGrowthMb).toBeLessThan(512);
    expect(m.loopP99Ms).toBeLessThan(2000);
  }, 120_000);
});

describe('a 100,000-item feed', () => {
  // What a sane product does: real feeds list tens to hundreds of entries. The byte cap bounds what
  // is read at all (100,000 entries with text are far over it: too_large). Under the cap, a feed
  // listing more than MAX_FEED_ENTRIES entries is refused before any XML parsing (too_large, with
  // the reason): parsing 100,000 bare entries stalled the worker for seconds, 1.5 million empty
  // ones (still under 10 MB) for ~10 s. A feed within that limit is parsed and its first
  // MAX_ENTRIES_PER_CRAWL entries (feeds list the newest first) become items.
  const MB = 1 << 20;
  const maxBytes = 10 * MB; // the product default (CRAWL_MAX_BYTES)
  const feedOf = (n: number, withText: boolean) => {
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const text = withText ? `<description>清河市城关镇第${i}号通报：关于老旧小区改造工程进展情况的说明。</description>` : '';
      parts.push(`<item><title>第${i}条</title><link>http://big.example/${n}/${i}</link>${text}</item>`);
    }
    return Buffer.from(
      `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>big</title><link>http://big.example/</link><description>d</description>${parts.join('')}</channel></rss>`,
    );
  };
  const serve = (path: string, body: Buffer) =>
    routes.set(path, (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));

  it('100,000 bare entries under the byte cap: refused before parsing with a clear reason; memory and event loop bounded', async () => {
    const body = feedOf(100_000, false);
    expect(body.length).toBeLessThan(maxBytes);
    serve('/big/bare.xml', body);
    const { deps } = crawlDeps(t.db, { settings: { maxBytes, timeoutMs: 20_000 } });
    const id = await addSource(t.db, { url: `${hostileUrl}/big/bare.xml`, name: '100k bare' });
    const loop = monitorEventLoopDelay({ resolution: 10 });
    const r0 = process.memoryUsage().rss;
    let peak = r0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    loop.enable();
    const t0 = performance.now();
    let r: CrawlOutcome;
    try {
      r = await crawlSource(deps, id, 'job-big-bare');
    } finally {
      clearInterval(sampler);
      loop.disable();
    }
    const ms = Math.round(performance.now() - t0);
    const rssGrowthMb = Math.round(((peak - r0) / MB) * 10) / 10;
    const maxStall = Math.round(loop.max / 1e6);
    expect(r.status).toBe('too_large');
    const row = await sourceRow(id);
    expect(row.status_message).toContain(`more than ${MAX_FEED_ENTRIES} entries`);
    expect(hasCjk(row.status_message)).toBe(true);
    expect(row.http_status).toBe(200);
    expect(await itemCount(id)).toBe(0);
    recordFigure({
      area: 'crawler',
      name: 'crawl of a 100,000-item feed under the 10 MB cap (refused before parsing)',
      value: ms,
      unit: 'ms',
      goal: '≤ 5000 ms',
      met: ms <= 5000,
      detail: { bytes: body.length, status: r.status, message: row.status_message },
    });
    recordFigure({
      area: 'crawler',
      name: 'peak RSS growth during the 100,000-item feed',
      value: rssGrowthMb,
      unit: 'MB',
      goal: '≤ 256 MB',
      met: rssGrowthMb <= 256,
    });
    recordFigure({
      area: 'crawler',
      name: 'longest event-loop stall during the 100,000-item feed',
      value: maxStall,
      unit: 'ms',
      goal: '≤ 1000 ms',
      met: maxStall <= 1000,
      detail: { p99Ms: Math.round((loop.percentile(99) / 1e6) * 10) / 10 },
    });
    // Parsed in full, the same feed took ~46 s, grew RSS by ~460 MB and stalled the loop ~22 s.
    expect(ms).toBeLessThan(20_000);
    expect(maxStall).toBeLessThan(5000);
    expect(rssGrowthMb).toBeLessThan(512);
  }, 90_000);

  it('100,000 entries with text (over the byte cap): refused as too_large at the cap', async () => {
    const body = feedOf(100_000, true);
    expect(body.length).toBeGreaterThan(maxBytes);
    serve('/big/full.xml', body);
    const { deps } = crawlDeps(t.db, { settings: { maxBytes, timeoutMs: 20_000 } });
    const id = await addSource(t.db, { url: `${hostileUrl}/big/full.xml`, name: '100k full' });
    const r = await crawlSource(deps, id, 'job-big-full');
    expect(r.status).toBe('too_large');
    const row = await sourceRow(id);
    expect(row.status_message).toMatch(/exceeds the 10485760-byte limit/);
    expect(FETCH_STATUS_LABELS[row.status]).toBe('内容超过大小上限');
    expect(await itemCount(id)).toBe(0);
  }, 60_000);

  it(`a feed of 5,000 entries is parsed and its first ${MAX_ENTRIES_PER_CRAWL} entries become items`, async () => {
    const n = 5000;
    serve('/big/mid.xml', feedOf(n, true));
    const { deps } = crawlDeps(t.db, { settings: { maxBytes, timeoutMs: 20_000 } });
    const id = await addSource(t.db, { url: `${hostileUrl}/big/mid.xml`, name: '5k' });
    const r = await crawlSource(deps, id, 'job-big-mid');
    expect(r.status).toBe('ok');
    expect(r.itemsSeen).toBe(n);
    expect(r.itemsNew).toBe(MAX_ENTRIES_PER_CRAWL);
    expect((await sourceRow(id)).status_message).toContain(`only the first ${MAX_ENTRIES_PER_CRAWL} kept`);
    const urls = new Set((await t.db.selectFrom('items').select('url').where('source_id', '=', id).execute()).map((x) => x.url));
    expect(urls.size).toBe(MAX_ENTRIES_PER_CRAWL);
    expect(urls.has(`http://big.example/${n}/0`)).toBe(true);
    expect(urls.has(`http://big.example/${n}/${MAX_ENTRIES_PER_CRAWL - 1}`)).toBe(true);
    expect(urls.has(`http://big.example/${n}/${MAX_ENTRIES_PER_CRAWL}`)).toBe(false);
  }, 60_000);
});

// ── The real worker ─────────────────────────────────────────────────────────────────────────────

describe('the real worker (BullMQ, one crawl slot)', () => {
  const prefix = testPrefix('crawlnet');
  const redis = new Redis(redisUrl());
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('a blackholed source does not keep the slot: it times out and the next source is crawled', async () => {
    // Only this test's sources are due.
    await t.db.updateTable('sources').set({ enabled: false }).execute();
    const hole = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(site.url).port) }, { kind: 'blackhole' });
    closers.push(() => hole.close());
    await allowHost(t.db, hole.hostPort);
    const timeoutMs = 1500;
    const config = loadConfig({
      QUEUE_PREFIX: prefix,
      SCHEDULER_TICK_MS: '200',
      CRAWL_CONCURRENCY: '1',
      CRAWL_TIMEOUT_MS: String(timeoutMs),
      CRAWL_CONNECT_TIMEOUT_MS: '1000',
      CRAWL_HOST_DELAY_MS: '0',
      LOG_LEVEL: 'silent',
    });
    const hung = await addSource(t.db, { url: `http://${hole.hostPort}/news/rss.xml`, name: 'worker: blackholed' });
    const next = await addSource(t.db, { url: `${site.url}/gov/rdf.xml?worker-next`, name: 'worker: next', enabled: false });
    const worker = await startWorker({ config, db: t.db, redisUrl: redisUrl(), logger: silentLogger });
    const waitFor = async (what: string, fn: () => Promise<boolean> | boolean, ms = 20_000) => {
      const start = Date.now();
      while (!(await fn())) {
        if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      // The blackholed crawl holds the only slot; the next source becomes due only now.
      await waitFor('the blackholed crawl to connect', () => hole.accepted >= 1);
      const heldAt = Date.now();
      await t.db.updateTable('sources').set({ enabled: true, next_fetch_at: new Date(0) }).where('id', '=', next).execute();
      await waitFor('the next source to be crawled', async () => (await sourceRow(next)).last_fetch_at !== null);
      const waited = Date.now() - heldAt;
      const h = await sourceRow(hung);
      const n = await sourceRow(next);
      expect(h.status).toBe('timeout');
      expect(h.claimed_by).toBeNull();
      expect(n.status).toBe('ok');
      expect(n.last_fetch_at!.getTime()).toBeGreaterThanOrEqual(h.last_fetch_at!.getTime());
      expect(waited).toBeLessThan(timeoutMs + 10_000);
      expect(await itemCount(hung)).toBe(0);
    } finally {
      await worker.close();
    }
  }, 60_000);
});
