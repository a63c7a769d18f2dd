import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  classifyNetworkError,
  guardedFetch,
  looksLikeChallenge,
  parseRetryAfter,
  type FetchOptions,
  type FetchResult,
  type ResolvedAddress,
} from './fetch.js';

// Every server here listens on 127.0.0.1; names are resolved by an injected resolver, never by DNS.

interface TestServer {
  port: number;
  url: (path: string) => string;
  /** TCP connections accepted so far: a canary proves a refused fetch never connected. */
  connections: () => number;
  requests: http.IncomingMessage[];
}

const servers: http.Server[] = [];
const cleanups: Array<() => void | Promise<void>> = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const fn of cleanups.splice(0)) await fn();
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

async function startServer(handler: http.RequestListener = (_req, res) => res.end('ok')): Promise<TestServer> {
  const server = http.createServer();
  let connections = 0;
  const requests: http.IncomingMessage[] = [];
  server.on('connection', (socket) => {
    connections++;
    socket.on('error', () => {});
  });
  server.on('request', (req, res) => {
    requests.push(req);
    res.on('error', () => {});
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, url: (path) => `http://127.0.0.1:${port}${path}`, connections: () => connections, requests };
}

function resolver(map: Record<string, string[]>): (host: string) => Promise<ResolvedAddress[]> {
  return async (host) => {
    const list = map[host];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: net.isIP(address) === 6 ? 6 : 4 }));
  };
}

/** Options that allow exactly the given host:port keys (loopback test servers). */
function options(allowed: string[], extra: Partial<FetchOptions> = {}): FetchOptions {
  return {
    timeoutMs: 5_000,
    connectTimeoutMs: 2_000,
    maxBytes: 1 << 20,
    maxRedirects: 5,
    userAgent: 'OpinionDeskTest/1.0',
    isAllowed: (hp) => allowed.includes(hp),
    resolve: resolver({ localhost: ['127.0.0.1'] }),
    ...extra,
  };
}

const local = (s: TestServer) => `127.0.0.1:${s.port}`;

function expectError(r: FetchResult, status: string): Extract<FetchResult, { kind: 'error' }> {
  expect(r.kind, JSON.stringify(r)).toBe('error');
  if (r.kind !== 'error') throw new Error('unreachable');
  expect(r.status, r.message).toBe(status);
  return r;
}

function expectBody(r: FetchResult): Extract<FetchResult, { kind: 'body' }> {
  expect(r.kind, JSON.stringify(r)).toBe('body');
  if (r.kind !== 'body') throw new Error('unreachable');
  return r;
}

/** Fails the test if anything tries to open a socket: the guard must refuse before connecting. */
function forbidConnections(): void {
  vi.spyOn(net.Socket.prototype, 'connect').mockImplementation((() => {
    throw new Error('test: a connection was attempted');
  }) as never);
}

describe('guardedFetch: bodies', () => {
  it('returns a 200 body with its headers, sending the crawler request headers', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' });
      res.end('<rss>政务</rss>');
    });
    const r = expectBody(await guardedFetch(s.url('/feed.xml?a=1'), options([local(s)])));
    expect(r.httpStatus).toBe(200);
    expect(r.body.toString('utf8')).toBe('<rss>政务</rss>');
    expect(r.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(r.etag).toBe('"v1"');
    expect(r.lastModified).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    expect(r.finalUrl).toBe(s.url('/feed.xml?a=1'));
    const h = s.requests[0].headers;
    expect(s.requests[0].url).toBe('/feed.xml?a=1');
    expect(h['user-agent']).toBe('OpinionDeskTest/1.0');
    expect(h['accept']).toContain('application/rss+xml');
    expect(h['accept']).toContain('text/html');
    expect(h['accept-language']).toMatch(/^zh-CN/);
    expect(h['accept-encoding']).toBe('gzip, deflate, br');
    expect(h['if-none-match']).toBeUndefined();
    expect(h['if-modified-since']).toBeUndefined();
  });

  const text = '永济市政务公开 '.repeat(2_000);
  it.each([
    ['gzip', (b: Buffer) => zlib.gzipSync(b)],
    ['x-gzip', (b: Buffer) => zlib.gzipSync(b)],
    ['deflate', (b: Buffer) => zlib.deflateSync(b)],
    ['deflate', (b: Buffer) => zlib.deflateRawSync(b)], // raw deflate, as some servers send it
    ['br', (b: Buffer) => zlib.brotliCompressSync(b)],
    ['gzip, br', (b: Buffer) => zlib.brotliCompressSync(zlib.gzipSync(b))],
  ])('decodes a %s body', async (encoding, encode) => {
    const payload = encode(Buffer.from(text));
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': encoding, 'content-type': 'text/html' });
      res.end(payload);
    });
    const r = expectBody(await guardedFetch(s.url('/'), options([local(s)])));
    expect(r.body.toString('utf8')).toBe(text);
  });

  it('refuses an unknown Content-Encoding', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'zstd' });
      res.end('xx');
    });
    const r = expectError(await guardedFetch(s.url('/'), options([local(s)])), 'network_error');
    expect(r.message).toMatch(/Content-Encoding/);
  });

  it('reports a corrupt gzip body as a network error', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(Buffer.from('this is not gzip at all'));
    });
    expectError(await guardedFetch(s.url('/'), options([local(s)])), 'network_error');
  });
});

describe('guardedFetch: size caps', () => {
  it('stops a 1 GB gzip bomb at the 1 MB cap without inflating it', async () => {
    // 100 gzip members of 10 MB of zeros each: ~1 MB on the wire, 1 GB inflated.
    const member = zlib.gzipSync(Buffer.alloc(10 << 20), { level: 9 });
    const s = await startServer(async (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/xml' });
      for (let i = 0; i < 100 && !res.destroyed; i++) {
        if (!res.write(member)) await new Promise((r) => res.once('drain', r).once('close', r));
      }
      res.end();
    });
    const mem = () => process.memoryUsage();
    const before = mem();
    const r = expectError(await guardedFetch(s.url('/bomb'), options([local(s)], { maxBytes: 1 << 20, maxCompressedBytes: 8 << 20 })), 'too_large');
    const after = mem();
    expect(r.message).toMatch(/after decompression/);
    expect(after.arrayBuffers + after.external - before.arrayBuffers - before.external).toBeLessThan(64 << 20);
    expect(after.rss - before.rss).toBeLessThan(128 << 20);
  });

  it('stops a brotli bomb at the cap', async () => {
    const bomb = zlib.brotliCompressSync(Buffer.alloc(10 << 20)); // a few dozen bytes
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'br' });
      res.end(bomb);
    });
    expectError(await guardedFetch(s.url('/'), options([local(s)], { maxBytes: 1 << 20 })), 'too_large');
  });

  it('refuses early on a Content-Length over the cap, before the body arrives', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(50 << 20) });
      res.write(Buffer.alloc(1024)); // then nothing: only the header can end this quickly
    });
    const t0 = performance.now();
    const r = expectError(await guardedFetch(s.url('/'), options([local(s)], { maxBytes: 1 << 20 })), 'too_large');
    expect(r.message).toMatch(/Content-Length/);
    expect(performance.now() - t0).toBeLessThan(4_000);
  });

  it('stops an undeclared (chunked) plain body at the cap', async () => {
    const s = await startServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      for (let i = 0; i < 64 && !res.destroyed; i++) {
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
      }
      res.end();
    });
    expectError(await guardedFetch(s.url('/'), options([local(s)], { maxBytes: 256 * 1024 })), 'too_large');
  });

  it('accepts a body of exactly maxBytes', async () => {
    const s = await startServer((_req, res) => res.end(Buffer.alloc(1000, 0x62)));
    const r = expectBody(await guardedFetch(s.url('/'), options([local(s)], { maxBytes: 1000 })));
    expect(r.body.length).toBe(1000);
  });

  it('caps bytes on the wire too (maxCompressedBytes)', async () => {
    const payload = zlib.gzipSync(randomBytes(200 * 1024)); // incompressible: ~200 KB on the wire
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(payload);
    });
    const r = expectError(
      await guardedFetch(s.url('/'), options([local(s)], { maxBytes: 1 << 20, maxCompressedBytes: 50 * 1024 })),
      'too_large',
    );
    expect(r.message).toMatch(/limit/);
  });
});

describe('guardedFetch: conditional GET', () => {
  it('sends If-None-Match and returns not_modified on 304', async () => {
    const s = await startServer((req, res) => {
      if (req.headers['if-none-match'] === '"abc"') {
        res.writeHead(304, { etag: '"abc"' });
        return res.end();
      }
      res.writeHead(200, { etag: '"abc"' });
      res.end('fresh');
    });
    const first = expectBody(await guardedFetch(s.url('/f'), options([local(s)])));
    expect(first.etag).toBe('"abc"');
    const again = await guardedFetch(s.url('/f'), options([local(s)], { etag: first.etag }));
    expect(again).toEqual({ kind: 'not_modified', httpStatus: 304, finalUrl: s.url('/f') });
  });

  it('sends If-Modified-Since and returns not_modified on 304', async () => {
    const lm = 'Tue, 02 Jan 2024 03:04:05 GMT';
    const s = await startServer((req, res) => {
      if (req.headers['if-modified-since'] === lm) {
        res.writeHead(304);
        return res.end();
      }
      res.writeHead(200, { 'last-modified': lm });
      res.end('fresh');
    });
    const first = expectBody(await guardedFetch(s.url('/f'), options([local(s)])));
    expect(first.lastModified).toBe(lm);
    const again = await guardedFetch(s.url('/f'), options([local(s)], { lastModified: first.lastModified }));
    expect(again.kind).toBe('not_modified');
    expect(s.requests[1].headers['if-modified-since']).toBe(lm);
  });
});

describe('guardedFetch: redirects', () => {
  async function redirectServer(): Promise<TestServer> {
    return startServer((req, res) => {
      const u = req.url ?? '/';
      const hop = /^\/r\/(\d+)$/.exec(u);
      if (hop) {
        const n = Number(hop[1]);
        const status = [301, 302, 303, 307, 308][n % 5];
        res.writeHead(status, { location: n > 1 ? `/r/${n - 1}` : '../final' });
        return res.end();
      }
      if (u === '/final') return res.end('arrived');
      if (u === '/loop-a') return res.writeHead(302, { location: '/loop-b' }).end();
      if (u === '/loop-b') return res.writeHead(302, { location: `http://127.0.0.1:${(req.socket.localPort ?? 0)}/loop-a` }).end();
      res.writeHead(404).end();
    });
  }

  it('follows a chain within the limit, resolving relative Locations', async () => {
    const s = await redirectServer();
    const r = expectBody(await guardedFetch(s.url('/r/3'), options([local(s)], { maxRedirects: 3 })));
    expect(r.body.toString()).toBe('arrived');
    expect(r.finalUrl).toBe(s.url('/final'));
    expect(s.requests.map((q) => q.url)).toEqual(['/r/3', '/r/2', '/r/1', '/final']);
  });

  it('stops after maxRedirects', async () => {
    const s = await redirectServer();
    const r = expectError(await guardedFetch(s.url('/r/3'), options([local(s)], { maxRedirects: 2 })), 'too_many_redirects');
    expect(r.message).toMatch(/redirects/);
    expect(s.requests).toHaveLength(3);
  });

  it('ends a redirect loop as too_many_redirects', async () => {
    const s = await redirectServer();
    const r = expectError(await guardedFetch(s.url('/loop-a'), options([local(s)], { maxRedirects: 20 })), 'too_many_redirects');
    expect(r.message).toMatch(/loop/i);
    expect(s.requests.length).toBeLessThanOrEqual(3);
  });

  it('treats a redirect without Location as an error, not a body', async () => {
    const s = await startServer((_req, res) => res.writeHead(302).end());
    expectError(await guardedFetch(s.url('/'), options([local(s)])), 'network_error');
  });

  it('re-checks every hop: a redirect to a name resolving to loopback is refused and never connects', async () => {
    const canary = await startServer();
    const s = await startServer((_req, res) => res.writeHead(302, { location: `http://evil.test:${canary.port}/steal` }).end());
    const resolve = resolver({ localhost: ['127.0.0.1'], 'evil.test': ['127.0.0.1'] });
    const r = expectError(
      await guardedFetch(`http://localhost:${s.port}/go`, options([`localhost:${s.port}`], { resolve })),
      'ssrf_refused',
    );
    expect(r.message).toMatch(/evil\.test.*127\.0\.0\.1/);
    expect(s.requests).toHaveLength(1);
    expect(canary.connections()).toBe(0);
  });

  it.each([
    (port: number) => `http://127.0.0.1:${port}/`,
    (port: number) => `http://2130706433:${port}/`,
    (port: number) => `http://[::ffff:127.0.0.1]:${port}/`,
    () => 'file:///etc/passwd',
    (port: number) => `http://user:pw@localhost:${port}/`,
  ])('refuses a redirect to a forbidden target (%#)', async (target) => {
    const canary = await startServer();
    const s = await startServer((_req, res) => res.writeHead(301, { location: target(canary.port) }).end());
    expectError(await guardedFetch(`http://localhost:${s.port}/`, options([`localhost:${s.port}`])), 'ssrf_refused');
    expect(canary.connections()).toBe(0);
  });
});

describe('guardedFetch: SSRF guard', () => {
  it.each(['10.0.0.1', '169.254.169.254', '::ffff:127.0.0.1', '64:ff9b::7f00:1', '127.0.0.1', '::1', 'fd00::1', '100.64.1.1'])(
    'refuses a name resolving to %s before connecting',
    async (address) => {
      const canary = await startServer();
      forbidConnections();
      const r = expectError(
        await guardedFetch(`http://intranet.test:${canary.port}/`, options([], { resolve: resolver({ 'intranet.test': [address] }) })),
        'ssrf_refused',
      );
      expect(r.message).toContain(address);
      expect(r.httpStatus).toBeNull();
      expect(canary.connections()).toBe(0);
    },
  );

  it('refuses when any one of several resolved addresses is forbidden', async () => {
    forbidConnections();
    const resolve = resolver({ 'mixed.test': ['8.8.8.8', '10.1.2.3'] });
    const r = expectError(await guardedFetch('https://mixed.test/feed', options([], { resolve })), 'ssrf_refused');
    expect(r.message).toContain('10.1.2.3');
  });

  it.each([
    ['decimal', (p: number) => `http://2130706433:${p}/`],
    ['octal', (p: number) => `http://0177.0.0.1:${p}/`],
    ['hex', (p: number) => `http://0x7f.1:${p}/`],
    ['short', (p: number) => `http://127.1:${p}/`],
    ['IPv4-mapped', (p: number) => `http://[::ffff:7f00:1]:${p}/`],
  ])('refuses a %s loopback literal, and fetches it once allow-listed', async (_form, url) => {
    const s = await startServer((_req, res) => res.end('literal ok'));
    const refused = expectError(await guardedFetch(url(s.port), options([])), 'ssrf_refused');
    expect(refused.message).toMatch(/private or reserved/);
    expect(s.connections()).toBe(0);
    const allowed = [local(s), `[::ffff:7f00:1]:${s.port}`];
    const r = expectBody(await guardedFetch(url(s.port), options(allowed)));
    expect(r.body.toString()).toBe('literal ok');
  });

  it('connects to exactly the address the resolver returned (the checked address is the connected one)', async () => {
    const s = await startServer((req, res) => res.end(String(req.headers.host)));
    let calls = 0;
    const resolve = async (host: string): Promise<ResolvedAddress[]> => {
      calls++;
      expect(host).toBe('feed.test');
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const seen: string[] = [];
    const isAllowed = (hp: string) => {
      seen.push(hp);
      return hp === `feed.test:${s.port}`;
    };
    const r = expectBody(await guardedFetch(`http://FEED.test:${s.port}/x`, { ...options([]), resolve, isAllowed }));
    expect(r.body.toString()).toBe(`feed.test:${s.port}`);
    expect(calls).toBe(1);
    expect(seen).toContain(`feed.test:${s.port}`);
  });

  it.each([
    ['ftp://127.0.0.1/file', /http and https/],
    ['file:///etc/passwd', /http and https/],
    ['http://admin:secret@127.0.0.1/', /credentials/],
    ['not a url', /valid absolute URL/],
  ])('refuses %s', async (url, reason) => {
    forbidConnections();
    const r = expectError(await guardedFetch(url, options(['127.0.0.1:80', '127.0.0.1:21'])), 'ssrf_refused');
    expect(r.message).toMatch(reason);
  });
});

describe('guardedFetch: timeouts and cancellation', () => {
  it('ends at the total deadline when the server never answers', async () => {
    const s = await startServer(() => {});
    const t0 = performance.now();
    const r = expectError(await guardedFetch(s.url('/'), options([local(s)], { timeoutMs: 300 })), 'timeout');
    const elapsed = performance.now() - t0;
    expect(r.message).toMatch(/300 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 1_500);
  });

  it('ends a slow-drip body at the total deadline', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const drip = setInterval(() => res.write('.'), 30);
      res.on('close', () => clearInterval(drip));
    });
    const t0 = performance.now();
    expectError(await guardedFetch(s.url('/'), options([local(s)], { timeoutMs: 400 })), 'timeout');
    expect(performance.now() - t0).toBeLessThan(400 + 1_500);
  });

  it('applies the connect timeout when the handshake never completes', async () => {
    // A listener whose thread never accepts: once its backlog is full, the kernel drops new SYNs.
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(
      `const { parentPort, workerData: flag } = require('node:worker_threads');
       const server = require('node:net').createServer();
       server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
         parentPort.postMessage(server.address().port);
         while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 50);
         server.close();
       });`,
      { eval: true, workerData: flag },
    );
    const fillers: net.Socket[] = [];
    cleanups.push(async () => {
      for (const f of fillers) f.destroy();
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await worker.terminate();
    });
    const port = await new Promise<number>((resolve) => worker.once('message', resolve));
    for (let i = 0; i < 16; i++) {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => {});
      fillers.push(socket);
      const connected = await new Promise<boolean>((resolve) => {
        socket.once('connect', () => resolve(true));
        setTimeout(() => resolve(false), 300);
      });
      if (!connected) break;
    }
    const t0 = performance.now();
    const r = expectError(
      await guardedFetch(`http://127.0.0.1:${port}/`, options([`127.0.0.1:${port}`], { connectTimeoutMs: 200, timeoutMs: 10_000 })),
      'timeout',
    );
    expect(r.message).toMatch(/Connect timeout after 200 ms/);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('honours the caller signal, already aborted or aborted mid-request', async () => {
    const s = await startServer(() => {});
    const pre = expectError(await guardedFetch(s.url('/'), options([local(s)], { signal: AbortSignal.abort() })), 'network_error');
    expect(pre.message).toMatch(/aborted/);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    const t0 = performance.now();
    expectError(await guardedFetch(s.url('/'), options([local(s)], { signal: ctl.signal })), 'network_error');
    expect(performance.now() - t0).toBeLessThan(3_000);
    expectError(await guardedFetch(s.url('/'), options([local(s)], { signal: AbortSignal.timeout(100) })), 'timeout');
  });

  it('ends a hanging resolver at the deadline', async () => {
    const resolve = () => new Promise<ResolvedAddress[]>(() => {});
    expectError(await guardedFetch('http://slow-dns.test/', options([], { resolve, timeoutMs: 200 })), 'timeout');
  });
});

describe('guardedFetch: status classification', () => {
  async function statusServer(status: number, headers: http.OutgoingHttpHeaders = {}, body: string | Buffer = ''): Promise<TestServer> {
    return startServer((_req, res) => {
      res.writeHead(status, headers);
      res.end(body);
    });
  }

  it('429 with Retry-After seconds is rate_limited', async () => {
    const s = await statusServer(429, { 'retry-after': '120' });
    const r = expectError(await guardedFetch(s.url('/'), options([local(s)])), 'rate_limited');
    expect(r.httpStatus).toBe(429);
    expect(r.retryAfterMs).toBe(120_000);
  });

  it('429 with a Retry-After HTTP date is rate_limited', async () => {
    const s = await statusServer(429, { 'retry-after': new Date(Date.now() + 90_000).toUTCString() });
    const r = expectError(await guardedFetch(s.url('/'), options([local(s)])), 'rate_limited');
    expect(r.retryAfterMs).toBeGreaterThan(80_000);
    expect(r.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('503 carries Retry-After too', async () => {
    const s = await statusServer(503, { 'retry-after': '30' }, 'Service Unavailable');
    const r = expectError(await guardedFetch(s.url('/'), options([local(s)])), 'http_5xx');
    expect(r.retryAfterMs).toBe(30_000);
  });

  it.each([412, 521])('%i is an anti-bot challenge', async (status) => {
    const s = await statusServer(status, { 'content-type': 'text/html' }, '<script>document.cookie=("__jsl_clearance=1")</script>');
    const r = expectError(await guardedFetch(s.url('/'), options([local(s)])), 'blocked_challenge');
    expect(r.httpStatus).toBe(status);
  });

  const gbkPage = iconv.encode('<html><title>安全验证</title>请完成验证后访问</html>', 'gbk');
  it.each([
    ['JS cookie page', '<script>document.cookie="acw=1";setTimeout(function(){location.reload()},100)</script>', {}],
    ['__jsl_clearance', '<script>var x="__jsl_clearance_s=1"</script>', {}],
    ['acw_sc__v2', '<script>var arg1="..."; acw_sc__v2</script>', {}],
    ['Cloudflare', '<title>Just a moment...</title><div id="cf-chl-widget"></div>', {}],
    ['WAF block page', '<h1>Blocked by WAF</h1>', {}],
    ['访问验证', '<html>访问验证</html>', {}],
    ['安全验证 in GBK', gbkPage, { 'content-type': 'text/html; charset=gbk' }],
    ['gzip challenge', zlib.gzipSync('<title>Just a moment...</title>'), { 'content-encoding': 'gzip' }],
  ] as Array<[string, string | Buffer, http.OutgoingHttpHeaders]>)('403 with a %s is blocked_challenge', async (_name, body, headers) => {
    const s = await statusServer(403, headers, body);
    const r = expectError(await guardedFetch(s.url('/'), options([local(s)])), 'blocked_challenge');
    expect(r.message).toMatch(/challenge/);
  });

  it('503 with a challenge page is blocked_challenge', async () => {
    const s = await statusServer(503, {}, '<title>Just a moment...</title>');
    expectError(await guardedFetch(s.url('/'), options([local(s)])), 'blocked_challenge');
  });

  it.each([
    [403, 'http_4xx', 'Forbidden'],
    [404, 'http_4xx', 'Not Found'],
    [410, 'http_4xx', ''],
    [500, 'http_5xx', 'Internal Server Error'],
    [502, 'http_5xx', ''],
    [503, 'http_5xx', 'Service Unavailable'],
  ])('plain %i is %s with a readable message', async (status, expected, body) => {
    const s = await statusServer(status, {}, body);
    const r = expectError(await guardedFetch(s.url('/'), options([local(s)])), expected);
    expect(r.httpStatus).toBe(status);
    expect(r.message).toBe(`HTTP ${status} from 127.0.0.1:${s.port}`);
    expect(r.retryAfterMs).toBeUndefined();
  });
});

describe('guardedFetch: network failures', () => {
  it('a closed port is connect_error', async () => {
    const s = await startServer();
    const closed = servers.pop()!;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = expectError(await guardedFetch(s.url('/'), options([local(s)])), 'connect_error');
    expect(r.message).toMatch(/ECONNREFUSED/);
  });

  it('a resolver failure is dns_error', async () => {
    const r = expectError(await guardedFetch('http://nowhere.test/', options([])), 'dns_error');
    expect(r.message).toMatch(/nowhere\.test.*ENOTFOUND/);
    const empty = async () => [];
    expectError(await guardedFetch('http://empty.test/', options([], { resolve: empty })), 'dns_error');
    const temporary = async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
    };
    expectError(await guardedFetch('http://flaky.test/', options([], { resolve: temporary })), 'dns_error');
  });

  it('a connection reset mid-body is network_error', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '10000' });
      res.write(Buffer.alloc(100, 0x61), () => res.socket?.resetAndDestroy());
    });
    const r = expectError(await guardedFetch(s.url('/'), options([local(s)])), 'network_error');
    expect(r.message).toMatch(/127\.0\.0\.1/);
  });

  it('a body cut short by a closed connection is network_error', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '10000' });
      res.write(Buffer.alloc(100, 0x61), () => res.socket?.destroy());
    });
    expectError(await guardedFetch(s.url('/'), options([local(s)])), 'network_error');
  });

  it('TLS spoken to a plain HTTP server is tls_error', async () => {
    const s = await startServer();
    const r = expectError(await guardedFetch(`https://127.0.0.1:${s.port}/`, options([local(s)])), 'tls_error');
    expect(r.message).toMatch(/TLS/);
  });
});

describe('fetch helpers', () => {
  it('parseRetryAfter reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Sun, 31 Dec 2023 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('looksLikeChallenge knows challenge pages from ordinary error pages', () => {
    expect(looksLikeChallenge('<script>document.cookie="a=b";location.href=location.pathname</script>')).toBe(true);
    expect(looksLikeChallenge('<div class="waf-block">WAF</div>')).toBe(true);
    expect(looksLikeChallenge('请输入验证码')).toBe(true);
    expect(looksLikeChallenge('<h1>403 Forbidden</h1><p>nginx</p>')).toBe(false);
    expect(looksLikeChallenge('<p>We serve waffles</p>')).toBe(false);
    expect(looksLikeChallenge('<script>document.cookie = "theme=dark"</script>')).toBe(false);
  });

  it.each([
    ['ENOTFOUND', 'dns_error'],
    ['EAI_AGAIN', 'dns_error'],
    ['ECONNREFUSED', 'connect_error'],
    ['EHOSTUNREACH', 'connect_error'],
    ['ETIMEDOUT', 'timeout'],
    ['CERT_HAS_EXPIRED', 'tls_error'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls_error'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls_error'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls_error'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls_error'],
    ['ECONNRESET', 'network_error'],
    ['EPIPE', 'network_error'],
  ])('classifyNetworkError(%s) is %s', (code, status) => {
    const err = Object.assign(new Error(`${code} happened`), { code });
    expect(classifyNetworkError(err, 'news.example.gov.cn').status).toBe(status);
  });

  it('never throws, whatever it is given', async () => {
    const weird = [
      '',
      'http://',
      'http://[::1',
      'http://example.com:99999/',
      'data:text/html,hi',
      'http://%zz/',
      'javascript:void(0)',
    ];
    forbidConnections();
    for (const url of weird) {
      const r = await guardedFetch(url, options([]));
      expect(r.kind).toBe('error');
    }
    const throwing = options([], {
      resolve: () => {
        throw new Error('resolver blew up synchronously');
      },
    });
    expectError(await guardedFetch('http://boom.test/', throwing), 'dns_error');
    const badAllow = { ...options([]), isAllowed: () => { throw new Error('allow-list broke'); } };
    expect((await guardedFetch('http://boom.test/', badAllow)).kind).toBe('error');
  });
});
