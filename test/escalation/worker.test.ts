import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { startWorker, type RunningWorker } from '../../worker/main.js';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { redisUrl } from '../helpers/env.js';
import { HOUR, count, makeCase, makeDept, makeObligation, makeUser } from './fixtures.js';

// The cases.sweep job scheduler in real workers: two workers at once, then Redis loses every key of
// the queue prefix (FLUSHALL, scoped: the Redis is shared with other test files).

let t: TestDb;
let redis: Redis;
const prefix = testPrefix('escwork');
const procPrefix = testPrefix('escproc');

beforeAll(async () => {
  t = await createTestDb('escwork');
  redis = new Redis(redisUrl());
});
afterAll(async () => {
  for (const p of [prefix, procPrefix]) {
    const keys = await redis.keys(`${p}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
  await t?.drop();
});

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('cases.sweep job scheduler', () => {
  it('two workers fire every due step exactly once, and keep sweeping after Redis loses everything', async () => {
    const config = loadConfig({ QUEUE_PREFIX: prefix, SWEEP_INTERVAL_MS: '200', SCHEDULER_TICK_MS: '1000', QUIET_HOURS: 'off', LOG_LEVEL: 'silent' });
    const logger = createLogger('silent', 'test');
    const dept = await makeDept(t.db);
    await makeUser(t.db, { role: 'handler', departmentId: dept });
    await makeUser(t.db, { role: 'reviewer' });
    await makeUser(t.db, { role: 'leader', leaderRank: 'in_charge' });
    const obs: string[] = [];
    for (let i = 0; i < 20; i++) {
      const c = await makeCase(t.db, { leadDepartmentId: dept, openedAt: new Date(Date.now() - 50 * HOUR) });
      obs.push(await makeObligation(t.db, c, { startedAt: new Date(Date.now() - 50 * HOUR), hours: 48 }));
    }
    const fired = () => count(t.db, sql`select count(*) as n from escalation_fires where obligation_id = any(${obs}::bigint[])`);
    const workers: RunningWorker[] = await Promise.all([1, 2].map(() => startWorker({ config, db: t.db, redisUrl: redisUrl(), logger })));
    try {
      // remind-50, warn-12h and breach are due; breach-24h is not (due + 24 h is a day away).
      await waitFor('the sweep to fire', async () => (await fired()) === 20 * 3);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await fired()).toBe(60);
      // The escalation notices (a worker started on a working day after 08:00 also makes that day's
      // 舆情日报 and tells the leaders: not counted here).
      expect(await count(t.db, sql`select count(*) as n from notifications where key is distinct from 'report.daily_brief'`)).toBe(60);

      const keys = await redis.keys(`${prefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
      // Time moves on: the 24 h-after-breach step becomes due for every obligation.
      await sql`update obligations set started_at = started_at - interval '1 day', due_at = due_at - interval '1 day' where id = any(${obs}::bigint[])`.execute(t.db);
      await waitFor('the re-asserted scheduler to sweep again', async () => (await fired()) === 20 * 4, 30_000);
      const dup = await count(t.db, sql`select count(*) as n from (select obligation_id, step_id from escalation_fires group by 1, 2 having count(*) > 1) d`);
      expect(dup).toBe(0);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  }, 60_000);

  it('two worker processes sweeping the same database fire each step once; after one is SIGKILLed the other carries on', async () => {
    const dept = await makeDept(t.db);
    await makeUser(t.db, { role: 'handler', departmentId: dept });
    const started = new Date(Date.now() - 30 * HOUR);
    const obs: string[] = [];
    for (let i = 0; i < 200; i++) {
      const c = await makeCase(t.db, { leadDepartmentId: dept, openedAt: started });
      obs.push(await makeObligation(t.db, c, { startedAt: started, hours: 48 }));
    }
    const env = {
      ...process.env,
      DATABASE_URL: t.url,
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: procPrefix,
      SWEEP_INTERVAL_MS: '100',
      QUIET_HOURS: 'off',
      LOG_LEVEL: 'silent',
    };
    const script = fileURLToPath(new URL('../helpers/worker-proc.ts', import.meta.url));
    const spawnWorker = () =>
      new Promise<ChildProcess>((resolve, reject) => {
        const child = fork(script, [], { env, execArgv: ['--import', 'tsx'], stdio: 'ignore' });
        child.once('message', () => resolve(child));
        child.once('error', reject);
      });
    const [a, b] = await Promise.all([spawnWorker(), spawnWorker()]);
    const fired = () => count(t.db, sql`select count(*) as n from escalation_fires where obligation_id = any(${obs}::bigint[])`);
    try {
      // 30 h into a 48 h window only remind-50 is due (the 12 h warning comes at 36 h).
      await waitFor('every remind-50 fired', async () => (await fired()) === 200, 30_000);
      a.kill('SIGKILL');
      // Six hours later the 12 h warning is due: the surviving process fires it, once each.
      await sql`update obligations set started_at = started_at - interval '6 hours', due_at = due_at - interval '6 hours' where id = any(${obs}::bigint[])`.execute(t.db);
      await waitFor('every warn-12h fired', async () => (await fired()) === 400, 30_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(await fired()).toBe(400);
      const perObligation = await count(
        t.db,
        sql`select count(*) as n from notifications n join obligations o on o.case_id = n.case_id where o.id = any(${obs}::bigint[])`,
      );
      expect(perObligation).toBe(400); // remind-50 → the one handler, warn-12h → the one reviewer
      const audits = await count(t.db, sql`select count(*) as n from audit_log where action = 'escalation.fire' and entity_id = any(${obs}::text[])`);
      expect(audits).toBe(400);
    } finally {
      a.kill('SIGKILL');
      b.kill('SIGTERM');
      await new Promise((r) => (b.exitCode !== null ? r(null) : b.once('exit', r)));
    }
  }, 60_000);
});
