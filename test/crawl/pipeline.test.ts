import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { sql } from 'kysely';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { addSource, allowHost, crawlDeps, makeDue } from '../helpers/crawl.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { loadAllowlist } from '../../db/repos/allowlist.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { FORUM_SELECTORS, MAILBOX_SELECTORS } from '../../demo/seed.js';
import { CORPUS_URL } from '../../demo/corpus.js';

let t: TestDb;
let site: FixtureSite;
let hostPort: string;

beforeAll(async () => {
  t = await createTestDb('pipeline');
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 30 });
  hostPort = new URL(site.url).host;
  await allowHost(t.db, hostPort);
});
afterAll(async () => {
  await site?.close();
  await t?.drop();
});

const itemCount = async (sourceId?: number) =>
  Number(
    (
      await (sourceId === undefined
        ? sql<{ n: string }>`select count(*) as n from items`
        : sql<{ n: string }>`select count(*) as n from items where source_id = ${sourceId}`
      ).execute(t.db)
    ).rows[0].n,
  );
const sourceRow = (id: number) => t.db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('feed crawl', () => {
  it('stores every item once, then takes the 304 path without parsing', async () => {
    const { deps } = crawlDeps(t.db);
    const id = await addSource(t.db, { url: `${site.url}/news/rss.xml`, name: '清河新闻网' });
    const first = await crawlSource(deps, id, 'job-a');
    expect(first.status).toBe('ok');
    expect(first.itemsNew).toBeGreaterThan(0);
    expect(first.itemsNew).toBe(first.itemsSeen);
    const stored = await itemCount(id);
    expect(stored).toBe(first.itemsNew);

    await makeDue(t.db, id);
    const second = await crawlSource(deps, id, 'job-b');
    expect(second.status).toBe('not_modified');
    expect(await itemCount(id)).toBe(stored);
    const row = await sourceRow(id);
    expect(row.status).toBe('not_modified');
    expect(row.etag).toBeTruthy();
    expect(row.last_success_at).not.toBeNull();
    expect(row.next_fetch_at.getTime()).toBeGreaterThan(Date.now());

    const history = await t.db.selectFrom('source_fetches').selectAll().where('source_id', '=', id).orderBy('id').execute();
    expect(history.map((h) => h.status)).toEqual(['ok', 'not_modified']);
    expect(history[0].items_new).toBe(first.itemsNew);
  });

  it('new posts arrive on the next crawl, exactly once', async () => {
    const { deps } = crawlDeps(t.db);
    const id = (await t.db.selectFrom('sources').select('id').where('url', '=', `${site.url}/news/rss.xml`).executeTakeFirstOrThrow()).id;
    const before = await itemCount(id);
    let published = 0;
    for (let i = 0; i < 12 && published < 2; i++) if (site.publishNext().channel === 'news') published++;
    await makeDue(t.db, id);
    const r = await crawlSource(deps, id, 'job-c');
    expect(r.status).toBe('ok');
    expect(r.itemsNew).toBe(published);
    expect(await itemCount(id)).toBe(before + published);
  });

  it('two concurrent crawls of the same feed (RSS and Atom of one channel) store each item once', async () => {
    const { deps } = crawlDeps(t.db);
    const a = await addSource(t.db, { url: `${site.url}/news/atom.xml?x=1`, name: 'atom copy 1' });
    const b = await addSource(t.db, { url: `${site.url}/news/atom.xml?x=2`, name: 'atom copy 2' });
    const before = await itemCount();
    const [ra, rb] = await Promise.all([crawlSource(deps, a, 'job-a1'), crawlSource(deps, b, 'job-b1')]);
    expect(ra.status).toBe('ok');
    expect(rb.status).toBe('ok');
    // The RSS source above already stored these links: nothing new, and no duplicate rows.
    const dupes = await sql<{ n: string }>`select count(*) as n from (select url_key from items group by url_key having count(*) > 1) d`.execute(t.db);
    expect(Number(dupes.rows[0].n)).toBe(0);
    expect(ra.itemsNew + rb.itemsNew).toBe((await itemCount()) - before);
  });

  it('a source is crawled by one job at a time: a second claim is skipped', async () => {
    const { deps } = crawlDeps(t.db);
    const id = await addSource(t.db, { url: `${site.url}/gov/rdf.xml`, name: '政务新媒体' });
    const [x, y] = await Promise.all([crawlSource(deps, id, 'job-x'), crawlSource(deps, id, 'job-y')]);
    expect([x.status, y.status].sort()).toEqual(['ok', 'skipped']);
    const fetches = await t.db.selectFrom('source_fetches').select('id').where('source_id', '=', id).execute();
    expect(fetches).toHaveLength(1);
  });
});

describe('sites, charsets, sanitising', () => {
  it('decodes the GBK mayor’s mailbox (list and letters) without mojibake', async () => {
    const { deps } = crawlDeps(t.db);
    const id = await addSource(t.db, {
      url: `${site.url}/mailbox/index.html`,
      name: '市长信箱',
      kind: 'site',
      media_type: 'mailbox',
      selectors: JSON.stringify(MAILBOX_SELECTORS),
    });
    const r = await crawlSource(deps, id, 'job-mail');
    expect(r.status).toBe('ok');
    expect(r.itemsNew).toBeGreaterThan(0);
    const items = await t.db.selectFrom('items').select(['title', 'text']).where('source_id', '=', id).execute();
    const expectedTitles = new Set(site.posts().filter((p) => p.channel === 'mailbox').map((p) => p.title));
    for (const it of items) {
      expect(it.title).not.toMatch(/\uFFFD|锟斤拷/);
      expect(expectedTitles.has(it.title)).toBe(true);
      expect(it.text.length).toBeGreaterThan(10);
    }
  });

  it('stores forum posts with hostile HTML as sanitised text', async () => {
    const { deps } = crawlDeps(t.db);
    const id = await addSource(t.db, {
      url: `${site.url}/forum/list.html`,
      name: '清河论坛',
      kind: 'site',
      media_type: 'forum',
      selectors: JSON.stringify(FORUM_SELECTORS),
    });
    const r = await crawlSource(deps, id, 'job-forum');
    expect(r.status).toBe('ok');
    const items = await t.db.selectFrom('items').select(['title', 'text']).where('source_id', '=', id).execute();
    expect(items.length).toBeGreaterThan(0);
    for (const it of items) {
      expect(it.text).not.toMatch(/<script|onerror|javascript:/i);
      expect(it.title).not.toMatch(/<[a-z]/i);
    }
  });

  it('marks a site whose selectors match nothing instead of reporting "no news"', async () => {
    const { deps } = crawlDeps(t.db);
    const id = await addSource(t.db, {
      url: `${site.url}/forum/list.html?drift=1`,
      name: 'drifted forum',
      kind: 'site',
      selectors: JSON.stringify({ item: 'div.layout-that-changed' }),
    });
    const r = await crawlSource(deps, id, 'job-drift');
    expect(r.status).toBe('selector_empty');
    const row = await sourceRow(id);
    expect(row.status).toBe('selector_empty');
    expect(row.selector_misses).toBe(1);
  });

  it('crawls the real-world corpus: every item with a link stored once, GB2312 decoded', async () => {
    const { deps } = crawlDeps(t.db);
    const names = readdirSync(CORPUS_URL);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      const id = await addSource(t.db, { url: `${site.url}/real/${name}`, name });
      const r = await crawlSource(deps, id, `job-real-${name}`);
      expect(['ok', 'parse_error'], `${name}: ${r.status}`).toContain(r.status);
    }
    const gb = await t.db
      .selectFrom('items')
      .innerJoin('sources', 'sources.id', 'items.source_id')
      .select(['items.title'])
      .where('sources.name', '=', 'encoding-gb2312.xml')
      .execute();
    expect(gb.map((g) => g.title)).toContain('习近平为何如此强调崇尚英雄？');
    const dupes = await sql<{ n: string }>`select count(*) as n from (select url_key from items group by url_key having count(*) > 1) d`.execute(t.db);
    expect(Number(dupes.rows[0].n)).toBe(0);
  });
});

describe('failing sources', () => {
  it.each([
    ['/broken/feed.xml', 'parse_error'],
    ['/error/feed.xml', 'http_5xx'],
    ['/challenge/feed.xml', 'blocked_challenge'],
    ['/waf/feed.xml', 'blocked_challenge'],
    ['/ratelimit/feed.xml', 'rate_limited'],
    ['/slow/feed.xml', 'timeout'],
    ['/redirect/loop', 'too_many_redirects'],
  ])('%s is marked %s with a readable message and a later retry', async (path, status) => {
    const { deps } = crawlDeps(t.db, { settings: { timeoutMs: 1500 } });
    const id = await addSource(t.db, { url: `${site.url}${path}`, name: path });
    const r = await crawlSource(deps, id, `job-${path}`);
    expect(r.status).toBe(status);
    const row = await sourceRow(id);
    expect(row.status).toBe(status);
    expect(row.status_message.length).toBeGreaterThan(0);
    expect(row.consecutive_failures).toBe(1);
    expect(row.failure_score).toBeGreaterThan(0);
    expect(row.next_fetch_at.getTime()).toBeGreaterThan(Date.now());
    expect(row.claimed_by).toBeNull();
    if (status === 'rate_limited') expect(row.next_fetch_at.getTime()).toBeGreaterThan(Date.now() + 100_000);
  });

  it('backs off while a site fails, then resumes by itself when it recovers', async () => {
    const { deps } = crawlDeps(t.db);
    const id = await addSource(t.db, { url: `${site.url}/gov/rss091.xml`, name: 'rss 0.91', poll_interval_s: 60 });
    site.setFault('/gov/rss091.xml', { kind: 'status', status: 503 });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      expect((await crawlSource(deps, id, `job-fail-${i}`)).status).toBe('http_5xx');
      delays.push((await sourceRow(id)).next_fetch_at.getTime() - before);
      await makeDue(t.db, id);
    }
    expect(delays[1]).toBeGreaterThan(delays[0] * 1.5);
    expect(delays[2]).toBeGreaterThan(delays[1] * 1.5);
    expect((await sourceRow(id)).consecutive_failures).toBe(3);

    site.setFault('/gov/rss091.xml', null);
    const r = await crawlSource(deps, id, 'job-recovered');
    expect(r.status).toBe('ok');
    const row = await sourceRow(id);
    expect(row.consecutive_failures).toBe(0);
    expect(row.next_fetch_at.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it('the good sources keep working while others fail', async () => {
    const { deps } = crawlDeps(t.db, { settings: { timeoutMs: 1000 } });
    const good = await addSource(t.db, { url: `${site.url}/news/rss.xml?fresh=1`, name: 'good' });
    const bad = await addSource(t.db, { url: `${site.url}/slow/feed.xml?x=2`, name: 'bad' });
    const [g, b] = await Promise.all([crawlSource(deps, good, 'job-good'), crawlSource(deps, bad, 'job-bad')]);
    expect(g.status).toBe('ok');
    expect(b.status).toBe('timeout');
  });
});

describe('SSRF guard', () => {
  let canary: Server;
  let canaryHits = 0;
  let canaryPort = 0;
  beforeAll(async () => {
    canary = createServer((req, res) => {
      canaryHits++;
      res.end('secret');
    });
    await new Promise<void>((r) => canary.listen(0, '127.0.0.1', () => r()));
    canaryPort = (canary.address() as { port: number }).port;
  });
  afterAll(() => canary.close());

  it('refuses a host that resolves to a private address (checked after DNS), recorded on the source', async () => {
    const { deps } = crawlDeps(t.db, { resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const id = await addSource(t.db, { url: `http://intranet.example:${canaryPort}/rss.xml`, name: 'evil' });
    const r = await crawlSource(deps, id, 'job-ssrf');
    expect(r.status).toBe('ssrf_refused');
    expect((await sourceRow(id)).status).toBe('ssrf_refused');
    expect(canaryHits).toBe(0);
  });

  it('an allow-list entry added a moment ago is honoured at once, though the worker caches the list', async () => {
    let hits = 0;
    const local = createServer((req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>刚加入白名单的站点</title><link>http://local.example/1</link></item></channel></rss>');
    });
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', () => r()));
    const hostPort = `127.0.0.1:${(local.address() as { port: number }).port}`;
    try {
      const before = await loadAllowlist(t.db);
      await allowHost(t.db, hostPort);
      // The worker's cache (worker/main.ts) still holds the list from before the admin's change.
      const calls: boolean[] = [];
      const { deps } = crawlDeps(t.db, {
        allowlist: async (opts) => {
          calls.push(opts?.fresh === true);
          return opts?.fresh ? loadAllowlist(t.db) : before;
        },
      });
      const id = await addSource(t.db, { url: `http://${hostPort}/rss.xml`, name: 'just allowed' });
      const r = await crawlSource(deps, id, 'job-fresh-allowlist');
      expect(calls).toEqual([false, true]);
      expect(r.status).toBe('ok');
      expect(hits).toBe(1);
    } finally {
      local.close();
    }
  });

  it('refuses a redirect from an allowed site to a private address', async () => {
    const redirector = createServer((req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${canaryPort}/latest.xml` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', () => r()));
    const port = (redirector.address() as { port: number }).port;
    await allowHost(t.db, `127.0.0.1:${port}`);
    const { deps } = crawlDeps(t.db);
    const id = await addSource(t.db, { url: `http://127.0.0.1:${port}/rss.xml`, name: 'redirect to canary' });
    const r = await crawlSource(deps, id, 'job-ssrf-redirect');
    redirector.close();
    expect(r.status).toBe('ssrf_refused');
    expect(canaryHits).toBe(0);
  });
});
