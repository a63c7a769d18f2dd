import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch, type FetchOptions, type FetchResult, type ResolvedAddress } from '../../platform/http/fetch.js';
import { checkUrl, isForbiddenAddress } from '../../platform/http/ssrf.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { sendWebhook } from '../../services/notifications/deliver.js';
import type { DeliveryPayload } from '../../db/repos/notifications.js';
import { createApiFixture, errorOf, type ApiFixture } from '../api/helpers.js';
import { allowHost, crawlDeps } from '../helpers/crawl.js';
import { recordFigure, variant } from './figures.js';

// SSRF suite (issue "prove it holds"): a corpus of hostile URLs is tried at creation (POST
// /api/sources, POST /api/sources/preview, webhook channels) and at fetch (guardedFetch, webhook
// delivery), DNS answers change between check and connect, redirects lead to private addresses at
// every hop. Canary listeners on loopback, on the port the corpus uses, count every connection
// that gets through: the goal is none. A positive control shows the canary does count: an
// allow-listed host:port is reached, and the same URL without the entry is refused.
//
// Names end in reserved TLDs (.example, .test): they never resolve in real DNS. Fetch-time tests
// inject the resolver. One public address (PUBLIC_IP) stands for "a public site": a shim on
// net.Socket re-routes connections to it to a local stand-in server, so nothing leaves the machine,
// and records every address a socket is handed after the guard.

const PUBLIC_IP = '93.184.216.34';
const STAND_IN_HOST = '127.0.0.3';

const FEED = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>canary</title>
<item><title>测试条目</title><link>https://news.example.cn/a/1.html</link><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate><description>内容</description></item>
</channel></rss>`;

const payload: DeliveryPayload = { title: '测试', body: '正文', caseId: null, urgent: false, at: '2026-11-25T02:00:00.000Z', recipient: '值班员' };

// ── Canaries ─────────────────────────────────────────────────────────────────────────────────

interface Listener {
  host: string;
  server: http.Server;
  /** Connections accepted while hostile URLs were tried. */
  hostile: number;
  /** Connections accepted during the positive control. */
  control: number;
  paths: string[];
}

let phase: 'hostile' | 'control' = 'hostile';
const canaries: Listener[] = [];
const notBound: Record<string, string> = {};

function makeListener(host: string, handler: http.RequestListener): Listener {
  const server = http.createServer();
  const l: Listener = { host, server, hostile: 0, control: 0, paths: [] };
  server.on('connection', (socket) => {
    socket.on('error', () => {});
    if (phase === 'hostile') l.hostile++;
    else l.control++;
  });
  server.on('request', (req, res) => {
    l.paths.push(`${req.method} ${req.url}`);
    res.on('error', () => {});
    handler(req, res);
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  return l;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

const canaryHits = () => canaries.reduce((n, c) => n + c.hostile, 0);
const controlHits = () => canaries.reduce((n, c) => n + c.control, 0);

// ── The stand-in "public site" (PUBLIC_IP:port, re-routed to 127.0.0.3:port) ─────────────────

let standIn: Listener;

function standInHandler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const u = new URL(req.url ?? '/', 'http://stand-in');
  const code = Number(u.searchParams.get('code') ?? 302);
  if (u.pathname === '/to') {
    res.writeHead(code, { location: u.searchParams.get('loc') ?? '/' });
    res.end();
    return;
  }
  if (u.pathname === '/chain') {
    // n more hops on this host (relative Location), then the target.
    const n = Number(u.searchParams.get('n') ?? 0);
    const next = new URLSearchParams(u.searchParams);
    next.set('n', String(n - 1));
    res.writeHead(code, { location: n > 0 ? `/chain?${next.toString()}` : (u.searchParams.get('loc') ?? '/') });
    res.end();
    return;
  }
  if (u.pathname === '/hook') {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}'));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(FEED);
}

// ── Socket shim: records every address handed to a socket; PUBLIC_IP goes to the stand-in ───

interface Handed {
  address: string;
  port: number;
}
const handed: Handed[] = [];
let port = 0;
let restoreConnect: (() => void) | null = null;

type LookupCb = (err: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void;
type LookupFn = (host: string, opts: unknown, cb: LookupCb) => void;

function installShim(): void {
  const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown };
  const original = proto.connect;
  proto.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    const o = (Array.isArray(first) ? first[0] : first) as { host?: string; port?: number | string; lookup?: LookupFn } | undefined;
    const p = Number(o?.port);
    // Only the ports hostile URLs use: the database and Redis connections are left alone.
    if (o && typeof o === 'object' && (p === port || p === 80 || p === 443)) {
      const host = o.host ?? 'localhost';
      const reroute = (a: string) => (a === PUBLIC_IP ? STAND_IN_HOST : a);
      if (net.isIP(host)) {
        handed.push({ address: host, port: p });
        o.host = reroute(host);
      } else {
        const inner: LookupFn | undefined = o.lookup;
        if (!inner) handed.push({ address: `unpinned:${host}`, port: p });
        else {
          o.lookup = (h, opts, cb) =>
            inner(h, opts, (err, address, family) => {
              if (err) return cb(err, address, family);
              if (Array.isArray(address)) {
                for (const a of address) handed.push({ address: a.address, port: p });
                return cb(null, address.map((a) => ({ ...a, address: reroute(a.address) })));
              }
              handed.push({ address, port: p });
              cb(null, reroute(address), family);
            });
        }
      }
    }
    return original.apply(this, args);
  };
  restoreConnect = () => {
    proto.connect = original;
  };
}

/** Addresses handed to sockets that the guard should never have let through. */
const privateHandOuts = () => handed.filter((h) => h.address.startsWith('unpinned:') || isForbiddenAddress(h.address));

// ── Resolver ─────────────────────────────────────────────────────────────────────────────────

const PRIVATE_NAMES: Record<string, string[]> = {
  'rebind.attacker.example': ['127.0.0.1'],
  'loop2.attacker.example': ['127.0.0.2'],
  'v6loop.attacker.example': ['::1'],
  'mapped.attacker.example': ['::ffff:127.0.0.1'],
  'mappedhex.attacker.example': ['::ffff:7f00:1'],
  'compat.attacker.example': ['::127.0.0.1'],
  'nat64.attacker.example': ['64:ff9b::7f00:1'],
  'nat64-meta.attacker.example': ['64:ff9b::a9fe:a9fe'],
  'sixtofour.attacker.example': ['2002:7f00:1::1'],
  'teredo.attacker.example': ['2001:0:4136:e378:8000:63bf:80ff:fffe'],
  'meta.attacker.example': ['169.254.169.254'],
  'aliyun-meta.attacker.example': ['100.100.100.200'],
  'ula.attacker.example': ['fd00::1'],
  'aws-meta6.attacker.example': ['fd00:ec2::254'],
  'linklocal6.attacker.example': ['fe80::1'],
  'zero.attacker.example': ['0.0.0.0'],
  'zero6.attacker.example': ['::'],
  'private10.attacker.example': ['10.0.0.5'],
  'private192.attacker.example': ['192.168.1.1'],
  'cgnat.attacker.example': ['100.64.0.1'],
  'broadcast.attacker.example': ['255.255.255.255'],
  'mixed.attacker.example': [PUBLIC_IP, '127.0.0.1'],
  'mixed-first.attacker.example': ['127.0.0.1', PUBLIC_IP],
  'mixed6.attacker.example': [PUBLIC_IP, '::1'],
  'garbage.attacker.example': ['not-an-address'],
  '169.254.169.254.nip.example': ['169.254.169.254'],
  '127.0.0.1.sslip.example': ['127.0.0.1'],
  'upper.attacker.example': ['127.0.0.1'],
  // A trailing dot is the same name to DNS (fully qualified).
  'trailing.attacker.example.': ['127.0.0.1'],
  [new URL('http://管理后台.attacker.example/').hostname]: ['127.0.0.1'],
};

const resolverCalls: string[] = [];

function family(a: string): 4 | 6 {
  return net.isIP(a) === 6 ? 6 : 4;
}

/** Injected DNS: the private names above, `pub.attacker.example` → PUBLIC_IP, anything else ENOTFOUND. */
async function resolve(host: string): Promise<ResolvedAddress[]> {
  resolverCalls.push(host);
  const list = host === 'pub.attacker.example' ? [PUBLIC_IP] : PRIVATE_NAMES[host];
  if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: family(address) }));
}

function fetchOptions(extra: Partial<FetchOptions> = {}): FetchOptions {
  return {
    timeoutMs: 4000,
    connectTimeoutMs: 1500,
    maxBytes: 1 << 20,
    maxRedirects: 6,
    userAgent: 'OpinionDesk-ssrf-test',
    isAllowed: () => false,
    resolve,
    ...extra,
  };
}

// ── The corpus ───────────────────────────────────────────────────────────────────────────────

/**
 * refuse: refused at creation and at fetch.
 * dns: a public-looking name that resolves privately: creation does no DNS (names are judged on
 *   every fetch, where rebinding would defeat a creation-time answer anyway), so it is accepted
 *   there and refused at fetch.
 * benign: a parser trick whose WHATWG reading targets a public name, never the private host.
 */
type Expect = 'refuse' | 'dns' | 'benign';
interface Hostile {
  url: string;
  cls: string;
  expect: Expect;
  /** For benign: the only name the fetch may resolve. */
  host?: string;
}

function corpus(P: number): Hostile[] {
  const list: Hostile[] = [];
  const add = (cls: string, expect: Expect, urls: string[], host?: string) => {
    for (const url of urls) list.push({ url, cls, expect, host });
  };
  add('loopback-v4', 'refuse', [
    `http://127.0.0.1:${P}/`,
    `http://127.0.0.2:${P}/`,
    `https://127.0.0.1:${P}/`,
    `http://127.255.255.254:${P}/`,
    `HTTP://127.0.0.1:${P}/feed.xml`,
  ]);
  add('odd-ipv4-literal', 'refuse', [
    `http://127.1:${P}/`,
    `http://127.0.1:${P}/`,
    `http://0x7f.1:${P}/`,
    `http://0x7f000001:${P}/`,
    `http://2130706433:${P}/`,
    `http://017700000001:${P}/`,
    `http://0177.0.0.1:${P}/`,
    `http://0177.1:${P}/`,
    `http://0x7f.0.0.1:${P}/`,
    `http://0X7F.0X00.0X00.0X01:${P}/`,
    `http://0177.0x0.0.1:${P}/`,
    `http://127.0x0.00.1:${P}/`,
    `http://0x7f.0.1:${P}/`,
    `http://127.000.000.001:${P}/`,
    `http://0x7f.00.0x0.1:${P}/`,
  ]);
  add('unspecified', 'refuse', [`http://0.0.0.0:${P}/`, `http://0:${P}/`, `http://0x0:${P}/`, `http://0.0:${P}/`, `http://[::]:${P}/`]);
  add('loopback-v6', 'refuse', [`http://[::1]:${P}/`, `http://[0:0:0:0:0:0:0:1]:${P}/`, `http://[::0001]:${P}/`, `https://[::1]:${P}/`]);
  add('ipv4-mapped', 'refuse', [
    `http://[::ffff:127.0.0.1]:${P}/`,
    `http://[::ffff:7f00:1]:${P}/`,
    `http://[0:0:0:0:0:ffff:7f00:0001]:${P}/`,
    `http://[::ffff:169.254.169.254]/`,
    `http://[::ffff:a9fe:a9fe]/`,
    `http://[::ffff:10.0.0.1]/`,
  ]);
  add('ipv4-compatible', 'refuse', [`http://[::127.0.0.1]:${P}/`, `http://[::7f00:1]:${P}/`, `http://[::a9fe:a9fe]/`]);
  add('nat64', 'refuse', [`http://[64:ff9b::127.0.0.1]:${P}/`, `http://[64:ff9b::7f00:1]:${P}/`, `http://[64:ff9b::a9fe:a9fe]/`, `http://[64:ff9b::c0a8:101]/`]);
  add('6to4', 'refuse', [`http://[2002:7f00::]:${P}/`, `http://[2002:7f00:1::1]:${P}/`, `http://[2002:a9fe:a9fe::1]/`, `http://[2002:c0a8:101::]/`]);
  add('teredo', 'refuse', [`http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:${P}/`, `http://[2001:0:7f00:1:8000:63bf:f7f7:f7f7]:${P}/`]);
  add('ula-linklocal-v6', 'refuse', [
    `http://[fd00::1]:${P}/`,
    `http://[fd12:3456:789a:1::1]/`,
    `http://[fc00::1]/`,
    `http://[fe80::1]:${P}/`,
    `http://[fe80::a9fe:a9fe]/`,
    `http://[fec0::1]/`,
    `http://[ff02::1]/`,
    `http://[fd00:ec2::254]/latest/meta-data/`,
  ]);
  add('metadata', 'refuse', [
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    `http://169.254.169.254:${P}/computeMetadata/v1/`,
    'http://0xa9fea9fe/',
    'http://2852039166/',
    'http://0251.0376.0251.0376/',
    'http://169.254.43518/',
    'http://0xa9.0xfe.0xa9.0xfe/',
    'http://100.100.100.200/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://METADATA.GOOGLE.INTERNAL./computeMetadata/v1/',
    'http://ｍｅｔａｄａｔａ.ｇｏｏｇｌｅ.ｉｎｔｅｒｎａｌ/',
    'http://metadata/computeMetadata/v1/',
    'http://instance-data/latest/meta-data/',
  ]);
  add('private-cgnat-reserved', 'refuse', [
    'http://10.0.0.1/',
    'http://10.255.255.255:8080/',
    'http://172.16.0.1/',
    'http://172.31.255.254/',
    'http://192.168.0.1/',
    'http://192.168.1.1:8080/admin',
    'http://0xc0a80001/',
    'http://3232235777/',
    'http://012.0.0.1/',
    'http://0300.0250.0.1/',
    'http://100.64.0.1/',
    'http://100.127.255.254/',
    'http://198.18.0.1/',
    'http://240.0.0.1/',
    'http://255.255.255.255/',
    'http://224.0.0.1/',
  ]);
  add('local-name', 'refuse', [
    `http://localhost:${P}/`,
    `http://LOCALHOST:${P}/`,
    `http://localhost.:${P}/`,
    `http://LocalHost.:${P}/`,
    `http://foo.localhost:${P}/`,
    `http://ｌｏｃａｌｈｏｓｔ:${P}/`,
    `http://loc%61lhost:${P}/`,
    `http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ:${P}/`,
    `http://local\u00adhost:${P}/`,
    `http://printer.local:${P}/`,
    `http://router.home.arpa/`,
    `http://localhost.localdomain:${P}/`,
    `http://ip6-localhost:${P}/`,
    `http://intranet:${P}/`,
  ]);
  add('encoded-host', 'refuse', [
    `http://127.0.0.1.:${P}/`,
    `http://%31%32%37.0.0.1:${P}/`,
    `http://%31%32%37%2e%30%2e%30%2e%31:${P}/`,
    `http://１２７.０.０.１:${P}/`,
    `http://127。0。0。1:${P}/`,
    `http://①②⑦.⓪.⓪.①:${P}/`,
  ]);
  add('userinfo', 'refuse', [
    `http://public.example@127.0.0.1:${P}/`,
    `http://user:pass@127.0.0.1:${P}/`,
    `http://public.example:80@127.0.0.1:${P}/`,
    `http://@127.0.0.1:${P}/`,
    `http://127.0.0.1:${P}#@public.example/`,
    `http://127.0.0.1:${P}?@public.example/`,
    `http://public.example%40127.0.0.1:${P}/`,
    `https://admin@public.example/`,
  ]);
  add('backslash', 'refuse', [`http://127.0.0.1:${P}\\@public.example/`, `http:\\\\127.0.0.1:${P}\\`, `http:/\\127.0.0.1:${P}/`, `http:///127.0.0.1:${P}/`]);
  add('backslash', 'benign', [`http://public.example\\@127.0.0.1:${P}/`], 'public.example');
  add('scheme', 'refuse', [
    'file:///etc/passwd',
    'file://127.0.0.1/etc/passwd',
    'FILE:///C:/Windows/win.ini',
    `ftp://127.0.0.1:${P}/`,
    'ftp://public.example/feed.xml',
    `gopher://127.0.0.1:${P}/_GET%20/`,
    'data:text/html,<script>alert(1)</script>',
    'javascript:alert(document.domain)',
    `dict://127.0.0.1:${P}/info`,
    `ldap://127.0.0.1:${P}/dc=example`,
    `sftp://127.0.0.1:${P}/`,
    `ws://127.0.0.1:${P}/`,
    `tftp://127.0.0.1:${P}/x`,
    'jar:http://public.example/x.jar!/',
  ]);
  add('port-empty-host', 'refuse', [
    'http://127.0.0.1:0/',
    'http://127.0.0.1:65536/',
    `http://:${P}/`,
    'http:///',
    'http://',
    `http://[::1:${P}/`,
    `http://127.0.0.1:${P}:${P}/`,
    'http://0x100000000/',
    'http://127.0.0.1%00.public.example/',
    '//127.0.0.1/',
    'not a url',
  ]);
  add('dns-private', 'dns', [
    `http://rebind.attacker.example:${P}/feed.xml`,
    `http://loop2.attacker.example:${P}/`,
    `http://v6loop.attacker.example:${P}/`,
    `http://mapped.attacker.example:${P}/`,
    `http://mappedhex.attacker.example:${P}/`,
    `http://compat.attacker.example:${P}/`,
    `http://nat64.attacker.example:${P}/`,
    'http://nat64-meta.attacker.example/',
    `http://sixtofour.attacker.example:${P}/`,
    `http://teredo.attacker.example:${P}/`,
    'http://meta.attacker.example/latest/meta-data/',
    'http://aliyun-meta.attacker.example/latest/meta-data/',
    `http://ula.attacker.example:${P}/`,
    'http://aws-meta6.attacker.example/latest/meta-data/',
    `http://linklocal6.attacker.example:${P}/`,
    `http://zero.attacker.example:${P}/`,
    `http://zero6.attacker.example:${P}/`,
    'http://private10.attacker.example/',
    'http://private192.attacker.example/',
    'http://cgnat.attacker.example/',
    'http://broadcast.attacker.example/',
    `http://mixed.attacker.example:${P}/`,
    `http://mixed-first.attacker.example:${P}/`,
    `http://mixed6.attacker.example:${P}/`,
    `http://garbage.attacker.example:${P}/`,
    'http://169.254.169.254.nip.example/latest/meta-data/',
    `http://127.0.0.1.sslip.example:${P}/`,
    `http://UPPER.ATTACKER.EXAMPLE:${P}/`,
    `http://trailing.attacker.example.:${P}/`,
    `http://管理后台.attacker.example:${P}/`,
    `https://rebind.attacker.example:${P}/`,
  ]);
  return list;
}

// ── Fixture ──────────────────────────────────────────────────────────────────────────────────

let f: ApiFixture;
let hostile: Hostile[] = [];

beforeAll(async () => {
  // Canary on 127.0.0.1 at a port from the OS, the stand-in on 127.0.0.3 at the same port (a
  // fresh port if that one is taken there), then the same port on 127.0.0.2 and ::1 when bindable.
  for (let attempt = 1; ; attempt++) {
    const main = makeListener('127.0.0.1', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED));
    port = await listen(main.server, 0, '127.0.0.1');
    standIn = makeListener(STAND_IN_HOST, standInHandler);
    try {
      await listen(standIn.server, port, STAND_IN_HOST);
      canaries.push(main);
      break;
    } catch (err) {
      await new Promise<void>((r) => main.server.close(() => r()));
      if (attempt >= 5) throw new Error(`cannot bind the stand-in on ${STAND_IN_HOST}:${port} (${(err as Error).message}); the suite needs 127.0.0.0/8 on loopback`);
    }
  }
  for (const host of ['127.0.0.2', '::1']) {
    const l = makeListener(host, (_req, res) => res.writeHead(200).end('canary'));
    try {
      await listen(l.server, port, host);
      canaries.push(l);
    } catch (err) {
      notBound[host] = (err as NodeJS.ErrnoException).code ?? String(err);
    }
  }
  installShim();
  hostile = corpus(port);
  f = await createApiFixture('relssrf');
});

afterAll(async () => {
  restoreConnect?.();
  for (const l of [...canaries, standIn]) {
    if (!l) continue;
    l.server.closeAllConnections();
    await new Promise<void>((r) => l.server.close(() => r()));
  }
  await f?.tdb.drop();
});

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

const count = (xs: Hostile[]) => xs.reduce<Record<string, number>>((m, h) => ({ ...m, [h.cls]: (m[h.cls] ?? 0) + 1 }), {});

// ── Creation ─────────────────────────────────────────────────────────────────────────────────

describe('creation: every API that stores a URL the system will call', () => {
  it('refuses every private / local / odd-scheme URL with a bilingual 400, on sources, webhook channels and their updates', async () => {
    const wrong: string[] = [];
    let n = 0;
    const sourceId = (await (await f.request('POST', '/api/sources', { name: '可改网址的源', url: 'https://news.example.cn/patch.xml', kind: 'feed' })).json()).id as number;
    const channelId = (
      await (await f.request('POST', '/api/notification-channels', { kind: 'webhook', name: '可改网址的渠道', config: { url: 'https://hooks.example.cn/x' } })).json()
    ).id as number;
    expect(sourceId).toBeGreaterThan(0);
    expect(channelId).toBeGreaterThan(0);
    for (const h of hostile) {
      n++;
      // The update first (and back), so the create below does not collide with it.
      const patched = await f.request('PATCH', `/api/sources/${sourceId}`, { url: h.url });
      if (patched.status === 200) expect((await f.request('PATCH', `/api/sources/${sourceId}`, { url: 'https://news.example.cn/patch.xml' })).status).toBe(200);
      const attempts: Array<[string, Response]> = [
        ['PATCH /api/sources/:id', patched],
        ['POST /api/sources', await f.request('POST', '/api/sources', { name: `恶意源${n}`, url: h.url, kind: 'feed' })],
        ['POST /api/notification-channels', await f.request('POST', '/api/notification-channels', { kind: 'webhook', name: `恶意渠道${n}`, config: { url: h.url } })],
        ['PATCH /api/notification-channels/:id', await f.request('PATCH', `/api/notification-channels/${channelId}`, { config: { url: h.url } })],
      ];
      for (const [api, res] of attempts) {
        if (h.expect === 'refuse') {
          if (res.status !== 400) {
            wrong.push(`${api} ${h.url} → ${res.status} (expected 400)`);
            continue;
          }
          const e = await errorOf(res);
          if (e.code !== 'VALIDATION' || !/[\u4e00-\u9fff]/.test(e.messageZh) || e.message === '') wrong.push(`${api} ${h.url} → unclear error ${JSON.stringify(e)}`);
        } else if (res.status === 200 || res.status === 201) {
          const body = await res.json();
          const stored = String(body.url ?? body.config?.url ?? '');
          const host = new URL(stored).hostname;
          if (h.expect === 'benign' && host !== h.host) wrong.push(`${api} ${h.url} stored with host ${host}`);
          if (h.expect === 'dns' && (checkUrl(stored, () => false).ok !== true || net.isIP(host.replace(/^\[|\]$/g, '')) !== 0)) wrong.push(`${api} ${h.url} stored as ${stored}`);
        } else if (res.status !== 400) {
          wrong.push(`${api} ${h.url} → ${res.status}`);
        }
      }
    }
    const refused = hostile.filter((h) => h.expect === 'refuse').length;
    recordFigure({
      area: 'ssrf',
      name: 'hostile URLs tried at creation',
      value: hostile.length,
      unit: 'URLs',
      goal: '≥ 80',
      met: hostile.length >= 80 && wrong.length === 0,
      detail: {
        apis: ['POST /api/sources', 'PATCH /api/sources/:id', 'POST /api/notification-channels', 'PATCH /api/notification-channels/:id', 'POST /api/sources/preview'],
        refusedAtCreation: refused,
        acceptedNamesJudgedAtFetch: hostile.length - refused,
        byClass: count(hostile),
        wrong: wrong.slice(0, 20),
      },
    });
    expect(wrong).toEqual([]);
    expect(hostile.length).toBeGreaterThanOrEqual(80);
    // The stored rows still hold their harmless URLs.
    expect((await (await f.request('GET', `/api/sources/${sourceId}`)).json()).url).not.toMatch(/127\.0\.0\.1|localhost/);
  });

  it('refuses the same URLs in the test fetch (POST /api/sources/preview), never connecting', async () => {
    const wrong: string[] = [];
    // Names are judged by the fetch's DNS; the preview uses the system resolver, so only the
    // forms refused before any lookup are sent here (the rest are covered at fetch time below).
    const early = hostile.filter((h) => h.expect === 'refuse');
    const results = await pool(early, 4, async (h) => ({ h, res: await f.request('POST', '/api/sources/preview', { url: h.url, kind: 'feed' }) }));
    for (const { h, res } of results) {
      if (res.status === 400) {
        const e = await errorOf(res);
        if (!/[\u4e00-\u9fff]/.test(e.messageZh)) wrong.push(`${h.url}: 400 without a Chinese message`);
        continue;
      }
      const r = await res.json();
      if (res.status !== 200 || r.status !== 'ssrf_refused' || r.ok !== false || r.httpStatus !== null || !/[\u4e00-\u9fff]/.test(r.messageZh)) {
        wrong.push(`${h.url} → ${res.status} ${JSON.stringify(r).slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(canaryHits()).toBe(0);
  });
});

// ── Fetch time ───────────────────────────────────────────────────────────────────────────────

interface Tried {
  h: Hostile;
  r: FetchResult;
  asked: string[];
}

async function tryFetch(h: Hostile, extra: Partial<FetchOptions> = {}): Promise<Tried> {
  const asked: string[] = [];
  const r = await guardedFetch(h.url, fetchOptions({ resolve: async (name) => (asked.push(name), resolve(name)), ...extra }));
  return { h, r, asked };
}

describe('fetch time: guardedFetch and webhook delivery', () => {
  it('refuses every hostile URL at fetch; parser tricks only ever resolve the public name', async () => {
    const tried = await pool(hostile, 6, (h) => tryFetch(h));
    const wrong: string[] = [];
    for (const { h, r, asked } of tried) {
      if (h.expect === 'benign') {
        if (r.kind !== 'error' || r.status !== 'dns_error' || asked.join() !== h.host) wrong.push(`${h.url}: ${JSON.stringify(r).slice(0, 160)} asked ${asked.join()}`);
      } else if (r.kind !== 'error' || r.status !== 'ssrf_refused' || r.httpStatus !== null) {
        wrong.push(`${h.url}: ${JSON.stringify(r).slice(0, 160)}`);
      }
    }
    const leaks = privateHandOuts();
    recordFigure({
      area: 'ssrf',
      name: 'hostile URLs tried at fetch (guardedFetch)',
      value: tried.length,
      unit: 'URLs',
      goal: '≥ 80',
      met: tried.length >= 80 && wrong.length === 0 && leaks.length === 0,
      detail: { byClass: count(hostile), refused: tried.filter((t) => t.r.kind === 'error' && t.r.status === 'ssrf_refused').length, wrong: wrong.slice(0, 20) },
    });
    expect(wrong).toEqual([]);
    expect(leaks).toEqual([]);
    expect(tried.length).toBeGreaterThanOrEqual(80);
    expect(canaryHits()).toBe(0);
  });

  it('refuses every hostile webhook at delivery, permanently, with a bilingual reason', async () => {
    const targets = hostile.filter((h) => h.expect !== 'benign');
    const results = await pool(targets, 6, async (h) => ({ h, r: await sendWebhook({ url: h.url, format: 'json' }, payload, { smtpFrom: 'x@example.cn', isAllowed: () => false, resolve }) }));
    const wrong = results.filter(({ r }) => r.ok || r.permanent !== true || !/[\u4e00-\u9fff]/.test(r.error)).map(({ h, r }) => `${h.url}: ${JSON.stringify(r)}`);
    expect(wrong).toEqual([]);
    expect(privateHandOuts()).toEqual([]);
    expect(canaryHits()).toBe(0);
  });
});

// ── DNS rebinding ────────────────────────────────────────────────────────────────────────────

/** A resolver answering PUBLIC_IP the first `publicAnswers` times for `name`, then `later`. */
function flipping(name: string, later: string[], publicAnswers = 1) {
  let calls = 0;
  return {
    calls: () => calls,
    resolve: async (host: string): Promise<ResolvedAddress[]> => {
      if (host !== name) return resolve(host);
      calls++;
      const list = calls <= publicAnswers ? [PUBLIC_IP] : later;
      return list.map((address) => ({ address, family: family(address) }));
    },
  };
}

describe('DNS answers that change between check and connect (rebinding)', () => {
  const rounds = variant(3, 20);

  it.each([
    ['127.0.0.1'],
    ['::1'],
    ['127.0.0.2'],
    ['::ffff:127.0.0.1'],
    ['169.254.169.254'],
  ])('a name answering public, then %s: the socket only ever gets the vetted public address', async (later) => {
    for (let i = 0; i < rounds; i++) {
      const name = `flip${i}.attacker.example`;
      const dns = flipping(name, [later]);
      const before = standIn.hostile;
      const r = await guardedFetch(`http://${name}:${port}/feed.xml`, fetchOptions({ resolve: dns.resolve }));
      expect(r.kind).toBe('body');
      expect(dns.calls()).toBe(1); // resolved once, the socket was pinned to that answer
      expect(standIn.hostile).toBe(before + 1);
      // Next fetch: the name now answers privately and is refused before connecting.
      const again = await guardedFetch(`http://${name}:${port}/feed.xml`, fetchOptions({ resolve: dns.resolve }));
      expect(again).toMatchObject({ kind: 'error', status: 'ssrf_refused' });
    }
    expect(privateHandOuts()).toEqual([]);
    expect(canaryHits()).toBe(0);
  });

  it('a name flipping to private between two redirect hops on the same host is refused at the second hop', async () => {
    const name = 'hop-flip.attacker.example';
    const dns = flipping(name, ['127.0.0.1']);
    const r = await guardedFetch(`http://${name}:${port}/chain?n=1&loc=/feed.xml&code=302`, fetchOptions({ resolve: dns.resolve }));
    expect(r).toMatchObject({ kind: 'error', status: 'ssrf_refused' });
    expect(dns.calls()).toBe(2);
    expect(canaryHits()).toBe(0);
  });

  it.each([
    [[PUBLIC_IP, '127.0.0.1']],
    [['127.0.0.1', PUBLIC_IP]],
    [[PUBLIC_IP, '::1']],
    [[PUBLIC_IP, PUBLIC_IP, '::ffff:7f00:1']],
    [[PUBLIC_IP, '10.0.0.1', PUBLIC_IP]],
  ])('a mixed answer %j is refused as a whole, no address of it is connected', async (answer) => {
    const before = handed.length;
    const r = await guardedFetch(`http://mixed-list.attacker.example:${port}/`, fetchOptions({ resolve: async () => answer.map((address) => ({ address, family: family(address) })) }));
    expect(r).toMatchObject({ kind: 'error', status: 'ssrf_refused' });
    expect(handed.length).toBe(before);
    expect(canaryHits()).toBe(0);
  });

  it('a webhook and a crawl whose name rebinds: the first call reaches the public host, later ones are refused and the source is marked', async () => {
    const hook = flipping('hook-flip.attacker.example', ['127.0.0.1']);
    const ctx = { smtpFrom: 'x@example.cn', isAllowed: () => false, resolve: hook.resolve };
    expect(await sendWebhook({ url: `http://hook-flip.attacker.example:${port}/hook`, format: 'wecom' }, payload, ctx)).toEqual({ ok: true });
    const second = await sendWebhook({ url: `http://hook-flip.attacker.example:${port}/hook`, format: 'wecom' }, payload, ctx);
    expect(second).toMatchObject({ ok: false, permanent: true });
    expect(!second.ok && second.error).toMatch(/安全策略拒绝.*127\.0\.0\.1/);

    // A source created through the API (names are judged at fetch), crawled twice.
    const crawl = flipping('crawl-flip.attacker.example', ['127.0.0.1']);
    const res = await f.request('POST', '/api/sources', { name: '会重绑定的源', url: `http://crawl-flip.attacker.example:${port}/feed.xml`, kind: 'feed' });
    expect(res.status).toBe(201);
    const id = (await res.json()).id as number;
    const { deps } = crawlDeps(f.db, { resolve: crawl.resolve });
    expect((await crawlSource(deps, id, 'ssrf-1')).status).toBe('ok');
    await f.db.updateTable('sources').set({ next_fetch_at: new Date(0) }).where('id', '=', id).execute();
    const out = await crawlSource(deps, id, 'ssrf-2');
    expect(out.status).toBe('ssrf_refused');
    const row = await f.db.selectFrom('sources').select(['status', 'status_message', 'consecutive_failures']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('ssrf_refused');
    expect(row.status_message).toMatch(/127\.0\.0\.1/);
    expect(row.consecutive_failures).toBe(1);
    expect(privateHandOuts()).toEqual([]);
    expect(canaryHits()).toBe(0);
  });
});

// ── Redirects ────────────────────────────────────────────────────────────────────────────────

describe('redirects to private addresses at any hop', () => {
  const CODES = [301, 302, 303, 307, 308];
  const targets = (P: number) => [
    `http://127.0.0.1:${P}/`,
    `http://[::1]:${P}/`,
    `http://127.0.0.2:${P}/`,
    `http://0x7f.1:${P}/`,
    `http://2130706433:${P}/`,
    `http://[::ffff:7f00:1]:${P}/`,
    `http://localhost:${P}/`,
    `//127.0.0.1:${P}/protocol-relative`,
    `\\\\127.0.0.1:${P}\\backslash-relative`,
    `/\\127.0.0.1:${P}/slash-backslash`,
    `http://rebind.attacker.example:${P}/`,
    `http://v6loop.attacker.example:${P}/`,
    'http://169.254.169.254/latest/meta-data/',
    'http://meta.attacker.example/latest/meta-data/',
    `https://127.0.0.1:${P}/`,
    `http://public.example@127.0.0.1:${P}/`,
    'file:///etc/passwd',
    `gopher://127.0.0.1:${P}/_x`,
  ];
  let refused = 0;
  let total = 0;

  it('refuses a private target at the first, second and third hop, for every redirect status', async () => {
    const cases: Array<{ url: string; hops: number; code: number; target: string }> = [];
    const list = targets(port);
    list.forEach((target, i) => {
      for (const hops of [1, 2, 3]) {
        const code = CODES[(i + hops) % CODES.length];
        const loc = encodeURIComponent(target);
        const url = hops === 1 ? `http://pub.attacker.example:${port}/to?code=${code}&loc=${loc}` : `http://pub.attacker.example:${port}/chain?n=${hops - 1}&code=${code}&loc=${loc}`;
        cases.push({ url, hops, code, target });
      }
    });
    for (const code of CODES) cases.push({ url: `http://pub.attacker.example:${port}/to?code=${code}&loc=${encodeURIComponent(`http://127.0.0.1:${port}/`)}`, hops: 1, code, target: 'loopback' });
    const wrong: string[] = [];
    const before = standIn.hostile;
    const results = await pool(cases, 4, async (c) => ({ c, r: await guardedFetch(c.url, fetchOptions()) }));
    for (const { c, r } of results) {
      total++;
      if (r.kind === 'error' && r.status === 'ssrf_refused') refused++;
      else wrong.push(`${c.code} ×${c.hops} → ${c.target}: ${JSON.stringify(r).slice(0, 160)}`);
    }
    // Every case reached the public stand-in for each of its hops, then stopped.
    expect(standIn.hostile - before).toBe(cases.reduce((n, c) => n + c.hops, 0));
    expect(wrong).toEqual([]);
    expect(privateHandOuts()).toEqual([]);
    expect(canaryHits()).toBe(0);
  });

  it('a POST (webhook) answered with a 307/308 to a private address is not followed', async () => {
    for (const code of [307, 308, 302]) {
      total++;
      const url = `http://pub.attacker.example:${port}/to?code=${code}&loc=${encodeURIComponent(`http://127.0.0.1:${port}/hook`)}`;
      const r = await sendWebhook({ url, format: 'json' }, payload, { smtpFrom: 'x@example.cn', isAllowed: () => false, resolve });
      expect(r.ok).toBe(false);
      if (!r.ok) refused++;
    }
    // And guardedFetch itself, posting with redirects allowed, re-checks the 307 target.
    total++;
    const posted = await guardedFetch(`http://pub.attacker.example:${port}/to?code=307&loc=${encodeURIComponent(`http://[::1]:${port}/`)}`, fetchOptions({ method: 'POST', body: Buffer.from('{}') }));
    expect(posted).toMatchObject({ kind: 'error', status: 'ssrf_refused' });
    refused++;
    expect(canaryHits()).toBe(0);
  });

  afterAll(() => {
    recordFigure({ area: 'ssrf', name: 'redirect cases refused', value: refused, unit: 'cases', goal: `all ${total}`, met: total > 0 && refused === total, detail: { total, codes: CODES, hops: [1, 2, 3] } });
  });
});

// ── Canary totals, then the positive control ─────────────────────────────────────────────────

describe('canaries', () => {
  it('no hostile URL, rebinding answer or redirect reached a canary listener', () => {
    const hits = canaryHits();
    recordFigure({
      area: 'ssrf',
      name: 'connections reaching canary listeners',
      value: hits,
      unit: 'connections',
      goal: '0',
      met: hits === 0,
      detail: { port, listeners: canaries.map((c) => c.host), notBindable: notBound, socketsHanded: handed.length, privateHandOuts: privateHandOuts().length },
    });
    expect(canaries.map((c) => c.host)).toContain('127.0.0.1');
    expect(hits).toBe(0);
    expect(privateHandOuts()).toEqual([]);
  });

  it('positive control: an allow-listed host:port IS reached, and without the entry the same URL is refused', async () => {
    phase = 'control';
    const url = `http://127.0.0.1:${port}/feed.xml`;
    // Without the entry: refused at creation, preview and fetch.
    expect((await f.request('POST', '/api/sources', { name: '白名单对照', url, kind: 'feed' })).status).toBe(400);
    expect((await (await f.request('POST', '/api/sources/preview', { url, kind: 'feed' })).json()).status).toBe('ssrf_refused');
    expect(await guardedFetch(url, fetchOptions())).toMatchObject({ kind: 'error', status: 'ssrf_refused' });
    expect(controlHits()).toBe(0);

    await allowHost(f.db, `127.0.0.1:${port}`);
    const preview = await (await f.request('POST', '/api/sources/preview', { url, kind: 'feed' })).json();
    expect(preview).toMatchObject({ status: 'ok', ok: true, total: 1 });
    expect(controlHits()).toBe(1);
    expect((await f.request('POST', '/api/sources', { name: '白名单对照', url, kind: 'feed' })).status).toBe(201);
    const fetched = await guardedFetch(url, fetchOptions({ isAllowed: (hp) => hp === `127.0.0.1:${port}` }));
    expect(fetched.kind).toBe('body');
    expect(controlHits()).toBe(2);
    // Allow-listing is per host:port: the neighbouring loopback address stays refused.
    expect(await guardedFetch(`http://127.0.0.2:${port}/`, fetchOptions({ isAllowed: (hp) => hp === `127.0.0.1:${port}` }))).toMatchObject({ status: 'ssrf_refused' });

    await f.db.deleteFrom('fetch_allowlist').execute();
    expect((await (await f.request('POST', '/api/sources/preview', { url, kind: 'feed' })).json()).status).toBe('ssrf_refused');
    expect(controlHits()).toBe(2);
    expect(canaries[0].paths.filter((p) => p.endsWith('/feed.xml'))).toHaveLength(2);
  });
});
