// Reliability: the crawler's parsing under hostile and broken content. Hostile XML (XXE, billion
// laughs, prototype-polluting names), a charset corpus (correct, missing and wrong labels), a
// malformed-feed corpus, selector drift on a site source, and property tests over
// decode → parse → normalise → sanitise → match. Every outcome must be `ok` or a classified
// failure the product stores on the source; nothing may crash, read files, fetch, or pollute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import fc from 'fast-check';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { addSource, allowHost, crawlDeps, makeDue } from '../helpers/crawl.js';
import { CrawlFailure, crawlSource, type ParseSpec } from '../../services/crawl/crawl-source.js';
import { entriesOf } from '../../services/crawl/steps/parse.js';
import { entryFields } from '../../services/crawl/steps/normalise.js';
import { extractDetail } from '../../services/crawl/parse.js';
import type { FetchResult } from '../../platform/http/fetch.js';
import { canonicalUrl } from '../../core/url.js';
import { htmlToText, sanitizeHtml } from '../../core/html.js';
import { negativity } from '../../core/sentiment.js';
import { storyText } from '../../core/stories.js';
import { simhash } from '../../core/simhash.js';
import { compileRules, matchItem, type CompiledRules } from '../../core/rules/index.js';
import { recordFigure, variant } from './figures.js';
import { charsetCases, LIST_SELECTORS, mojibakeRate, replacementCount, type CharsetCase } from './charset-corpus.js';
import { DATE_NOW, feedCorpus, type FeedCase } from './feed-corpus.js';

const BASE = 'https://news.example.cn/list/';
/** Generous: a parse that takes this long is a hang, not a slow machine. */
const PARSE_DEADLINE_MS = variant(15_000, 45_000);
/** Per-test timeout: the short variants finish in seconds; the long ones crawl about 1,000 files. */
const LONG_TIMEOUT = variant(90_000, 900_000);

// ---------------------------------------------------------------------------------------------
// Shared: the pipeline of one fetched body, exactly as a crawl runs it (entriesOf = charset
// decode + parse, entryFields = normalise), plus canonical URLs, sanitising and rule matching.

type Outcome =
  | { kind: 'ok'; entries: number; titles: string[]; texts: string[]; sanitized: string[]; estimated: number; invalidDates: number; hits: number[] }
  | { kind: 'classified'; status: string; message: string }
  | { kind: 'crash'; error: string };

const feedSpec: ParseSpec = { kind: 'feed', charset: null, selectors: null };
const siteSpec: ParseSpec = { kind: 'site', charset: null, selectors: LIST_SELECTORS };

function fetched(bytes: Uint8Array, contentType: string | null, finalUrl = BASE): Extract<FetchResult, { kind: 'body' }> {
  return {
    kind: 'body',
    body: Buffer.from(bytes),
    contentType,
    finalUrl,
    httpStatus: 200,
    etag: null,
    lastModified: null,
  } as Extract<FetchResult, { kind: 'body' }>;
}

/** Classified failures: what crawlSource stores on the source instead of throwing. */
const CLASSIFIED = new Set(['parse_error', 'selector_empty']);

async function runPipeline(spec: ParseSpec, bytes: Uint8Array, contentType: string | null, rules: CompiledRules, maxEntries = 200): Promise<Outcome> {
  try {
    const entries = await entriesOf(spec, fetched(bytes, contentType));
    const out: Extract<Outcome, { kind: 'ok' }> = { kind: 'ok', entries: entries.length, titles: [], texts: [], sanitized: [], estimated: 0, invalidDates: 0, hits: [] };
    for (const entry of entries.slice(0, maxEntries)) {
      const url = entry.link ? canonicalUrl(entry.link, BASE) : null;
      const { title, text, date } = entryFields(entry, entry.content, DATE_NOW);
      // What a crawl stores must be storable: PostgreSQL text rejects NUL.
      if ([title, text, entry.author ?? '', entry.guid ?? '', url ?? ''].some((v) => v.includes('\u0000'))) {
        return { kind: 'crash', error: 'NUL character in a stored field' };
      }
      if (!(date.date instanceof Date) || Number.isNaN(date.date.getTime())) out.invalidDates++;
      if (date.estimated) out.estimated++;
      const neg = negativity(`${title}\n${text}`);
      simhash(storyText(title, text));
      for (const h of matchItem(rules, { title, text, negativity: neg })) out.hits.push(h.ruleId);
      out.titles.push(title);
      out.texts.push(text);
      out.sanitized.push(sanitizeHtml(entry.content, url ?? BASE), sanitizeHtml(entry.title, url ?? BASE));
    }
    return out;
  } catch (err) {
    if (err instanceof CrawlFailure && CLASSIFIED.has(err.status)) return { kind: 'classified', status: err.status, message: err.message };
    return { kind: 'crash', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

/** Sanitised HTML must carry no script, no event handler attribute, no javascript: URL. */
function unsafeIn(html: string): string | null {
  if (/<script/i.test(html)) return '<script';
  if (/\son[a-z]+\s*=/i.test(html)) return 'on*=';
  if (/javascript:/i.test(html)) return 'javascript:';
  return null;
}

const protoSnapshot = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const PROTO_BEFORE = protoSnapshot();
const notPolluted = () =>
  ({} as Record<string, unknown>).polluted === undefined &&
  (Object.prototype as Record<string, unknown>).polluted === undefined &&
  ({} as Record<string, unknown>).isAdmin === undefined &&
  protoSnapshot() === PROTO_BEFORE &&
  typeof Object.prototype.toString === 'function' &&
  Object.prototype.toString.call([]) === '[object Array]';

const RULES = compileRules(
  ['停水', '自来水', '拆迁 & 补偿', '施工 | 噪音'].map((expression, i) => ({ id: i + 1, expression, scope: 'title_text' as const, negativeOnly: false })),
);

// ---------------------------------------------------------------------------------------------
// One local web server for the end-to-end crawls (routes set per test), one canary that must
// never see a connection, one database.

let t: TestDb;
let server: Server;
let site = '';
let canary: Server;
let canaryUrl = '';
let canaryConnections = 0;
const sockets = new Set<Socket>();
const routes = new Map<string, { body: Buffer; contentType: string }>();

function listen(s: Server): Promise<string> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  t = await createTestDb('crawler_content');
  server = createServer((req, res) => {
    const r = routes.get(req.url ?? '');
    if (!r) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': r.contentType, 'content-length': r.body.length }).end(r.body);
  });
  server.on('connection', (s) => sockets.add(s));
  canary = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('root:x:0:0:canary'));
  canary.on('connection', (s) => {
    canaryConnections++;
    sockets.add(s);
  });
  site = await listen(server);
  canaryUrl = await listen(canary);
  // Both allowed: if the parser fetched anything, the crawler's own policy would not stop it.
  await allowHost(t.db, new URL(site).host);
  await allowHost(t.db, new URL(canaryUrl).host);
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await new Promise<void>((r) => (canary ? canary.close(() => r()) : r()));
  await t?.drop();
});

const sourceRow = (id: number) => t.db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

// ---------------------------------------------------------------------------------------------

describe('hostile XML: external entities, entity expansion, prototype names', () => {
  const hostile = (): { name: string; spec: ParseSpec; body: string; contentType: string }[] => {
    const feed = (doctype: string, item: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>${doctype}<rss version="2.0"><channel><title>t</title><link>https://news.example.cn/</link>${item}</channel></rss>`;
    const laughs =
      '<!DOCTYPE rss [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
      ']>';
    const rss = 'application/rss+xml; charset=utf-8';
    return [
      { name: 'XXE file:///etc/passwd in a title', spec: feedSpec, contentType: rss, body: feed('<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '<item><title>&xxe;</title><link>https://a.example/1</link></item>') },
      { name: 'XXE file:///etc/passwd declared, used in content', spec: feedSpec, contentType: rss, body: feed('<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '<item><title>x</title><link>https://a.example/1</link><description>&xxe;</description></item>') },
      { name: 'XXE file entity declared, never used', spec: feedSpec, contentType: rss, body: feed('<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '<item><title>平安</title><link>https://a.example/1</link></item>') },
      { name: 'XXE http entity to the canary', spec: feedSpec, contentType: rss, body: feed(`<!DOCTYPE rss [<!ENTITY xxe SYSTEM "${canaryUrl}/xxe">]>`, '<item><title>&xxe;</title><link>https://a.example/1</link></item>') },
      { name: 'XXE parameter entity to the canary', spec: feedSpec, contentType: rss, body: feed(`<!DOCTYPE rss [<!ENTITY % remote SYSTEM "${canaryUrl}/evil.dtd"> %remote;]>`, '<item><title>p</title><link>https://a.example/1</link></item>') },
      { name: 'external DTD on the canary', spec: feedSpec, contentType: rss, body: feed(`<!DOCTYPE rss SYSTEM "${canaryUrl}/rss.dtd">`, '<item><title>d</title><link>https://a.example/1</link></item>') },
      { name: 'XInclude of a file and of the canary', spec: feedSpec, contentType: rss, body: feed('', `<item xmlns:xi="http://www.w3.org/2001/XInclude"><title>x</title><link>https://a.example/1</link><description><xi:include href="file:///etc/passwd" parse="text"/><xi:include href="${canaryUrl}/xi"/></description></item>`) },
      { name: 'stylesheet PI on the canary', spec: feedSpec, contentType: rss, body: `<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="${canaryUrl}/s.xsl"?>${feed('', '<item><title>s</title><link>https://a.example/1</link></item>').replace(/^<\?xml[^>]*\?>/, '')}` },
      { name: 'billion laughs (10 levels)', spec: feedSpec, contentType: rss, body: feed(laughs, '<item><title>&lol9;</title><link>https://a.example/1</link></item>') },
      { name: 'billion laughs declared, never used', spec: feedSpec, contentType: rss, body: feed(laughs, '<item><title>ok</title><link>https://a.example/1</link></item>') },
      { name: 'quadratic blowup', spec: feedSpec, contentType: rss, body: feed(`<!DOCTYPE rss [<!ENTITY a "${'x'.repeat(50_000)}">]>`, `<item><title>${'&a;'.repeat(20_000)}</title><link>https://a.example/1</link></item>`) },
      {
        name: '__proto__ / constructor / prototype elements and attributes (RSS)',
        spec: feedSpec,
        contentType: rss,
        body: feed(
          '',
          '<__proto__><polluted>yes</polluted></__proto__><constructor><prototype><polluted>yes</polluted></prototype></constructor>' +
            '<item __proto__="x" constructor="y" prototype="z" hasOwnProperty="h"><title __proto__="a">正常标题</title><link>https://a.example/1</link>' +
            '<__proto__ polluted="yes"><polluted>yes</polluted></__proto__><constructor><prototype><polluted>yes</polluted></prototype></constructor>' +
            '<prototype>z</prototype><isAdmin>true</isAdmin><toString>x</toString><valueOf>y</valueOf><hasOwnProperty>z</hasOwnProperty></item>' +
            '<item><title>两个</title><link>https://a.example/2</link><__>v</__><_____proto__>w</_____proto__><_x>y</_x></item>',
        ),
      },
      {
        name: 'element named like the XML reader\'s text key (_) and attribute key ($)',
        spec: feedSpec,
        contentType: rss,
        body: feed('', '<item><title>t</title><link>https://a.example/1</link><_>u</_><_ _="1">v</_></item><item><title>t2</title><link>https://a.example/2</link></item>'),
      },
      {
        name: '__proto__ names in Atom',
        spec: feedSpec,
        contentType: 'application/atom+xml',
        body:
          '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><__proto__><polluted>1</polluted></__proto__>' +
          '<entry __proto__="1"><title>a</title><link href="https://a.example/1" __proto__="x" constructor="y"/><__proto__ polluted="1">x</__proto__><constructor>c</constructor><id>__proto__</id></entry></feed>',
      },
      {
        name: '__proto__ names in RDF and namespaces',
        spec: feedSpec,
        contentType: 'application/rdf+xml',
        body:
          '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:__proto__="urn:x">' +
          '<channel rdf:about="x"><title>t</title></channel><item rdf:about="https://a.example/1"><title>r</title><link>https://a.example/1</link><__proto__:polluted>1</__proto__:polluted><constructor>1</constructor></item></rdf:RDF>',
      },
      {
        name: 'DOCTYPE entities and __proto__ in an HTML list page',
        spec: siteSpec,
        contentType: 'text/html; charset=utf-8',
        body:
          `<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY ext SYSTEM "${canaryUrl}/html">]><html><head><link rel="stylesheet" href="${canaryUrl}/a.css"></head><body>` +
          `<ul class="news"><li __proto__="1" constructor="2"><a href="/a/1.html" __proto__="x">&xxe;&ext;标题</a></li><li><a href="/__proto__/constructor/prototype">原型</a></li></ul>` +
          `<img src="${canaryUrl}/img.png"><iframe src="${canaryUrl}/frame"></iframe></body></html>`,
      },
    ];
  };

  it('reads no file, fetches nothing, pollutes nothing, ends in bounded time', async () => {
    const cases = hostile();
    const results: Record<string, string> = {};
    let passed = 0;
    for (const c of cases) {
      const t0 = performance.now();
      const r = await runPipeline(c.spec, Buffer.from(c.body, 'utf8'), c.contentType, RULES);
      const ms = performance.now() - t0;
      const produced = r.kind === 'ok' ? [...r.titles, ...r.texts, ...r.sanitized].join('\n') : r.kind === 'classified' ? r.message : r.error;
      const leaked = /root:.*:0:0:|canary|daemon:|nologin/.test(produced);
      const good = r.kind !== 'crash' && !leaked && ms < PARSE_DEADLINE_MS && notPolluted();
      results[c.name] = `${r.kind === 'ok' ? `ok (${r.entries})` : r.kind === 'classified' ? r.status : `CRASH ${r.error}`}${leaked ? ' LEAKED' : ''} ${Math.round(ms)} ms`;
      if (good) passed++;
      expect(r.kind, `${c.name}: ${results[c.name]}`).not.toBe('crash');
      expect(leaked, c.name).toBe(false);
      expect(ms, c.name).toBeLessThan(PARSE_DEADLINE_MS);
      expect(notPolluted(), c.name).toBe(true);
      if (r.kind === 'ok') {
        // Elements named like Object.prototype members are just unknown elements: titles stay plain text.
        for (const title of r.titles) expect(typeof title).toBe('string');
        for (const html of r.sanitized) expect(unsafeIn(html)).toBeNull();
      }
    }
    // Entity references that would need the DTD are rejected as a whole; declared-but-unused ones are harmless.
    expect(results['XXE file:///etc/passwd in a title']).toMatch(/^parse_error/);
    expect(results['billion laughs (10 levels)']).toMatch(/^parse_error/);
    expect(results['__proto__ / constructor / prototype elements and attributes (RSS)']).toMatch(/^ok \(2\)/);
    // Give any stray request a moment to arrive before counting.
    await new Promise((r) => setTimeout(r, 200));
    expect(canaryConnections).toBe(0);
    recordFigure({
      area: 'crawler',
      name: 'hostile XML cases (XXE, billion laughs, __proto__ names) passed',
      value: passed,
      unit: `of ${cases.length}`,
      goal: `${cases.length} of ${cases.length}, 0 canary connections`,
      met: passed === cases.length && canaryConnections === 0,
      detail: { ...results, canaryConnections },
    });
  });

  it('pages nested tens of thousands deep or wide parse in bounded time, without a stack overflow', async () => {
    const depth = variant(50_000, 400_000);
    const deep = `${'<div>'.repeat(depth)}深层正文${'</div>'.repeat(depth)}`;
    const wide = '<div>宽</div><script>x()</script>'.repeat(variant(20_000, 100_000));
    const cases: [string, ParseSpec, string][] = [
      ['deep list page', siteSpec, `<html><body><ul class="news"><li><a href="/a/1.html">${deep}</a></li></ul></body></html>`],
      ['deep list page without <html>', siteSpec, `<ul class="news"><li><a href="/a/1.html">标题</a>${deep}</li></ul>`],
      ['wide list page without <html>', siteSpec, `${wide}<ul class="news"><li><a href="/a/1.html">宽页面</a></li></ul>`],
      ['deep feed content, no title', feedSpec, `<rss version="2.0"><channel><title>t</title><item><link>https://a.example/1</link><description><![CDATA[${deep}]]></description></item></channel></rss>`],
      ['wide feed content', feedSpec, `<rss version="2.0"><channel><title>t</title><item><title>宽</title><link>https://a.example/1</link><description><![CDATA[${wide}]]></description></item></channel></rss>`],
    ];
    const timings: Record<string, number> = {};
    for (const [name, spec, body] of cases) {
      const t0 = performance.now();
      const r = await runPipeline(spec, Buffer.from(body, 'utf8'), 'text/html; charset=utf-8', RULES);
      timings[name] = Math.round(performance.now() - t0);
      expect(r.kind, `${name}: ${r.kind === 'crash' ? r.error : ''}`).toBe('ok');
      if (r.kind === 'ok') {
        expect(r.entries, name).toBe(1);
        expect(`${r.titles[0]}${r.texts[0]}`, name).toMatch(/深层正文|标题|宽/);
      }
      expect(timings[name], name).toBeLessThan(PARSE_DEADLINE_MS);
    }
    const t0 = performance.now();
    const detail = extractDetail(`<html><body><div id="c">${deep}</div></body></html>`, '#c');
    timings['deep detail page'] = Math.round(performance.now() - t0);
    expect(htmlToText(detail)).toContain('深层正文');
    const worst = Math.max(...Object.values(timings));
    recordFigure({
      area: 'crawler',
      name: `slowest parse of a hostile page structure (${depth} deep / ${variant(20_000, 100_000)} wide)`,
      value: worst,
      unit: 'ms',
      goal: `< ${PARSE_DEADLINE_MS} ms, no stack overflow`,
      met: worst < PARSE_DEADLINE_MS,
      detail: timings,
    });
  }, LONG_TIMEOUT);

  it('a full crawl of an XXE feed is stored as ok or parse_error, and the canary still sees nothing', async () => {
    const xxe = hostile().filter((c) => c.spec.kind === 'feed');
    const { deps } = crawlDeps(t.db);
    for (const [i, c] of xxe.entries()) {
      routes.set(`/xxe/${i}.xml`, { body: Buffer.from(c.body, 'utf8'), contentType: c.contentType });
      const id = await addSource(t.db, { url: `${site}/xxe/${i}.xml`, name: `xxe ${i}` });
      const r = await crawlSource(deps, id, `job-xxe-${i}`);
      expect(['ok', 'parse_error'], `${c.name}: ${r.status}`).toContain(r.status);
      const row = await sourceRow(id);
      expect(row.status).toBe(r.status);
      expect(row.status_message.length).toBeGreaterThan(0);
    }
    const leaked = await t.db.selectFrom('items').select('id').where((eb) => eb.or([eb('text', 'like', '%root:%'), eb('title', 'like', '%root:%')])).execute();
    expect(leaked).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(canaryConnections).toBe(0);
    expect(notPolluted()).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('charset corpus: GB2312, GBK, GB18030, Big5, UTF-8 (±BOM), UTF-16 LE/BE, labelled right, nowhere, or wrongly', () => {
  interface CaseResult {
    c: CharsetCase;
    mojibake: number;
    fffd: number;
    recall: number;
    status: string;
  }

  async function measure(c: CharsetCase): Promise<CaseResult> {
    const rules = compileRules(c.keywords.map((k, i) => ({ id: i + 1, expression: k, scope: 'title_text' as const, negativeOnly: false })));
    const r = await runPipeline(c.kind === 'feed' ? feedSpec : siteSpec, c.bytes, c.contentType, rules);
    if (r.kind !== 'ok') return { c, mojibake: 1, fffd: 0, recall: 0, status: r.kind === 'classified' ? r.status : `crash: ${r.error}` };
    // A feed gives the title and the body as one item; a list page gives one sentence per row.
    const produced = c.kind === 'feed' ? `${r.titles[0] ?? ''}${r.texts[0] ?? ''}` : r.titles.join('');
    const original = `${c.title}${c.sentences.join('')}`;
    const found = new Set(r.hits);
    return { c, mojibake: mojibakeRate(produced, original), fffd: replacementCount(produced), recall: found.size / c.keywords.length, status: 'ok' };
  }

  it('decodes every case without mojibake and finds every keyword with the real rule matcher', async () => {
    const results: CaseResult[] = [];
    for (const c of charsetCases()) results.push(await measure(c));
    expect(results.length).toBeGreaterThanOrEqual(56);

    const groups = {
      'correctly labelled (header, prolog, meta, BOM)': results.filter((r) => r.c.correctlyLabelled),
      unlabelled: results.filter((r) => !r.c.correctlyLabelled && r.c.labelledAs === null),
      'wrongly labelled': results.filter((r) => !r.c.correctlyLabelled && r.c.labelledAs !== null),
    };
    for (const [group, rs] of Object.entries(groups)) {
      expect(rs.length, group).toBeGreaterThan(0);
      const worst = Math.max(...rs.map((r) => r.mojibake));
      const minRecall = Math.min(...rs.map((r) => r.recall));
      const fffd = rs.reduce((n, r) => n + r.fffd, 0);
      recordFigure({
        area: 'crawler',
        name: `charset corpus, ${group}: worst mojibake rate`,
        value: Number(worst.toFixed(4)),
        unit: 'share of characters',
        goal: '0, keyword recall 1',
        met: worst === 0 && minRecall === 1 && fffd === 0,
        detail: {
          cases: rs.length,
          minKeywordRecall: minRecall,
          replacementChars: fffd,
          perCase: Object.fromEntries(rs.map((r) => [r.c.name, { mojibake: Number(r.mojibake.toFixed(4)), fffd: r.fffd, recall: r.recall, status: r.status, label: r.c.labelledAs }])),
        },
      });
    }
    const keywordRecall = Math.min(...results.map((r) => r.recall));
    recordFigure({
      area: 'crawler',
      name: 'charset corpus: lowest keyword recall over all cases',
      value: keywordRecall,
      unit: 'fraction of keywords found',
      goal: '1',
      met: keywordRecall === 1,
      detail: { cases: results.length, charsets: [...new Set(results.map((r) => r.c.charset))], labels: [...new Set(results.map((r) => r.c.label))] },
    });

    for (const r of results) {
      const what = `${r.c.name} (label ${r.c.labelledAs ?? 'none'}): ${r.status}, mojibake ${r.mojibake.toFixed(3)}, U+FFFD ${r.fffd}, recall ${r.recall}`;
      expect(r.status, what).toBe('ok');
      expect(r.fffd, what).toBe(0);
      expect(r.mojibake, what).toBe(0);
      expect(r.recall, what).toBe(1);
    }
    // The 4-byte GB18030 characters survive (CJK Ext. B, Ext. A, emoji).
    const gb18030 = await runPipeline(feedSpec, charsetCases().find((c) => c.name === 'gb18030/none')!.bytes, 'application/rss+xml', RULES);
    expect(gb18030.kind === 'ok' && gb18030.texts[0]).toContain('𠮷野');
    expect(gb18030.kind === 'ok' && gb18030.texts[0]).toContain('㐀㐁不满😀');
  });

  it('end to end: unlabelled and wrongly labelled pages are stored readable by a real crawl', async () => {
    const { deps } = crawlDeps(t.db);
    const picks = ['gbk/none-html', 'big5/none', 'gb2312/wrong-header', 'utf-8/wrong-meta', 'gb18030/xml', 'utf-16be-bom/wrong-header'];
    for (const name of picks) {
      const c = charsetCases().find((x) => x.name === name)!;
      const path = `/charset/${name.replace(/\W/g, '_')}`;
      routes.set(path, { body: c.bytes, contentType: c.contentType });
      const id = await addSource(t.db, { url: `${site}${path}`, name, kind: c.kind, selectors: c.kind === 'site' ? JSON.stringify(LIST_SELECTORS) : null });
      const r = await crawlSource(deps, id, `job-charset-${name}`);
      expect(r.status, name).toBe('ok');
      const items = await t.db.selectFrom('items').select(['title', 'text']).where('source_id', '=', id).execute();
      expect(items.length, name).toBeGreaterThan(0);
      expect(items.map((i) => i.title), name).toContain(c.title);
      for (const it of items) expect(`${it.title}${it.text}`, name).not.toMatch(/\uFFFD|锟斤拷/);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('malformed feeds: truncations, damaged bytes, mutations, Chinese date forms', () => {
  const corpus: FeedCase[] = feedCorpus(variant(false, true));

  it(`${corpus.length} files: 0 crashes, each ok or a classified parse error, dates parsed or estimated`, async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const byOutcome: Record<string, number> = {};
    const crashes: string[] = [];
    const wrongDates: string[] = [];
    let invalidDates = 0;
    let estimated = 0;
    let items = 0;
    let slowest = { name: '', ms: 0 };
    for (const c of corpus) {
      const t0 = performance.now();
      const r = await runPipeline(feedSpec, c.bytes, c.contentType, RULES, 5000);
      const ms = performance.now() - t0;
      if (ms > slowest.ms) slowest = { name: c.name, ms: Math.round(ms) };
      const key = `${c.family}:${r.kind === 'classified' ? r.status : r.kind}`;
      byOutcome[key] = (byOutcome[key] ?? 0) + 1;
      if (r.kind === 'crash') crashes.push(`${c.name}: ${r.error}`);
      if (r.kind === 'classified') expect(r.message, c.name).toMatch(/\S/);
      if (r.kind === 'ok') {
        items += r.entries;
        invalidDates += r.invalidDates;
        estimated += r.estimated;
        for (const html of r.sanitized) expect(unsafeIn(html), c.name).toBeNull();
        for (const title of r.titles) expect(title.length, c.name).toBeGreaterThan(0);
      }
      if (c.date) {
        // Parse the one item's date as a crawl would, and compare with what the form means.
        const entries = r.kind === 'ok' ? await entriesOf(feedSpec, fetched(c.bytes, c.contentType)) : [];
        const d = entries[0] ? entryFields(entries[0], entries[0].content, DATE_NOW).date : null;
        const got = d === null ? 'no entry' : d.estimated ? null : d.date.toISOString();
        if (got !== c.date.expected) wrongDates.push(`${c.date.raw}: ${got} ≠ ${c.date.expected}`);
      }
      expect(ms, c.name).toBeLessThan(PARSE_DEADLINE_MS);
    }
    recordFigure({
      area: 'crawler',
      name: 'malformed feed files tried',
      value: corpus.length,
      unit: 'files',
      goal: '≥ 200',
      met: corpus.length >= 200,
      detail: { byOutcome, itemsParsed: items, datesEstimated: estimated, slowest },
    });
    recordFigure({
      area: 'crawler',
      name: 'malformed feed files: crashes (not ok and not a classified parse error)',
      value: crashes.length,
      unit: 'files',
      goal: '0',
      met: crashes.length === 0,
      detail: { crashes: crashes.slice(0, 20) },
    });
    recordFigure({
      area: 'crawler',
      name: 'item dates: Invalid Date or misread Chinese date forms',
      value: invalidDates + wrongDates.length,
      unit: 'dates',
      goal: '0',
      met: invalidDates + wrongDates.length === 0,
      detail: { forms: corpus.filter((c) => c.date).length, invalidDates, wrongDates },
    });
    expect(crashes).toEqual([]);
    expect(invalidDates).toBe(0);
    expect(wrongDates).toEqual([]);
  }, LONG_TIMEOUT);

  it('crawled end to end, each file leaves its source ok or parse_error with a message, never a thrown job', async () => {
    const { deps } = crawlDeps(t.db);
    const picked = corpus.filter((c, i) => c.family === 'mutation' || c.family === 'dates' || i % variant(10, 1) === 0);
    const statuses: Record<string, number> = {};
    for (const [i, c] of picked.entries()) {
      routes.set(`/bad/${i}.xml`, { body: c.bytes, contentType: c.contentType });
      const id = await addSource(t.db, { url: `${site}/bad/${i}.xml`, name: `bad ${i}` });
      const r = await crawlSource(deps, id, `job-bad-${i}`);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      expect(['ok', 'parse_error'], `${c.name}: ${r.status}`).toContain(r.status);
      const row = await sourceRow(id);
      expect(row.status, c.name).toBe(r.status);
      expect(row.status_message, c.name).toMatch(/\S/);
      expect(row.claimed_by, c.name).toBeNull();
      if (r.status === 'parse_error') expect(row.consecutive_failures, c.name).toBe(1);
    }
    expect(Object.keys(statuses).sort()).toEqual(['ok', 'parse_error']);
    const bad = await t.db.selectFrom('items').select(['id', 'published_at']).execute();
    for (const row of bad) expect(Number.isNaN(row.published_at.getTime())).toBe(false);
  }, LONG_TIMEOUT);
});

// ---------------------------------------------------------------------------------------------

describe('selector drift on a site source', () => {
  const K = variant(3, 6);
  let posts = 4;
  let layout: 'v1' | 'v2' | 'v3' = 'v1';
  const page = () => {
    const rows = Array.from({ length: posts }, (_, i) => ({ href: `/news/${i + 1}.html`, title: `清河区第${i + 1}期政务公开通报` }));
    if (layout === 'v1') return `<html><body><ul class="news">${rows.map((r) => `<li><a href="${r.href}">${r.title}</a></li>`).join('')}</ul></body></html>`;
    // v2: a redesign, the list is now cards: `ul.news li` matches nothing.
    if (layout === 'v2') return `<html><body><div class="card-list">${rows.map((r) => `<div class="card"><a href="${r.href}">${r.title}</a></div>`).join('')}</div></body></html>`;
    // v3: rows still match but their links became script buttons: no entry has a link.
    return `<html><body><ul class="news">${rows.map((r) => `<li><span onclick="go('${r.href}')">${r.title}</span></li>`).join('')}</ul></body></html>`;
  };
  const serve = () => routes.set('/drift/list.html', { body: Buffer.from(page(), 'utf8'), contentType: 'text/html; charset=utf-8' });

  it(`after ${K} runs with 0 matches the source is flagged selector_empty with a bilingual reason, and recovers`, async () => {
    const { deps } = crawlDeps(t.db);
    serve();
    const id = await addSource(t.db, { url: `${site}/drift/list.html`, name: '漂移的列表页', kind: 'site', selectors: JSON.stringify(LIST_SELECTORS) });
    const first = await crawlSource(deps, id, 'job-drift-0');
    expect(first).toMatchObject({ status: 'ok', itemsNew: posts });

    const flaggedAfter: number[] = [];
    for (let run = 1; run <= K; run++) {
      layout = run % 2 === 1 ? 'v2' : 'v3';
      serve();
      await makeDue(t.db, id);
      const r = await crawlSource(deps, id, `job-drift-${run}`);
      const row = await sourceRow(id);
      if (row.status === 'selector_empty') flaggedAfter.push(run);
      expect(r.status, `run ${run}`).toBe('selector_empty');
      expect(row.status).toBe('selector_empty');
      expect(row.selector_misses).toBe(run);
      expect(row.consecutive_failures).toBe(run);
      expect(row.status_message).toMatch(/选择器/);
      expect(row.status_message).toMatch(/selector/i);
      expect(row.last_success_at).not.toBeNull();
    }
    const history = await t.db.selectFrom('source_fetches').select('status').where('source_id', '=', id).orderBy('id').execute();
    expect(history.map((h) => h.status)).toEqual(['ok', ...Array<string>(K).fill('selector_empty')]);

    // The old layout comes back unchanged: nothing to parse, but the miss streak is over.
    layout = 'v1';
    serve();
    await makeDue(t.db, id);
    const back = await crawlSource(deps, id, 'job-drift-back');
    expect(back.status).toBe('not_modified');
    let row = await sourceRow(id);
    expect(row.selector_misses).toBe(0);
    expect(row.consecutive_failures).toBe(0);

    // New posts in the old layout: stored, status ok.
    posts += 2;
    serve();
    await makeDue(t.db, id);
    const fresh = await crawlSource(deps, id, 'job-drift-new');
    expect(fresh).toMatchObject({ status: 'ok', itemsNew: 2 });
    row = await sourceRow(id);
    expect(row.status).toBe('ok');
    expect(row.selector_misses).toBe(0);

    recordFigure({
      area: 'crawler',
      name: 'selector drift: runs with 0 matches before the source is flagged',
      value: flaggedAfter[0] ?? K + 1,
      unit: 'runs',
      goal: `≤ ${K}, recovers when matches return`,
      met: flaggedAfter[0] !== undefined && flaggedAfter[0] <= K && row.status === 'ok' && row.selector_misses === 0,
      detail: { runs: K, flaggedAfter, message: (await t.db.selectFrom('source_fetches').select('message').where('source_id', '=', id).where('status', '=', 'selector_empty').executeTakeFirst())?.message },
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('property tests: decode → parse → normalise → sanitise → match on arbitrary input', () => {
  const HOSTILE = [
    '<script>alert(1)</script>', '<SCRIPT SRC=//x.example/a.js></SCRIPT>', '<scr<script>ipt>alert(1)</scr</script>ipt>',
    '<img src=x onerror=alert(1)>', '<img src="javascript:alert(1)">', '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>', '<a href="java\tscript:alert(1)">x</a>', '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>', '<svg onload=alert(1)>', '<svg><script>alert(1)</script></svg>', '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<iframe src="javascript:alert(1)"></iframe>', '<body onload=alert(1)>', '<div style="background:url(javascript:alert(1))">', '<p onclick="x()" onmouseover=y>',
    '<a href="data:text/html,<script>alert(1)</script>">d</a>', '<form action="javascript:alert(1)"><button>b</button></form>', '<object data="javascript:alert(1)">',
    '<!--', '-->', '<![CDATA[', ']]>', '</description>', '</item>', '</channel></rss>', '<item>', '&lt;script&gt;', '&amp;', '&#0;', '&xxe;', '<?xml version="1.0"?>',
    '<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]>', '<__proto__>', '<constructor><prototype>', 'javascript:', 'onerror=', '"', "'", '<', '>', '&',
    '拆迁补偿', '停水', '施工噪音', '𠮷', '😀', '\u0000', '\u0001', '\ufeff', '\ufffd', '\ud800',
  ];
  const fragment = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 24 })), { maxLength: 10 }).map((a) => a.join(''));
  const anyText = fc.oneof(fragment, fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ maxLength: 30 }));
  const contentType = fc.constantFrom(
    null, 'application/rss+xml', 'text/html', 'text/xml; charset=utf-8', 'text/html; charset=gbk', 'application/xml; charset=big5',
    'text/html; charset=utf-16', 'text/html; charset=iso-8859-1', 'text/html; charset=__proto__', 'text/html; charset="', 'text/html; charset=x-klingon',
  );
  const charset = fc.constantFrom('utf-8', 'gb18030', 'big5', 'utf-16le');
  const runs = variant(150, 3000);
  const tally = { runs: 0, failures: 0, unsafe: 0 };

  /** A run fails when anything other than a classified failure is thrown, or the output is unsafe or polluting. */
  async function check(spec: ParseSpec, bytes: Uint8Array, ct: string | null): Promise<boolean> {
    tally.runs++;
    const r = await runPipeline(spec, bytes, ct, RULES, 50);
    const unsafe = r.kind === 'ok' ? r.sanitized.map(unsafeIn).find((u) => u !== null) : null;
    if (unsafe) tally.unsafe++;
    const ok = r.kind !== 'crash' && !unsafe && (r.kind !== 'ok' || r.invalidDates === 0) && notPolluted();
    if (!ok) tally.failures++;
    return ok;
  }

  const encodeAs = (s: string, cs: string) => {
    if (cs === 'utf-8') return Buffer.from(s, 'utf8');
    if (cs === 'utf-16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
    return Buffer.from(new TextEncoder().encode(s)); // the label will be wrong: a lie the decoder must survive
  };

  async function runProperty<Ts extends [unknown, ...unknown[]]>(p: fc.IAsyncProperty<Ts>): Promise<{ failed: boolean; report: string }> {
    const details = await fc.check(p, { numRuns: runs, seed: 424242 });
    return { failed: details.failed, report: fc.defaultReportMessage(details) ?? '' };
  }

  const properties: [string, () => Promise<{ failed: boolean; report: string }>][] = [
    [
      'arbitrary bytes, as a feed and as a list page',
      () => runProperty(fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), contentType, fc.boolean(), async (bytes, ct, asSite) => check(asSite ? siteSpec : feedSpec, bytes, ct))),
    ],
    [
      'arbitrary strings inside a feed template',
      () => runProperty(fc.asyncProperty(
        fc.record({ title: anyText, description: anyText, link: anyText, date: anyText, guid: anyText, cdata: fc.boolean(), atom: fc.boolean() }),
        charset,
        contentType,
        async (f, cs, ct) => {
          const body = f.cdata ? `<![CDATA[${f.description}]]>` : f.description;
          const xml = f.atom
            ? `<?xml version="1.0" encoding="${cs}"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title type="html">${f.title}</title><link href="${f.link}"/><id>${f.guid}</id><updated>${f.date}</updated><content type="html">${body}</content></entry></feed>`
            : `<?xml version="1.0" encoding="${cs}"?><rss version="2.0"><channel><title>t</title><item><title>${f.title}</title><link>${f.link}</link><guid>${f.guid}</guid><pubDate>${f.date}</pubDate><description>${body}</description><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">${body}</content:encoded></item></channel></rss>`;
          return check(feedSpec, encodeAs(xml, cs), ct);
        },
      )),
    ],
    [
      'hostile markup inside a list page and a feed with well-formed escaping',
      () => runProperty(fc.asyncProperty(fc.array(fc.record({ title: anyText, href: anyText, date: anyText }), { minLength: 1, maxLength: 5 }), fragment, async (rows, html) => {
        const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
        const page = `<html><head><meta charset="utf-8"></head><body>${html}<ul class="news">${rows.map((r) => `<li><a href="${r.href}">${r.title}</a><span>${r.date}</span></li>`).join('')}</ul>${html}</body></html>`;
        const feed = `<rss version="2.0"><channel><title>t</title>${rows.map((r) => `<item><title>${esc(r.title + html)}</title><link>https://a.example/${encodeURIComponent(Buffer.from(r.href, 'utf8').toString('utf8'))}</link><pubDate>${esc(r.date)}</pubDate><description>${esc(html + r.title)}</description></item>`).join('')}</channel></rss>`;
        const a = await check(siteSpec, Buffer.from(page, 'utf8'), 'text/html; charset=utf-8');
        const b = await check(feedSpec, Buffer.from(feed, 'utf8'), 'application/rss+xml; charset=utf-8');
        return a && b;
      })),
    ],
  ];

  it.each(properties)('%s: no unclassified error, safe output', async (_name, run) => {
    const { failed, report } = await run();
    expect(failed, report).toBe(false);
  }, LONG_TIMEOUT);

  it('sanitised output of any hostile fragment has no script, no on*= handler, no javascript: URL', () => {
    fc.assert(
      fc.property(fragment, fc.constantFrom(undefined, BASE, 'javascript:alert(1)//'), (html, base) => {
        tally.runs++;
        const out = sanitizeHtml(html, base);
        const text = htmlToText(html);
        const bad = unsafeIn(out);
        if (bad !== null || typeof text !== 'string') tally.failures++;
        return bad === null;
      }),
      { numRuns: runs * 4, seed: 424242 },
    );
  });

  afterAll(() => {
    recordFigure({
      area: 'crawler',
      name: 'property runs over decode → parse → normalise → sanitise → match: failures',
      value: tally.failures,
      unit: `failures in ${tally.runs} runs`,
      goal: '0',
      met: tally.runs > 0 && tally.failures === 0,
      detail: { runs: tally.runs, failures: tally.failures, unsafeOutputs: tally.unsafe, seed: 424242 },
    });
  });
});
