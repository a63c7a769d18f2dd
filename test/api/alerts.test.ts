import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, makeItem, makeSource, makeStory, type ApiFixture } from './helpers.js';

let f: ApiFixture;
let alertIds: string[]; // oldest update first
let richAlert: string;
let richStory: string;
let ruleId: number;
let deptId: number;

const at = (min: number) => new Date(Date.UTC(2026, 10, 24, 8, min));

beforeAll(async () => {
  f = await createApiFixture('alerts', { now: () => at(59) });
  deptId = (await f.db.insertInto('departments').values({ name: '市水务局' }).returning('id').executeTakeFirstOrThrow()).id;
  ruleId = (await f.db.insertInto('rules').values({ name: '水价', expression: '水价+上涨' }).returning('id').executeTakeFirstOrThrow()).id;
  const srcA = await makeSource(f.db, { name: '永济论坛' });
  const srcB = await makeSource(f.db, { name: '运城新闻网' });

  richStory = await makeStory(f.db, '永济水价上涨引发热议', at(0), { itemCount: 3, sourceCount: 2 });
  await makeItem(f.db, srcB, { title: '转载：水价上涨', story_id: richStory, url: 'https://b.example.cn/2', published_at: at(5) });
  await makeItem(f.db, srcA, { title: '永济水价上涨', story_id: richStory, url: 'https://a.example.cn/1', published_at: at(1) });
  await makeItem(f.db, srcA, { title: '再谈水价', story_id: richStory, url: 'https://a.example.cn/3', published_at: at(9) });
  richAlert = (
    await f.db
      .insertInto('alerts')
      .values({
        story_id: richStory,
        rule_ids: [ruleId],
        matched_words: ['水价', '上涨'],
        suggested_level: 'significant',
        suggested_category: 'difficulty',
        suggested_department_id: deptId,
        negativity: 0.6,
        spike: true,
        spike_at: at(10),
        created_at: at(10),
        updated_at: at(10),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

  alertIds = [richAlert];
  for (let i = 1; i <= 6; i++) {
    const story = await makeStory(f.db, `预警${i}`, at(10 + i));
    const id = (
      await f.db
        .insertInto('alerts')
        .values({ story_id: story, status: i === 6 ? 'case' : 'new', created_at: at(10 + i), updated_at: at(10 + i) })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    alertIds.push(id);
  }
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('GET /api/alerts', () => {
  it('lists newest updated first with story, heat, rules, suggestions and sources', async () => {
    const res = await f.request('GET', '/api/alerts');
    expect(res.status).toBe(200);
    const { alerts, nextCursor } = await res.json();
    expect(alerts.map((a: { id: string }) => a.id)).toEqual([...alertIds].reverse());
    expect(nextCursor).toBeNull();
    const rich = alerts.find((a: { id: string }) => a.id === richAlert);
    expect(rich).toEqual({
      id: richAlert,
      storyId: richStory,
      status: 'new',
      statusLabel: '待研判',
      storyTitle: '永济水价上涨引发热议',
      heat: { itemCount: 3, sourceCount: 2, firstSeenAt: at(0).toISOString(), lastSeenAt: at(0).toISOString() },
      matchedWords: ['水价', '上涨'],
      rules: [{ id: ruleId, name: '水价' }],
      suggestedLevel: 'significant',
      suggestedLevelLabel: '较大',
      suggestedCategory: 'difficulty',
      suggestedCategoryLabel: '实际困难',
      suggestedDepartment: { id: deptId, name: '市水务局' },
      spike: true,
      spikeAt: at(10).toISOString(),
      negativity: expect.closeTo(0.6, 5),
      firstItemUrl: 'https://a.example.cn/1',
      sourceNames: ['永济论坛', '运城新闻网'],
      places: [],
      dismissReason: null,
      dismissReasonLabel: null,
      dismissedAt: null,
      dismissedBy: null,
      dismissNote: '',
      createdAt: at(10).toISOString(),
      updatedAt: at(10).toISOString(),
    });
  });

  it('filters by status and pages with a cursor', async () => {
    const cases = await (await f.request('GET', '/api/alerts?status=case')).json();
    expect(cases.alerts.map((a: { id: string }) => a.id)).toEqual([alertIds[6]]);

    const first = await (await f.request('GET', '/api/alerts?status=new&limit=3')).json();
    expect(first.alerts).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await (await f.request('GET', `/api/alerts?status=new&limit=3&cursor=${encodeURIComponent(first.nextCursor)}`)).json();
    const ids = [...first.alerts, ...second.alerts].map((a: { id: string }) => a.id);
    expect(ids).toEqual(alertIds.slice(0, 6).reverse());
    expect(second.nextCursor).toBeNull();
  });

  it('refuses an unknown status', async () => {
    const res = await f.request('GET', '/api/alerts?status=open');
    expect(res.status).toBe(400);
    expect((await errorOf(res)).messageZh).toContain('status 取值无效');
  });

  it('gets one alert; unknown is 404', async () => {
    const res = await f.request('GET', `/api/alerts/${richAlert}`);
    expect(res.status).toBe(200);
    expect((await res.json()).id).toBe(richAlert);
    const missing = await f.request('GET', '/api/alerts/99999999');
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).messageZh).toBe('预警不存在');
  });
});

describe('POST /api/alerts/:id/dismiss', () => {
  it('dismisses a new alert, publishes alert.updated, and 409s the second time', async () => {
    const id = alertIds[1];
    const seen: unknown[] = [];
    const off = f.events.subscribe((ev) => seen.push(ev));
    const res = await f.request('POST', `/api/alerts/${id}/dismiss`, { reason: 'false_positive' });
    off();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id,
      status: 'dismissed',
      statusLabel: '已排除',
      dismissReason: 'false_positive',
      dismissReasonLabel: '误报',
      dismissedAt: at(59).toISOString(),
      updatedAt: at(59).toISOString(),
    });
    expect(seen).toEqual([{ type: 'alert.updated', alertId: id, storyId: expect.any(String) }]);

    const again = await f.request('POST', `/api/alerts/${id}/dismiss`, { reason: 'duplicate' });
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatchObject({ code: 'CONFLICT', details: { status: 'dismissed' } });
    const row = await f.db.selectFrom('alerts').select('dismiss_reason').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.dismiss_reason).toBe('false_positive');
  });

  it('409s an alert that became a case, 404s an unknown one, 400s a bad reason', async () => {
    expect((await f.request('POST', `/api/alerts/${alertIds[6]}/dismiss`, { reason: 'handled' })).status).toBe(409);
    expect((await f.request('POST', '/api/alerts/99999999/dismiss', { reason: 'handled' })).status).toBe(404);
    const bad = await f.request('POST', `/api/alerts/${alertIds[2]}/dismiss`, { reason: 'boring' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).details.issues[0].path).toBe('reason');
    const missing = await f.request('POST', `/api/alerts/${alertIds[2]}/dismiss`, {});
    expect((await errorOf(missing)).messageZh).toBe('请求参数不正确：reason 为必填项');
  });
});
