import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, makeItem, makeSource, type ApiFixture } from './helpers.js';

let f: ApiFixture;
let deptId: number;
const EXPR = '(永济|蒲州)+(拆迁|补偿|强拆)-(招聘|广告)';

beforeAll(async () => {
  f = await createApiFixture('rules');
  deptId = (await f.db.insertInto('departments').values({ name: '市住建局' }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('rules CRUD', () => {
  it('creates a rule with defaults and Chinese labels', async () => {
    const res = await f.request('POST', '/api/rules', { name: '拆迁补偿', expression: EXPR, suggestedLevel: 'significant', suggestedDepartmentId: deptId });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      name: '拆迁补偿',
      expression: EXPR,
      scope: 'title_text',
      negativeOnly: false,
      suggestedLevel: 'significant',
      suggestedLevelLabel: '较大',
      suggestedCategory: 'other',
      suggestedCategoryLabel: '其他',
      suggestedDepartmentId: deptId,
      suggestedDepartmentName: '市住建局',
      enabled: true,
    });
  });

  it('refuses an expression with a syntax error, giving its position', async () => {
    const expression = '(永济|蒲州+拆迁';
    const res = await f.request('POST', '/api/rules', { name: '坏规则', expression });
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.code).toBe('VALIDATION');
    expect(e.details).toMatchObject({ field: 'expression', position: expect.any(Number), messageZh: expect.any(String), message: expect.any(String) });
    expect(e.details.position).toBe(0); // the parenthesis that is never closed
    expect(e.details.messageZh.length).toBeGreaterThan(0);
    expect(e.messageZh).toContain('监测方案表达式有误');
  });

  it('refuses an unknown department and an unknown level', async () => {
    const dept = await f.request('POST', '/api/rules', { name: 'x', expression: '永济', suggestedDepartmentId: 999999 });
    expect(dept.status).toBe(400);
    expect((await errorOf(dept)).details.issues[0].path).toBe('suggestedDepartmentId');
    const level = await f.request('POST', '/api/rules', { name: 'x', expression: '永济', suggestedLevel: 'huge' });
    expect(level.status).toBe(400);
    expect((await errorOf(level)).messageZh).toContain('suggestedLevel 取值无效');
  });

  it('gets, lists, patches and deletes; unknown ids are 404', async () => {
    const created = await (await f.request('POST', '/api/rules', { name: '水费', expression: '水费+上涨' })).json();
    expect((await f.request('GET', `/api/rules/${created.id}`)).status).toBe(200);
    const { rules } = await (await f.request('GET', '/api/rules')).json();
    expect(rules.map((r: { id: number }) => r.id)).toContain(created.id);

    const patched = await f.request('PATCH', `/api/rules/${created.id}`, { enabled: false, expression: '水费|水价', suggestedCategory: 'difficulty' });
    expect(patched.status).toBe(200);
    const p = await patched.json();
    expect(p).toMatchObject({ enabled: false, expression: '水费|水价', suggestedCategoryLabel: '实际困难' });
    expect(Date.parse(p.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));

    const bad = await f.request('PATCH', `/api/rules/${created.id}`, { expression: '水费+' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).details.field).toBe('expression');

    expect((await f.request('DELETE', `/api/rules/${created.id}`)).status).toBe(200);
    expect((await f.request('GET', `/api/rules/${created.id}`)).status).toBe(404);
    expect((await f.request('PATCH', `/api/rules/${created.id}`, { name: 'y' })).status).toBe(404);
    expect((await f.request('DELETE', `/api/rules/${created.id}`)).status).toBe(404);
  });
});

describe('POST /api/rules/test (dry run)', () => {
  let ids: Record<string, string>;

  beforeAll(async () => {
    const src = await makeSource(f.db, { name: '永济论坛' });
    const t = (min: number) => new Date(Date.UTC(2026, 10, 20, 8, min));
    ids = {
      a: await makeItem(f.db, src, { title: '永济市蒲州镇拆迁补偿款迟迟不到位', negativity: 0.8, fetched_at: t(1) }),
      b: await makeItem(f.db, src, { title: '永济拆迁公司招聘', negativity: 0.1, fetched_at: t(2) }),
      c: await makeItem(f.db, src, { title: '运城今日天气晴', fetched_at: t(3) }),
      d: await makeItem(f.db, src, { title: '蒲州古城见闻', text: '听说附近有强拆', negativity: 0.1, fetched_at: t(4) }),
    };
  });

  it('matches title and text, honours exclusions, reports words and the scan size', async () => {
    const res = await f.request('POST', '/api/rules/test', { expression: EXPR });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.scanned).toBe(4);
    expect(body.matched.map((m: { itemId: string }) => m.itemId)).toEqual([ids.d, ids.a]);
    expect(body.matched[1]).toMatchObject({ title: '永济市蒲州镇拆迁补偿款迟迟不到位', sourceName: '永济论坛', url: expect.stringMatching(/^https:/) });
    expect(body.matched[1].words).toEqual(['永济', '蒲州', '拆迁', '补偿']);
    expect(body.matched[0].words).toEqual(['蒲州', '强拆']);
  });

  it('restricts to titles with scope=title and to negative items with negativeOnly', async () => {
    const title = await (await f.request('POST', '/api/rules/test', { expression: EXPR, scope: 'title' })).json();
    expect(title.matched.map((m: { itemId: string }) => m.itemId)).toEqual([ids.a]);
    const neg = await (await f.request('POST', '/api/rules/test', { expression: EXPR, negativeOnly: true })).json();
    expect(neg.matched.map((m: { itemId: string }) => m.itemId)).toEqual([ids.a]);
  });

  it('scans only the newest `limit` items', async () => {
    const res = await (await f.request('POST', '/api/rules/test', { expression: EXPR, limit: 2 })).json();
    expect(res.scanned).toBe(2);
    expect(res.matched.map((m: { itemId: string }) => m.itemId)).toEqual([ids.d]);
  });

  it('refuses a bad expression and an out-of-range limit', async () => {
    const bad = await f.request('POST', '/api/rules/test', { expression: '拆迁+(' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).details.position).toEqual(expect.any(Number));
    const big = await f.request('POST', '/api/rules/test', { expression: '拆迁', limit: 5001 });
    expect(big.status).toBe(400);
    expect((await errorOf(big)).messageZh).toContain('limit 不能大于 5000');
  });
});
