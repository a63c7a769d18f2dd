import { setMaxListeners } from 'node:events';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { eventsChannel, type AppEvent, type JobName } from '../platform/queues.js';
import type { CrawlSettings } from '../services/crawl/crawl-source.js';
import type { FetchOptions } from '../platform/http/fetch.js';
import { JOBS, checkRegistry, queueOf, type AnyJobDefinition, type Enqueue, type JobContext } from './jobs/registry.js';

export { crawlSettings } from './jobs/sources.crawl.js';

export interface WorkerOptions {
  config: Config;
  db: Db;
  redisUrl: string;
  logger: Logger;
  now?: () => Date;
  /** DNS override (tests). */
  resolve?: FetchOptions['resolve'];
  /** Overrides of crawl settings (tests, benchmarks). */
  settings?: Partial<CrawlSettings>;
  /** The jobs to run (tests); default: the registry, worker/jobs/registry.ts. */
  jobs?: readonly AnyJobDefinition[];
}

export interface RunningWorker {
  /** The queues of the registry's jobs, by queue name. */
  queues: ReadonlyMap<string, Queue>;
  /** Adds jobs as the handlers do (JobContext.enqueue): tests, benchmarks. */
  enqueue: Enqueue;
  /** Waits for in-flight jobs to finish, then closes every connection. */
  close(): Promise<void>;
}

type RunJob = (job: Job) => Promise<unknown>;

/**
 * Starts a worker for every queue of the job registry, and its job schedulers, in this process.
 * Run as many as you like. Rejects before connecting when a job lacks a handler.
 */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const { config, db, logger } = opts;
  const jobs = opts.jobs ?? JOBS;
  checkRegistry(jobs);
  const byName = new Map<string, AnyJobDefinition>(jobs.map((def) => [def.name, def]));
  const now = opts.now ?? (() => new Date());
  const prefix = config.QUEUE_PREFIX;
  const connections: Redis[] = [];
  const connection = () => {
    const c = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
    c.on('error', () => {});
    connections.push(c);
    return c;
  };
  const publisher = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1 });
  publisher.on('error', () => {});
  const queueConn = connection();
  const queues = new Map<string, Queue>();
  const queueFor = (name: JobName): Queue => {
    const q = queues.get(queueOf(name));
    if (!q) throw new Error(`Queue "${queueOf(name)}" of job "${name}" was not built`);
    return q;
  };
  for (const def of jobs) {
    const name = queueOf(def.name);
    if (queues.has(name)) continue;
    const q = new Queue(name, { connection: queueConn, prefix });
    q.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'Queue error'));
    queues.set(name, q);
  }

  const enqueue: Enqueue = async (name, items) => {
    const def = byName.get(name);
    if (!def) throw new Error(`Failed to find job handler for "${name}"`);
    if (items.length === 0) return;
    await queueFor(name).addBulk(
      items.map((it) => ({
        name,
        data: it.data,
        opts: {
          ...def.options,
          ...(it.jobId ? { jobId: it.jobId } : {}),
          ...(it.dedupe ? { deduplication: { id: it.dedupe, keepLastIfActive: true } } : {}),
        },
      })),
    );
  };
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // every in-flight fetch listens to it
  const publish = async (ev: AppEvent) => {
    await publisher.publish(eventsChannel(prefix), JSON.stringify(ev));
  };
  const ctx: JobContext = { config, db, logger, now, publish, enqueue, signal: shutdown.signal, resolve: opts.resolve, settings: opts.settings };
  const handlers = new Map<string, RunJob>(jobs.map((def) => [def.name, def.handler(ctx) as RunJob]));

  const workers = [...queues.keys()].map((queue) => {
    const own = jobs.filter((def) => queueOf(def.name) === queue);
    const w = new Worker(
      queue,
      async (job: Job) => {
        const run = byName.has(job.name) && queueOf(job.name as JobName) === queue ? handlers.get(job.name) : undefined;
        // An unknown name fails for good instead of running some other job of the queue.
        if (!run) throw new UnrecoverableError(`Failed to find job handler for "${job.name}" on queue "${queue}"`);
        return run(job);
      },
      { connection: connection(), prefix, concurrency: Math.max(...own.map((def) => def.concurrency?.(config) ?? 1)) },
    );
    w.on('failed', (job, err) => logFailure(logger, byName, queue, job, err));
    w.on('error', (err) => logger.warn({ queue, err: err.message }, 'Worker error'));
    return w;
  });

  const scheduled = jobs.filter((def) => def.schedule);
  const assertAll = async () => {
    for (const def of scheduled) {
      const template = def.options ? { name: def.name, data: {}, opts: def.options } : { name: def.name, data: {} };
      await queueFor(def.name).upsertJobScheduler(def.name, def.schedule!(config), template);
    }
  };
  // Catch-up: no fixed job id (Redis may remember a finished catch-up of a database since reset).
  const catchUp = async () => {
    for (const def of jobs) if (def.runOnStart) await enqueue(def.name, [{ data: {} as never }]);
  };
  await assertAll();
  await catchUp();
  // After a Redis flush the job schedulers themselves are gone: re-assert them periodically.
  const reassert = setInterval(() => {
    assertAll().catch((err) => logger.warn({ err: err.message }, 'Could not assert job scheduler'));
  }, Math.max(10_000, Math.min(config.SCHEDULER_TICK_MS * 3, config.SWEEP_INTERVAL_MS)));
  reassert.unref();
  // Within a tick of a flush (or of Redis restarting empty): a cheap look every half tick; when the
  // schedulers are gone, rebuild them and run the catch-ups again, since the flush may have taken a
  // due job with it (the weekly notice is made once per week in Postgres anyway).
  let watching = false;
  const watch = setInterval(() => {
    if (watching) return;
    watching = true;
    (async () => {
      const present = await Promise.all(scheduled.map((def) => queueFor(def.name).getJobScheduler(def.name)));
      if (present.every(Boolean)) return;
      logger.warn('Job schedulers missing from Redis (flushed or restarted empty): rebuilding them');
      await assertAll();
      await catchUp();
    })()
      .catch((err) => logger.warn({ err: err.message }, 'Could not check job schedulers'))
      .finally(() => {
        watching = false;
      });
  }, Math.max(200, Math.min(config.SCHEDULER_TICK_MS, config.SWEEP_INTERVAL_MS) / 2));
  watch.unref();
  logger.info({ concurrency: config.CRAWL_CONCURRENCY, prefix, jobs: jobs.map((def) => def.name) }, 'Worker started');

  return {
    queues,
    enqueue,
    async close() {
      clearInterval(reassert);
      clearInterval(watch);
      // In-flight fetches stop now; their jobs return to the queue and run again after restart.
      shutdown.abort();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      for (const c of connections) c.disconnect();
      publisher.disconnect();
    },
  };
}

function logFailure(logger: Logger, byName: Map<string, AnyJobDefinition>, queue: string, job: Job | undefined, err: Error): void {
  const def = job ? byName.get(job.name) : undefined;
  if (!def || !job) {
    logger.error({ queue, job: job?.name, err: err.message }, 'Job failed');
    return;
  }
  const final = job.attemptsMade >= (job.opts.attempts ?? 1);
  const level = def.failed.level === 'final-error' && final ? 'error' : 'warn';
  const fields = (def.failed.fields as ((data: unknown) => Record<string, unknown>) | undefined)?.(job.data) ?? {};
  logger[level]({ ...fields, attempt: job.attemptsMade, err: err.message }, def.failed.message);
}
