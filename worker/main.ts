import { setMaxListeners } from 'node:events';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import type { Config } from '../server/config.js';
import type { Logger } from '../server/logger.js';
import { QUEUES, eventsChannel, type AppEvent, type JobPayloads } from './queues.js';
import { crawlSource, type CrawlSettings } from './crawl/crawl-source.js';
import { HostLimiter } from './crawl/host-limiter.js';
import { RuleCache, cached } from './rules-cache.js';
import { loadAllowlist } from '../db/repos/crawl-state.js';
import { scheduleDueSources } from './jobs/sources.schedule.js';
import type { FetchOptions } from './crawl/fetch.js';

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
}

export interface RunningWorker {
  crawlQueue: Queue;
  /** Waits for in-flight jobs to finish, then closes every connection. */
  close(): Promise<void>;
}

export function crawlSettings(config: Config): CrawlSettings {
  return {
    timeoutMs: config.CRAWL_TIMEOUT_MS,
    connectTimeoutMs: config.CRAWL_CONNECT_TIMEOUT_MS,
    maxBytes: config.CRAWL_MAX_BYTES,
    maxRedirects: config.CRAWL_MAX_REDIRECTS,
    userAgent: config.USER_AGENT,
    backoffMaxS: config.CRAWL_BACKOFF_MAX_S,
    leaseMs: Math.max(60_000, config.CRAWL_TIMEOUT_MS * 12),
    maxDetailPages: 20,
  };
}

/** Starts the crawl worker and the scheduler tick in this process. Run as many as you like. */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const { config, db, logger } = opts;
  const now = opts.now ?? (() => new Date());
  const connections: Redis[] = [];
  const connection = () => {
    const c = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
    c.on('error', () => {});
    connections.push(c);
    return c;
  };
  const prefix = config.QUEUE_PREFIX;
  const publisher = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1 });
  publisher.on('error', () => {});
  const queueConn = connection();
  const crawlQueue = new Queue(QUEUES.crawl, {
    connection: queueConn,
    prefix,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: { age: 300, count: 10_000 },
      removeOnFail: true,
    },
  });
  const scheduleQueue = new Queue(QUEUES.schedule, { connection: queueConn, prefix });
  crawlQueue.on('error', (err) => logger.warn({ err: err.message }, 'Crawl queue error'));
  scheduleQueue.on('error', (err) => logger.warn({ err: err.message }, 'Schedule queue error'));

  const settings = { ...crawlSettings(config), ...opts.settings };
  const limiter = new HostLimiter({ perHost: config.CRAWL_PER_HOST_CONCURRENCY, minDelayMs: config.CRAWL_HOST_DELAY_MS });
  const rules = new RuleCache(db);
  const allowlist = cached(() => loadAllowlist(db), 2000);
  const publish = async (ev: AppEvent) => {
    await publisher.publish(eventsChannel(prefix), JSON.stringify(ev));
  };
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // every in-flight fetch listens to it
  const deps = { db, logger, settings, limiter, rules, allowlist, publish, now, resolve: opts.resolve, signal: shutdown.signal };

  const crawlWorker = new Worker<JobPayloads['sources.crawl']>(
    QUEUES.crawl,
    async (job: Job<JobPayloads['sources.crawl']>) => crawlSource(deps, job.data.sourceId, job.id ?? `crawl-${job.data.sourceId}`),
    { connection: connection(), prefix, concurrency: config.CRAWL_CONCURRENCY },
  );
  crawlWorker.on('failed', (job, err) => {
    const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1);
    logger[final ? 'error' : 'warn']({ source_id: job?.data.sourceId, attempt: job?.attemptsMade, err: err.message }, 'Crawl job failed');
  });
  crawlWorker.on('error', (err) => logger.warn({ err: err.message }, 'Crawl worker error'));

  const scheduleWorker = new Worker(
    QUEUES.schedule,
    async () => scheduleDueSources(db, crawlQueue, now()),
    { connection: connection(), prefix, concurrency: 1 },
  );
  scheduleWorker.on('failed', (_job, err) => logger.warn({ err: err.message }, 'Schedule tick failed'));
  scheduleWorker.on('error', (err) => logger.warn({ err: err.message }, 'Schedule worker error'));

  await ensureSchedulers(scheduleQueue, config.SCHEDULER_TICK_MS);
  // After a Redis flush the job scheduler itself is gone: re-assert it periodically.
  const reassert = setInterval(() => {
    ensureSchedulers(scheduleQueue, config.SCHEDULER_TICK_MS).catch((err) => logger.warn({ err: err.message }, 'Could not assert job scheduler'));
  }, Math.max(10_000, config.SCHEDULER_TICK_MS * 3));
  reassert.unref();
  logger.info({ concurrency: config.CRAWL_CONCURRENCY, prefix }, 'Worker started');

  return {
    crawlQueue,
    async close() {
      clearInterval(reassert);
      // In-flight fetches stop now; their jobs return to the queue and run again after restart.
      shutdown.abort();
      await Promise.all([crawlWorker.close(), scheduleWorker.close()]);
      await Promise.all([crawlQueue.close(), scheduleQueue.close()]);
      for (const c of connections) c.disconnect();
      publisher.disconnect();
    },
  };
}

async function ensureSchedulers(scheduleQueue: Queue, tickMs: number): Promise<void> {
  await scheduleQueue.upsertJobScheduler('sources.schedule', { every: tickMs }, { name: 'sources.schedule', data: {} });
}
