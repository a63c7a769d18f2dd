import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { crawlDeps, makeDue, TestClock } from '../helpers/crawl.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { seedDemo } from '../../demo/seed.js';
import { DEMO_TOWNS, DEMO_VILLAGE_PAIRS, townOf } from '../../demo/places.js';

// Thirty minutes of demo publishing, compressed: the fixture site publishes a post every 4 s of an
// injected clock (the demo's default pace), the demo's news feed, forum, mailbox and 政务 feed are
// crawled through the real crawl and ingest path every minute of that clock, and the stories the
// product builds are checked against the publisher's ground truth (each post's event).

const PUBLISH_EVERY_MS = 4000;
const MINUTES = 30;
const CRAWL_EVERY_POSTS = 60_000 / PUBLISH_EVERY_MS;
const PATHS = ['/news/rss.xml', '/forum/list.html', '/mailbox/index.html', '/gov/rdf.xml'];

let t: TestDb;
let site: FixtureSite;
const clock = new TestClock(new Date('2026-11-25T02:00:00Z').getTime());

interface Row {
  url: string;
  title: string;
  story: string;
  event: number;
  villages: string[];
  towns: string[];
}
let rows: Row[] = [];

beforeAll(async () => {
  t = await createTestDb('demo_truth');
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 40, clock: clock.now });
  await seedDemo(t.db, site.url);
  const wanted = PATHS.map((p) => `${site.url}${p}`);
  await sql`update sources set enabled = (url = any(${wanted}::text[]))`.execute(t.db);
  const sources = await t.db.selectFrom('sources').select(['id', 'url']).where('enabled', '=', true).execute();
  expect(sources).toHaveLength(PATHS.length);
  const { deps } = crawlDeps(t.db, { now: clock.now });
  let job = 0;
  const crawlAll = async () => {
    for (const s of sources) {
      await makeDue(t.db, s.id);
      const r = await crawlSource(deps, s.id, `job-${++job}`);
      expect(['ok', 'not_modified'], `${s.url}: ${r.status}`).toContain(r.status);
    }
  };
  await crawlAll();
  for (let i = 1; i <= (MINUTES * 60_000) / PUBLISH_EVERY_MS; i++) {
    clock.advance(PUBLISH_EVERY_MS);
    site.publishNext();
    if (i % CRAWL_EVERY_POSTS === 0) await crawlAll();
  }

  const eventOf = new Map(site.posts().map((p) => [p.id, p.eventId]));
  const items = await t.db.selectFrom('items').select(['url', 'title', 'story_id', 'text']).execute();
  rows = items.map((it) => {
    const m = it.url!.match(/\/(\d+)\.html$/);
    const text = `${it.title}\n${it.text}`;
    const villages = DEMO_VILLAGE_PAIRS.map(([, v]) => v).filter((v) => text.includes(v));
    const towns = DEMO_TOWNS.filter((x) => text.includes(x));
    return { url: it.url!, title: it.title, story: String(it.story_id), event: eventOf.get(Number(m?.[1]))!, villages, towns };
  });
}, 240_000);
afterAll(async () => {
  await site?.close();
  await t?.drop();
});

function pairs(): { tp: number; fp: number; fn: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const sameStory = rows[i].story === rows[j].story;
      const sameEvent = rows[i].event === rows[j].event;
      if (sameStory && sameEvent) tp++;
      else if (sameStory) fp++;
      else if (sameEvent) fn++;
    }
  }
  return { tp, fp, fn };
}

describe('30 minutes of demo publishing, crawled: stories against the ground truth', () => {
  it('crawled nearly every post, each traced to its event', () => {
    const published = site.posts().length;
    expect(published).toBe(40 + (MINUTES * 60_000) / PUBLISH_EVERY_MS);
    expect(rows.every((r) => Number.isInteger(r.event))).toBe(true);
    const seen = new Set(rows.map((r) => r.url.match(/(\d+)\.html$/)![1]));
    expect(seen.size / published).toBeGreaterThan(0.95);
    expect(new Set(rows.map((r) => r.event)).size).toBeGreaterThan(30);
  });

  it('groups with pairwise precision ≥ 0.95 and recall ≥ 0.90', () => {
    const { tp, fp, fn } = pairs();
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(`demo ground truth: ${rows.length} items, ${new Set(rows.map((r) => r.event)).size} events, ${new Set(rows.map((r) => r.story)).size} stories; pairwise precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
    if (process.env.DEMO_TRUTH_DEBUG) {
      const byStory = new Map<string, Row[]>();
      for (const r of rows) byStory.set(r.story, [...(byStory.get(r.story) ?? []), r]);
      for (const [s, m] of byStory) if (new Set(m.map((x) => x.event)).size > 1) console.log(`MIXED ${s}:\n  ${m.map((x) => `${x.event} ${x.title}`).join('\n  ')}`);
      const byEvent = new Map<number, Row[]>();
      for (const r of rows) byEvent.set(r.event, [...(byEvent.get(r.event) ?? []), r]);
      for (const [e, m] of byEvent) if (new Set(m.map((x) => x.story)).size > 1) console.log(`SPLIT ${e}:\n  ${m.map((x) => `${x.story} ${x.title}`).join('\n  ')}`);
    }
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('no story mixes places that conflict: one village per story, and every village under the town named with it', () => {
    const byStory = new Map<string, Row[]>();
    for (const r of rows) byStory.set(r.story, [...(byStory.get(r.story) ?? []), r]);
    for (const [story, members] of byStory) {
      const villages = new Set(members.flatMap((m) => m.villages));
      expect(villages.size, `story ${story}: ${members.map((m) => m.title).join(' / ')}`).toBeLessThanOrEqual(1);
      for (const v of villages) {
        const towns = new Set(members.flatMap((m) => m.towns));
        for (const town of towns) expect(town, `story ${story}: ${v} named with ${town}`).toBe(townOf(v));
      }
    }
  });

  it('puts the reposts and excerpts of one post in the story of that post', () => {
    const storyOfPost = new Map(rows.map((r) => [Number(r.url.match(/(\d+)\.html$/)![1]), r.story]));
    const copies = site.posts().filter((p) => p.repostOf !== null && storyOfPost.has(p.id) && storyOfPost.has(p.repostOf));
    expect(copies.length).toBeGreaterThan(100);
    const apart = copies.filter((p) => storyOfPost.get(p.id) !== storyOfPost.get(p.repostOf!));
    expect(apart.map((p) => `${p.id} (${p.form}) ${p.title} ← ${p.repostOf}`)).toEqual([]);
  });
});
