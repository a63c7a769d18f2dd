import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { redisUrl } from '../helpers/env.js';
import { silentLogger } from '../helpers/crawl.js';
import { loadConfig } from '../../platform/config.js';
import { startServer, type RunningServer } from '../../server/main.js';
import { startWorker, type RunningWorker } from '../../worker/main.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { seedDemo } from '../../demo/seed.js';
import { FLAGGED_TOPICS } from '../../demo/content.js';
import { createUser, signIn, type SignedIn } from '../helpers/auth.js';

// The first half of the product on one machine, as `npm start` runs it: the demo site publishes,
// the scheduler enqueues, a worker crawls, a matching post becomes an alert, and the alert reaches
// a browser over server-sent events within 2 s of the item being stored.

let t: TestDb;
let site: FixtureSite;
let server: RunningServer;
let worker: RunningWorker;
let redis: Redis;
let duty: SignedIn;
const prefix = testPrefix('live');

beforeAll(async () => {
  t = await createTestDb('live');
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 10 });
  await seedDemo(t.db, site.url);
  // Only the live news feed, polled every 2 s, so the test watches one source.
  await sql`update sources set enabled = (url = ${`${site.url}/news/rss.xml`}), poll_interval_s = 5`.execute(t.db);
  redis = new Redis(redisUrl());
  const config = {
    ...loadConfig({ QUEUE_PREFIX: prefix, SCHEDULER_TICK_MS: '250', CRAWL_HOST_DELAY_MS: '0', LOG_LEVEL: 'silent' }),
    PORT: 0,
    HOST: '127.0.0.1',
  };
  server = await startServer({ config, db: t.db, redis, logger: silentLogger });
  worker = await startWorker({ config, db: t.db, redisUrl: redisUrl(), logger: silentLogger });
  const officer = await createUser(t.db, { role: 'duty' });
  duty = await signIn(`http://127.0.0.1:${server.port}`, officer.username, officer.password);
});
afterAll(async () => {
  await worker?.close();
  await server?.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await site?.close();
  await t?.drop();
});

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('live pipeline', () => {
  it('a new matching post is crawled, flagged and streamed to SSE clients within 2 s of being stored', async () => {
    await waitFor('the first crawl', async () => (await t.db.selectFrom('sources').select('last_fetch_at').where('enabled', '=', true).executeTakeFirst())?.last_fetch_at);

    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${server.port}/api/events`, { headers: duty.headers(), signal: abort.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const received: { at: number; data: { type: string; alertId?: string } }[] = [];
    void (async () => {
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let buf = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buf += dec.decode(value, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = frame.split('\n').find((l) => l.startsWith('data:'));
            if (data) received.push({ at: Date.now(), data: JSON.parse(data.slice(5)) });
          }
        }
      } catch {
        /* aborted */
      }
    })();

    // Publish until a news post on a flagged topic appears (the generator decides the order).
    let post: ReturnType<FixtureSite['publishNext']> | null = null;
    for (let i = 0; i < 300 && !post; i++) {
      const p = site.publishNext();
      if (p.channel === 'news' && (FLAGGED_TOPICS as readonly string[]).includes(p.topic)) post = p;
    }
    expect(post).not.toBeNull();

    const item = await waitFor('the post to be stored', async () =>
      t.db.selectFrom('items').select(['story_id', 'fetched_at']).where('url', 'like', `%/news/${post!.id}.html`).executeTakeFirst(),
    );
    const alert = await waitFor('its story to carry an alert', async () =>
      t.db.selectFrom('alerts').selectAll().where('story_id', '=', item.story_id!).executeTakeFirst(),
    );
    const event = await waitFor('the SSE event', async () =>
      received.find((r) => (r.data.type === 'alert.created' || r.data.type === 'alert.updated') && r.data.alertId === alert.id),
    );
    expect(event.at - item.fetched_at.getTime()).toBeLessThan(2000);
    expect(alert.matched_words.length).toBeGreaterThan(0);
    expect(alert.rule_ids.length).toBeGreaterThan(0);

    const api = await (await fetch(`http://127.0.0.1:${server.port}/api/alerts/${alert.id}`, { headers: duty.headers() })).json();
    expect(api.storyTitle.length).toBeGreaterThan(0);
    expect(api.statusLabel).toBe('待研判');
    abort.abort();
  }, 60_000);
});
