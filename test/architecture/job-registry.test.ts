import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../platform/config.js';
import { JOB_QUEUE, QUEUES } from '../../platform/queues.js';
import { startWorker } from '../../worker/main.js';
import { JOBS, queueOf, type AnyJobDefinition } from '../../worker/jobs/registry.js';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { redisUrl } from '../helpers/env.js';
import { silentLogger } from '../helpers/crawl.js';

// The worker is built from worker/jobs/registry.ts: it refuses to start on a job without a handler,
// and a job of an unknown name fails for good instead of running another job of its queue.

let t: TestDb;
const redis = new Redis(redisUrl());
const prefix = testPrefix('jobreg');
const config = loadConfig({ QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' });

beforeAll(async () => {
  t = await createTestDb('jobreg');
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await t?.drop();
});

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('the job registry', () => {
  it('declares every job of the queue contract once, on its own queue', () => {
    expect(JOBS.map((d) => d.name).sort()).toEqual(Object.keys(JOB_QUEUE).sort());
    expect(JOBS.map((d) => d.name)).toEqual(expect.arrayContaining(['sources.schedule', 'sources.crawl', 'cases.sweep', 'notifications.deliver', 'reports.weekly', 'audit.retention']));
    expect(Object.fromEntries(JOBS.map((d) => [d.name, queueOf(d.name)]))).toMatchObject({ 'reports.weekly': QUEUES.reports, 'sources.crawl': QUEUES.crawl });
  });

  it('refuses to start when an enqueued job has no handler, before touching Redis', async () => {
    const jobs = JOBS.filter((d) => d.name !== 'sources.crawl');
    await expect(startWorker({ config, db: t.db, redisUrl: redisUrl(), logger: silentLogger, jobs })).rejects.toThrow(
      'Failed to find job handler for "sources.crawl" (enqueued by sources.schedule)',
    );
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });

  it('refuses to start when a scheduled job is declared without a handler', async () => {
    const jobs = JOBS.map((d) => (d.name === 'reports.weekly' ? ({ ...d, handler: undefined } as unknown as AnyJobDefinition) : d));
    await expect(startWorker({ config, db: t.db, redisUrl: redisUrl(), logger: silentLogger, jobs })).rejects.toThrow(
      'Failed to find job handler for "reports.weekly" (scheduled)',
    );
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });

  it('fails a job of an unknown name, or of a job of another queue, at once, and runs nothing else', async () => {
    const ran: string[] = [];
    // sources.crawl enqueues notifications.deliver: declared too (unscheduled, so it never runs here).
    const spied = JOBS.filter((d) => queueOf(d.name) === QUEUES.reports || d.name === 'sources.crawl' || d.name === 'notifications.deliver').map(
      (d) => ({ ...d, ...(d.name === 'notifications.deliver' ? { schedule: undefined } : {}), handler: () => async () => void ran.push(d.name) }) as AnyJobDefinition,
    );
    const worker = await startWorker({ config, db: t.db, redisUrl: redisUrl(), logger: silentLogger, jobs: spied });
    const queue = new Queue(QUEUES.reports, { connection: redis.duplicate(), prefix });
    try {
      await waitFor('the weekly and daily catch-ups', () => ran.length === 2);
      expect([...ran].sort()).toEqual(['reports.daily', 'reports.weekly']);
      const unknown = await queue.add('reports.monthly', {}, { attempts: 3 });
      const misplaced = await queue.add('sources.crawl', { sourceId: 1, slot: 0 }, { attempts: 3 });
      const failed = async (id: string | undefined) => (await Job.fromId(queue, id!))?.getState();
      await waitFor('both jobs to fail', async () => (await failed(unknown.id)) === 'failed' && (await failed(misplaced.id)) === 'failed');
      const a = await Job.fromId(queue, unknown.id!);
      const b = await Job.fromId(queue, misplaced.id!);
      expect(a?.failedReason).toBe('Failed to find job handler for "reports.monthly" on queue "reports"');
      expect(b?.failedReason).toBe('Failed to find job handler for "sources.crawl" on queue "reports"');
      expect([a?.attemptsMade, b?.attemptsMade]).toEqual([1, 1]); // not retried
      expect([...ran].sort()).toEqual(['reports.daily', 'reports.weekly']);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
