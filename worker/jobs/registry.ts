import type { Job, JobsOptions } from 'bullmq';
import type { Db } from '../../db/client.js';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import { JOB_QUEUE, type AppEvent, type JobName, type JobPayloads } from '../../platform/queues.js';
import type { FetchOptions } from '../../platform/http/fetch.js';
import type { CrawlSettings } from '../../services/crawl/crawl-source.js';
import { deliverDue } from '../../services/notifications/deliver.js';
import { publicBaseUrl, sweepAlertPushes } from '../../services/alerts/push.js';
import { sweepHandovers } from '../../services/handovers/service.js';
import { WEEKLY_CRON, WEEKLY_TZ } from '../../core/reports/period.js';
import { scheduleDueSources } from './sources.schedule.js';
import { createCrawlHandler } from './sources.crawl.js';
import { deliverNow } from './notifications.deliver.js';
import { parseQuietHours, sweepDueSteps } from './cases.sweep.js';
import { runWeeklyReport } from './reports.weekly.js';
import { runDailyBriefJob } from './reports.daily.js';
import { DAILY_BRIEF_TZ, dailyBriefCron, parseBriefTime } from '../../core/reports/daily.js';
import { AUDIT_RETENTION_CRON, AUDIT_RETENTION_TZ, runAuditRetention } from './audit.retention.js';
import { AUDIT_ANCHOR_CRON, AUDIT_ANCHOR_TZ, runAuditAnchor } from './audit.anchor.js';
import { backfillPlaces } from '../../services/places/backfill.js';

// Every job the worker runs, declared once: its handler, concurrency, schedule and retry options.
// Its queue is the one the contract gives it (JOB_QUEUE in platform/queues.ts). worker/main.ts
// builds the queues and workers from this list and refuses to start when a job that is scheduled,
// run at start or enqueued by another job has no handler. Adding a job: the payload and queue in
// platform/queues.ts, a handler in worker/jobs/<noun>.<verb>.ts, one entry below.

/** What a handler may use: one per worker process. */
export interface JobContext {
  config: Config;
  db: Db;
  logger: Logger;
  now: () => Date;
  publish: (ev: AppEvent) => Promise<void>;
  /** Adds jobs of a registered name with the options its declaration gives (a name without a handler throws). */
  enqueue: Enqueue;
  /** Aborted when the process shuts down. */
  signal: AbortSignal;
  /** DNS override (tests). */
  resolve?: FetchOptions['resolve'];
  /** Overrides of crawl settings (tests, benchmarks). */
  settings?: Partial<CrawlSettings>;
}

/**
 * `jobId`: a job of that id already in the queue (any state) swallows the new one. `dedupe`: jobs
 * of that deduplication id collapse into one while it waits; one added while it runs is kept and
 * runs after it (BullMQ deduplication with keepLastIfActive).
 */
export type Enqueue = <N extends JobName>(name: N, jobs: readonly { data: JobPayloads[N]; jobId?: string; dedupe?: string }[]) => Promise<void>;

export type JobHandler<N extends JobName> = (job: Job<JobPayloads[N], unknown, N>) => Promise<unknown>;

/** A job scheduler (BullMQ upsertJobScheduler): every N ms, or a cron pattern in a time zone. */
export type JobSchedule = { every: number } | { pattern: string; tz: string };

export interface JobDefinition<N extends JobName> {
  name: N;
  /** Builds the handler once per worker process; per-process state (caches, limiters) lives in its closure. */
  handler: (ctx: JobContext) => JobHandler<N>;
  /** Jobs run at once per process (the queue's worker takes the largest of its jobs'); default 1. */
  concurrency?: (config: Config) => number;
  schedule?: (config: Config) => JobSchedule;
  /** Retry, backoff and removal options of every job of this name (scheduled or enqueued). */
  options?: JobsOptions;
  /** Names this job's handler enqueues: each must have a handler too. */
  enqueues?: readonly JobName[];
  /** Also enqueued once when a worker starts, and again when its scheduler was lost (a catch-up). */
  runOnStart?: boolean;
  /** The log line of a failed attempt; `final-error`: error level on the last attempt, warn before. */
  failed: { message: string; level: 'warn' | 'final-error'; fields?: (data: JobPayloads[N]) => Record<string, unknown> };
}

export type AnyJobDefinition = { [N in JobName]: JobDefinition<N> }[JobName];

const job = <N extends JobName>(def: JobDefinition<N>): JobDefinition<N> => def;

/** Ticks leave nothing behind in Redis: their state is in Postgres. */
const TICK_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: 100 };
const REPORT_OPTIONS: JobsOptions = { attempts: 5, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: 50, removeOnFail: 50 };

export const JOBS: readonly AnyJobDefinition[] = [
  job({
    name: 'sources.schedule',
    handler: (ctx) => async () => scheduleDueSources(ctx.db, ctx.enqueue, ctx.now()),
    schedule: (c) => ({ every: c.SCHEDULER_TICK_MS }),
    enqueues: ['sources.crawl'],
    failed: { message: 'Schedule tick failed', level: 'warn' },
  }),
  job({
    name: 'sources.crawl',
    handler: createCrawlHandler,
    concurrency: (c) => c.CRAWL_CONCURRENCY,
    // A crawl that pushed an alert asks for its delivery at once (deduplicated), not on the next tick.
    enqueues: ['notifications.deliver'],
    options: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { age: 300, count: 10_000 }, removeOnFail: true },
    failed: { message: 'Crawl job failed', level: 'final-error', fields: (d) => ({ source_id: d.sourceId }) },
  }),
  // Escalation sweep and notification delivery: all state in Postgres, safe in every process at once.
  job({
    name: 'cases.sweep',
    handler: (ctx) => {
      const quiet = parseQuietHours(ctx.config.QUIET_HOURS);
      return async () => {
        const r = await sweepDueSteps(ctx.db, ctx.now(), { quiet, publish: ctx.publish });
        if (r.fired > 0) ctx.logger.info({ fired: r.fired, notifications: r.notifications }, 'Escalation sweep fired steps');
        return r;
      };
    },
    schedule: (c) => ({ every: c.SWEEP_INTERVAL_MS }),
    options: TICK_OPTIONS,
    failed: { message: 'Escalation sweep failed', level: 'warn' },
  }),
  // Alert pushes: catch-up of unpushed new alerts and the re-push steps, exactly once (Postgres).
  job({
    name: 'alerts.sweep',
    handler: (ctx) => async () => {
      const r = await sweepAlertPushes(ctx.db, ctx.now(), publicBaseUrl(ctx.config), { publish: ctx.publish });
      if (r.planned + r.repushed > 0) ctx.logger.info({ planned: r.planned, repushed: r.repushed }, 'Alert push sweep');
      if (r.planned + r.repushed > 0) await deliverNow(ctx.enqueue); // sent now, not on the next tick
      return r;
    },
    enqueues: ['notifications.deliver'],
    schedule: (c) => ({ every: c.SWEEP_INTERVAL_MS }),
    options: TICK_OPTIONS,
    failed: { message: 'Alert push sweep failed', level: 'warn' },
  }),
  // 交接班: a handover not accepted 30 minutes into the next shift (or never written) is reported
  // to the leader on duty, once per shift (Postgres holds who was told).
  job({
    name: 'handovers.sweep',
    handler: (ctx) => async () => {
      const r = await sweepHandovers(ctx.db, ctx.now(), { publish: ctx.publish });
      if (r.notified > 0) {
        ctx.logger.info({ notified: r.notified }, 'Handover sweep told the leader on duty');
        await ctx.enqueue('notifications.deliver', [{ data: {} }]);
      }
      return r;
    },
    enqueues: ['notifications.deliver'],
    schedule: (c) => ({ every: c.SWEEP_INTERVAL_MS }),
    options: TICK_OPTIONS,
    failed: { message: 'Handover sweep failed', level: 'warn' },
  }),
  job({
    name: 'notifications.deliver',
    handler: (ctx) => async () => deliverDue(ctx.db, ctx.now(), { smtpUrl: ctx.config.SMTP_URL, smtpFrom: ctx.config.SMTP_FROM, resolve: ctx.resolve }),
    schedule: (c) => ({ every: c.DELIVER_INTERVAL_MS }),
    options: TICK_OPTIONS,
    failed: { message: 'Notification delivery tick failed', level: 'warn' },
  }),
  // The weekly notice: once per week in Postgres (unique (kind, period)), whichever worker runs it.
  // A worker that was down at Monday 08:30 makes the due week's notice when it starts.
  job({
    name: 'reports.weekly',
    handler: (ctx) => async () => {
      const r = await runWeeklyReport(ctx.db, ctx.now());
      if (r.created) ctx.logger.info({ report_id: r.id, period: r.period }, 'Weekly notice generated');
      return r;
    },
    schedule: () => ({ pattern: WEEKLY_CRON, tz: WEEKLY_TZ }),
    options: REPORT_OPTIONS,
    runOnStart: true,
    failed: { message: 'Weekly notice failed', level: 'final-error' },
  }),
  // The 舆情日报: every working day at DAILY_BRIEF_TIME (Asia/Shanghai), once per day in Postgres
  // (unique day); the scheduler fires daily and the handler skips days off. A worker that was down
  // at that time makes the day's brief when it starts, later that day.
  job({
    name: 'reports.daily',
    handler: (ctx) => async () => {
      const r = await runDailyBriefJob(ctx.db, ctx.now(), ctx.config.DAILY_BRIEF_TIME, ctx.publish);
      if (r.created) {
        ctx.logger.info({ brief_id: r.id, day: r.day }, 'Daily brief generated');
        await ctx.enqueue('notifications.deliver', [{ data: {} }]);
      }
      return { day: r.day, id: r.id, created: r.created };
    },
    enqueues: ['notifications.deliver'],
    schedule: (c) => ({ pattern: dailyBriefCron(parseBriefTime(c.DAILY_BRIEF_TIME) ?? 480), tz: DAILY_BRIEF_TZ }),
    options: REPORT_OPTIONS,
    runOnStart: true,
    failed: { message: 'Daily brief failed', level: 'final-error' },
  }),
  job({
    name: 'audit.retention',
    handler: (ctx) => async () => {
      const r = await runAuditRetention(ctx.db, ctx.now(), ctx.config.AUDIT_RETENTION_DAYS);
      if (r.removed > 0) ctx.logger.info({ removed: r.removed, cutoff: r.cutoff }, 'Audit log retention removed old rows');
      return r;
    },
    schedule: () => ({ pattern: AUDIT_RETENTION_CRON, tz: AUDIT_RETENTION_TZ }),
    options: REPORT_OPTIONS,
    failed: { message: 'Audit log retention failed', level: 'final-error' },
  }),
  // The audit chain's head, appended to a file outside Postgres (also `npm run audit-anchor`).
  job({
    name: 'audit.anchor',
    handler: (ctx) => async () => {
      const a = await runAuditAnchor(ctx.db, ctx.config.DATA_DIR, ctx.now());
      ctx.logger.info({ row_id: a.rowId, count: a.count, file: a.file }, 'Audit chain anchored');
      return a;
    },
    schedule: () => ({ pattern: AUDIT_ANCHOR_CRON, tz: AUDIT_ANCHOR_TZ }),
    options: REPORT_OPTIONS,
    failed: { message: 'Audit chain anchor failed', level: 'final-error' },
  }),
  // 地域 back-fill after a 辖区 save: items of an older area version, newest first, for at most
  // 20 seconds a tick (resumable: state in Postgres); at once when a worker starts.
  job({
    name: 'places.backfill',
    handler: (ctx) => async () => {
      const r = await backfillPlaces(ctx.db, { budgetMs: 20_000 });
      if (r.updated > 0) ctx.logger.info({ updated: r.updated, finished: r.finished }, 'Places back-fill');
      return r;
    },
    schedule: (c) => ({ every: c.SWEEP_INTERVAL_MS }),
    options: TICK_OPTIONS,
    runOnStart: true,
    failed: { message: 'Places back-fill failed', level: 'warn' },
  }),
];

/** The queue a job runs on: the contract's. */
export const queueOf = (name: JobName): string => JOB_QUEUE[name];

/**
 * Throws unless every declared job is in the queue contract, declared once and has a handler, and
 * every job another one enqueues is declared too (immich's "Failed to find job handler").
 */
export function checkRegistry(jobs: readonly AnyJobDefinition[]): void {
  const declared = new Set<string>();
  for (const def of jobs) {
    if (!Object.hasOwn(JOB_QUEUE, def.name)) throw new Error(`Job "${def.name}" is not in the queue contract (platform/queues.ts JOB_QUEUE)`);
    if (declared.has(def.name)) throw new Error(`Job "${def.name}" is declared twice in the job registry`);
    if (typeof def.handler !== 'function') throw new Error(`Failed to find job handler for "${def.name}"${def.schedule ? ' (scheduled)' : ''}`);
    declared.add(def.name);
  }
  for (const def of jobs) {
    for (const name of def.enqueues ?? []) {
      if (!declared.has(name)) throw new Error(`Failed to find job handler for "${name}" (enqueued by ${def.name})`);
    }
  }
}
