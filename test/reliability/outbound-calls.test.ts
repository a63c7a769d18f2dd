import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordFigure } from './figures.js';

// "One HTTP client for every outbound call" (DESIGN.md): this reads the product's sources
// (server/, worker/, core/, bin/; not tests) and finds every place that could open an outbound
// connection: fetch(, http/https .request/.get, net/tls connect, raw sockets, WebSocket,
// EventSource, nodemailer transports, third-party HTTP clients (undici, axios, got…), curl/wget
// child processes, and value imports of node's network modules. Each site must be the guarded
// client (platform/http/fetch.ts) or an exception listed below with its reason. A new raw fetch
// anywhere else fails this test.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCANNED = ['server', 'worker', 'services', 'platform', 'demo', 'db', 'core', 'bin'];
const GUARDED_CLIENT = 'platform/http/fetch.ts';

type Kind =
  | 'global fetch'
  | 'http(s) request'
  | 'http(s) get'
  | 'net/tls connect'
  | 'raw socket'
  | 'websocket / event source'
  | 'mail transport'
  | 'http client library'
  | 'network module import'
  | 'curl / wget';

interface Site {
  file: string;
  line: number;
  kind: Kind;
  text: string;
}

/** Justified exceptions: every other site outside the guarded client fails the test. */
const EXCEPTIONS: Array<{ file: string; kind: Kind; why: string }> = [
  {
    file: 'services/notifications/deliver.ts',
    kind: 'mail transport',
    why: 'SMTP to the mail server an administrator configured (SMTP_URL or the channel smtpUrl); not HTTP, so it cannot be guardedFetch, but the host is vetted by the same guard first (vetTarget: allow-list, private addresses after DNS) and the transport is handed the vetted address',
  },
  {
    file: 'demo/site.ts',
    kind: 'network module import',
    why: 'the local demo fixture site: node:http is used for http.createServer (inbound only); any client call in it would be caught as its own site',
  },
];

const NETWORK_MODULES = /^(?:node:)?(?:http|https|http2|net|tls|dgram)$/;
/** Names from node's network modules that open nothing. */
const PURE_NAMES = new Set(['isIP', 'isIPv4', 'isIPv6', 'STATUS_CODES', 'METHODS', 'validateHeaderName', 'validateHeaderValue']);
const CLIENT_LIBRARIES =
  /^(?:undici|node-fetch|cross-fetch|isomorphic-fetch|make-fetch-happen|axios|got|ky|superagent|request|needle|phin|bent|ws|socket\.io-client|eventsource|http2-wrapper|follow-redirects|node-libcurl)(?:\/.*)?$/;

/**
 * Two views of a source: comments removed (strings kept, for import specifiers) and comments
 * removed with string / template / regex contents blanked (for call sites). Offsets and line
 * numbers are preserved (removed characters become spaces, newlines stay).
 */
function views(src: string): { code: string; bare: string } {
  const code: string[] = [];
  const bare: string[] = [];
  const keep = (c: string, inString: boolean) => {
    code.push(c);
    bare.push(inString && c !== '\n' ? ' ' : c);
  };
  const drop = (c: string) => {
    const s = c === '\n' ? '\n' : ' ';
    code.push(s);
    bare.push(s);
  };
  // Stack of contexts: 'code' (with the brace depth of a template expression) or 'template'.
  const stack: Array<{ t: 'code'; depth: number } | { t: 'template' }> = [{ t: 'code', depth: 0 }];
  let lastSignificant = '';
  let i = 0;
  while (i < src.length) {
    const top = stack[stack.length - 1];
    const c = src[i];
    const next = src[i + 1];
    if (top.t === 'template') {
      if (c === '\\') {
        keep(c, true);
        if (next !== undefined) keep(next, true);
        i += 2;
      } else if (c === '`') {
        keep(c, false);
        stack.pop();
        lastSignificant = '`';
        i++;
      } else if (c === '$' && next === '{') {
        keep(c, false);
        keep(next, false);
        stack.push({ t: 'code', depth: 0 });
        lastSignificant = '{';
        i += 2;
      } else {
        keep(c, true);
        i++;
      }
      continue;
    }
    if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') drop(src[i++]);
      continue;
    }
    if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      while (i < stop) drop(src[i++]);
      continue;
    }
    if (c === "'" || c === '"') {
      keep(c, false);
      i++;
      while (i < src.length && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\' && i + 1 < src.length) keep(src[i++], true);
        keep(src[i++], true);
      }
      if (i < src.length) keep(src[i++], false);
      lastSignificant = c;
      continue;
    }
    if (c === '`') {
      keep(c, false);
      stack.push({ t: 'template' });
      i++;
      continue;
    }
    if (c === '/' && (lastSignificant === '' || '(,=:[!&|?{};+-*%<>~^'.includes(lastSignificant))) {
      // A regular expression literal.
      keep(c, false);
      i++;
      let inClass = false;
      while (i < src.length && src[i] !== '\n') {
        const d = src[i];
        if (d === '\\' && i + 1 < src.length) {
          keep(src[i++], true);
          keep(src[i++], true);
          continue;
        }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        keep(src[i++], true);
      }
      if (i < src.length && src[i] === '/') keep(src[i++], false);
      lastSignificant = 'a';
      continue;
    }
    if (top.t === 'code' && stack.length > 1) {
      if (c === '{') top.depth++;
      else if (c === '}') {
        if (top.depth === 0) {
          stack.pop();
          keep(c, false);
          i++;
          continue;
        }
        top.depth--;
      }
    }
    keep(c, false);
    if (!/\s/.test(c)) lastSignificant = /[\w$)\]]/.test(c) ? 'a' : c;
    i++;
  }
  return { code: code.join(''), bare: bare.join('') };
}

/** Every outbound-capable site in one file's source. */
function scan(file: string, src: string): Site[] {
  const { code, bare } = views(src);
  const sites: Site[] = [];
  const lineOf = (offset: number) => code.slice(0, offset).split('\n').length;
  const add = (kind: Kind, offset: number, text: string) => sites.push({ file, line: lineOf(offset), kind, text: text.trim().slice(0, 120) });

  // Imports (static, dynamic, require) of network modules and client libraries.
  const networkBindings = new Set<string>();
  const importRe = /\bimport\s+(type\s+)?([\w$*{}\s,]+?)\s+from\s*['"]([^'"]+)['"]|\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of code.matchAll(importRe)) {
    const spec = m[3] ?? m[4];
    const isType = Boolean(m[1]);
    if (CLIENT_LIBRARIES.test(spec) && !isType) {
      add('http client library', m.index, m[0]);
      continue;
    }
    if (!NETWORK_MODULES.test(spec) || isType) continue;
    if (m[4] !== undefined) {
      add('network module import', m.index, m[0]);
      continue;
    }
    const clause = m[2];
    const named = /\{([^}]*)\}/.exec(clause)?.[1] ?? '';
    const namedValues = named
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '' && !s.startsWith('type '))
      .map((s) => s.split(/\s+as\s+/));
    const outside = clause.replace(/\{[^}]*\}/, '').replace(/\*\s+as\s+/, '');
    const defaults = outside.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const impure = namedValues.filter(([name]) => !PURE_NAMES.has(name));
    for (const d of defaults) networkBindings.add(d);
    for (const [name, alias] of impure) networkBindings.add(alias ?? name);
    if (defaults.length > 0 || impure.length > 0) add('network module import', m.index, m[0]);
  }

  const rules: Array<[Kind, RegExp]> = [
    ['global fetch', /(?<![\w$.])fetch\s*\(/g],
    ['global fetch', /\b(?:globalThis|window|self|global)\s*\.\s*fetch\b/g],
    ['http(s) request', /\.\s*request\s*\(/g],
    ['http(s) get', /\b(?:http|https|http2)\s*\.\s*get\s*\(/g],
    ['net/tls connect', /\b(?:net|tls|http2)\s*\.\s*(?:connect|createConnection)\s*\(/g],
    ['net/tls connect', /(?<![\w$.])createConnection\s*\(/g],
    ['raw socket', /\bnew\s+(?:[\w$]+\s*\.\s*)?(?:Socket|TLSSocket)\s*\(/g],
    ['websocket / event source', /\bnew\s+(?:[\w$]+\s*\.\s*)?(?:WebSocket|EventSource)\s*\(|\bXMLHttpRequest\b/g],
    ['mail transport', /\bcreateTransport\s*\(/g],
  ];
  for (const [kind, re] of rules) for (const m of bare.matchAll(re)) add(kind, m.index, code.slice(m.index, code.indexOf('\n', m.index)));
  // Calls through a binding of a network module under another name (`import h from 'node:http'; h.get(…)`).
  for (const b of networkBindings) {
    if (['http', 'https', 'http2', 'net', 'tls'].includes(b)) continue; // covered by the rules above
    const re = new RegExp(`(?<![\\w$.])${b.replace(/\$/g, '\\$')}\\s*(?:\\.\\s*(get|connect|createConnection)\\s*\\(|\\()`, 'g');
    for (const m of bare.matchAll(re)) add(m[1] === 'get' ? 'http(s) get' : 'net/tls connect', m.index, code.slice(m.index, code.indexOf('\n', m.index)));
  }
  for (const m of code.matchAll(/\b(?:spawn|spawnSync|exec|execSync|execFile|execFileSync)\s*\(\s*['"`](?:curl|wget)\b/g)) add('curl / wget', m.index, m[0]);
  return sites.sort((a, b) => a.line - b.line);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(?:[cm]?[jt]s|tsx)$/.test(name) && !/\.(?:test|spec)\.[cm]?[jt]sx?$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Sites that are neither the guarded client nor a listed exception. */
function unguarded(sites: Site[]): Site[] {
  return sites.filter((s) => s.file !== GUARDED_CLIENT && !EXCEPTIONS.some((e) => e.file === s.file && e.kind === s.kind));
}

const rel = (full: string) => relative(ROOT, full).split(sep).join('/');

describe('the scanner', () => {
  it('finds every kind of outbound call, and only real code (not comments, strings or type imports)', () => {
    const hostile = [
      `const r = await fetch(url);`,
      `const r2 = await globalThis.fetch(url);`,
      `import http from 'node:http';\nhttp.get('http://10.0.0.1/');`,
      `import * as https from 'https';\nhttps.request({ host: 'x' });`,
      `import h from 'node:http';\nh.get(u);`,
      `import { request as rq } from 'node:http';\nrq(u);`,
      `import { request } from 'undici';`,
      `const { default: axios } = await import('axios');`,
      `const nf = require('node-fetch');`,
      `import net from 'node:net';\nnet.connect(80, '127.0.0.1');`,
      `import tls from 'node:tls';\ntls.connect({ host: 'x' });`,
      `import { createConnection } from 'node:net';\ncreateConnection(80);`,
      `import net from 'node:net';\nconst s = new net.Socket();`,
      `const ws = new WebSocket('ws://127.0.0.1/');`,
      `const es = new EventSource(u);`,
      `const t = nodemailer.createTransport('smtp://x');`,
      "spawn('curl', ['http://169.254.169.254/']);",
      `const client = secure ? https : http;\nclient.request(o);`,
    ];
    const kinds = hostile.map((src) => scan('worker/jobs/new-job.ts', src).map((s) => s.kind));
    for (const [i, found] of kinds.entries()) expect(found.length, hostile[i]).toBeGreaterThan(0);
    // A new raw fetch anywhere outside the guarded client is unguarded.
    expect(unguarded(scan('worker/jobs/new-job.ts', 'export async function ping(u: string) { return fetch(u); }'))).toHaveLength(1);
    expect(unguarded(scan('server/modules/x/routes.ts', "import https from 'node:https';\nexport const get = (u: string) => https.get(u);"))).toHaveLength(2);
    // Even next to an exception, another kind in the same file is caught.
    expect(unguarded(scan('demo/site.ts', "import http from 'node:http';\nhttp.get('http://x/');")).map((s) => s.kind)).toEqual(['http(s) get']);

    const harmless = [
      `const r = await guardedFetch(url, opts); prefetch(x); refetch();`,
      `// fetch(url) in a comment\n/* http.get(u) */`,
      `const msg = 'call fetch( here'; const t = \`then http.request( \${'x'}\`;`,
      `const re = /fetch\\(|\\.request\\(/g;`,
      `import type { IncomingMessage } from 'node:http';\nimport { isIP } from 'node:net';\nimport type { Socket } from 'node:net';`,
      `const a = map.get(k); c.req.json(); rules.get();`,
    ];
    for (const src of harmless) expect(scan('worker/jobs/new-job.ts', src), src).toEqual([]);
  });
});

describe('every outbound call goes through the one guarded client', () => {
  const files = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d)));
  const sites = files.flatMap((full) => scan(rel(full), readFileSync(full, 'utf8')));

  it('finds no unguarded call site in server/, worker/, core/, bin/', () => {
    const bad = unguarded(sites);
    recordFigure({
      area: 'ssrf',
      name: 'outbound call sites found',
      value: sites.length,
      unit: 'sites',
      goal: '',
      met: null,
      detail: { filesScanned: files.length, sites: sites.map((s) => `${s.file}:${s.line} ${s.kind}`) },
    });
    recordFigure({
      area: 'ssrf',
      name: 'unguarded outbound call sites',
      value: bad.length,
      unit: 'sites',
      goal: '0',
      met: bad.length === 0,
      detail: { exceptions: EXCEPTIONS.map((e) => `${e.file} (${e.kind}): ${e.why}`), unguarded: bad.map((s) => `${s.file}:${s.line} ${s.kind}: ${s.text}`) },
    });
    expect(files.length).toBeGreaterThan(50);
    expect(bad.map((s) => `${s.file}:${s.line} ${s.kind}: ${s.text}`)).toEqual([]);
  });

  it('the guarded client is the only place that makes HTTP requests, and every exception is still in use', () => {
    const requests = sites.filter((s) => s.kind === 'http(s) request' || s.kind === 'http(s) get' || s.kind === 'global fetch');
    expect(requests.length).toBeGreaterThan(0);
    expect([...new Set(requests.map((s) => s.file))]).toEqual([GUARDED_CLIENT]);
    expect(readFileSync(join(ROOT, GUARDED_CLIENT), 'utf8')).toMatch(/export async function guardedFetch\(/);
    for (const e of EXCEPTIONS) {
      expect(sites.some((s) => s.file === e.file && s.kind === e.kind), `stale exception ${e.file} (${e.kind})`).toBe(true);
      expect(e.why.length).toBeGreaterThan(20);
    }
  });

  it('webhook delivery and the test fetch use guardedFetch', () => {
    for (const file of ['services/notifications/deliver.ts', 'services/crawl/preview.ts', 'services/crawl/steps/fetch.ts']) {
      expect(views(readFileSync(join(ROOT, file), 'utf8')).bare, file).toMatch(/\bguardedFetch\s*\(/);
    }
  });
});
