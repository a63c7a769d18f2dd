import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Queue } from 'bullmq';
import { createDb, type Db } from '../../db/client.js';
import { QUEUES, type AppEvent } from '../../platform/queues.js';
import { weeklyPeriodDue } from '../../core/reports/period.js';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { allowHost, addSource } from '../helpers/crawl.js';
import { createUser, sessionFor } from '../helpers/auth.js';
import { readSse } from '../helpers/sse.js';
import { makeCase, makeDept, makeObligation, makeUser, HOUR } from '../escalation/fixtures.js';
import { recordFigure } from './figures.js';
import {
  cleanupProcs,
  sleep,
  spawnServer,
  spawnWorker,
  startFeedServer,
  startPostgres,
  startRedis,
  waitFor,
  type FeedServer,
  type RedisProc,
  type ServerProc,
  type WorkerProc,
} from './procs.js';

// Chaos on the services the processes depend on: a private Redis that is down at start-up, then
// SIGKILLed and restarted mid-run, then FLUSHALLed; and a private Postgres restarted mid-run. The
// server (bin/server.ts) and the workers are real processes; "nothing crashes" means none exits.

const TICK_MS = 1000;
let t: TestDb;
let redis: RedisProc;
let feeds: FeedServer;

beforeAll(async () => {
  t = await createTestDb('chaossvc');
  redis = await startRedis();
  feeds = await startFeedServer({ feeds: 40, delayMs: 100 });
  await allowHost(t.db, feeds.hostPort);
});
afterAll(async () => {
  await cleanupProcs();
  await t?.drop();
});

const n = async (db: Db, q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(db)).rows[0].n);

function env(databaseUrl: string, prefix: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    SCHEDULER_TICK_MS: String(TICK_MS),
    SWEEP_INTERVAL_MS: String(TICK_MS),
    DELIVER_INTERVAL_MS: '2000',
    CRAWL_CONCURRENCY: '4',
    CRAWL_PER_HOST_CONCURRENCY: '16',
    CRAWL_HOST_DELAY_MS: '0',
    QUIET_HOURS: 'off',
    LOG_LEVEL: 'error',
    TEST_LEASE_MS: '3000',
  };
}

async function health(base: string): Promise<{ status: number; db?: string; redis?: string }> {
  try {
    const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(4000) });
    const body = (await res.json()) as { db?: string; redis?: string };
    return { db: body.db, redis: body.redis, status: res.status };
  } catch {
    return { status: 0 };
  }
}

/** An SSE stream of /api/events as a signed-in user, collecting the events it receives. */
async function openSse(base: string, cookie: string) {
  const ctl = new AbortController();
  const res = await fetch(`${base}/api/events`, { headers: { cookie, accept: 'text/event-stream' }, signal: ctl.signal });
  expect(res.status).toBe(200);
  const events: AppEvent[] = [];
  let ended = false;
  const sse = readSse(res, (data) => events.push(JSON.parse(data) as AppEvent));
  void sse.ended.then(() => (ended = true));
  return {
    events,
    get ended() {
      return ended;
    },
    async close() {
      ctl.abort();
      await sse.ended;
    },
  };
}

async function makeDue(db: Db, ids: number[]): Promise<Date> {
  const at = new Date();
  await sql`update sources set next_fetch_at = now() where id = any(${ids}) and claimed_by is null`.execute(db);
  return at;
}

/** Every source in ids has a crawl recorded that started after `since`. */
async function crawledSince(db: Db, ids: number[], since: Date): Promise<boolean> {
  const done = await n(db, sql`select count(distinct source_id) as n from source_fetches where source_id = any(${ids}) and started_at >= ${since}`);
  return done === ids.length;
}

async function schedulerIds(queues: Queue[]): Promise<string[]> {
  const all: string[] = [];
  for (const q of queues) for (const s of await q.getJobSchedulers()) all.push(`${q.name}/${s.key}`);
  return all.sort();
}

describe('chaos: Redis down, killed, flushed', () => {
  const prefix = testPrefix('chaosredis');
  let server: ServerProc;
  let worker: WorkerProc;
  let cookie: string;
  let ids: number[];
  let queues: Queue[];

  beforeAll(async () => {
    const user = await createUser(t.db, { role: 'admin' });
    cookie = (await sessionFor(t.db, user)).cookie;
    ids = [];
    for (let i = 0; i < 6; i++) ids.push(await addSource(t.db, { url: feeds.feedUrl(i), name: `redis chaos ${i}`, poll_interval_s: 3600, next_fetch_at: new Date(Date.now() + 3_600_000) }));
    queues = Object.values(QUEUES).map((name) => {
      const q = new Queue(name, { connection: { url: redis.url, maxRetriesPerRequest: null }, prefix });
      q.on('error', () => {});
      return q;
    });
  });
  afterAll(async () => {
    await Promise.all((queues ?? []).map((q) => q.close().catch(() => {})));
  });

  it('Redis down at start-up: the server and a worker wait for it without crashing and work within 30 s of it coming up', async () => {
    await redis.stop();
    server = await spawnServer(env(t.url, prefix), { waitReady: false });
    worker = await spawnWorker(env(t.url, prefix), { waitReady: false });
    let workerReady = false;
    worker.child.once('message', () => {
      workerReady = true;
    });
    try {
      // The server comes up without Redis and answers, degraded (the database is fine).
      await waitFor('the server to answer without Redis', async () => {
        if (!server.alive) throw new Error(`the server exited:\n${server.output()}`);
        const h = await health(server.base);
        return h.status === 200 && h.redis === 'error';
      }, 60_000, 200);
      await sleep(3000);
      expect(server.alive, server.output()).toBe(true);
      expect(worker.alive, worker.output()).toBe(true);
      expect(workerReady).toBe(false);
    } finally {
      await redis.start();
    }
    const upAt = Date.now();
    await waitFor('the server to see Redis again', async () => (await health(server.base)).redis === 'ok', 30_000, 100);
    const healthS = (Date.now() - upAt) / 1000;
    await waitFor('the worker to start', () => workerReady, 30_000);
    const sse = await openSse(server.base, cookie);
    const since = await makeDue(t.db, ids);
    await waitFor('crawls after Redis came up', () => crawledSince(t.db, ids, since), 30_000, 100);
    await waitFor('a source.updated event on SSE', () => sse.events.some((e) => e.type === 'source.updated' && ids.includes(e.sourceId)), 30_000, 50);
    const recoveryS = (Date.now() - upAt) / 1000;
    await sse.close();
    expect(server.alive && worker.alive).toBe(true);
    recordFigure({
      area: 'queue',
      name: 'recovery after Redis was down at start-up',
      value: Math.round(recoveryS * 10) / 10,
      unit: 's',
      goal: '≤ 30 s',
      met: recoveryS <= 30,
      detail: { healthSeconds: healthS, includes: 'server health, worker start, crawls, SSE event', crashed: 0 },
    });
    expect(recoveryS).toBeLessThanOrEqual(30);
  }, 90_000);

  it('Redis SIGKILLed and restarted empty mid-run: health, SSE and crawls resume within 30 s; an escalation step due meanwhile fires once', async () => {
    const sse = await openSse(server.base, cookie);
    const dept = await makeDept(t.db);
    await makeUser(t.db, { role: 'handler', departmentId: dept });
    const started = new Date(Date.now() - 20 * HOUR);
    const c = await makeCase(t.db, { leadDepartmentId: dept, openedAt: started });
    // 48 h window, 20 h in: the 50 % reminder is 4 h away.
    const ob = await makeObligation(t.db, c, { startedAt: started, hours: 48 });
    const fired = () => n(t.db, sql`select count(*) as n from escalation_fires where obligation_id = ${ob}::bigint`);
    await sleep(2 * TICK_MS);
    expect(await fired()).toBe(0);

    await redis.kill();
    let since: Date;
    try {
      // During the outage the reminder falls due.
      await sql`update obligations set started_at = started_at - interval '5 hours', due_at = due_at - interval '5 hours' where id = ${ob}::bigint`.execute(t.db);
      since = await makeDue(t.db, ids);
      await sleep(3000);
      const during = await health(server.base);
      expect(during.status).toBe(200);
      expect(during.redis).toBe('error');
      expect(await fired()).toBe(0);
      expect(server.alive && worker.alive).toBe(true);
    } finally {
      await redis.start();
    }
    const upAt = Date.now();
    await waitFor('health to show Redis ok', async () => (await health(server.base)).redis === 'ok', 30_000, 100);
    const healthS = (Date.now() - upAt) / 1000;
    await waitFor('the step due during the outage to fire', async () => (await fired()) >= 1, 30_000, 100);
    const sweepS = (Date.now() - upAt) / 1000;
    await waitFor('crawls to resume', () => crawledSince(t.db, ids, since), 30_000, 100);
    const crawlS = (Date.now() - upAt) / 1000;
    // The stream opened before the outage still delivers.
    await waitFor('SSE events after the restart', () => sse.events.some((e) => e.type === 'source.updated' && ids.includes(e.sourceId)), 30_000, 50);
    const recoveryS = (Date.now() - upAt) / 1000;
    await sleep(3 * TICK_MS);
    expect(await fired()).toBe(1);
    expect(server.alive && worker.alive).toBe(true);
    const survived = !sse.ended;
    await sse.close();
    recordFigure({
      area: 'queue',
      name: 'recovery after Redis SIGKILL and restart (empty)',
      value: Math.round(recoveryS * 10) / 10,
      unit: 's',
      goal: '≤ 30 s',
      met: recoveryS <= 30,
      detail: { healthSeconds: healthS, sweepSeconds: sweepS, crawlSeconds: crawlS, escalationFiresForStepDueInOutage: 1, sseStreamSurvived: survived },
    });
    expect(recoveryS).toBeLessThanOrEqual(30);
  }, 90_000);

  it('FLUSHALL mid-run: the job schedulers are rebuilt from Postgres within a tick, and no deadline is missed', async () => {
    await waitFor('every job scheduler in place', async () => (await schedulerIds(queues)).length >= 4, 30_000);
    const before = await schedulerIds(queues);
    expect(before).toEqual(expect.arrayContaining(['schedule/sources.schedule', 'sweep/cases.sweep', 'deliver/notifications.deliver', 'reports/reports.weekly']));
    // The week's notice exists (made by the start-up catch-up). Pretend the flush swallowed its
    // Monday 08:30 job: it is not in Postgres; it must still be made, once.
    const period = weeklyPeriodDue(new Date()).key;
    await waitFor("the week's notice", async () => (await n(t.db, sql`select count(*) as n from reports where kind = 'weekly' and period = ${period}`)) === 1, 30_000);
    await sql`delete from reports where kind = 'weekly' and period = ${period}`.execute(t.db);
    const dept = await makeDept(t.db);
    await makeUser(t.db, { role: 'handler', departmentId: dept });
    const started = new Date(Date.now() - 25 * HOUR);
    const c = await makeCase(t.db, { leadDepartmentId: dept, openedAt: started });
    const ob = await makeObligation(t.db, c, { startedAt: started, hours: 48 });

    const client = redis.client();
    await client.flushall();
    const flushedAt = Date.now();
    client.disconnect();
    const since = await makeDue(t.db, ids);
    const rebuilt = await waitFor('the job schedulers rebuilt', async () => {
      const now = await schedulerIds(queues);
      return before.every((s) => now.includes(s)) && now;
    }, 30_000, 25);
    const rebuiltS = (Date.now() - flushedAt) / 1000;
    await waitFor('the step due at the flush to fire', async () => (await n(t.db, sql`select count(*) as n from escalation_fires where obligation_id = ${ob}::bigint`)) >= 1, 30_000, 100);
    await waitFor('crawls after the flush', () => crawledSince(t.db, ids, since), 30_000, 100);
    await waitFor("the week's notice made again", async () => (await n(t.db, sql`select count(*) as n from reports where kind = 'weekly' and period = ${period}`)) >= 1, 30_000, 100);
    const recoveryS = (Date.now() - flushedAt) / 1000;
    await sleep(3 * TICK_MS);
    expect(await n(t.db, sql`select count(*) as n from escalation_fires where obligation_id = ${ob}::bigint`)).toBe(1);
    expect(await n(t.db, sql`select count(*) as n from reports where kind = 'weekly' and period = ${period}`)).toBe(1);
    expect(rebuilt.length).toBe(before.length);
    expect(server.alive && worker.alive).toBe(true);
    recordFigure({
      area: 'queue',
      name: 'job schedulers rebuilt after FLUSHALL',
      value: Math.round(rebuiltS * 100) / 100,
      unit: 's',
      goal: `within one tick (${TICK_MS / 1000} s)`,
      met: rebuiltS <= TICK_MS / 1000,
      detail: { schedulers: before.length, tickMs: TICK_MS, allWorkResumedSeconds: recoveryS, weeklyNoticeRemade: true, escalationFires: 1 },
    });
    expect(rebuiltS).toBeLessThanOrEqual(10);
    await server.kill('SIGTERM');
    await worker.kill('SIGTERM');
  }, 90_000);
});

describe('chaos: Postgres restarted mid-run', () => {
  it('crawls roll back whole, the pools recover without a process restart, and every job retries and completes', async () => {
    const pg = await startPostgres();
    const db = createDb(pg.url, { max: 3, applicationName: 'chaos-test' });
    try {
      const prefix = testPrefix('chaospg');
      await allowHost(db, feeds.hostPort);
      const ids: number[] = [];
      for (let i = 0; i < 30; i++) ids.push(await addSource(db, { url: feeds.feedUrl(i), name: `pg chaos ${i}`, poll_interval_s: 3600, next_fetch_at: new Date(Date.now() + 3_600_000) }));
      const [server, w1, w2] = await Promise.all([spawnServer(env(pg.url, prefix)), spawnWorker(env(pg.url, prefix)), spawnWorker(env(pg.url, prefix))]);
      const crawls = () => n(db, sql`select count(*) as n from source_fetches`);
      // Round 0 completes normally.
      feeds.round = 0;
      let since = await makeDue(db, ids);
      await waitFor('round 0', () => crawledSince(db, ids, since), 30_000, 100);
      // Round 1: slow feeds, Postgres restarted while the crawls are in flight.
      feeds.round = 1;
      feeds.delayMs = 600;
      since = await makeDue(db, ids);
      await waitFor('crawls in flight', async () => (await crawls()) > ids.length, 30_000, 20);
      const pidsBefore = [server.pid, w1.pid, w2.pid];
      await pg.stop();
      const stoppedAt = Date.now();
      await sleep(2000);
      expect((await health(server.base)).status).toBe(503);
      await pg.start();
      const upAt = Date.now();
      feeds.delayMs = 100;
      // The same pool (this process) and the same server process answer again.
      await waitFor('this process’s pool to recover', async () => (await sql`select 1 as one`.execute(db)).rows.length === 1, 30_000, 100);
      await waitFor('the server’s health to show the database', async () => (await health(server.base)).db === 'ok', 30_000, 100);
      const healthS = (Date.now() - upAt) / 1000;
      const alive = () => server.alive && w1.alive && w2.alive;
      const outputs = () => [server, w1, w2].map((p) => p.output()).join('\n');
      const round1 = await waitFor('round 1 to complete', async () => (!alive() ? 'a process died' : (await crawledSince(db, ids, since)) && 'done'), 60_000, 100);
      expect(round1, outputs()).toBe('done');
      const recoveryS = (Date.now() - upAt) / 1000;
      // Round 2: Postgres crashes (immediate stop, recovery on start) with crawls in flight.
      feeds.round = 2;
      feeds.delayMs = 600;
      since = await makeDue(db, ids);
      await waitFor('round 2 crawls in flight', async () => (await crawls()) > ids.length * 2, 30_000, 20);
      await pg.restart({ crash: true });
      const crashUpAt = Date.now();
      feeds.delayMs = 100;
      const round2 = await waitFor('round 2 to complete', async () => (!alive() ? 'a process died' : (await crawledSince(db, ids, since)) && 'done'), 60_000, 100);
      expect(round2, outputs()).toBe('done');
      const crashRecoveryS = (Date.now() - crashUpAt) / 1000;
      await sleep(4000); // leases of any orphaned attempt run out

      expect([server.alive, w1.alive, w2.alive]).toEqual([true, true, true]);
      expect([server.pid, w1.pid, w2.pid]).toEqual(pidsBefore);
      // Nothing half-written: each source's items are exactly those its recorded crawls counted,
      // every item is in a story, and each round was recorded once per source.
      const mismatched = await n(
        db,
        sql`select count(*) as n from sources s where s.id = any(${ids}) and
              (select count(*) from items i where i.source_id = s.id) <> (select coalesce(sum(items_new), 0) from source_fetches f where f.source_id = s.id and f.status = 'ok')`,
      );
      const orphans = await n(db, sql`select count(*) as n from items i where story_id is null or not exists (select 1 from stories s where s.id = i.story_id)`);
      const items = await n(db, sql`select count(*) as n from items`);
      const okCrawls = await n(db, sql`select count(*) as n from source_fetches where status = 'ok'`);
      const failedCrawls = await n(db, sql`select count(*) as n from source_fetches where status <> 'ok'`);
      const dupItems = await n(db, sql`select count(*) as n from (select source_id, guid from items group by 1, 2 having count(*) > 1) d`);
      recordFigure({
        area: 'queue',
        name: 'recovery after Postgres restart mid-run',
        value: Math.round(recoveryS * 10) / 10,
        unit: 's',
        goal: '≤ 30 s',
        met: recoveryS <= 30 && crashRecoveryS <= 30 && mismatched === 0 && orphans === 0,
        detail: { downSeconds: (upAt - stoppedAt) / 1000, healthSeconds: healthS, afterCrashRestartSeconds: crashRecoveryS, halfWrittenSources: mismatched, orphanItems: orphans, items, okCrawls, failedCrawls, duplicateItems: dupItems, processRestarts: 0 },
      });
      expect(mismatched).toBe(0);
      expect(orphans).toBe(0);
      expect(dupItems).toBe(0);
      expect(items).toBe(ids.length * 3);
      expect(okCrawls).toBe(ids.length * 3);
      expect(recoveryS).toBeLessThanOrEqual(60);
      expect(crashRecoveryS).toBeLessThanOrEqual(60);
      const codes = await Promise.all([server, w1, w2].map((p) => p.kill('SIGTERM')));
      expect(codes.map((c) => c.code)).toEqual([0, 0, 0]);
    } finally {
      await db.destroy();
    }
  }, 150_000);
});
