import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, makeItem, type ApiFixture } from './helpers.js';

let f: ApiFixture;
const NOW = new Date('2026-11-25T08:00:00.000Z');

beforeAll(async () => {
  f = await createApiFixture('sources', { now: () => NOW });
});
afterAll(async () => {
  await f.tdb.drop();
});

const feed = (over: Record<string, unknown> = {}) => ({ name: '永济新闻网', url: 'https://news.example.cn/rss.xml', kind: 'feed', ...over });

describe('POST /api/sources — happy', () => {
  it('creates a feed source with defaults and health fields', async () => {
    const res = await f.request('POST', '/api/sources', feed({ url: 'https://a.example.cn/feed', region: '永济', charset: 'GBK' }));
    expect(res.status).toBe(201);
    const s = await res.json();
    expect(s).toMatchObject({
      name: '永济新闻网',
      url: 'https://a.example.cn/feed',
      kind: 'feed',
      mediaType: 'other',
      mediaTypeLabel: '其他',
      region: '永济',
      charset: 'GBK',
      selectors: null,
      pollIntervalS: 300,
      enabled: true,
      status: 'pending',
      statusLabel: '待抓取',
      nextFetchAt: NOW.toISOString(),
      silent: false,
      itemCount: 0,
    });
    expect(typeof s.id).toBe('number');
  });

  it('creates a site source with selectors', async () => {
    const res = await f.request('POST', '/api/sources', {
      name: '领导信箱',
      url: 'http://mail.example.cn/list',
      kind: 'site',
      mediaType: 'mailbox',
      selectors: { item: 'ul.list > li', link: 'a', date: 'span.date', text: '#content' },
    });
    expect(res.status).toBe(201);
    const s = await res.json();
    expect(s.selectors).toEqual({ item: 'ul.list > li', link: 'a', date: 'span.date', text: '#content' });
    expect(s.mediaTypeLabel).toBe('领导信箱');
  });

  it('accepts a private address once its host:port is allow-listed', async () => {
    const denied = await f.request('POST', '/api/sources', feed({ url: 'http://127.0.0.1:3100/rss' }));
    expect(denied.status).toBe(400);
    const allow = await f.request('POST', '/api/allowlist', { hostPort: '127.0.0.1:3100', note: '演示站点' });
    expect(allow.status).toBe(201);
    const res = await f.request('POST', '/api/sources', feed({ url: 'http://127.0.0.1:3100/rss' }));
    expect(res.status).toBe(201);
  });
});

describe('POST /api/sources — errors', () => {
  it('refuses an invalid URL with a Chinese message naming the field', async () => {
    const res = await f.request('POST', '/api/sources', feed({ url: 'not a url' }));
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.code).toBe('VALIDATION');
    expect(e.messageZh).toBe('请求参数不正确：url 不是有效的网址');
    expect(e.details.issues[0]).toMatchObject({ path: 'url', messageZh: '不是有效的网址' });
    expect(e.requestId).toBe(res.headers.get('x-request-id'));
  });

  it.each([
    ['ftp://files.example.cn/feed', '只支持 http 或 https 网址'],
    ['https://user:pw@news.example.cn/rss', '不能包含用户名或密码'],
    ['javascript:alert(1)', '只支持 http 或 https 网址'],
  ])('refuses %s', async (url, zh) => {
    const res = await f.request('POST', '/api/sources', feed({ url }));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).messageZh).toContain(zh);
  });

  it.each(['http://127.0.0.1/rss', 'http://10.1.2.3/', 'http://[::1]/', 'http://169.254.169.254/latest', 'http://localhost:8080/'])(
    'refuses the private or local address %s',
    async (url) => {
      const res = await f.request('POST', '/api/sources', feed({ url }));
      expect(res.status).toBe(400);
      const e = await errorOf(res);
      expect(e.details.issues[0].path).toBe('url');
      expect(e.messageZh).toContain('内网');
    },
  );

  it('requires selectors for a site source', async () => {
    const res = await f.request('POST', '/api/sources', feed({ url: 'https://b.example.cn/', kind: 'site' }));
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.details.issues[0].path).toBe('selectors');
    expect(e.messageZh).toContain('选择器');
  });

  it('refuses a selector that does not parse', async () => {
    const res = await f.request('POST', '/api/sources', feed({ url: 'https://b.example.cn/', kind: 'site', selectors: { item: 'li', title: 'a[href' } }));
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.details.issues[0].path).toBe('selectors.title');
    expect(e.messageZh).toBe('请求参数不正确：selectors.title 不是有效的 CSS 选择器');
  });

  it('takes a field selector naming an attribute or children to leave out, and refuses a malformed one', async () => {
    const ok = await f.request('POST', '/api/sources', feed({ url: 'https://d.example.cn/', kind: 'site', selectors: { item: 'li', title: 'a@title', date: 'span!em', link: 'a@data-url' } }));
    expect(ok.status).toBe(201);
    expect((await ok.json()).selectors).toMatchObject({ title: 'a@title', date: 'span!em', link: 'a@data-url' });
    const bad = await f.request('POST', '/api/sources', feed({ url: 'https://e.example.cn/', kind: 'site', selectors: { item: 'li', title: 'a@title!span' } }));
    expect(bad.status).toBe(400);
    const e = await errorOf(bad);
    expect(e.details.issues[0].path).toBe('selectors.title');
    expect(e.messageZh).toContain('“@”只能出现一次');
    const css = await f.request('POST', '/api/sources', feed({ url: 'https://e.example.cn/', kind: 'site', selectors: { item: 'li', title: 'a!span[' } }));
    expect((await errorOf(css)).messageZh).toBe('请求参数不正确：selectors.title 不是有效的 CSS 选择器');
  });

  it('refuses an unknown charset label', async () => {
    const res = await f.request('POST', '/api/sources', feed({ url: 'https://c.example.cn/', charset: 'klingon-8' }));
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.details.issues[0].path).toBe('charset');
    expect(e.messageZh).toContain('不是可识别的字符编码');
  });

  it('lists every problem: missing name, bad kind, too short poll interval, unknown field', async () => {
    const res = await f.request('POST', '/api/sources', { url: 'https://d.example.cn/', kind: 'blog', pollIntervalS: 1, colour: 'red' });
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    const paths = e.details.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['', 'kind', 'name', 'pollIntervalS']);
    expect(e.messageZh).toContain('name 为必填项');
    expect(e.messageZh).toContain('pollIntervalS 不能小于 5');
    expect(e.messageZh).toContain('包含未知字段：colour');
  });

  it('answers 409 for a duplicate URL', async () => {
    await f.request('POST', '/api/sources', feed({ url: 'https://dup.example.cn/rss' }));
    const res = await f.request('POST', '/api/sources', feed({ url: 'https://dup.example.cn/rss' }));
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('CONFLICT');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await f.request('POST', '/api/sources', '{"name": "x",', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.code).toBe('VALIDATION');
    expect(e.messageZh).toBe('请求体不是有效的 JSON');
  });
});

describe('GET/PATCH/DELETE /api/sources/:id', () => {
  it('lists sources with health, item count and silence', async () => {
    const created = await (await f.request('POST', '/api/sources', feed({ url: 'https://health.example.cn/rss' }))).json();
    await f.db
      .updateTable('sources')
      .set({
        status: 'http_5xx',
        status_message: 'HTTP 502',
        http_status: 502,
        typical_gap_s: 3600,
        last_new_item_at: new Date(NOW.getTime() - 2 * 24 * 3600 * 1000),
        consecutive_failures: 3,
        failure_score: 4.5,
      })
      .where('id', '=', created.id)
      .execute();
    await makeItem(f.db, created.id, { title: '一条' });
    await makeItem(f.db, created.id, { title: '两条' });
    const res = await f.request('GET', '/api/sources');
    expect(res.status).toBe(200);
    const { sources } = await res.json();
    const s = sources.find((x: { id: number }) => x.id === created.id);
    expect(s).toMatchObject({
      status: 'http_5xx',
      statusLabel: '网站服务器错误',
      statusMessage: 'HTTP 502',
      httpStatus: 502,
      consecutiveFailures: 3,
      failureScore: 4.5,
      typicalGapS: 3600,
      silent: true,
      itemCount: 2,
    });
  });

  it('gets one source, 404 for an unknown id, 400 for a malformed id', async () => {
    const created = await (await f.request('POST', '/api/sources', feed({ url: 'https://one.example.cn/rss' }))).json();
    expect((await f.request('GET', `/api/sources/${created.id}`)).status).toBe(200);
    const missing = await f.request('GET', '/api/sources/999999');
    expect(missing.status).toBe(404);
    const e = await errorOf(missing);
    expect(e).toMatchObject({ code: 'NOT_FOUND', messageZh: '监测源不存在' });
    expect((await f.request('GET', '/api/sources/abc')).status).toBe(400);
  });

  it('PATCH enabled resets next_fetch_at to now; a name change does not', async () => {
    const created = await (await f.request('POST', '/api/sources', feed({ url: 'https://patch.example.cn/rss' }))).json();
    const later = new Date(NOW.getTime() + 3600_000);
    await f.db.updateTable('sources').set({ next_fetch_at: later, etag: '"v1"' }).where('id', '=', created.id).execute();

    const renamed = await (await f.request('PATCH', `/api/sources/${created.id}`, { name: '新名字' })).json();
    expect(renamed).toMatchObject({ name: '新名字', nextFetchAt: later.toISOString() });

    const res = await f.request('PATCH', `/api/sources/${created.id}`, { enabled: false });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: false, nextFetchAt: NOW.toISOString() });
  });

  it('PATCH url resets the schedule and forgets conditional-GET validators', async () => {
    const created = await (await f.request('POST', '/api/sources', feed({ url: 'https://move.example.cn/rss' }))).json();
    await f.db
      .updateTable('sources')
      .set({ next_fetch_at: new Date(NOW.getTime() + 3600_000), etag: '"v1"', last_modified: 'x', body_hash: 'h' })
      .where('id', '=', created.id)
      .execute();
    const res = await f.request('PATCH', `/api/sources/${created.id}`, { url: 'https://moved.example.cn/rss' });
    expect(res.status).toBe(200);
    expect((await res.json()).nextFetchAt).toBe(NOW.toISOString());
    const row = await f.db.selectFrom('sources').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect([row.url, row.etag, row.last_modified, row.body_hash]).toEqual(['https://moved.example.cn/rss', null, null, null]);
  });

  it('PATCH refuses turning a feed into a site without selectors, bad values, and unknown ids', async () => {
    const created = await (await f.request('POST', '/api/sources', feed({ url: 'https://kind.example.cn/rss' }))).json();
    const noSel = await f.request('PATCH', `/api/sources/${created.id}`, { kind: 'site' });
    expect(noSel.status).toBe(400);
    expect((await errorOf(noSel)).details.issues[0].path).toBe('selectors');
    const badUrl = await f.request('PATCH', `/api/sources/${created.id}`, { url: 'http://192.168.1.1/' });
    expect(badUrl.status).toBe(400);
    expect((await f.request('PATCH', '/api/sources/999999', { name: 'x' })).status).toBe(404);
    await f.request('POST', '/api/sources', feed({ url: 'https://taken.example.cn/rss' }));
    const taken = await f.request('PATCH', `/api/sources/${created.id}`, { url: 'https://taken.example.cn/rss' });
    expect(taken.status).toBe(409);
    expect((await errorOf(taken)).messageZh).toBe('已存在相同网址的监测源');
    const ok = await f.request('PATCH', `/api/sources/${created.id}`, { kind: 'site', selectors: { item: '.row' } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).selectors).toEqual({ item: '.row' });
  });

  it('DELETE removes the source and its items; a second DELETE is 404', async () => {
    const created = await (await f.request('POST', '/api/sources', feed({ url: 'https://gone.example.cn/rss' }))).json();
    await makeItem(f.db, created.id, { title: '将被删除' });
    const res = await f.request('DELETE', `/api/sources/${created.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: created.id, deleted: true });
    expect((await f.request('GET', `/api/sources/${created.id}`)).status).toBe(404);
    expect((await f.request('DELETE', `/api/sources/${created.id}`)).status).toBe(404);
    const left = await f.db.selectFrom('items').select('id').where('source_id', '=', created.id).execute();
    expect(left).toEqual([]);
  });
});

describe('fetch history and fetch-now', () => {
  it('lists fetches newest first with a limit', async () => {
    const created = await (await f.request('POST', '/api/sources', feed({ url: 'https://hist.example.cn/rss' }))).json();
    for (let i = 0; i < 3; i++) {
      await f.db
        .insertInto('source_fetches')
        .values({
          source_id: created.id,
          started_at: new Date(NOW.getTime() - (3 - i) * 60_000),
          duration_ms: 100 + i,
          status: i === 2 ? 'timeout' : 'ok',
          items_seen: 10,
          items_new: i,
        })
        .execute();
    }
    const res = await f.request('GET', `/api/sources/${created.id}/fetches?limit=2`);
    expect(res.status).toBe(200);
    const { fetches } = await res.json();
    expect(fetches.map((x: { durationMs: number }) => x.durationMs)).toEqual([102, 101]);
    expect(fetches[0]).toMatchObject({ status: 'timeout', statusLabel: '超时', itemsNew: 2 });
    expect(typeof fetches[0].id).toBe('string');
    expect((await f.request('GET', '/api/sources/999999/fetches')).status).toBe(404);
    expect((await f.request('GET', `/api/sources/${created.id}/fetches?limit=0`)).status).toBe(400);
  });

  it('fetch-now makes the source due now', async () => {
    const created = await (await f.request('POST', '/api/sources', feed({ url: 'https://now.example.cn/rss' }))).json();
    await f.db.updateTable('sources').set({ next_fetch_at: new Date(NOW.getTime() + 86_400_000) }).where('id', '=', created.id).execute();
    const res = await f.request('POST', `/api/sources/${created.id}/fetch-now`);
    expect(res.status).toBe(200);
    expect((await res.json()).nextFetchAt).toBe(NOW.toISOString());
    expect((await f.request('POST', '/api/sources/999999/fetch-now')).status).toBe(404);
  });

  it('publishes source.updated on the hub when running without Redis', async () => {
    const seen: unknown[] = [];
    const off = f.events.subscribe((ev) => seen.push(ev));
    const created = await (await f.request('POST', '/api/sources', feed({ url: 'https://ev.example.cn/rss' }))).json();
    off();
    expect(seen).toEqual([{ type: 'source.updated', sourceId: created.id }]);
  });
});
