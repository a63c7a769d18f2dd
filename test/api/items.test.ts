import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, makeItem, makeSource, makeStory, type ApiFixture } from './helpers.js';

let f: ApiFixture;
let srcA: number;
let srcB: number;
let storyId: string;
let all: string[]; // every item id in (fetched_at desc, id desc) order

beforeAll(async () => {
  f = await createApiFixture('items');
  srcA = await makeSource(f.db, { name: '源A' });
  srcB = await makeSource(f.db, { name: '源B' });
  storyId = await makeStory(f.db, '水价上涨', new Date('2026-11-20T00:00:00Z'), { itemCount: 3, sourceCount: 2 });
  // 23 items; groups share a fetched_at, and timestamps differ by microseconds only.
  for (let i = 0; i < 23; i++) {
    const micros = String(Math.floor(i / 3)).padStart(6, '0');
    const inStory = i % 8 === 0;
    await makeItem(f.db, i % 2 === 0 ? srcA : srcB, {
      title: i === 5 ? '折扣 100% 返现' : inStory ? `水价上涨第${i}条` : `新闻${i}`,
      text: i === 7 ? '正文提到水价' : '',
      story_id: inStory ? storyId : null,
      fetched_at: `2026-11-20T08:00:00.${micros}Z`,
      published_at: new Date(Date.UTC(2026, 10, 1 + i)),
    });
  }
  const rows = await sql<{ id: string }>`select id from items order by fetched_at desc, id desc`.execute(f.db);
  all = rows.rows.map((r) => r.id);
});
afterAll(async () => {
  await f.tdb.drop();
});

async function page(query: string) {
  const res = await f.request('GET', `/api/items${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { items: { id: string; [k: string]: unknown }[]; nextCursor: string | null };
}

describe('GET /api/items', () => {
  it('pages by keyset with no duplicates or skips, even across equal and microsecond-apart timestamps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p = await page(`?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...p.items.map((i) => i.id));
      cursor = p.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 4));
  });

  it('returns the whole remainder when the page is larger than it, then ends', async () => {
    const first = await page('?limit=5');
    const p2 = await page(`?limit=50&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(p2.nextCursor).toBeNull();
    expect([...first.items, ...p2.items].map((i) => i.id)).toEqual(all);
  });

  it('presents camelCase items with string ids and the source name', async () => {
    const p = await page('?limit=1');
    expect(p.items[0]).toMatchObject({
      id: all[0],
      sourceId: expect.any(Number),
      sourceName: expect.stringMatching(/^源[AB]$/),
      title: expect.any(String),
      publishedAt: expect.stringMatching(/Z$/),
      fetchedAt: expect.stringMatching(/Z$/),
      matchedWords: [],
    });
  });

  it('searches title and text, treating % literally', async () => {
    const water = await page('?q=水价');
    expect(water.items.map((i) => i.title).sort()).toEqual(['新闻7', '水价上涨第0条', '水价上涨第16条', '水价上涨第8条'].sort());
    const pct = await page(`?q=${encodeURIComponent('100%')}`);
    expect(pct.items.map((i) => i.title)).toEqual(['折扣 100% 返现']);
    const none = await page(`?q=${encodeURIComponent('%')}&limit=50`);
    expect(none.items.map((i) => i.title)).toEqual(['折扣 100% 返现']);
  });

  it('filters by source, story and published time', async () => {
    const b = await page(`?sourceId=${srcB}&limit=50`);
    expect(b.items).toHaveLength(11);
    expect(b.items.every((i) => i.sourceId === srcB)).toBe(true);
    const s = await page(`?storyId=${storyId}`);
    expect(s.items.map((i) => i.storyId)).toEqual([storyId, storyId, storyId]);
    const range = await page(`?from=${encodeURIComponent('2026-11-03T00:00:00Z')}&to=${encodeURIComponent('2026-11-06T00:00:00+00:00')}`);
    expect(range.items.map((i) => i.publishedAt).sort()).toEqual(['2026-11-03T00:00:00.000Z', '2026-11-04T00:00:00.000Z', '2026-11-05T00:00:00.000Z']);
  });

  it('filters by media type and matched rule, and names the alert of the item\'s story', async () => {
    const forum = (await f.db.insertInto('sources').values({ name: '清河论坛', kind: 'feed', url: 'https://bbs.example.cn/rss', media_type: 'forum' }).returning('id').executeTakeFirstOrThrow()).id;
    const rule = (await f.db.insertInto('rules').values({ name: '化工厂', expression: '化工厂' }).returning('id').executeTakeFirstOrThrow()).id;
    const story = await makeStory(f.db, '城西化工厂', new Date('2026-11-21T00:00:00Z'));
    const hit = await makeItem(f.db, forum, { title: '城西化工厂要爆炸了？', story_id: story, matched_rule_ids: [rule], fetched_at: '2026-11-21T08:00:00Z' });
    await makeItem(f.db, forum, { title: '论坛闲聊', fetched_at: '2026-11-21T08:00:01Z' });
    const alert = (await f.db.insertInto('alerts').values({ story_id: story, rule_ids: [rule] }).returning('id').executeTakeFirstOrThrow()).id;

    const byMedia = await page('?mediaType=forum');
    expect(byMedia.items.map((i) => i.sourceId)).toEqual([forum, forum]);
    expect(byMedia.items.every((i) => i.mediaType === 'forum')).toBe(true);
    const byRule = await page(`?ruleId=${rule}`);
    expect(byRule.items.map((i) => i.id)).toEqual([hit]);
    expect(byRule.items[0]!.alert).toEqual({ id: alert, status: 'new', caseId: null });
    expect((await page(`?ruleId=${rule}&mediaType=news`)).items).toEqual([]);
    const plain = await page('?q=论坛闲聊');
    expect(plain.items[0]!.alert).toBeNull();
    expect((await f.request('GET', '/api/items?mediaType=tv')).status).toBe(400);
    expect((await f.request('GET', '/api/items?ruleId=abc')).status).toBe(400);
  });

  it('refuses a forged cursor, a bad date and a bad limit', async () => {
    const forged = await f.request('GET', '/api/items?cursor=abc');
    expect(forged.status).toBe(400);
    expect((await errorOf(forged)).details.issues[0].path).toBe('cursor');
    expect((await f.request('GET', '/api/items?from=yesterday')).status).toBe(400);
    expect((await f.request('GET', '/api/items?limit=1000')).status).toBe(400);
    expect((await f.request('GET', '/api/items?storyId=-1')).status).toBe(400);
  });
});

describe('GET /api/stories/:id', () => {
  it('returns heat, items newest first, and no alert', async () => {
    const res = await f.request('GET', `/api/stories/${storyId}`);
    expect(res.status).toBe(200);
    const s = await res.json();
    expect(s).toMatchObject({
      id: storyId,
      title: '水价上涨',
      heat: { itemCount: 3, sourceCount: 2, firstSeenAt: '2026-11-20T00:00:00.000Z', lastSeenAt: '2026-11-20T00:00:00.000Z' },
      alert: null,
    });
    expect(s.items.map((i: { title: string }) => i.title)).toEqual(['水价上涨第16条', '水价上涨第8条', '水价上涨第0条']);
  });

  it('includes the story alert when there is one', async () => {
    const alert = await f.db.insertInto('alerts').values({ story_id: storyId, matched_words: ['水价'] }).returning('id').executeTakeFirstOrThrow();
    const s = await (await f.request('GET', `/api/stories/${storyId}`)).json();
    expect(s.alert).toMatchObject({ id: alert.id, storyId, matchedWords: ['水价'], status: 'new' });
  });

  it('answers 404 for an unknown story and 400 for a malformed id', async () => {
    const res = await f.request('GET', '/api/stories/987654321');
    expect(res.status).toBe(404);
    expect((await errorOf(res)).messageZh).toBe('同题聚合不存在');
    expect((await f.request('GET', '/api/stories/x1')).status).toBe(400);
  });
});
