import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, sessionFor } from '../helpers/auth.js';
import { allowHost } from '../helpers/crawl.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { FORUM_SELECTORS } from '../../demo/seed.js';
import { createApiFixture, errorOf, type ApiFixture } from './helpers.js';

// POST /api/sources/preview (试抓取): the real guarded fetch + decode + parse of the crawler against
// the demo fixture site, storing nothing.

let f: ApiFixture;
let site: FixtureSite;

beforeAll(async () => {
  f = await createApiFixture('srcpreview');
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 120 });
});
afterAll(async () => {
  await site?.close();
  await f?.tdb.drop();
});

const count = async (table: 'items' | 'sources' | 'source_fetches') =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(f.db)).rows[0].n);

const preview = (body: Record<string, unknown>) => f.request('POST', '/api/sources/preview', body);

describe('POST /api/sources/preview', () => {
  it('refuses the fixture site (a loopback address) until its host:port is allow-listed', async () => {
    const res = await preview({ url: `${site.url}/news/rss.xml`, kind: 'feed' });
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r).toMatchObject({ status: 'ssrf_refused', ok: false, statusLabel: '安全策略拒绝（内网地址）', entries: [], total: 0 });
    expect(r.messageZh).toContain('白名单');
    expect(site.requestCount('/news/rss.xml')).toBe(0);
  });

  it('refuses a private address outright, never connecting', async () => {
    const r = await (await preview({ url: 'http://10.1.2.3/feed.xml', kind: 'feed' })).json();
    expect(r.status).toBe('ssrf_refused');
    expect(r.httpStatus).toBeNull();
    expect(r.message).toMatch(/10\.1\.2\.3|private|reserved|forbidden/i);
  });

  it('lists the first 20 entries of the news feed once allow-listed, storing nothing', async () => {
    await allowHost(f.db, new URL(site.url).host);
    const before = { items: await count('items'), sources: await count('sources'), fetches: await count('source_fetches') };
    const res = await preview({ name: '清河新闻网', url: `${site.url}/news/rss.xml`, kind: 'feed', mediaType: 'news', pollIntervalS: 60 });
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r).toMatchObject({ status: 'ok', ok: true, httpStatus: 200, statusLabel: '正常' });
    expect(r.total).toBeGreaterThan(20);
    expect(r.entries).toHaveLength(20);
    expect(r.messageZh).toBe(`抓取成功，解析出 ${r.total} 条`);
    const titles = new Set(site.posts().map((p) => p.title));
    for (const e of r.entries) {
      expect(titles.has(e.title), e.title).toBe(true);
      expect(e.url).toMatch(new RegExp(`^${site.url}/news/\\d+\\.html$`));
      expect(Number.isNaN(Date.parse(e.publishedAt))).toBe(false);
      expect(e.excerpt.length).toBeLessThanOrEqual(201);
      expect(e.excerpt).not.toMatch(/<[a-z]/i);
    }
    expect({ items: await count('items'), sources: await count('sources'), fetches: await count('source_fetches') }).toEqual(before);
  });

  it('parses a site list page with its selectors', async () => {
    const r = await (await preview({ url: `${site.url}/forum/list.html`, kind: 'site', selectors: FORUM_SELECTORS })).json();
    expect(r.status).toBe('ok');
    expect(r.entries.length).toBeGreaterThan(0);
    expect(r.entries[0].url).toMatch(/\/forum\/thread\/\d+\.html$/);
    // Each entry shows the date as the page wrote it, and that it was read (not the fetch time).
    for (const e of r.entries) expect(e).toMatchObject({ publishedAtEstimated: false, dateText: expect.stringMatching(/\d/) });
  });

  it('reports a broken feed as a parse error in plain Chinese', async () => {
    const r = await (await preview({ url: `${site.url}/broken/feed.xml`, kind: 'feed' })).json();
    expect(r).toMatchObject({ status: 'parse_error', ok: false, statusLabel: '内容解析失败', entries: [] });
    expect(r.messageZh).toContain('RSS / Atom');
    expect(r.message).toMatch(/^Parse error/);
  });

  it('reports selectors that match nothing, and a server error', async () => {
    const empty = await (await preview({ url: `${site.url}/forum/list.html`, kind: 'site', selectors: { item: 'div.no-such-thing' } })).json();
    expect(empty).toMatchObject({ status: 'selector_empty', httpStatus: 200 });
    expect(empty.messageZh).toContain('选择器');
    const e500 = await (await preview({ url: `${site.url}/error/feed.xml`, kind: 'feed' })).json();
    expect(e500).toMatchObject({ status: 'http_5xx', httpStatus: 500 });
    expect(e500.messageZh).toContain('HTTP 500');
  });

  it('validates the fields as source creation does', async () => {
    const res = await preview({ url: `${site.url}/forum/list.html`, kind: 'site' });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).details.issues[0]).toMatchObject({ path: 'selectors' });
    const bad = await preview({ url: 'ftp://x.example.cn/feed', kind: 'feed' });
    expect((await errorOf(bad)).details.issues[0]).toMatchObject({ path: 'url', messageZh: '只支持 http 或 https 网址' });
  });

  it('is for administrators only', async () => {
    const duty = await createUser(f.db, { role: 'duty' });
    const res = await f.requestAs(await sessionFor(f.db, duty), 'POST', '/api/sources/preview', { url: `${site.url}/news/rss.xml`, kind: 'feed' });
    expect(res.status).toBe(403);
    expect(site.requestCount('/news/rss.xml')).toBe(1);
  });
});
