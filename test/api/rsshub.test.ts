import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, type ApiFixture } from './helpers.js';
import { crawlDeps } from '../helpers/crawl.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { RSSHUB_SLOW_PATH } from '../../demo/rsshub.js';

// RSSHub as a provider: the templates, the office's instance (base URL, allow-listed in the same
// form), sources made by filling a template, and the fake RSSHub of the fixture site: its routes in
// RSSHub's output shape, its 503 error page and a slow route.

let f: ApiFixture;
let site: FixtureSite;
let hub: string;

beforeAll(async () => {
  f = await createApiFixture('rsshub');
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 120, slowMs: 5000 });
  hub = `${site.url}/rsshub`;
});
afterAll(async () => {
  await site?.close();
  await f?.tdb.drop();
});

const auditOf = (action: string) => f.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

describe('RSSHub templates and base URL', () => {
  it('lists the templates with Chinese labels and no base before one is set', async () => {
    const res = await f.request('GET', '/api/rsshub/templates');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.baseUrl).toBeNull();
    const byId = new Map<string, any>(body.templates.map((t: any) => [t.id, t]));
    for (const id of ['people-liuyan', 'weibo-keyword', 'weibo-user', 'douyin-user', 'toutiao-user', 'tieba-forum', 'zhihu-topic', 'bilibili-user', 'wechat-mp', 'custom']) {
      expect(byId.has(id), id).toBe(true);
    }
    const liuyan = byId.get('people-liuyan');
    expect(liuyan).toMatchObject({ name: '人民网领导留言板', route: '/people/liuyan/:id/:state', mediaType: 'mailbox' });
    expect(liuyan.params[1].options.map((o: any) => o.label)).toEqual(['全部', '待回复', '办理中', '已办理']);
    expect(byId.get('weibo-keyword').route).toBe('/weibo/keyword/:keyword');
  });

  it('refuses a template source while no base URL is set', async () => {
    const res = await f.request('POST', '/api/sources', { name: '微博：清河', kind: 'feed', rsshub: { template: 'weibo-keyword', params: { keyword: '清河' } } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).messageZh).toContain('RSSHub 实例地址');
  });

  it('refuses a loopback base unless allow-listed in the same form, then allow-lists it with both audit rows', async () => {
    const refused = await f.request('PUT', '/api/rsshub/settings', { baseUrl: hub });
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).messageZh).toContain('白名单');
    expect(await auditOf('rsshub.update')).toHaveLength(0);

    const res = await f.request('PUT', '/api/rsshub/settings', { baseUrl: `${hub}/`, allowPrivate: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ baseUrl: hub, basePrivate: true, baseAllowed: true });
    const entries = await f.db.selectFrom('fetch_allowlist').select('host_port').execute();
    expect(entries.map((e) => e.host_port)).toContain(new URL(site.url).host);
    expect(await auditOf('allowlist.create')).toHaveLength(1);
    const [audit] = await auditOf('rsshub.update');
    expect(audit).toMatchObject({ actor_id: f.admin.id, entity: 'rsshub_settings', before: { baseUrl: null }, after: { baseUrl: hub } });
  });

  it('refuses a missing parameter, a state outside the choices and an unknown template', async () => {
    const missing = await f.request('POST', '/api/sources', { name: '留言板', kind: 'feed', rsshub: { template: 'people-liuyan', params: { id: '539' } } });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).messageZh).toContain('办理状态');
    const badState = await f.request('POST', '/api/sources', { name: '留言板', kind: 'feed', rsshub: { template: 'people-liuyan', params: { id: '539', state: '9' } } });
    expect(badState.status).toBe(400);
    const unknown = await f.request('POST', '/api/sources', { name: 'x', kind: 'feed', rsshub: { template: 'nope', params: {} } });
    expect(unknown.status).toBe(400);
    const both = await f.request('POST', '/api/sources', { name: 'x', kind: 'feed', url: 'https://a.example.cn/feed', rsshub: { template: 'weibo-keyword', params: { keyword: 'a' } } });
    expect(both.status).toBe(400);
  });
});

describe('a source from a template is an ordinary feed source', () => {
  it('composes the URL with the parameter encoded, previews and crawls it in RSSHub shape', async () => {
    const fill = { template: 'weibo-keyword', params: { keyword: '清河 化工厂' } };
    const preview = await (await f.request('POST', '/api/sources/preview', { kind: 'feed', rsshub: fill })).json();
    expect(preview).toMatchObject({ status: 'ok', ok: true, finalUrl: `${hub}/weibo/keyword/%E6%B8%85%E6%B2%B3%20%E5%8C%96%E5%B7%A5%E5%8E%82` });

    const res = await f.request('POST', '/api/sources', { name: '微博：清河', kind: 'feed', mediaType: 'forum', rsshub: { template: 'weibo-keyword', params: { keyword: '清河' } } });
    expect(res.status).toBe(201);
    const source = await res.json();
    expect(source).toMatchObject({ kind: 'feed', mediaType: 'forum', url: `${hub}/weibo/keyword/%E6%B8%85%E6%B2%B3` });
    const shown = await (await f.request('POST', '/api/sources/preview', { url: source.url, kind: 'feed' })).json();
    expect(shown.status).toBe('ok');
    expect(shown.total).toBeGreaterThan(0);
    for (const e of shown.entries) {
      expect(e.url).toMatch(/^https:\/\/weibo\.com\//);
      expect(e.excerpt).toContain('清河');
      expect(e.excerpt).not.toMatch(/<[a-z]/i);
      expect(e.publishedAtEstimated).toBe(false);
    }

    const { deps } = crawlDeps(f.db);
    const out = await crawlSource(deps, source.id, 'job-rsshub-1');
    expect(out.status).toBe('ok');
    expect(out.itemsNew).toBe(shown.total);
    const items = await f.db.selectFrom('items').select(['author', 'url']).where('source_id', '=', source.id).execute();
    expect(items).toHaveLength(shown.total);
    expect(items.every((i) => i.author?.endsWith('的微博'))).toBe(true);
  });

  it('the fake RSSHub answers in RSSHub\'s output shape: RSS 2.0, its <generator>, <author>, HTML <description> in CDATA', async () => {
    const res = await fetch(`${hub}/weibo/keyword/${encodeURIComponent('清河')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/xml/);
    const xml = await res.text();
    expect(xml).toMatch(/<rss[^>]*version="2\.0"/);
    expect(xml).toContain('<generator>RSSHub</generator>');
    expect(xml).toMatch(/<author><!\[CDATA\[[^\]]+\]\]><\/author>/);
    expect(xml).toMatch(/<description><!\[CDATA\[[\s\S]*<(p|br|img)[\s\S]*\]\]><\/description>/);
    const error = await fetch(`${hub}/weibo/user/error`);
    expect(error.status).toBe(503);
    expect(await error.text()).toMatch(/Looks like something went wrong/i);
  });

  it('the 留言板 route filters by state: 待回复 lists only messages awaiting a reply', async () => {
    const all = await (await f.request('POST', '/api/sources/preview', { kind: 'feed', rsshub: { template: 'people-liuyan', params: { id: '539', state: '1' } } })).json();
    const waiting = await (await f.request('POST', '/api/sources/preview', { kind: 'feed', rsshub: { template: 'people-liuyan', params: { id: '539', state: '2' } } })).json();
    expect(all.status).toBe('ok');
    expect(waiting.total).toBeGreaterThan(0);
    expect(waiting.total).toBeLessThan(all.total);
    expect(waiting.entries.every((e: any) => e.title.startsWith('[待回复]'))).toBe(true);
    expect(waiting.entries[0].url).toMatch(/^http:\/\/liuyan\.people\.com\.cn\/threads\/content\?tid=\d+$/);
  });

  it('names RSSHub\'s own error page in the health: "RSSHub 路由出错"', async () => {
    const preview = await (await f.request('POST', '/api/sources/preview', { kind: 'feed', rsshub: { template: 'weibo-user', params: { uid: 'error' } } })).json();
    expect(preview).toMatchObject({ status: 'http_5xx', ok: false, httpStatus: 503 });
    expect(preview.messageZh).toMatch(/^RSSHub 路由出错/);

    const created = await (await f.request('POST', '/api/sources', { name: '微博用户（出错）', kind: 'feed', rsshub: { template: 'weibo-user', params: { uid: 'error' } } })).json();
    const { deps } = crawlDeps(f.db);
    const out = await crawlSource(deps, created.id, 'job-rsshub-err');
    expect(out.status).toBe('http_5xx');
    const view = await (await f.request('GET', `/api/sources/${created.id}`)).json();
    expect(view.statusMessage).toMatch(/^RSSHub 路由出错/);

    // An ordinary 5xx page of another server is not called an RSSHub error.
    const plain = await (await f.request('POST', '/api/sources/preview', { url: `${site.url}/error/feed.xml`, kind: 'feed' })).json();
    expect(plain.status).toBe('http_5xx');
    expect(plain.messageZh).not.toContain('RSSHub');
  });

  it('a slow route times out, and the health says so', async () => {
    const res = await f.request('POST', '/api/sources', { name: '抖音（慢）', kind: 'feed', rsshub: { template: 'douyin-user', params: { uid: 'slow' } } });
    const created = await res.json();
    expect(new URL(created.url).pathname).toBe(RSSHUB_SLOW_PATH);
    const { deps } = crawlDeps(f.db, { settings: { timeoutMs: 500 } });
    const out = await crawlSource(deps, created.id, 'job-rsshub-slow');
    expect(out.status).toBe('timeout');
    const view = await (await f.request('GET', `/api/sources/${created.id}`)).json();
    expect(view).toMatchObject({ status: 'timeout', statusLabel: '超时' });
    expect(view.statusMessage).toMatch(/Timed out/);
  });

  it('the free route takes a route as written on the base', async () => {
    const res = await f.request('POST', '/api/sources', { name: '知乎', kind: 'feed', rsshub: { template: 'custom', params: { route: '/zhihu/topic/19550517' } } });
    expect(res.status).toBe(201);
    expect((await res.json()).url).toBe(`${hub}/zhihu/topic/19550517`);
    const bad = await f.request('POST', '/api/sources', { name: '知乎2', kind: 'feed', rsshub: { template: 'custom', params: { route: '//evil.example/x' } } });
    expect(bad.status).toBe(400);
  });
});
