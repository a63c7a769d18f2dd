import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, ParseError, parseSiteList } from '../services/crawl/parse.js';
import { HOSTILE_POST_ID } from './content.js';
import { FORUM_SELECTORS, MAILBOX_SELECTORS } from './seed.js';
import { startFixtureSite, type FixtureSite } from './site.js';
import { CORPUS_URL } from './corpus.js';

const CORPUS = CORPUS_URL;
let now = new Date('2026-11-25T06:00:00Z');
let site: FixtureSite;

beforeAll(async () => {
  site = await startFixtureSite({ port: 0, publishIntervalMs: null, seedPosts: 40, clock: () => now, slowMs: 300 });
});
afterAll(async () => {
  await site?.close();
});

const get = (path: string, init?: RequestInit) => fetch(site.url + path, { redirect: 'manual', ...init });
const text = async (path: string) => (await get(path)).text();
const gbkText = async (path: string) => iconv.decode(Buffer.from(await (await get(path)).arrayBuffer()), 'gb18030');

describe('fixture site routes', () => {
  it.each([
    ['/', 200, /^text\/html; charset=utf-8$/],
    ['/news/', 200, /^text\/html; charset=utf-8$/],
    ['/news/rss.xml', 200, /^application\/rss\+xml; charset=utf-8$/],
    ['/news/atom.xml', 200, /^application\/atom\+xml; charset=utf-8$/],
    ['/gov/rdf.xml', 200, /^application\/rdf\+xml; charset=utf-8$/],
    ['/gov/rss091.xml', 200, /^text\/xml$/],
    ['/forum/list.html', 200, /^text\/html; charset=utf-8$/],
    ['/mailbox/index.html', 200, /^text\/html$/],
    ['/broken/feed.xml', 200, /^application\/rss\+xml/],
    ['/error/feed.xml', 500, /^text\/html/],
    ['/challenge/feed.xml', 412, /^text\/html/],
    ['/waf/feed.xml', 403, /^text\/html/],
    ['/ratelimit/feed.xml', 429, /^text\/html/],
    ['/real/encoding-gb2312.xml', 200, /^application\/xml$/],
    ['/redirect/loop', 302, /^text\/html/],
    ['/no/such/page.html', 404, /^text\/html/],
    ['/real/..%2Fcorpus', 404, /^text\/html/],
    ['/news/999999.html', 404, /^text\/html/],
  ])('%s answers %i with the right content type', async (path, status, type) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(type);
    await res.arrayBuffer();
  });

  it('serves the news channel as RSS 2.0 and Atom with the same articles, each article page reachable', async () => {
    const news = site.posts().filter((p) => p.channel === 'news');
    const rss = await parseFeed(await text('/news/rss.xml'));
    const atom = await parseFeed(await text('/news/atom.xml'));
    expect(rss.length).toBe(Math.min(30, news.length));
    expect(atom.map((e) => e.link)).toEqual(rss.map((e) => e.link));
    const byLink = new Map(news.map((p) => [`${site.url}/news/${p.id}.html`, p]));
    for (const e of rss) {
      const post = byLink.get(e.link!)!;
      expect(e.title).toBe(post.title);
      expect(new Date(e.published!).getTime()).toBe(post.publishedAt.getTime());
      expect(e.author).toBe(post.author);
    }
    const article = await text(new URL(rss[0].link!).pathname);
    expect(article).toContain(`<h1 class="article-title">${rss[0].title}</h1>`);
  });

  it('serves the government feeds as RDF and RSS 0.91 (no item dates) with article pages', async () => {
    const rdf = await parseFeed(await text('/gov/rdf.xml'));
    const old = await parseFeed(await text('/gov/rss091.xml'));
    expect(rdf.length).toBeGreaterThan(0);
    expect(old.length).toBeGreaterThan(0);
    expect(rdf.every((e) => e.published !== null && e.author === '清河发布')).toBe(true);
    expect(old.every((e) => e.published === null)).toBe(true);
    const page = await get(new URL(rdf[0].link!).pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(rdf[0].title);
  });

  it('serves the forum list (needs selectors, dates like "3小时前") and threads with the body in div.post-content', async () => {
    const html = await text('/forum/list.html');
    const entries = parseSiteList(html, `${site.url}/forum/list.html`, FORUM_SELECTORS);
    const forum = site.posts().filter((p) => p.channel === 'forum');
    expect(entries.length).toBe(forum.length);
    expect(entries.some((e) => /小时前|分钟前/.test(e.published ?? ''))).toBe(true);
    expect(entries.some((e) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(e.published ?? ''))).toBe(true);
    const thread = await text(new URL(entries[0].link!).pathname);
    expect(thread).toMatch(/<div class="post-content"><p>/);
  });

  it('puts hostile HTML in exactly one fixed thread', async () => {
    const hostile = await text(`/forum/thread/${HOSTILE_POST_ID}.html`);
    expect(hostile).toContain('<script>alert("xss")</script>');
    expect(hostile).toContain('<img src=x onerror=alert(1)>');
    expect(hostile).toContain('href="javascript:');
    const other = site.posts().find((p) => p.channel === 'forum' && p.id !== HOSTILE_POST_ID)!;
    expect(await text(`/forum/thread/${other.id}.html`)).not.toMatch(/onerror|javascript:/);
  });

  it('serves the mayor’s mailbox in GBK with no charset in the header', async () => {
    const res = await get('/mailbox/index.html');
    expect(res.headers.get('content-type')).toBe('text/html');
    const bytes = Buffer.from(await res.arrayBuffer());
    const letters = site.posts().filter((p) => p.channel === 'mailbox');
    const title = letters[0].title;
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(bytes.includes(Buffer.from(title, 'utf8'))).toBe(false);
    expect(bytes.includes(iconv.encode(title, 'gbk'))).toBe(true);
    const html = iconv.decode(bytes, 'gb18030');
    expect(html).toContain('<meta charset="gbk">');
    const entries = parseSiteList(html, `${site.url}/mailbox/index.html`, MAILBOX_SELECTORS);
    expect(new Set(entries.map((e) => e.title))).toEqual(new Set(letters.map((p) => p.title)));

    const letter = await get(new URL(entries[0].link!).pathname);
    expect(letter.headers.get('content-type')).toBe('text/html');
    const letterHtml = iconv.decode(Buffer.from(await letter.arrayBuffer()), 'gb18030');
    expect(letterHtml).toContain('charset=gb2312');
    expect(letterHtml).toContain(`<h1>${entries[0].title}</h1>`);
    expect(letterHtml).toMatch(/<div class="letter-content"><p>/);
  });

  it('serves the real-world corpus byte for byte', async () => {
    for (const name of ['encoding-gb2312.xml', 'encoding.rss', 'heise.atom']) {
      const bytes = Buffer.from(await (await get(`/real/${name}`)).arrayBuffer());
      expect(bytes.equals(readFileSync(new URL(name, CORPUS)))).toBe(true);
    }
  });

  it('the broken feed is refused by the parser', async () => {
    await expect(parseFeed(await text('/broken/feed.xml'))).rejects.toBeInstanceOf(ParseError);
  });

  it('anti-bot and limit pages look like the real ones', async () => {
    const challenge = await text('/challenge/feed.xml');
    expect(challenge).toContain('document.cookie');
    expect(challenge).toMatch(/setTimeout\(function\(\)\{location\.reload\(\);\},\d+\)/);
    expect(await text('/waf/feed.xml')).toContain('防火墙');
    const limited = await get('/ratelimit/feed.xml');
    expect(limited.headers.get('retry-after')).toBe('120');
    await limited.arrayBuffer();
  });

  it('chains k redirects to /news/rss.xml and loops on /redirect/loop', async () => {
    let path = '/redirect/n/3';
    const hops: string[] = [];
    for (let i = 0; i < 5 && path.startsWith('/redirect/'); i++) {
      const res = await get(path);
      expect(res.status).toBe(302);
      await res.arrayBuffer();
      path = new URL(res.headers.get('location')!, site.url).pathname;
      hops.push(path);
    }
    expect(hops).toEqual(['/redirect/n/2', '/redirect/n/1', '/news/rss.xml']);
    const loop = await get('/redirect/loop');
    expect(loop.headers.get('location')).toBe('/redirect/loop');
    await loop.arrayBuffer();
  });

  it('answers HEAD without a body', async () => {
    const res = await get('/news/rss.xml', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('conditional GET and publishing', () => {
  it('answers 304 to a matching ETag or Last-Modified, 200 again once a news post is published', async () => {
    const first = await get('/news/rss.xml');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    await first.arrayBuffer();
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect(new Date(lastModified).getTime()).toBeGreaterThan(0);

    const byEtag = await get('/news/rss.xml', { headers: { 'if-none-match': etag } });
    expect(byEtag.status).toBe(304);
    expect(await byEtag.text()).toBe('');
    const byDate = await get('/news/rss.xml', { headers: { 'if-modified-since': lastModified } });
    expect(byDate.status).toBe(304);
    await byDate.arrayBuffer();
    const stale = await get('/news/rss.xml', { headers: { 'if-none-match': '"other"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();

    now = new Date(now.getTime() + 60_000);
    let post = site.publishNext();
    while (post.channel !== 'news') post = site.publishNext();
    const after = await get('/news/rss.xml', { headers: { 'if-none-match': etag, 'if-modified-since': lastModified } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const entries = await parseFeed(await after.text());
    expect(entries[0].title).toBe(post.title);
    expect(new Date(entries[0].published!).getTime()).toBe(now.getTime());
  });

  it('publishNext posts appear on the forum and mailbox lists too', async () => {
    const seen = { forum: false, mailbox: false };
    for (let i = 0; i < 30 && !(seen.forum && seen.mailbox); i++) {
      now = new Date(now.getTime() + 60_000);
      const post = site.publishNext();
      if (post.channel === 'forum') {
        expect(await text('/forum/list.html')).toContain(`href="/forum/thread/${post.id}.html">${post.title}</a>`);
        seen.forum = true;
      }
      if (post.channel === 'mailbox') {
        expect(await gbkText('/mailbox/index.html')).toContain(`href="/mailbox/letter/${post.id}.html" target="_blank">${post.title}</a>`);
        seen.mailbox = true;
      }
    }
    expect(seen).toEqual({ forum: true, mailbox: true });
  });

  it('seeds posts over the 48 hours before the clock, oldest first', async () => {
    const other = await startFixtureSite({ port: 0, publishIntervalMs: null, seedPosts: 12, clock: () => now });
    try {
      const times = other.posts().map((p) => p.publishedAt.getTime());
      expect(times).toHaveLength(12);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(times[0]).toBeGreaterThanOrEqual(now.getTime() - 48 * 3600_000);
      expect(times[11]).toBeLessThan(now.getTime());
    } finally {
      await other.close();
    }
  });

  it('publishes on a timer when publishIntervalMs is set', async () => {
    const live = await startFixtureSite({ port: 0, publishIntervalMs: 20, seedPosts: 0 });
    try {
      expect(live.posts()).toHaveLength(0);
      await new Promise((r) => setTimeout(r, 200));
      expect(live.posts().length).toBeGreaterThan(2);
    } finally {
      await live.close();
    }
  });
});

describe('faults', () => {
  it('setFault overrides a path until cleared; requestCount counts every request (query ignored)', async () => {
    const before = site.requestCount('/gov/rss091.xml');
    site.setFault('/gov/rss091.xml', { kind: 'status', status: 503, headers: { 'retry-after': '30' } });
    const failing = await get('/gov/rss091.xml?x=1');
    expect(failing.status).toBe(503);
    expect(failing.headers.get('retry-after')).toBe('30');
    expect(await failing.text()).toContain('503');
    site.setFault('/gov/rss091.xml', { kind: 'status', status: 500, body: 'boom' });
    expect(await text('/gov/rss091.xml')).toBe('boom');
    site.setFault('/gov/rss091.xml', null);
    const ok = await get('/gov/rss091.xml');
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    expect(site.requestCount('/gov/rss091.xml')).toBe(before + 3);
    expect(site.requestCount('/never/asked')).toBe(0);
  });

  it('delay, drip and reset faults', async () => {
    site.setFault('/static/site.css', { kind: 'delay', ms: 150 });
    let t = Date.now();
    expect((await get('/static/site.css')).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);

    site.setFault('/static/site.css', { kind: 'drip', bytesPerSecond: 200 });
    t = Date.now();
    const body = await text('/static/site.css');
    expect(body).toContain('font-family');
    expect(Date.now() - t).toBeGreaterThanOrEqual(body.length * 5 - 150);

    site.setFault('/static/site.css', { kind: 'reset' });
    await expect(get('/static/site.css')).rejects.toThrow();
    site.setFault('/static/site.css', null);
    expect((await get('/static/site.css')).status).toBe(200);
  });

  it('/slow/feed.xml answers a valid feed only after its delay, and survives impatient clients', async () => {
    await expect(get('/slow/feed.xml', { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    const t = Date.now();
    const res = await get('/slow/feed.xml');
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    expect((await parseFeed(await res.text())).length).toBeGreaterThan(0);
  });

  it('close() does not wait for a pending slow answer', async () => {
    const other = await startFixtureSite({ port: 0, publishIntervalMs: null, seedPosts: 5 });
    const pending = fetch(`${other.url}/slow/feed.xml`).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 50));
    const t = Date.now();
    await other.close();
    expect(Date.now() - t).toBeLessThan(2000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('extra addresses', () => {
  it('serves the same site on another loopback address, counted as another host', async () => {
    const s = await startFixtureSite({ port: 0, publishIntervalMs: null, seedPosts: 5, extraHosts: ['127.0.0.2'] });
    try {
      expect(s.extraUrls).toEqual([`http://127.0.0.2:${s.port}`]);
      const res = await fetch(`${s.extraUrls[0]}/news/rss.xml`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<rss');
      expect(s.requestCount('/news/rss.xml')).toBe(1);
    } finally {
      await s.close();
    }
  });
});
