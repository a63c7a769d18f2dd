import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { addSource, allowHost, crawlDeps, TestClock } from '../helpers/crawl.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { NEWS_SEARCH_PATH, PAGE_END_404_WORD, PAGE_FAIL_WORD, PAGE_REPEAT_WORD, PAGE_SIZE, SERIAL_ARTICLES } from '../../demo/news-search.js';
import { searchPages, type SearchSourceConfig } from '../../core/search-source.js';
import { fetchQuery, resultSpec } from '../../services/crawl/search.js';
import { crawlFetchOptions } from '../../services/crawl/steps/fetch.js';
import { guardedFetch } from '../../platform/http/fetch.js';

// News search sources (kind 'search') crawled against the fixture site's search engine: queries
// generated from a rule, the same article from two queries stored once, anti-bot and empty result
// pages told apart in the health, and one failing query backing off while the others carry on.

let t: TestDb;
let site: FixtureSite;
const clock = new TestClock(new Date('2026-12-05T02:42:00Z').getTime());

beforeAll(async () => {
  t = await createTestDb('searchcrawl');
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 5, clock: clock.now, slowMs: 5000 });
  await allowHost(t.db, new URL(site.url).host);
});
afterAll(async () => {
  await site?.close();
  await t?.drop();
});

const queriesOf = (sourceId: number) =>
  t.db.selectFrom('source_queries').selectAll().where('source_id', '=', sourceId).orderBy('query').execute();
const sourceRow = (id: number) => t.db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function searchSource(name: string, config: SearchSourceConfig, format: 'rss' | 'html' = config.format): Promise<number> {
  return addSource(t.db, {
    name,
    kind: 'search',
    url: `${site.url}${NEWS_SEARCH_PATH}?q={query}&page={page}&format=${format}&src=${encodeURIComponent(name)}`,
    poll_interval_s: 600,
    search_config: JSON.stringify(config),
  });
}

describe('news search source with queries generated from a rule', () => {
  let sourceId: number;
  let ruleId: number;

  beforeAll(async () => {
    ruleId = (await t.db.insertInto('rules').values({ name: '拆迁停水', expression: '(清河|城关镇|龙山镇)+(拆迁|停水|强拆)-(招聘|广告)' }).returning('id').executeTakeFirstOrThrow()).id;
    sourceId = await searchSource('清河新闻搜索', { queries: [], ruleId, format: 'rss', selectors: null });
  });

  it('polls region × subject queries, stores each article once, tells anti-bot from empty', async () => {
    const before = site.requestCount(NEWS_SEARCH_PATH);
    const { deps } = crawlDeps(t.db, { now: clock.now });
    const out = await crawlSource(deps, sourceId, 'job-search-1');
    expect(site.requestCount(NEWS_SEARCH_PATH) - before).toBe(9);
    const queries = await queriesOf(sourceId);
    expect(queries.map((q) => q.query).sort()).toEqual(
      ['清河 拆迁', '清河 停水', '清河 强拆', '城关镇 拆迁', '城关镇 停水', '城关镇 强拆', '龙山镇 拆迁', '龙山镇 停水', '龙山镇 强拆'].sort(),
    );
    const status = Object.fromEntries(queries.map((q) => [q.query, q.status]));
    expect(status['清河 拆迁']).toBe('ok');
    expect(status['城关镇 拆迁']).toBe('ok');
    expect(status['龙山镇 拆迁']).toBe('empty');
    expect(status['清河 强拆']).toBe('anti_bot');
    expect(status['龙山镇 强拆']).toBe('anti_bot');
    // 清河 拆迁 → 701, 703; 清河 停水 → 702; 城关镇 拆迁 → 701, 708 (mentions 拆迁); 城关镇 停水 → 702; 龙山镇 停水 → 704.
    const items = await t.db.selectFrom('items').select(['url', 'title']).where('source_id', '=', sourceId).execute();
    const urls = items.map((i) => i.url);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls.sort()).toEqual([701, 702, 703, 704, 708].map((id) => `${site.url}/search/article/${id}.html`).sort());
    expect(out).toMatchObject({ status: 'ok', itemsSeen: 5, itemsNew: 5 });
    const src = await sourceRow(sourceId);
    expect(src.status).toBe('ok');
    expect(src.status_message).toContain('共 9 个查询词：5 个有结果，1 个无结果，3 个遇到反爬验证，0 个抓取失败');
  });

  it('a query that keeps failing backs off on its own while the others are polled at the interval', async () => {
    const { deps } = crawlDeps(t.db, { now: clock.now });
    const delays = (rows: Awaited<ReturnType<typeof queriesOf>>) =>
      Object.fromEntries(rows.map((q) => [q.query, (q.next_due_at.getTime() - clock.t) / 1000]));
    const first = delays(await queriesOf(sourceId));
    // Healthy queries: the 600 s interval ±10 %; anti-bot ones: backoff from the interval up.
    expect(first['清河 拆迁']).toBeGreaterThanOrEqual(540);
    expect(first['清河 拆迁']).toBeLessThanOrEqual(660);
    expect(first['龙山镇 拆迁']).toBeGreaterThanOrEqual(540);
    const src = await sourceRow(sourceId);
    const nextDue = Math.min(...Object.values(first));
    expect((src.next_fetch_at.getTime() - clock.t) / 1000).toBeCloseTo(nextDue, 0);

    // Walk through an hour, crawling whenever the source is due: the healthy queries are polled
    // about every 10 minutes, the anti-bot ones ever more rarely (10, 20, 40 minutes…).
    const fetched = new Map<string, number>();
    const end = clock.t + 3600_000;
    let job = 0;
    while (clock.t < end) {
      const row = await sourceRow(sourceId);
      clock.t = Math.max(clock.t + 1000, row.next_fetch_at.getTime());
      const before = new Map((await queriesOf(sourceId)).map((q) => [q.query, q.last_fetch_at?.getTime() ?? 0]));
      await crawlSource(deps, sourceId, `job-search-walk-${job++}`);
      for (const q of await queriesOf(sourceId)) {
        if ((q.last_fetch_at?.getTime() ?? 0) !== before.get(q.query)) fetched.set(q.query, (fetched.get(q.query) ?? 0) + 1);
      }
    }
    expect(fetched.get('清河 拆迁')).toBeGreaterThanOrEqual(5);
    expect(fetched.get('龙山镇 拆迁')).toBeGreaterThanOrEqual(5);
    expect(fetched.get('清河 强拆') ?? 0).toBeGreaterThanOrEqual(1);
    expect(fetched.get('清河 强拆') ?? 0).toBeLessThanOrEqual(2);
    const rows = await queriesOf(sourceId);
    const blocked = rows.find((q) => q.query === '清河 强拆')!;
    expect(blocked.status).toBe('anti_bot');
    expect(blocked.consecutive_failures).toBeGreaterThanOrEqual(2);
    expect(rows.find((q) => q.query === '清河 拆迁')!.consecutive_failures).toBe(0);
    // Nothing new: the same articles, found again and again, are still one item each.
    expect((await t.db.selectFrom('items').select('id').where('source_id', '=', sourceId).execute()).length).toBe(5);
  });

  it('a rule edited to other words: the queries follow, the dropped ones are forgotten', async () => {
    await t.db.updateTable('rules').set({ expression: '清河+(停水|热搜)' }).where('id', '=', ruleId).execute();
    await t.db.updateTable('sources').set({ next_fetch_at: new Date(0) }).where('id', '=', sourceId).execute();
    const { deps } = crawlDeps(t.db, { now: clock.now });
    await crawlSource(deps, sourceId, 'job-search-rule-edit');
    const rows = await queriesOf(sourceId);
    expect(rows.map((q) => q.query).sort()).toEqual(['清河 停水', '清河 热搜'].sort());
    const limited = rows.find((q) => q.query === '清河 热搜')!;
    expect(limited).toMatchObject({ status: 'anti_bot', http_status: 429, fetch_status: 'rate_limited' });
    // Retry-After: 600 s is honoured at least.
    expect(limited.next_due_at.getTime() - clock.t).toBeGreaterThanOrEqual(600_000);
  });
});

describe('news search source with HTML results and hand-written queries', () => {
  it('reads the result list by its selectors; an empty page is "no results", a page without the list is a failure', async () => {
    const id = await searchSource('清河新闻搜索（网页）', {
      queries: ['城关镇 拆迁', '龙山镇 拆迁', '清河 强拆'],
      ruleId: null,
      format: 'html',
      selectors: { item: 'li.result', link: 'h3 a', title: 'h3 a', date: '.date' },
    });
    const { deps } = crawlDeps(t.db, { now: clock.now });
    const out = await crawlSource(deps, id, 'job-search-html');
    // The RSS source above stored these articles already: an article is one item whichever source finds it.
    expect(out).toMatchObject({ status: 'ok', itemsSeen: 2, itemsNew: 0 });
    const status = Object.fromEntries((await queriesOf(id)).map((q) => [q.query, q.status]));
    expect(status).toEqual({ '城关镇 拆迁': 'ok', '龙山镇 拆迁': 'empty', '清河 强拆': 'anti_bot' });
    const rows = await queriesOf(id);
    expect(rows.find((q) => q.query === '城关镇 拆迁')!.items_seen).toBe(2);
    expect(rows.find((q) => q.query === '龙山镇 拆迁')!.items_seen).toBe(0);

    const broken = await searchSource('清河新闻搜索（选择器失效）', { queries: ['城关镇 拆迁'], ruleId: null, format: 'html', selectors: { item: 'div.card' } });
    expect((await crawlSource(deps, broken, 'job-search-broken')).status).toBe('selector_empty');
    expect((await queriesOf(broken))[0]).toMatchObject({ status: 'failing', consecutive_failures: 1 });
    expect((await sourceRow(broken)).status_message).toContain('1 个抓取失败');
  });

  it('a slow query times out and backs off alone; the other query of the source is stored', async () => {
    const id = await searchSource('清河新闻搜索（慢）', { queries: ['清河 慢讯', '清河 停水'], ruleId: null, format: 'rss', selectors: null });
    const { deps } = crawlDeps(t.db, { now: clock.now, settings: { timeoutMs: 400 } });
    const out = await crawlSource(deps, id, 'job-search-slow');
    expect(out.status).toBe('ok');
    const rows = Object.fromEntries((await queriesOf(id)).map((q) => [q.query, q]));
    expect(rows['清河 慢讯']).toMatchObject({ status: 'failing', fetch_status: 'timeout', consecutive_failures: 1 });
    expect(rows['清河 停水']).toMatchObject({ status: 'ok', consecutive_failures: 0, items_seen: 1 });
    expect((await sourceRow(id)).status_message).toContain('1 个有结果，0 个无结果，0 个遇到反爬验证，1 个抓取失败');
  });

  it('every query goes through the SSRF guard: a private address is refused, nothing is fetched', async () => {
    const id = await addSource(t.db, {
      name: '内网搜索',
      kind: 'search',
      url: 'http://10.1.2.3/search?q={query}',
      search_config: JSON.stringify({ queries: ['清河'], ruleId: null, format: 'rss', selectors: null }),
    });
    const { deps } = crawlDeps(t.db, { now: clock.now });
    expect((await crawlSource(deps, id, 'job-search-ssrf')).status).toBe('ssrf_refused');
    expect((await queriesOf(id))[0]).toMatchObject({ status: 'failing', fetch_status: 'ssrf_refused' });
  });
});

describe('news search paging', () => {
  it('reads up to N result pages per query, stops at an empty page or one with nothing new, keeps page 1 when page 2 fails', async () => {
    const id = await searchSource('清河新闻搜索（翻页）', { queries: ['秋粮', `秋粮 ${PAGE_FAIL_WORD}`, `秋粮 ${PAGE_REPEAT_WORD}`], ruleId: null, format: 'rss', selectors: null, pages: 5 });
    const before = site.requestCount(NEWS_SEARCH_PATH);
    const { deps } = crawlDeps(t.db, { now: clock.now });
    const out = await crawlSource(deps, id, 'job-search-pages');
    // 秋粮: pages 1–3 hold 10 + 10 + 3 bulletins, page 4 is empty (4 requests); 翻页故障: page 2
    // answers 500 (2); 翻页重复: page 2 repeats page 1, nothing new (2). Never page 5.
    expect(site.requestCount(NEWS_SEARCH_PATH) - before).toBe(8);
    const rows = Object.fromEntries((await queriesOf(id)).map((q) => [q.query, q]));
    expect(rows['秋粮']).toMatchObject({ status: 'ok', items_seen: SERIAL_ARTICLES, pages_read: 3, failed_page: null, consecutive_failures: 0 });
    expect(rows[`秋粮 ${PAGE_REPEAT_WORD}`]).toMatchObject({ status: 'ok', items_seen: PAGE_SIZE, pages_read: 1, failed_page: null });
    const failed = rows[`秋粮 ${PAGE_FAIL_WORD}`];
    expect(failed).toMatchObject({ status: 'failing', http_status: 500, items_seen: PAGE_SIZE, pages_read: 1, failed_page: 2, consecutive_failures: 1 });
    expect(failed.message).toContain('Page 2');
    // The failing query backs off on its own (a failure in a row, its score up); the healthy ones do not.
    expect(failed.failure_score).toBeGreaterThan(rows['秋粮'].failure_score);
    // Every bulletin stored once, whichever query and page found it.
    const items = await t.db.selectFrom('items').select('url').where('source_id', '=', id).execute();
    expect(items).toHaveLength(SERIAL_ARTICLES);
    expect(out).toMatchObject({ status: 'ok', itemsSeen: SERIAL_ARTICLES, itemsNew: SERIAL_ARTICLES });
    expect((await sourceRow(id)).status_message).toContain('共 3 个查询词：2 个有结果，0 个无结果，0 个遇到反爬验证，1 个抓取失败');
  });

  it('a source set to one page (or whose template has no {page}) reads page 1 only; pages are paused between', async () => {
    const one = await searchSource('清河新闻搜索（一页）', { queries: ['秋粮'], ruleId: null, format: 'rss', selectors: null, pages: 1 });
    let before = site.requestCount(NEWS_SEARCH_PATH);
    const { deps } = crawlDeps(t.db, { now: clock.now });
    await crawlSource(deps, one, 'job-search-one-page');
    expect(site.requestCount(NEWS_SEARCH_PATH) - before).toBe(1);
    expect((await queriesOf(one))[0]).toMatchObject({ items_seen: PAGE_SIZE, pages_read: 1 });
    expect(searchPages({ pages: 5 }, `${site.url}${NEWS_SEARCH_PATH}?q={query}`)).toBe(1);
    expect(searchPages({ pages: 9 }, `${site.url}${NEWS_SEARCH_PATH}?q={query}&page={page}`)).toBe(5);
    expect(searchPages({}, `${site.url}${NEWS_SEARCH_PATH}?q={query}&page={page}`)).toBe(1);

    // The pages of one query: fetched in order with a pause between two (the crawl's pause is its per-host limiter).
    const allow = await deps.allowlist();
    const calls: string[] = [];
    before = site.requestCount(NEWS_SEARCH_PATH);
    const r = await fetchQuery(
      `${site.url}${NEWS_SEARCH_PATH}?q={query}&page={page}&format=rss`,
      '秋粮',
      resultSpec({ queries: [], ruleId: null, format: 'rss', selectors: null }, null),
      (url) => {
        calls.push(`get ${new URL(url).searchParams.get('page')}`);
        return guardedFetch(url, crawlFetchOptions(deps.settings, allow));
      },
      { pages: 3, pause: async () => void calls.push('pause') },
    );
    expect(calls).toEqual(['get 1', 'pause', 'get 2', 'pause', 'get 3']);
    expect(r).toMatchObject({ status: 'ok', pagesRead: 3, failedPage: null });
    expect(r.entries).toHaveLength(SERIAL_ARTICLES);
    expect(site.requestCount(NEWS_SEARCH_PATH) - before).toBe(3);
  });

  it('a page past the last one ends the paging without failing the query (a 404, or a page its list selector finds nothing on)', async () => {
    const { deps } = crawlDeps(t.db, { now: clock.now });
    const allow = await deps.allowlist();
    const get = (url: string) => guardedFetch(url, crawlFetchOptions(deps.settings, allow));
    const rss = resultSpec({ queries: [], ruleId: null, format: 'rss', selectors: null }, null);
    // 3 pages of bulletins; page 4 answers 404.
    const r = await fetchQuery(`${site.url}${NEWS_SEARCH_PATH}?q={query}&page={page}&format=rss`, `秋粮 ${PAGE_END_404_WORD}`, rss, get, { pages: 5 });
    expect(r).toMatchObject({ status: 'ok', pagesRead: 3, failedPage: null });
    expect(r.entries).toHaveLength(SERIAL_ARTICLES);
    // The same on an HTML result page read by selectors: page 4's 404 page has no result list; the end, not a failure.
    const html = resultSpec({ queries: [], ruleId: null, format: 'html', selectors: { item: 'li.result', link: 'h3 a', title: 'h3 a', date: '.date' } }, null);
    const h = await fetchQuery(`${site.url}${NEWS_SEARCH_PATH}?q={query}&page={page}`, `秋粮 ${PAGE_END_404_WORD}`, html, get, { pages: 5 });
    expect(h).toMatchObject({ pagesRead: 3, failedPage: null });
    expect(h.status).not.toBe('failing');
    // A server error on page 2 is still a failure of the query.
    const f = await fetchQuery(`${site.url}${NEWS_SEARCH_PATH}?q={query}&page={page}&format=rss`, `秋粮 ${PAGE_FAIL_WORD}`, rss, get, { pages: 5 });
    expect(f).toMatchObject({ status: 'failing', failedPage: 2, pagesRead: 1 });
  });
});
