import { setMaxListeners } from 'node:events';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { QUEUES, eventsChannel, type AppEvent, type JobPayloads } from '../platform/queues.js';
import { crawlSource, type CrawlSettings } from '../services/crawl/crawl-source.js';
import { HostLimiter } from '../platform/http/host-limiter.js';
import { RuleCache, cached } from '../services/crawl/rules-cache.js';
import { loadAllowlist } from '../db/repos/crawl-state.js';
import { scheduleDueSources } from './jobs/sources.schedule.js';
import { parseQuietHours, sweepDueSteps } from './jobs/cases.sweep.js';
import { deliverDue } from '../services/notifications/deliver.js';
import { runWeeklyReport } from './jobs/reports.weekly.js';
import { AUDIT_RETENTION_CRON, AUDIT_RETENTION_TZ, runAuditRetention } from './jobs/audit.retention.js';
import { WEEKLY_CRON, WEEKLY_TZ } from '../core/reports/period.js';
import type { FetchOptions } from '../platform/http/fetch.js';

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
  const sweepQueue = new Queue(QUEUES.sweep, { connection: queueConn, prefix });
  const deliverQueue = new Queue(QUEUES.deliver, { connection: queueConn, prefix });
  sweepQueue.on('error', (err) => logger.warn({ err: err.message }, 'Sweep queue error'));
  deliverQueue.on('error', (err) => logger.warn({ err: err.message }, 'Deliver queue error'));
  const reportsQueue = new Queue(QUEUES.reports, { connection: queueConn, prefix });
  reportsQueue.on('error', (err) => logger.warn({ err: err.message }, 'Reports queue error'));

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

  // Escalation sweep and notification delivery: all state in Postgres, safe in every process at once.
  const quiet = parseQuietHours(config.QUIET_HOURS);
  const sweepWorker = new Worker(
    QUEUES.sweep,
    async () => {
      const r = await sweepDueSteps(db, now(), { quiet, publish });
      if (r.fired > 0) logger.info({ fired: r.fired, notifications: r.notifications }, 'Escalation sweep fired steps');
      return r;
    },
    { connection: connection(), prefix, concurrency: 1 },
  );
  sweepWorker.on('failed', (_job, err) => logger.warn({ err: err.message }, 'Escalation sweep failed'));
  sweepWorker.on('error', (err) => logger.warn({ err: err.message }, 'Sweep worker error'));
  const deliverWorker = new Worker(
    QUEUES.deliver,
    async () => deliverDue(db, now(), { smtpUrl: config.SMTP_URL, smtpFrom: config.SMTP_FROM, resolve: opts.resolve }),
    { connection: connection(), prefix, concurrency: 1 },
  );
  deliverWorker.on('failed', (_job, err) => logger.warn({ err: err.message }, 'Notification delivery tick failed'));
  deliverWorker.on('error', (err) => logger.warn({ err: err.message }, 'Deliver worker error'));
  // The weekly notice: once per week in Postgres (unique (kind, period)), whichever worker runs it.
  const reportsWorker = new Worker(
    QUEUES.reports,
    async (job) => {
      if (job.name === 'audit.retention') {
        const r = await runAuditRetention(db, now(), config.AUDIT_RETENTION_DAYS);
        if (r.removed > 0) logger.info({ removed: r.removed, cutoff: r.cutoff }, 'Audit log retention removed old rows');
        return r;
      }
      const r = await runWeeklyReport(db, now());
      if (r.created) logger.info({ report_id: r.id, period: r.period }, 'Weekly notice generated');
      return r;
    },
    { connection: connection(), prefix, concurrency: 1 },
  );
  reportsWorker.on('failed', (job, err) => {
    const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1);
    logger[final ? 'error' : 'warn']({ attempt: job?.attemptsMade, err: err.message }, 'Weekly notice failed');
  });
  reportsWorker.on('error', (err) => logger.warn({ err: err.message }, 'Reports worker error'));

  // Ticks leave nothing behind in Redis: their state is in Postgres.
  const tickJobOpts = { removeOnComplete: true, removeOnFail: 100 };
  const reportJobOpts = { attempts: 5, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: 50, removeOnFail: 50 };
  const assertAll = async () => {
    await ensureSchedulers(scheduleQueue, config.SCHEDULER_TICK_MS);
    await sweepQueue.upsertJobScheduler('cases.sweep', { every: config.SWEEP_INTERVAL_MS }, { name: 'cases.sweep', data: {}, opts: tickJobOpts });
    await deliverQueue.upsertJobScheduler('notifications.deliver', { every: config.DELIVER_INTERVAL_MS }, { name: 'notifications.deliver', data: {}, opts: tickJobOpts });
    await reportsQueue.upsertJobScheduler('reports.weekly', { pattern: WEEKLY_CRON, tz: WEEKLY_TZ }, { name: 'reports.weekly', data: {}, opts: reportJobOpts });
    await reportsQueue.upsertJobScheduler('audit.retention', { pattern: AUDIT_RETENTION_CRON, tz: AUDIT_RETENTION_TZ }, { name: 'audit.retention', data: {}, opts: reportJobOpts });
  };
  await assertAll();
  // Catch-up: a worker that was down at Monday 08:30 makes the due week's notice when it starts
  // (a no-op when it exists: the notice is unique per period in Postgres). No fixed job id: Redis
  // may remember a finished catch-up of a database that has since been reset.
  await reportsQueue.add('reports.weekly', {}, reportJobOpts);
  // After a Redis flush the job schedulers themselves are gone: re-assert them periodically.
  const reassert = setInterval(() => {
    assertAll().catch((err) => logger.warn({ err: err.message }, 'Could not assert job scheduler'));
  }, Math.max(10_000, Math.min(config.SCHEDULER_TICK_MS * 3, config.SWEEP_INTERVAL_MS)));
  reassert.unref();
  // Within a tick of a flush (or of Redis restarting empty): a cheap look every half tick; when the
  // schedulers are gone, rebuild them and run the weekly catch-up again, since the flush may have
  // taken a due Monday 08:30 job with it (the notice is made once per week in Postgres anyway).
  let watching = false;
  const watch = setInterval(() => {
    if (watching) return;
    watching = true;
    (async () => {
      const present = await Promise.all([
        scheduleQueue.getJobScheduler('sources.schedule'),
        sweepQueue.getJobScheduler('cases.sweep'),
        reportsQueue.getJobScheduler('reports.weekly'),
      ]);
      if (present.every(Boolean)) return;
      logger.warn('Job schedulers missing from Redis (flushed or restarted empty): rebuilding them');
      await assertAll();
      await reportsQueue.add('reports.weekly', {}, reportJobOpts);
    })()
      .catch((err) => logger.warn({ err: err.message }, 'Could not check job schedulers'))
      .finally(() => {
        watching = false;
      });
  }, Math.max(200, Math.min(config.SCHEDULER_TICK_MS, config.SWEEP_INTERVAL_MS) / 2));
  watch.unref();
  logger.info({ concurrency: config.CRAWL_CONCURRENCY, prefix }, 'Worker started');

  return {
    crawlQueue,
    async close() {
      clearInterval(reassert);
      clearInterval(watch);
      // In-flight fetches stop now; their jobs return to the queue and run again after restart.
      shutdown.abort();
      await Promise.all([crawlWorker.close(), scheduleWorker.close(), sweepWorker.close(), deliverWorker.close(), reportsWorker.close()]);
      await Promise.all([crawlQueue.close(), scheduleQueue.close(), sweepQueue.close(), deliverQueue.close(), reportsQueue.close()]);
      for (const c of connections) c.disconnect();
      publisher.disconnect();
    },
  };
}

async function ensureSchedulers(scheduleQueue: Queue, tickMs: number): Promise<void> {
  await scheduleQueue.upsertJobScheduler('sources.schedule', { every: tickMs }, { name: 'sources.schedule', data: {} });
}
