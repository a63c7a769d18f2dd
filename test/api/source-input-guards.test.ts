import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, type ApiFixture } from './helpers.js';
import { allowHost } from '../helpers/crawl.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { LIUYAN_LIST_PATH } from '../../demo/liuyan-api.js';

// Crafted input on the forms that make JSON, search and RSSHub sources: header injection, link
// templates that are not web addresses, mapping paths reaching into object prototypes, private
// addresses through every URL field, and bodies past the request cap. Each is a 400 with a Chinese
// and an English reason (or a refused fetch in 试抓取), never a 500 and never a stored source that
// fails every crawl later.

let f: ApiFixture;
let site: FixtureSite;
let url: string;

beforeAll(async () => {
  f = await createApiFixture('srcguard');
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 10 });
  await allowHost(f.db, new URL(site.url).host);
  url = `${site.url}${LIUYAN_LIST_PATH}`;
});
afterAll(async () => {
  await site?.close();
  await f?.tdb.drop();
});

const mapping = { list: 'data.list', title: 'subject', linkTemplate: 'https://liuyan.example.gov.cn/detail?tid={tid}', date: 'createTime', text: 'content', author: 'nickname' };
const config = (over: Record<string, unknown> = {}) => ({ method: 'POST', bodyType: 'form', body: 'page={page}&size=10', pages: 1, headers: {}, mapping, ...over });
const sourceCount = async () => Number((await f.db.selectFrom('sources').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('JSON source headers', () => {
  it('refuses a header value with a line break (a smuggled header) on create and 试抓取, in both languages', async () => {
    const before = await sourceCount();
    for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'a\rb']) {
      const created = await f.request('POST', '/api/sources', { name: '注入', url, kind: 'json', json: config({ headers: { 'X-A': value } }) });
      expect(created.status).toBe(400);
      const e = await errorOf(created);
      expect(e.messageZh).toContain('不能换行');
      expect(e.message).toContain('line breaks');
      expect((await f.request('POST', '/api/sources/preview', { url, kind: 'json', json: config({ headers: { 'X-A': value } }) })).status).toBe(400);
    }
    expect(await sourceCount()).toBe(before);
  });

  it('refuses Chinese in a header value (the HTTP client cannot send it) instead of an English crawl error later', async () => {
    const res = await f.request('POST', '/api/sources/preview', { url, kind: 'json', json: config({ headers: { Referer: 'https://清河.gov.cn/' } }) });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).messageZh).toContain('网址编码');
  });

  it('takes ordinary headers (tab and spaces included) and refuses more than 30', async () => {
    const ok = await f.request('POST', '/api/sources/preview', { url, kind: 'json', json: config({ headers: { 'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json,\ttext/plain' } }) });
    expect(ok.status).toBe(200);
    expect((await ok.json()).status).toBe('ok');
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`X-H${i}`, 'v']));
    const res = await f.request('POST', '/api/sources', { name: '很多请求头', url, kind: 'json', json: config({ headers: many }) });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).messageZh).toContain('最多 30 个');
  });
});

describe('JSON source mapping', () => {
  it('refuses a link template that is not a web address (javascript:, data:), takes a path on the endpoint\'s site', async () => {
    for (const linkTemplate of ['javascript:alert({tid})', 'data:text/html,{tid}', ' JavaScript:x']) {
      const res = await f.request('POST', '/api/sources', { name: '链接模板', url, kind: 'json', json: config({ mapping: { ...mapping, linkTemplate } }) });
      expect(res.status, linkTemplate).toBe(400);
      expect((await errorOf(res)).messageZh).toContain('链接模板');
    }
    const rel = await (await f.request('POST', '/api/sources/preview', { url, kind: 'json', json: config({ mapping: { ...mapping, linkTemplate: '/detail?tid={tid}' } }) })).json();
    expect(rel.status).toBe('ok');
    expect(rel.entries[0].url).toMatch(new RegExp(`^${site.url.replace(/[.]/g, '\\.')}/detail\\?tid=\\d+$`));
  });

  it('paths into object prototypes find nothing (named in 试抓取), never a crash', async () => {
    const proto = await f.request('POST', '/api/sources/preview', { url, kind: 'json', json: config({ mapping: { ...mapping, list: '__proto__' } }) });
    expect(proto.status).toBe(200);
    expect((await proto.json()).status).toBe('selector_empty');
    const r = await (await f.request('POST', '/api/sources/preview', { url, kind: 'json', json: config({ mapping: { ...mapping, title: 'constructor.name', author: '__proto__.toString' } }) })).json();
    expect(r.status).toBe('ok');
    expect(r.entries[0].title).toBe('（无标题）');
    expect(r.misses.map((m: { field: string }) => m.field).sort()).toEqual(['author', 'title']);
  });
});

describe('private addresses through every URL field', () => {
  it('a JSON endpoint or a search template on a private address: refused at creation, 试抓取 refused without a connection', async () => {
    const json = await f.request('POST', '/api/sources', { name: '内网接口', url: 'http://192.168.1.1/api/list', kind: 'json', json: config() });
    expect(json.status).toBe(400);
    expect((await errorOf(json)).messageZh).toContain('内网');
    const search = await f.request('POST', '/api/sources', { name: '内网搜索', url: 'http://10.0.0.8/s?q={query}', kind: 'search', search: { queries: ['清河'] } });
    expect(search.status).toBe(400);
    const preview = await (await f.request('POST', '/api/sources/preview', { url: 'http://[::ffff:127.0.0.2]:9/s?q={query}', kind: 'search', search: { queries: ['清河'] } })).json();
    expect(preview.status).toBe('ssrf_refused');
  });

  it('a search template cannot put {query} or {page} in the host (a query must never pick the server)', async () => {
    for (const tpl of ['http://{query}/s', 'https://{query}.example.cn/s', 'https://s{page}.example.cn/s?q={query}', 'https://news.example.cn%7Bquery%7D/s']) {
      const res = await f.request('POST', '/api/sources', { name: '搜索', url: tpl, kind: 'search', search: { queries: ['127.0.0.1'] } });
      expect(res.status, tpl).toBe(400);
    }
    const res = await f.request('POST', '/api/sources/preview', { url: 'http://{query}:9/', kind: 'search', search: { queries: ['10.0.0.1'] } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).messageZh).toContain('不能写在域名里');
    const ok = await f.request('POST', '/api/sources', { name: '搜索（正常）', url: 'https://news.example.cn/s?q={query}&p={page}', kind: 'search', search: { queries: ['清河'] } });
    expect(ok.status).toBe(201);
    const patched = await f.request('PATCH', `/api/sources/${(await ok.json()).id}`, { url: 'https://{query}.example.cn/s' });
    expect(patched.status).toBe(400);
    expect((await errorOf(patched)).messageZh).toContain('不能写在域名里');
  });

  it('an RSSHub base on a link-local (cloud metadata) address is refused even with "加入白名单", and nothing joins the allow-list', async () => {
    for (const baseUrl of ['http://169.254.169.254', 'http://[fe80::1]:1200', 'http://[::ffff:169.254.169.254]/']) {
      const res = await f.request('PUT', '/api/rsshub/settings', { baseUrl, allowPrivate: true });
      expect(res.status, baseUrl).toBe(400);
      expect((await errorOf(res)).messageZh).toContain('链路本地');
    }
    const entries = await f.db.selectFrom('fetch_allowlist').select('host_port').execute();
    expect(entries.map((e) => e.host_port)).toEqual([new URL(site.url).host]);
    const audit = await f.db.selectFrom('audit_log').select('action').where('action', 'in', ['rsshub.update', 'allowlist.create']).execute();
    expect(audit).toHaveLength(0);
  });

  it('an RSSHub base with a query or fragment is refused (a route would land in it)', async () => {
    for (const baseUrl of ['https://rsshub.example.cn/?key=1', 'https://rsshub.example.cn/#x']) {
      const res = await f.request('PUT', '/api/rsshub/settings', { baseUrl });
      expect(res.status, baseUrl).toBe(400);
      expect((await errorOf(res)).messageZh).toContain('实例地址');
    }
    expect((await f.request('PUT', '/api/rsshub/settings', { baseUrl: 'https://rsshub.example.cn/sub/' })).status).toBe(200);
  });

  it('the free RSSHub route cannot leave the instance\'s host', async () => {
    for (const route of ['//evil.example.com/x', 'http://evil.example.com/', '@evil.example.com']) {
      const res = await f.request('POST', '/api/sources', { name: '其他路由', kind: 'feed', rsshub: { template: 'custom', params: { route } } });
      expect(res.status, route).toBe(400);
    }
    const ok = await f.request('POST', '/api/sources', { name: '其他路由', kind: 'feed', rsshub: { template: 'custom', params: { route: '/\\evil.example.com/x' } } });
    if (ok.status === 201) expect(new URL((await ok.json()).url).host).toBe('rsshub.example.cn');
    else expect(ok.status).toBe(400);
  });
});

describe('request size', () => {
  it('a body past the 1 MB cap is a 413 in both languages, not a 500', async () => {
    const res = await f.request('POST', '/api/sources', { name: '大', url, kind: 'json', json: config({ body: 'x'.repeat(2_000_000) }) });
    expect(res.status).toBe(413);
    const e = await errorOf(res);
    expect(e.messageZh).toContain('请求内容过大');
    expect(e.message).toContain('too large');
  });
});
