import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { redisUrl } from '../helpers/env.js';
import { addSource, allowHost, silentLogger } from '../helpers/crawl.js';
import { loadConfig } from '../../platform/config.js';
import { startWorker, type RunningWorker } from '../../worker/main.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { FORUM_SELECTORS } from '../../demo/seed.js';

let t: TestDb;
let site: FixtureSite;
const prefix = testPrefix('worker');
const redis = new Redis(redisUrl());

async function waitFor<T>(what: string, fn: () => Promise<T | false | null | undefined>, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const count = async (q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(t.db)).rows[0].n);

beforeAll(async () => {
  t = await createTestDb('worker');
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 20 });
  await allowHost(t.db, new URL(site.url).host);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await site?.close();
  await t?.drop();
});

describe('workers and the scheduler', () => {
  it('three workers starting at once crawl each due source exactly once, and recover after Redis loses everything', async () => {
    const config = loadConfig({ QUEUE_PREFIX: prefix, SCHEDULER_TICK_MS: '300', CRAWL_HOST_DELAY_MS: '0', CRAWL_PER_HOST_CONCURRENCY: '4', LOG_LEVEL: 'silent' });
    const paths = ['/news/rss.xml', '/news/atom.xml', '/gov/rdf.xml', '/gov/rss091.xml', '/real/rss-1.rss', '/real/heise.atom'];
    const ids: number[] = [];
    for (const p of paths) ids.push(await addSource(t.db, { url: `${site.url}${p}`, name: p, poll_interval_s: 3600 }));
    const workers: RunningWorker[] = await Promise.all(
      [1, 2, 3].map(() => startWorker({ config, db: t.db, redisUrl: redisUrl(), logger: silentLogger })),
    );
    try {
      await waitFor('every source crawled', async () =>
        (await count(sql`select count(*) as n from sources where last_fetch_at is null and id = any(${ids})`)) === 0,
      );
      // A few more ticks: nothing is crawled twice.
      await new Promise((r) => setTimeout(r, 1500));
      for (const p of paths) expect(site.requestCount(p), p).toBe(1);
      expect(await count(sql`select count(*) as n from source_fetches where source_id = any(${ids})`)).toBe(paths.length);
      expect(await count(sql`select count(*) as n from sources where status <> 'ok' and id = any(${ids})`)).toBe(0);

      // Redis loses everything (our prefix: the Redis is shared with other test files).
      const keys = await redis.keys(`${prefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
      site.publishNext();
      await sql`update sources set next_fetch_at = now() where id = any(${ids})`.execute(t.db);
      await waitFor(
        'crawls to resume from Postgres after the flush',
        async () => (await count(sql`select count(*) as n from source_fetches where source_id = any(${ids})`)) === paths.length * 2,
        30_000,
      );
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  }, 60_000);

  it.each([
    ['SIGKILL', 'kill'],
    ['SIGTERM', 'term'],
  ] as const)('a worker stopped with %s mid-crawl loses and duplicates nothing after restart', async (signal, label) => {
    const killPrefix = `${prefix}-${label}`;
    // A site of its own, so each case starts with nothing stored.
    const site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 20 });
    await allowHost(t.db, new URL(site.url).host);
    const id = await addSource(t.db, {
      url: `${site.url}/forum/list.html?${label}=1`,
      name: `forum (${label} test)`,
      kind: 'site',
      selectors: JSON.stringify(FORUM_SELECTORS),
      poll_interval_s: 3600,
      next_fetch_at: new Date(Date.now() + 3_600_000),
    });
    const threads = site.posts().filter((p) => p.channel === 'forum');
    expect(threads.length).toBeGreaterThan(2);
    // Slow detail pages keep the crawl in flight long enough to kill it.
    for (const p of threads) site.setFault(`/forum/thread/${p.id}.html`, { kind: 'delay', ms: 400 });
    const env = {
      ...process.env,
      DATABASE_URL: t.url,
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: killPrefix,
      SCHEDULER_TICK_MS: '300',
      CRAWL_HOST_DELAY_MS: '0',
      LOG_LEVEL: 'silent',
      TEST_LEASE_MS: '3000',
    };
    const script = fileURLToPath(new URL('../helpers/worker-proc.ts', import.meta.url));
    const spawnWorker = () =>
      new Promise<ChildProcess>((resolve, reject) => {
        const child = fork(script, [], { env, execArgv: ['--import', 'tsx'], stdio: 'ignore' });
        child.once('message', () => resolve(child));
        child.once('error', reject);
      });
    const a = await spawnWorker();
    await sql`update sources set next_fetch_at = now() where id = ${id}`.execute(t.db);
    await waitFor('the crawl to be in flight', async () => {
      const row = await t.db.selectFrom('sources').select('claimed_by').where('id', '=', id).executeTakeFirstOrThrow();
      return row.claimed_by !== null && threads.some((p) => site.requestCount(`/forum/thread/${p.id}.html`) > 0);
    });
    const stoppedAt = Date.now();
    a.kill(signal);
    const exitCode = await new Promise<number | null>((r) => a.once('exit', (code) => r(code)));
    if (signal === 'SIGTERM') {
      // Graceful: in-flight fetches are interrupted, the job goes back to the queue, exit 0, promptly.
      expect(exitCode).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(5000);
    }
    expect(await count(sql`select count(*) as n from items where source_id = ${id}`)).toBe(0);

    for (const p of threads) site.setFault(`/forum/thread/${p.id}.html`, null);
    const b = await spawnWorker();
    try {
      await waitFor('the restarted worker to finish the crawl', async () => {
        const row = await t.db.selectFrom('sources').select(['status', 'last_fetch_at']).where('id', '=', id).executeTakeFirstOrThrow();
        return row.last_fetch_at !== null && row.status === 'ok';
      }, 40_000);
      const stored = await count(sql`select count(*) as n from items where url like ${`${site.url}/forum/thread/%`}`);
      expect(stored).toBe(threads.length);
      expect(await count(sql`select count(*) as n from (select url_key from items group by url_key having count(*) > 1) d`)).toBe(0);
      // The interrupted attempt wrote nothing, not even a history row.
      expect(await count(sql`select count(*) as n from source_fetches where source_id = ${id}`)).toBe(1);
    } finally {
      b.kill('SIGTERM');
      await new Promise((r) => b.once('exit', r));
      const keys = await redis.keys(`${killPrefix}*`);
      if (keys.length) await redis.del(...keys);
      await site.close();
    }
  }, 90_000);
});
