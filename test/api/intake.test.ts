import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimSource, listDueSources } from '../../db/repos/source-fetches.js';
import { hashToken, TOKEN_REQUESTS_PER_MINUTE } from '../../services/intake/tokens.js';
import { createApiFixture, errorOf, type ApiFixture } from './helpers.js';
import { createUser, sessionFor } from '../helpers/auth.js';

// 管理 → 接口令牌 and POST /api/intake/items: tokens shown once and stored hashed, scoped,
// revocable; pushed items through the crawl's pipeline (stories, rules, alerts), idempotent,
// judged one by one, rate-limited per token, audited.

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture('intake');
});
afterAll(async () => {
  await f.tdb.drop();
});

async function newToken(name: string, scopes?: string[]): Promise<{ id: number; token: string }> {
  const res = await f.request('POST', '/api/api-tokens', scopes ? { name, scopes } : { name });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; token: string };
}

function push(token: string | null, body: unknown, headers: Record<string, string> = {}) {
  return f.requestAs(null, 'POST', '/api/intake/items', body, token === null ? headers : { authorization: `Bearer ${token}`, ...headers });
}

const item = (n: number, over: Record<string, unknown> = {}) => ({
  title: `城南小区停水第${n}天，居民生活受影响`,
  url: `https://bbs.example.cn/thread-${n}.html?utm_source=x`,
  publishedAt: '2026-12-06T08:00:00+08:00',
  text: `城南小区已经停水${n}天，物业没有任何说明。`,
  author: '网友甲',
  sourceName: '县论坛（推送）',
  mediaType: 'forum',
  ...over,
});

describe('API tokens', () => {
  it('shows the secret once, stores only its hash, lists the token without it, and audits the creation', async () => {
    const { id, token } = await newToken('12345 热线对接');
    expect(token).toMatch(/^odk_[A-Za-z0-9_-]{40,}$/);
    const row = await f.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const list = (await (await f.request('GET', '/api/api-tokens')).json()) as { tokens: Record<string, unknown>[] };
    const listed = list.tokens.find((t) => t.id === id)!;
    expect(listed).toMatchObject({ name: '12345 热线对接', scopes: ['items:submit'], lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(list)).not.toContain(token);
    const audit = await f.db.selectFrom('audit_log').selectAll().where('action', '=', 'api_token.create').where('entity_id', '=', String(id)).execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).not.toContain(token);
  });

  it('is managed by admins only', async () => {
    const duty = await sessionFor(f.db, await createUser(f.db, { role: 'duty' }));
    expect((await f.requestAs(duty, 'POST', '/api/api-tokens', { name: 'x' })).status).toBe(403);
    expect((await f.requestAs(duty, 'GET', '/api/api-tokens')).status).toBe(403);
  });
});

describe('POST /api/intake/items', () => {
  let token: string;
  let tokenId: number;
  beforeAll(async () => {
    ({ token, id: tokenId } = await newToken('论坛推送'));
  });

  it('accepts a batch into items and stories, on an intake source the scheduler never fetches; the token’s last use is set', async () => {
    const res = await push(token, { items: [item(1), item(2, { url: undefined, externalId: 'T-0002' })] });
    expect(res.status).toBe(207);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 0 });
    expect(body.results.map((r: any) => r.status)).toEqual(['accepted', 'accepted']);
    expect(body.results[0].key).toBe('https://bbs.example.cn/thread-1.html');
    const source = await f.db.selectFrom('sources').selectAll().where('kind', '=', 'intake').where('intake_token_id', '=', tokenId).executeTakeFirstOrThrow();
    expect(source).toMatchObject({ name: '县论坛（推送）', media_type: 'forum', enabled: true });
    expect(body.results[1].key).toBe(`ext:${source.id}:T-0002`);
    const items = await f.db.selectFrom('items').selectAll().where('source_id', '=', source.id).orderBy('id').execute();
    expect(items.map((i) => i.title)).toEqual([item(1).title, item(2).title]);
    expect(items.every((i) => i.story_id !== null)).toBe(true);
    expect(items[0]!.published_at.toISOString()).toBe('2026-12-06T00:00:00.000Z');
    const due = await listDueSources(f.db, new Date(Date.now() + 365 * 86_400_000), 1000);
    expect(due.map((d) => d.id)).not.toContain(source.id);
    expect(await claimSource(f.db, source.id, 'crawl-job', new Date(Date.now() + 365 * 86_400_000), 60_000)).toBeUndefined();
    const fetchNow = await f.request('POST', `/api/sources/${source.id}/fetch-now`);
    expect(fetchNow.status).toBe(409);
    const listed = ((await (await f.request('GET', '/api/sources')).json()) as any).sources.find((s: any) => s.id === source.id);
    expect(listed).toMatchObject({ kind: 'intake', statusLabel: '接口推送', itemCount: 2 });
    const t = await f.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', tokenId).executeTakeFirstOrThrow();
    expect(t.last_used_at).not.toBeNull();
  });

  it('answers duplicate on a re-send (by canonical URL and by external id) and within one batch, and stores nothing twice', async () => {
    const before = await f.db.selectFrom('items').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const res = await push(token, { items: [item(1, { url: 'https://bbs.example.cn/thread-1.html#reply' }), item(2, { url: undefined, externalId: 'T-0002' }), item(3), item(3)] });
    expect(res.status).toBe(207);
    const body = (await res.json()) as any;
    expect(body.results.map((r: any) => r.status)).toEqual(['duplicate', 'duplicate', 'accepted', 'duplicate']);
    expect(body).toMatchObject({ accepted: 1, duplicates: 3, rejected: 0 });
    const after = await f.db.selectFrom('items').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(1);
  });

  it('rejects bad items one by one with the reason in Chinese and English, and keeps the good ones', async () => {
    const res = await push(token, {
      items: [
        { title: '没有网址也没有编号', sourceName: '县论坛（推送）' },
        item(10, { title: '' }),
        item(11, { url: 'ftp://files.example.cn/a' }),
        item(12, { publishedAt: '昨天' }),
        item(13, { mediaType: 'tv' }),
        'not an object',
        item(14),
      ],
    });
    expect(res.status).toBe(207);
    const body = (await res.json()) as any;
    expect(body.results.map((r: any) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'accepted']);
    expect(body.results[0].reasonZh).toContain('网址（url）和外部编号（externalId）至少填写一个');
    expect(body.results[1].reasonZh).toMatch(/^title /);
    expect(body.results[2].reasonZh).toContain('网址');
    expect(body.results[3].reasonZh).toContain('日期时间');
    expect(body.results[4].reasonZh).toContain('mediaType');
    for (const r of body.results.slice(0, 6)) expect(r.reason).toBeTruthy();
    expect(body).toMatchObject({ accepted: 1, duplicates: 0, rejected: 6 });
  });

  it('raises an alert when an item matches a monitoring rule, as a crawled item would', async () => {
    const rule = await f.request('POST', '/api/rules', { name: '化工厂谣言', expression: '化工厂+爆炸', suggestedLevel: 'major' });
    expect(rule.status).toBe(201);
    const res = await push(token, { items: [item(20, { title: '听说城西化工厂要爆炸了，是真的吗', text: '群里都在传城西化工厂要爆炸，大家注意。', externalId: 'W-20', url: undefined })] });
    const body = (await res.json()) as any;
    expect(body.accepted).toBe(1);
    const stored = await f.db.selectFrom('items').select(['story_id', 'matched_rule_ids']).where('url_key', '=', body.results[0].key).executeTakeFirstOrThrow();
    expect(stored.matched_rule_ids).toEqual([((await rule.json()) as any).id]);
    const alert = await f.db.selectFrom('alerts').selectAll().where('story_id', '=', stored.story_id!).executeTakeFirstOrThrow();
    expect(alert).toMatchObject({ status: 'new', suggested_level: 'major' });
  });

  it('refuses a missing, wrong or revoked token with 401, a session cookie with 401, and a token without the scope with 403', async () => {
    for (const res of [await push(null, { items: [item(30)] }), await push('odk_wrong-token-000000000000000000000000000', { items: [item(30)] }), await push(token.slice(0, -1), { items: [item(30)] })]) {
      expect(res.status).toBe(401);
      const e = await errorOf(res);
      expect(e.messageZh).toContain('接口令牌');
      expect(e.message).toContain('API token');
    }
    // A signed-in admin's cookie and CSRF token do not open the token route, even with a token.
    const withSession = await f.request('POST', '/api/intake/items', { items: [item(30)] }, { authorization: `Bearer ${token}` });
    expect(withSession.status).toBe(401);
    const readOnly = await newToken('只读', ['items:read']);
    const scoped = await push(readOnly.token, { items: [item(30)] });
    expect(scoped.status).toBe(403);
    expect((await errorOf(scoped)).messageZh).toContain('items:submit');

    const doomed = await newToken('将被吊销');
    expect((await push(doomed.token, { items: [item(31)] })).status).toBe(207);
    const revoke = await f.request('POST', `/api/api-tokens/${doomed.id}/revoke`);
    expect(revoke.status).toBe(200);
    expect(((await revoke.json()) as any).revokedAt).not.toBeNull();
    expect((await push(doomed.token, { items: [item(32)] })).status).toBe(401);
    const audit = await f.db.selectFrom('audit_log').select('action').where('entity', '=', 'api_token').where('entity_id', '=', String(doomed.id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['api_token.create', 'intake.items', 'api_token.revoke']);
    expect(await f.db.selectFrom('items').select('id').where('url_key', '=', 'https://bbs.example.cn/thread-32.html').executeTakeFirst()).toBeUndefined();
  });

  it('writes one audit row per batch naming the token and the counts', async () => {
    const { token: t2, id } = await newToken('审计推送');
    await push(t2, { items: [item(40), item(40), { title: 'x' }] });
    const rows = await f.db.selectFrom('audit_log').selectAll().where('action', '=', 'intake.items').where('entity_id', '=', String(id)).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_name).toBe('接口令牌：审计推送');
    expect(rows[0]!.after).toMatchObject({ accepted: 1, duplicates: 1, rejected: 1 });
  });

  it('limits each token to its requests a minute (429 with Retry-After, in Chinese and English), without touching other tokens', async () => {
    const { token: busy } = await newToken('频繁');
    const { token: calm } = await newToken('正常');
    for (let i = 0; i < TOKEN_REQUESTS_PER_MINUTE; i++) expect((await push(busy, {})).status).toBe(400);
    const limited = await push(busy, { items: [item(50)] });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const e = await errorOf(limited);
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.messageZh).toContain('请求过于频繁');
    expect(e.message).toContain('Too many requests');
    expect((await push(calm, { items: [item(50)] })).status).toBe(207);
  });

  it('refuses more than 500 items in a batch with 400, and documents the route in the OpenAPI document', async () => {
    const res = await push(token, { items: Array.from({ length: 501 }, (_, i) => item(1000 + i)) });
    expect(res.status).toBe(400);
    const doc = (await (await f.app.request('/api/openapi.json')).json()) as any;
    const op = doc.paths['/api/intake/items'].post;
    expect(op.security).toEqual([{ apiToken: [] }]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['207', '401', '403', '429']));
    expect(doc.components.securitySchemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.IntakeItem).toBeDefined();
  });
});
