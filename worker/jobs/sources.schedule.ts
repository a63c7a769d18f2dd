import type { Queue } from 'bullmq';
import type { Db } from '../../db/client.js';
import { listDueSources } from '../../db/repos/crawl-state.js';
import { crawlJobId, type JobPayloads } from '../queues.js';

/** How many due sources one tick enqueues at most. */
export const SCHEDULE_BATCH = 1000;

/**
 * One scheduler tick: every source whose next_fetch_at has passed gets a crawl job, in bulk, with a
 * job id per source and slot. Redis holds no per-source state: after a flush the next tick
 * re-enqueues from Postgres, and ticks from several processes collapse onto the same job ids.
 */
export async function scheduleDueSources(db: Db, crawlQueue: Queue, now: Date): Promise<number> {
  const due = await listDueSources(db, now, SCHEDULE_BATCH);
  if (due.length === 0) return 0;
  await crawlQueue.addBulk(
    due.map((s) => {
      const slot = s.nextFetchAt.getTime();
      const data: JobPayloads['sources.crawl'] = { sourceId: s.id, slot };
      return { name: 'sources.crawl', data, opts: { jobId: crawlJobId(s.id, slot) } };
    }),
  );
  return due.length;
}
