import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, type ApiFixture } from './helpers.js';
import { allowHost, crawlDeps } from '../helpers/crawl.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { NEWS_SEARCH_PATH } from '../../demo/news-search.js';

// News search sources through the API: create (validated: {query} in the template, queries or a
// rule, selectors for HTML results), 试抓取 (the queries and the first query's results, its health
// told in Chinese), and the source's view with each query's health after a crawl.

let f: ApiFixture;
let site: FixtureSite;
let ruleId: number;

beforeAll(async () => {
  f = await createApiFixture('searchsrc');
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 5 });
  await allowHost(f.db, new URL(site.url).host);
  ruleId = (await f.db.insertInto('rules').values({ name: '城关拆迁', expression: '(城关镇|清河)+(拆迁|强拆)-广告' }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await site?.close();
  await f?.tdb.drop();
});

const template = (format: 'rss' | 'html', tag = '') => `${site.url}${NEWS_SEARCH_PATH}?q={query}&page={page}&format=${format}${tag}`;
const issues = async (res: Response) => (await errorOf(res)).details.issues as { path: string; messageZh: string }[];

describe('news search sources', () => {
  it('refuses a template without {query}, a source with neither queries nor a rule, HTML results without selectors, an unknown rule', async () => {
    let res = await f.request('POST', '/api/sources', { name: '搜索', url: `${site.url}${NEWS_SEARCH_PATH}?q=清河`, kind: 'search', search: { queries: ['清河'] } });
    expect(res.status).toBe(400);
    expect((await issues(res)).find((i) => i.path === 'url')?.messageZh).toContain('{query}');
    res = await f.request('POST', '/api/sources', { name: '搜索', url: template('rss'), kind: 'search', search: { queries: [] } });
    expect(res.status).toBe(400);
    expect((await issues(res)).some((i) => i.messageZh.includes('查询词'))).toBe(true);
    res = await f.request('POST', '/api/sources', { name: '搜索', url: template('html'), kind: 'search', search: { queries: ['清河'], format: 'html' } });
    expect(res.status).toBe(400);
    expect((await issues(res)).some((i) => i.messageZh.includes('选择器'))).toBe(true);
    res = await f.request('POST', '/api/sources', { name: '搜索', url: template('rss'), kind: 'search' });
    expect(res.status).toBe(400);
    res = await f.request('POST', '/api/sources', { name: '搜索', url: template('rss'), kind: 'search', search: { ruleId: 999_999 } });
    expect(res.status).toBe(400);
    expect((await issues(res))[0]).toMatchObject({ path: 'search.ruleId', messageZh: '所选的监测规则不存在' });
    res = await f.request('POST', '/api/sources', { name: '搜索', url: template('rss'), kind: 'search', search: { queries: Array.from({ length: 21 }, (_, i) => `q${i}`) } });
    expect(res.status).toBe(400);
    expect(await f.db.selectFrom('sources').select('id').where('kind', '=', 'search').execute()).toEqual([]);
  });

  it('the pages per query: 1 to 5, more than one only with {page} in the template; 试抓取 reads them', async () => {
    for (const pages of [0, 6, 2.5]) {
      const res = await f.request('POST', '/api/sources', { name: '搜索', url: template('rss'), kind: 'search', search: { queries: ['秋粮'], pages } });
      expect(res.status).toBe(400);
      const issue = (await issues(res)).find((i) => i.path === 'search.pages');
      expect(issue?.messageZh).toBe('每个查询词读取的结果页数须为 1 到 5 之间的整数');
    }
    let res = await f.request('POST', '/api/sources', { name: '搜索', url: `${site.url}${NEWS_SEARCH_PATH}?q={query}&format=rss`, kind: 'search', search: { queries: ['秋粮'], pages: 3 } });
    expect(res.status).toBe(400);
    const body = await errorOf(res);
    expect(body.message).toContain('{page}');
    expect((body.details.issues as { path: string; messageZh: string }[]).find((i) => i.path === 'search.pages')?.messageZh).toContain('{page}');
    expect(await f.db.selectFrom('sources').select('id').where('kind', '=', 'search').execute()).toEqual([]);

    const preview = await (await f.request('POST', '/api/sources/preview', { url: template('rss'), kind: 'search', search: { queries: ['秋粮'], pages: 5 } })).json();
    expect(preview).toMatchObject({ status: 'ok', ok: true, queryStatus: 'ok', total: 23, searchPages: { pages: 5, read: 3, failedPage: null } });
    expect(preview.messageZh).toBe('共 1 个查询词，每个查询词最多读 5 页；第一个查询词“秋粮”（读了 3 页，共 23 条）：抓取成功，解析出 23 条');
    const failing = await (await f.request('POST', '/api/sources/preview', { url: template('rss'), kind: 'search', search: { queries: ['秋粮 翻页故障'], pages: 2 } })).json();
    expect(failing).toMatchObject({ ok: false, queryStatus: 'failing', total: 10, searchPages: { pages: 2, read: 1, failedPage: 2 } });
    expect(failing.messageZh).toContain('第 2 页抓取失败（HTTP 500）；抓取时前 1 页的 10 条照常保存');

    res = await f.request('POST', '/api/sources', { name: '秋粮搜索', url: template('rss', '&p=3'), kind: 'search', search: { queries: ['秋粮'], pages: 3 } });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created.search).toMatchObject({ queries: ['秋粮'], pages: 3 });
  });

  it('试抓取 shows the queries generated from the rule and the first query\'s results', async () => {
    const res = await f.request('POST', '/api/sources/preview', { url: template('rss'), kind: 'search', search: { ruleId, format: 'rss' } });
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r.queries).toEqual(['城关镇 拆迁', '城关镇 强拆', '清河 拆迁', '清河 强拆']);
    expect(r).toMatchObject({ status: 'ok', ok: true, queryStatus: 'ok', total: 2 });
    expect(r.entries.map((e: any) => e.title).sort()).toEqual(['城关镇东关村拆迁补偿标准公布', '城关镇老旧小区改造征求意见'].sort());
    expect(r.entries.every((e: any) => e.publishedAtEstimated === false)).toBe(true);
    expect(r.messageZh).toBe('共 4 个查询词；第一个查询词“城关镇 拆迁”：抓取成功，解析出 2 条');
    const audit = await f.db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'source.preview').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ kind: 'search', queries: 4, status: 'ok', total: 2 });
  });

  it('试抓取 tells a captcha page from an honest empty result page', async () => {
    const html = { item: 'li.result', link: 'h3 a', title: 'h3 a', date: '.date' };
    const blocked = await (await f.request('POST', '/api/sources/preview', { url: template('html'), kind: 'search', search: { queries: ['清河 强拆'], format: 'html', selectors: html } })).json();
    expect(blocked).toMatchObject({ status: 'blocked_challenge', ok: false, queryStatus: 'anti_bot', statusLabel: '遇到反爬验证', total: 0 });
    expect(blocked.messageZh).toContain('反爬验证');
    const empty = await (await f.request('POST', '/api/sources/preview', { url: template('html'), kind: 'search', search: { queries: ['龙山镇 拆迁'], format: 'html', selectors: html } })).json();
    expect(empty).toMatchObject({ status: 'ok', ok: true, queryStatus: 'empty', statusLabel: '无结果', total: 0 });
    expect(empty.messageZh).toContain('搜索结果为空');
  });

  it('creates a search source from a rule, crawls it and shows each query\'s health', async () => {
    const res = await f.request('POST', '/api/sources', { name: '清河新闻搜索', url: template('rss'), kind: 'search', mediaType: 'news', search: { ruleId } });
    expect(res.status).toBe(201);
    const source = await res.json();
    expect(source).toMatchObject({ kind: 'search', search: { ruleId, queries: [], format: 'rss', selectors: null }, queries: [] });
    const { deps } = crawlDeps(f.db);
    // 城关镇 拆迁 and 清河 拆迁 both find the 东关村 article: three articles, three items.
    expect(await crawlSource(deps, source.id, 'job-search-api')).toMatchObject({ status: 'ok', itemsSeen: 3, itemsNew: 3 });
    const view = await (await f.request('GET', `/api/sources/${source.id}`)).json();
    expect(view.statusMessage).toMatch(/^共 4 个查询词：2 个有结果，0 个无结果，2 个遇到反爬验证，0 个抓取失败/);
    expect(view.queries).toHaveLength(4);
    expect(view.queries.find((q: any) => q.query === '清河 强拆')).toMatchObject({ status: 'anti_bot', statusLabel: '遇到反爬验证', consecutiveFailures: 1 });
    expect(view.queries.find((q: any) => q.query === '城关镇 拆迁')).toMatchObject({ status: 'ok', statusLabel: '有结果', itemsSeen: 2 });
    const list = await (await f.request('GET', '/api/sources')).json();
    expect(list.sources.find((s: any) => s.id === source.id).queries).toHaveLength(4);

    // Switching to hand-written queries: audited, and the next crawl polls only those.
    const patched = await f.request('PATCH', `/api/sources/${source.id}`, { search: { queries: ['清河 停水'], ruleId: null } });
    expect(patched.status).toBe(200);
    const audit = await f.db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'source.update').where('entity_id', '=', String(source.id)).executeTakeFirstOrThrow();
    expect((audit.before as any).search.ruleId).toBe(ruleId);
    expect((audit.after as any).search).toMatchObject({ queries: ['清河 停水'], ruleId: null });
    await crawlSource(deps, source.id, 'job-search-api-2');
    const after = await (await f.request('GET', `/api/sources/${source.id}`)).json();
    expect(after.queries.map((q: any) => q.query)).toEqual(['清河 停水']);
    const bad = await f.request('PATCH', `/api/sources/${source.id}`, { url: `${site.url}${NEWS_SEARCH_PATH}?q=固定` });
    expect(bad.status).toBe(400);
  });
});
