import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from './helpers.js';
import { allowHost, crawlDeps, makeDue } from '../helpers/crawl.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { LIUYAN_LIST_PATH, LIUYAN_LOGIN_PATH, LIUYAN_TOTAL } from '../../demo/liuyan-api.js';

// JSON sources (kind 'json') against the fixture site's 留言板-like endpoint: a POST with a body
// template, paged, Chinese, epoch-millisecond dates; and an endpoint answering a login page.

let f: ApiFixture;
let site: FixtureSite;

beforeAll(async () => {
  f = await createApiFixture('jsonsrc');
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 10 });
  await allowHost(f.db, new URL(site.url).host);
});
afterAll(async () => {
  await site?.close();
  await f?.tdb.drop();
});

const mapping = { list: 'data.list', title: 'subject', linkTemplate: 'https://liuyan.example.gov.cn/detail?tid={tid}', date: 'createTime', text: 'content', author: 'nickname' };
const config = (over: Record<string, unknown> = {}) => ({ method: 'POST', bodyType: 'form', body: 'page={page}&size=10', pages: 2, headers: { 'X-Requested-With': 'XMLHttpRequest' }, mapping, ...over });

describe('JSON sources', () => {
  it('试抓取 POSTs page after page, maps the items and shows where a path found nothing', async () => {
    const before = site.requestCount(LIUYAN_LIST_PATH);
    const res = await f.request('POST', '/api/sources/preview', { url: `${site.url}${LIUYAN_LIST_PATH}`, kind: 'json', json: config({ mapping: { ...mapping, author: 'user.name' } }) });
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r).toMatchObject({ status: 'ok', ok: true, total: 20 });
    expect(site.requestCount(LIUYAN_LIST_PATH) - before).toBe(2);
    expect(r.entries[0].title).toBe('龙山镇石桥村自来水断供三天');
    expect(r.entries[0].url).toMatch(/^https:\/\/liuyan\.example\.gov\.cn\/detail\?tid=\d+$/);
    expect(r.entries[0].excerpt).toContain('停水');
    expect(r.entries.every((e: any) => e.publishedAtEstimated === false)).toBe(true);
    // Epoch milliseconds are read exactly; no made-up ISO text is shown as what the endpoint wrote.
    expect(r.entries.every((e: any) => e.dateText === null)).toBe(true);
    expect(new Set(r.entries.map((e: any) => e.url)).size).toBe(20);
    expect(r.misses).toEqual([{ field: 'author', path: 'user.name', missing: 20, items: 20 }]);
    expect(r.missesZh[0]).toContain('user.name');
  });

  it('stops paging when a page is empty, and a JSON body template works too', async () => {
    const r = await (
      await f.request('POST', '/api/sources/preview', { url: `${site.url}${LIUYAN_LIST_PATH}`, kind: 'json', json: config({ bodyType: 'json', body: '{"page": {page}, "size": 10}', pages: 5 }) })
    ).json();
    expect(r.status).toBe('ok');
    expect(r.total).toBe(LIUYAN_TOTAL);
    expect(r.misses).toEqual([]);
  });

  it('a source of kind json is crawled into items, once', async () => {
    const res = await f.request('POST', '/api/sources', { name: '清河网上留言板', url: `${site.url}${LIUYAN_LIST_PATH}`, kind: 'json', mediaType: 'mailbox', json: config({ pages: 3 }) });
    expect(res.status).toBe(201);
    const source = await res.json();
    expect(source).toMatchObject({ kind: 'json', json: { method: 'POST', pages: 3, mapping: { list: 'data.list', link: null } } });
    const { deps } = crawlDeps(f.db);
    const out = await crawlSource(deps, source.id, 'job-json-1');
    expect(out).toMatchObject({ status: 'ok', itemsSeen: LIUYAN_TOTAL, itemsNew: LIUYAN_TOTAL });
    const items = await f.db.selectFrom('items').select(['title', 'author', 'published_at', 'url']).where('source_id', '=', source.id).execute();
    expect(items).toHaveLength(LIUYAN_TOTAL);
    expect(items.every((i) => i.author?.startsWith('网友'))).toBe(true);
    await makeDue(f.db, source.id);
    const again = await crawlSource(deps, source.id, 'job-json-2');
    expect(again.itemsNew).toBe(0);
  });

  it('holds the byte cap for all pages together: paging stops at the page that would pass it', async () => {
    const page1 = await fetch(`${site.url}${LIUYAN_LIST_PATH}`, { method: 'POST', body: 'page=1&size=10', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const pageBytes = Buffer.byteLength(await page1.text());
    const created = await (
      await f.request('POST', '/api/sources', { name: '留言板（字节上限）', url: `${site.url}${LIUYAN_LIST_PATH}?cap=1`, kind: 'json', json: config({ pages: 3 }) })
    ).json();
    const { deps } = crawlDeps(f.db, { settings: { maxBytes: Math.floor(pageBytes * 1.5) } });
    const out = await crawlSource(deps, created.id, 'job-json-cap');
    expect(out).toMatchObject({ status: 'ok', itemsSeen: 10 });
  });

  it('an HTML login page instead of JSON: "返回的不是 JSON", in the preview and the source health', async () => {
    const body = { url: `${site.url}${LIUYAN_LOGIN_PATH}`, kind: 'json', json: config() };
    const r = await (await f.request('POST', '/api/sources/preview', body)).json();
    expect(r).toMatchObject({ status: 'parse_error', ok: false });
    expect(r.messageZh).toMatch(/^返回的不是 JSON/);
    const created = await (await f.request('POST', '/api/sources', { ...body, name: '留言板（登录过期）' })).json();
    const { deps } = crawlDeps(f.db);
    expect((await crawlSource(deps, created.id, 'job-json-login')).status).toBe('parse_error');
    const view = await (await f.request('GET', `/api/sources/${created.id}`)).json();
    expect(view.statusMessage).toMatch(/^返回的不是 JSON/);
  });

  it('a list path that finds no array is named', async () => {
    const r = await (await f.request('POST', '/api/sources/preview', { url: `${site.url}${LIUYAN_LIST_PATH}`, kind: 'json', json: config({ mapping: { ...mapping, list: 'data.rows' } }) })).json();
    expect(r.status).toBe('selector_empty');
    expect(r.messageZh).toContain('data.rows');
  });

  it('goes through the same SSRF guard: a private address is refused without a connection', async () => {
    const r = await (await f.request('POST', '/api/sources/preview', { url: 'http://10.1.2.3/api/list', kind: 'json', json: config() })).json();
    expect(r.status).toBe('ssrf_refused');
  });

  it('refuses a json source without its mapping, a reserved header and a JSON body that is not JSON', async () => {
    expect((await f.request('POST', '/api/sources', { name: 'x', url: 'https://a.example.cn/api', kind: 'json' })).status).toBe(400);
    expect((await f.request('POST', '/api/sources', { name: 'x', url: 'https://a.example.cn/api', kind: 'json', json: config({ headers: { Host: 'evil' } }) })).status).toBe(400);
    expect((await f.request('POST', '/api/sources', { name: 'x', url: 'https://a.example.cn/api', kind: 'json', json: config({ bodyType: 'json', body: '{page: {page}' }) })).status).toBe(400);
  });
});
