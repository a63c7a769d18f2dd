import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEEKLY_CRON, WEEKLY_TZ } from '../../core/reports/period.js';
import { createDb } from '../../db/client.js';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { runWeeklyReport } from '../../worker/jobs/reports.weekly.js';
import { startWorker, type RunningWorker } from '../../worker/main.js';
import { QUEUES } from '../../platform/queues.js';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { redisUrl } from '../helpers/env.js';

// reports.weekly: one notice per week however many workers run it, at once or after a restart.

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
let t: TestDb;
let redis: Redis;
const prefix = testPrefix('repjob');

beforeAll(async () => {
  t = await createTestDb('repjob');
  redis = new Redis(redisUrl());
  const d = await t.db.insertInto('departments').values({ name: '市水务局' }).returning('id').executeTakeFirstOrThrow();
  const c = await t.db
    .insertInto('cases')
    .values({ number: 'YQ-2026-0001', title: '停水', level: 'general', category: 'difficulty', lead_department_id: d.id, clock_started_at: sh('2026-11-10 09:00'), opened_at: sh('2026-11-10 09:00') })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.insertInto('obligations').values({ case_id: c.id, kind: 'response', window_hours: 48, started_at: sh('2026-11-10 09:00'), due_at: sh('2026-11-12 09:00') }).execute();
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await t?.drop();
});

const count = async (period: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from reports where kind = 'weekly' and period = ${period}`.execute(t.db)).rows[0].n;
const audits = async () => (await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'report.generate'`.execute(t.db)).rows[0].n;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('reports.weekly', () => {
  it('two handlers racing (separate connection pools) make one notice; a re-run after a restart makes none', async () => {
    const monday = sh('2026-11-23 08:30');
    const other = createDb(t.url, { max: 3 });
    try {
      const results = await Promise.all([runWeeklyReport(t.db, monday), runWeeklyReport(other, monday), runWeeklyReport(t.db, monday), runWeeklyReport(other, monday)]);
      expect(results.map((r) => r.period)).toEqual(['2026-W47', '2026-W47', '2026-W47', '2026-W47']);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      const again = await runWeeklyReport(other, new Date(monday.getTime() + 3_600_000));
      expect(again).toMatchObject({ created: false, id: results[0].id, period: '2026-W47' });
    } finally {
      await other.destroy();
    }
    expect(await count('2026-W47')).toBe(1);
    expect(await audits()).toBe(1);
    const row = await sql<{ figures: any; generated_by: number | null }>`select figures, generated_by from reports where period = '2026-W47'`.execute(t.db);
    expect(row.rows[0].generated_by).toBeNull();
    expect(row.rows[0].figures.overview).toMatchObject({ judged: 0 });
  });

  it('workers register the Monday 08:30 Asia/Shanghai scheduler, catch up on start, and still make one notice across a restart', async () => {
    const config = loadConfig({ QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' });
    const logger = createLogger('silent', 'test');
    const now = () => sh('2026-11-30 10:00'); // week 48 is due
    let workers: RunningWorker[] = await Promise.all([1, 2].map(() => startWorker({ config, db: t.db, redisUrl: redisUrl(), logger, now })));
    const queue = new Queue(QUEUES.reports, { connection: redis.duplicate(), prefix });
    try {
      const s = await queue.getJobScheduler('reports.weekly');
      expect(s).toMatchObject({ name: 'reports.weekly', pattern: WEEKLY_CRON, tz: WEEKLY_TZ });
      expect(WEEKLY_CRON).toBe('30 8 * * 1');
      // Its next run is a Monday 08:30 in Shanghai (00:30 UTC).
      const next = new Date(s!.next!);
      expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 0, 30]);
      expect(next.getTime()).toBeGreaterThan(Date.now());
      expect(next.getTime()).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
      await waitFor('the catch-up notice', async () => (await count('2026-W48')) === 1);
      await Promise.all(workers.map((w) => w.close()));
      // Restart (Redis emptied too): the catch-up runs again and finds the notice made.
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      workers = await Promise.all([1, 2].map(() => startWorker({ config, db: t.db, redisUrl: redisUrl(), logger, now })));
      await waitFor('the catch-up job to finish', async () => (await queue.getCompletedCount()) >= 1);
      expect((await queue.getJobScheduler('reports.weekly'))?.pattern).toBe(WEEKLY_CRON);
      expect(await count('2026-W48')).toBe(1);
      expect(await audits()).toBe(2); // W47 above and W48 here, once each
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await queue.close();
    }
  }, 60_000);
});
