// THE contract between server and worker: queue names, job names and payloads, event shapes.
// The server imports only this file from worker/.

export const QUEUES = {
  crawl: 'crawl',
  schedule: 'schedule',
  /** Periodic escalation sweep (cases.sweep) and notification delivery (notifications.deliver). */
  sweep: 'sweep',
  deliver: 'deliver',
  /** Scheduled report generation (reports.weekly) and the daily audit-log retention (audit.retention). */
  reports: 'reports',
  /** The 地域 back-fill after the 辖区 is saved (places.backfill): long batches of its own, never holding up a sweep. */
  backfill: 'backfill',
} as const;

export interface JobPayloads {
  /** Crawl one source once. `slot` is the scheduled time (ms) the job was enqueued for. */
  'sources.crawl': { sourceId: number; slot: number };
  /** Tick: enqueue every source whose next_fetch_at has passed. */
  'sources.schedule': Record<string, never>;
  /** Tick: fire every escalation step that is due (state in Postgres; safe to run anywhere, any number of times). */
  'cases.sweep': Record<string, never>;
  /** Tick: push new alerts the crawl did not, and re-push unacknowledged ones to the backup and the leader on duty (state in Postgres). */
  'alerts.sweep': Record<string, never>;
  /** Tick: a shift handover not accepted 30 minutes into the next shift notifies the leader on duty, once (state in Postgres). */
  'handovers.sweep': Record<string, never>;
  /** Tick: send every notification delivery (e-mail, webhook) whose next attempt is due. */
  'notifications.deliver': Record<string, never>;
  /** Generate the weekly notice that is due (previous ISO week from Monday 08:30 Asia/Shanghai); once per week in Postgres. */
  'reports.weekly': Record<string, never>;
  /** Make today's 舆情日报 when it is a working day and its time (DAILY_BRIEF_TIME) has come; once per day in Postgres. */
  'reports.daily': Record<string, never>;
  /** Daily: remove audit rows older than AUDIT_RETENTION_DAYS (the hash chain stays verifiable). */
  'audit.retention': Record<string, never>;
  /** Daily, and on demand: append the audit chain's head to the anchor file outside the database. */
  'audit.anchor': Record<string, never>;
  /** Tick: find the places (地域) of items stored under an older 辖区 again, newest first, for a bounded time (state in Postgres). */
  'places.backfill': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, (typeof QUEUES)[keyof typeof QUEUES]> = {
  'sources.crawl': QUEUES.crawl,
  'sources.schedule': QUEUES.schedule,
  'cases.sweep': QUEUES.sweep,
  'alerts.sweep': QUEUES.sweep,
  'handovers.sweep': QUEUES.sweep,
  'notifications.deliver': QUEUES.deliver,
  'reports.weekly': QUEUES.reports,
  'reports.daily': QUEUES.reports,
  'audit.retention': QUEUES.reports,
  'audit.anchor': QUEUES.reports,
  'places.backfill': QUEUES.backfill,
};

/** BullMQ refuses ':' in custom ids. One id per source and slot dedupes concurrent schedulers. */
export function crawlJobId(sourceId: number, slot: number): string {
  return `crawl-${sourceId}-${slot}`;
}

/** Events published on Redis pub/sub and relayed to browsers over SSE. Ids only; clients re-read. */
export type AppEvent =
  | { type: 'alert.created'; alertId: string; storyId: string }
  | { type: 'alert.updated'; alertId: string; storyId: string }
  | { type: 'source.updated'; sourceId: number }
  /** Only relayed to the SSE streams of that user. */
  | { type: 'notification.created'; userId: number; notificationId: string }
  | { type: 'case.updated'; caseId: string }
  /**
   * Sessions of this user ended (signed out, password changed, disabled, role changed): their
   * live-event streams re-check their session at once. Never relayed to browsers.
   */
  | { type: 'session.revoked'; userId: number };

/** True when a signed-in user (null: nobody signed in) may receive this event on their stream. */
export function eventVisibleTo(ev: AppEvent, userId: number | null): boolean {
  if (ev.type === 'notification.created') return userId !== null && ev.userId === userId;
  if (ev.type === 'session.revoked') return false;
  return true;
}

export function eventsChannel(prefix: string): string {
  return `${prefix}:events`;
}
