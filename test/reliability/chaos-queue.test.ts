import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Queue } from 'bullmq';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { allowHost, addSource, crawlDeps } from '../helpers/crawl.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { LeaseLost } from '../../db/repos/source-fetches.js';
import { QUEUES } from '../../platform/queues.js';
import { recordFigure, variant } from './figures.js';
import { cleanupProcs, liveWorkers, sleep, spawnWorker, startFeedServer, startRedis, waitFor, type RedisProc, type WorkerProc } from './procs.js';

// Chaos on the job queue: workers SIGKILLed at random during many crawls, SIGTERM with crawls in
// flight, and three processes re-asserting the same job schedulers across restarts. Redis is a
// private redis-server; Postgres is this file's own database on the shared test server.

let t: TestDb;
let redis: RedisProc;

beforeAll(async () => {
  t = await createTestDb('chaosq');
  redis = await startRedis();
});
afterAll(async () => {
  await cleanupProcs();
  await t?.drop();
});

const n = async (q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(t.db)).rows[0].n);

function workerEnv(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: t.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    SCHEDULER_TICK_MS: '250',
    SWEEP_INTERVAL_MS: '2000',
    DELIVER_INTERVAL_MS: '2000',
    CRAWL_CONCURRENCY: '4',
    CRAWL_PER_HOST_CONCURRENCY: '16',
    CRAWL_HOST_DELAY_MS: '0',
    QUIET_HOURS: 'off',
    LOG_LEVEL: 'silent',
    TEST_LEASE_MS: '3000',
    ...extra,
  };
}

async function addFeeds(feeds: { feedUrl(i: number): string; hostPort: string }, count: number, label: string): Promise<number[]> {
  await allowHost(t.db, feeds.hostPort);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(await addSource(t.db, { url: feeds.feedUrl(i), name: `${label} ${i}`, poll_interval_s: 3600, next_fetch_at: new Date(Date.now() + 3_600_000) }));
  }
  return ids;
}

/** Items stored twice (same source and guid under two url keys) plus crawls recorded beyond one per due slot. */
async function duplicatesOf(ids: number[], expectedCrawlsPerSource: number) {
  const dupItems = await n(sql`select coalesce(sum(c - 1), 0) as n from (select count(*) as c from items where source_id = any(${ids}) group by source_id, guid having count(*) > 1) d`);
  const extraCrawls = await n(
    sql`select coalesce(sum(greatest(c - ${expectedCrawlsPerSource}, 0)), 0) as n from (select count(*) as c from source_fetches where source_id = any(${ids}) group by source_id) d`,
  );
  return { dupItems, extraCrawls };
}

describe('chaos: workers killed and stopped', () => {
  it('SIGKILLing a random worker every few seconds loses no due crawl and duplicates nothing', async () => {
    const sources = variant(25, 100);
    const rounds = variant(4, 10);
    const killEveryMs = variant(2500, 3000);
    const feeds = await startFeedServer({ feeds: sources, delayMs: 250 });
    const ids = await addFeeds(feeds, sources, 'kill');
    const env = workerEnv(testPrefix('chaoskill'));
    await Promise.all([1, 2, 3].map(() => spawnWorker(env)));

    let kills = 0;
    let chaos = true;
    const chaosLoop = (async () => {
      while (chaos) {
        await sleep(killEveryMs * (0.6 + Math.random() * 0.8));
        if (!chaos) break;
        const live = liveWorkers();
        // Never the last one standing: on a loaded machine a replacement takes seconds to start,
        // and killing faster than workers start would test an outage, not crash recovery.
        if (live.length < 2) continue;
        const victim = live[Math.floor(Math.random() * live.length)];
        await victim.kill('SIGKILL');
        kills++;
        // The replacement starts while the chaos carries on (start-up takes seconds here).
        void spawnWorker(env).catch(() => {});
      }
    })();

    const crawlsOf = () => t.db.selectFrom('source_fetches').select(['source_id', sql<string>`count(*)`.as('c')]).where('source_id', 'in', ids).groupBy('source_id').execute();
    try {
      for (let r = 0; r < rounds; r++) {
        feeds.round = r;
        // This round's crawl of every source is due now.
        await sql`update sources set next_fetch_at = now() where id = any(${ids}) and claimed_by is null`.execute(t.db);
        await waitFor(
          `round ${r}: every source crawled ${r + 1} times`,
          async () => {
            const rows = await crawlsOf();
            return rows.length === sources && rows.every((x) => Number(x.c) >= r + 1);
          },
          // A job of a killed worker is taken back by BullMQ only when its lock lapses and the
          // stalled-job check runs (≈ 30 + 30 s), and a round may meet several kills: the bound is
          // about the time a loaded CI machine may need, not a figure (lost and duplicated crawls are).
          150_000,
          200,
        );
      }
    } catch (err) {
      // Leave nothing running for the next test of this file (it crawls a fresh source of its own).
      chaos = false;
      await chaosLoop;
      await Promise.all(liveWorkers().map((w) => w.kill('SIGKILL')));
      await feeds.close();
      throw err;
    } finally {
      chaos = false;
      await chaosLoop;
    }
    // Let every orphaned (killed) job and lease run out: nothing more may be recorded.
    await sleep(4000);
    const rows = await crawlsOf();
    const lost = rows.reduce((s, x) => s + Math.max(0, rounds - Number(x.c)), 0) + (sources - rows.length) * rounds;
    const { dupItems, extraCrawls } = await duplicatesOf(ids, rounds);
    const items = await n(sql`select count(*) as n from items where source_id = any(${ids})`);
    const orphanItems = await n(sql`select count(*) as n from items i where source_id = any(${ids}) and (story_id is null or not exists (select 1 from stories s where s.id = i.story_id))`);
    const failed = await n(sql`select count(*) as n from source_fetches where source_id = any(${ids}) and status not in ('ok', 'not_modified')`);
    const itemsNew = await n(sql`select coalesce(sum(items_new), 0) as n from source_fetches where source_id = any(${ids})`);
    const crawls = sources * rounds;
    recordFigure({ area: 'queue', name: 'crawls under random SIGKILL of workers', value: crawls, unit: 'crawls', goal: '', met: null, detail: { sources, rounds, workers: 3, killEveryMs } });
    recordFigure({ area: 'queue', name: 'workers SIGKILLed during the crawls', value: kills, unit: 'kills', goal: '', met: null });
    recordFigure({ area: 'queue', name: 'crawls lost to SIGKILL', value: lost, unit: 'crawls', goal: '0', met: lost === 0 });
    recordFigure({
      area: 'queue',
      name: 'duplicates under SIGKILL (items stored twice + crawls recorded twice)',
      value: dupItems + extraCrawls,
      unit: 'duplicates',
      goal: '0',
      met: dupItems + extraCrawls === 0,
      detail: { dupItems, extraCrawls, items, failedCrawls: failed },
    });
    expect(kills).toBeGreaterThan(0);
    expect(lost).toBe(0);
    expect(extraCrawls).toBe(0);
    expect(dupItems).toBe(0);
    // One new item per source per round, each in a story, and counted by exactly the crawl that stored it.
    expect(items).toBe(crawls);
    expect(itemsNew).toBe(crawls);
    expect(orphanItems).toBe(0);
    expect(failed).toBe(0);
    await Promise.all(liveWorkers().map((w) => w.kill('SIGKILL')));
    await feeds.close();
  }, variant(600_000, 1_800_000));

  it('SIGTERM with crawls in flight exits 0; the interrupted crawls are requeued and finished by another worker, once each', async () => {
    const sources = 8;
    const feeds = await startFeedServer({ feeds: sources, delayMs: 8000 });
    const ids = await addFeeds(feeds, sources, 'term');
    // The real entry point (bin/worker.ts): production lease (≥ 60 s) and its own SIGTERM handling.
    const env = workerEnv(testPrefix('chaosterm'), { CRAWL_CONCURRENCY: '8' });
    const a = await spawnWorker(env, { bin: true });
    await sql`update sources set next_fetch_at = now() where id = any(${ids})`.execute(t.db);
    await waitFor('every crawl in flight in the first worker', () => ids.every((_, i) => feeds.requests(i) > 0), 30_000);
    const b = await spawnWorker(env, { bin: true });
    expect(await n(sql`select count(*) as n from source_fetches where source_id = any(${ids})`)).toBe(0);
    const inFlight = await n(sql`select count(*) as n from sources where id = any(${ids}) and claimed_by is not null`);
    expect(inFlight).toBe(sources);
    const stoppedAt = Date.now();
    const exitA = await a.kill('SIGTERM');
    const stopSeconds = (Date.now() - stoppedAt) / 1000;
    expect(exitA.code, a.output()).toBe(0);
    // The interrupted attempt wrote nothing.
    expect(await n(sql`select count(*) as n from source_fetches where source_id = any(${ids})`)).toBe(0);
    expect(await n(sql`select count(*) as n from items where source_id = any(${ids})`)).toBe(0);
    feeds.delayMs = 50;
    // No lease runs out here (≥ 60 s): only the requeued jobs can finish these crawls, on worker b.
    await waitFor('the other worker to finish every interrupted crawl', async () => (await n(sql`select count(*) as n from sources where id = any(${ids}) and last_fetch_at is not null and claimed_by is null`)) === sources, 45_000, 200);
    await sleep(1000);
    const { dupItems, extraCrawls } = await duplicatesOf(ids, 1);
    expect(await n(sql`select count(*) as n from source_fetches where source_id = any(${ids})`)).toBe(sources);
    expect(await n(sql`select count(*) as n from items where source_id = any(${ids})`)).toBe(sources);
    expect(dupItems + extraCrawls).toBe(0);
    expect(b.alive).toBe(true);
    const exitB = await b.kill('SIGTERM');
    expect(exitB.code, b.output()).toBe(0);
    const codes = [exitA.code, exitB.code];
    recordFigure({
      area: 'queue',
      name: 'SIGTERM exits with a non-zero code (crawls in flight)',
      value: codes.filter((c) => c !== 0).length,
      unit: 'exits',
      goal: '0',
      met: codes.every((c) => c === 0),
      detail: { codes, inFlightAtSigterm: inFlight, secondsToExit: stopSeconds, duplicates: dupItems + extraCrawls },
    });
    await feeds.close();
  }, 120_000);

  it('a crawl that outlives its lease records nothing: the crawl that took the lease over records the slot once', async () => {
    const feeds = await startFeedServer({ feeds: 1, delayMs: 1500 });
    const [id] = await addFeeds(feeds, 1, 'lease');
    // Due a second ago: the crawl's clock reads whole milliseconds, so "due at now()" (microseconds)
    // could still lie ahead of a claim made within the same millisecond, which would then skip.
    await sql`update sources set next_fetch_at = now() - interval '1 second' where id = ${id}`.execute(t.db);
    const { deps } = crawlDeps(t.db, { settings: { leaseMs: 300 } });
    // The first crawl is slow (a stalled host, a paused process): its lease runs out mid-fetch.
    const first = crawlSource(deps, id, 'crawl-lease-first').then(
      (r) => r,
      (err: unknown) => err,
    );
    let ended: unknown = null;
    void first.then((r) => (ended = r));
    await waitFor(
      'the first crawl in flight',
      () => {
        if (ended !== null && feeds.requests(0) === 0) throw new Error(`the first crawl ended before it fetched: ${String((ended as Error).message ?? JSON.stringify(ended))}`);
        return feeds.requests(0) === 1;
      },
      10_000,
      20,
    );
    await sleep(500);
    // The scheduler sees the lapsed lease and a second job crawls the source.
    const second = await crawlSource(deps, id, 'crawl-lease-second');
    const outcome = await first;
    expect(second.status).toBe('ok');
    expect(outcome).toBeInstanceOf(LeaseLost);
    expect(await n(sql`select count(*) as n from source_fetches where source_id = ${id}`)).toBe(1);
    expect(await n(sql`select count(*) as n from items where source_id = ${id}`)).toBe(1);
    expect(await n(sql`select coalesce(sum(items_new), 0) as n from source_fetches where source_id = ${id}`)).toBe(1);
    // Its job's retry finds the source crawled and skips.
    expect((await crawlSource(deps, id, 'crawl-lease-first')).status).toBe('skipped');
    await feeds.close();
  }, 30_000);

  it('three processes upserting the same job schedulers across ten restarts keep exactly one scheduler each', async () => {
    const prefix = testPrefix('chaossched');
    const env = workerEnv(prefix);
    const restarts = variant(10, 30);
    const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection: { url: redis.url }, prefix }));
    // At least these; the first snapshot (three fresh processes) fixes the exact set for the rest.
    const required: Record<string, string[]> = { schedule: ['sources.schedule'], sweep: ['cases.sweep'], deliver: ['notifications.deliver'], reports: ['reports.weekly'], backfill: ['places.backfill'], crawl: [] };
    let expected: Record<string, string[]> | null = null;
    const counts: number[] = [];
    const nextJobs: number[] = [];
    const snapshot = async () => {
      let total = 0;
      let pending = 0;
      const seen: Record<string, string[]> = {};
      for (const q of queues) seen[q.name] = (await q.getJobSchedulers()).map((s) => s.key).sort();
      if (!expected) {
        for (const q of queues) expect(seen[q.name], q.name).toEqual(expect.arrayContaining(required[q.name]));
        expected = seen;
      }
      for (const q of queues) {
        const ids = seen[q.name];
        expect(ids, q.name).toEqual(expected[q.name]);
        total += ids.length;
        // Each scheduler has one next job waiting (or running): never two.
        const next = (await q.getJobs(['delayed', 'waiting', 'prioritized'])).filter((j) => j?.id?.startsWith('repeat:'));
        expect(next.length, `${q.name}: ${next.map((j) => j.id).join(', ')}`).toBeLessThanOrEqual(expected[q.name].length);
        pending += next.length;
      }
      counts.push(total);
      nextJobs.push(pending);
    };
    try {
      let procs: WorkerProc[] = await Promise.all([1, 2, 3].map(() => spawnWorker(env)));
      await snapshot();
      // Two processes at a time (one SIGKILLed, one SIGTERMed) restart together, upserting at once
      // while the third keeps watching its schedulers.
      for (let i = 0; i < restarts; i += 2) {
        const pair = [i % 3, (i + 1) % 3];
        await Promise.all([procs[pair[0]].kill('SIGKILL'), procs[pair[1]].kill('SIGTERM')]);
        const fresh = await Promise.all(pair.map(() => spawnWorker(env)));
        pair.forEach((k, j) => (procs[k] = fresh[j]));
        await sleep(300);
        await snapshot();
      }
      const want = Object.values(expected!).reduce((a, l) => a + l.length, 0);
      const exact = counts.every((c) => c === want);
      recordFigure({
        area: 'queue',
        name: 'job schedulers in Redis after each restart (3 processes upserting)',
        value: Math.max(...counts),
        unit: 'schedulers',
        goal: `exactly ${want} every time`,
        met: exact,
        detail: { restarts, counts, nextJobsPerSnapshot: nextJobs, schedulers: expected },
      });
      expect(counts.length).toBe(Math.ceil(restarts / 2) + 1);
      expect(exact).toBe(true);
    } finally {
      await Promise.all(liveWorkers().map((w) => w.kill('SIGKILL')));
      await Promise.all(queues.map((q) => q.close()));
    }
  }, variant(120_000, 600_000));
});
