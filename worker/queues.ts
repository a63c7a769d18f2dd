// THE contract between server and worker: queue names, job names and payloads, event shapes.
// The server imports only this file from worker/.

export const QUEUES = {
  crawl: 'crawl',
  schedule: 'schedule',
} as const;

export interface JobPayloads {
  /** Crawl one source once. `slot` is the scheduled time (ms) the job was enqueued for. */
  'sources.crawl': { sourceId: number; slot: number };
  /** Tick: enqueue every source whose next_fetch_at has passed. */
  'sources.schedule': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, (typeof QUEUES)[keyof typeof QUEUES]> = {
  'sources.crawl': QUEUES.crawl,
  'sources.schedule': QUEUES.schedule,
};

/** BullMQ refuses ':' in custom ids. One id per source and slot dedupes concurrent schedulers. */
export function crawlJobId(sourceId: number, slot: number): string {
  return `crawl-${sourceId}-${slot}`;
}

/** Events published on Redis pub/sub and relayed to browsers over SSE. Ids only; clients re-read. */
export type AppEvent =
  | { type: 'alert.created'; alertId: string; storyId: string }
  | { type: 'alert.updated'; alertId: string; storyId: string }
  | { type: 'source.updated'; sourceId: number };

export function eventsChannel(prefix: string): string {
  return `${prefix}:events`;
}
