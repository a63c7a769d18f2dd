import type { Db } from '../../db/client.js';
import { bringPollsForward, listDueSources } from '../../db/repos/source-fetches.js';
import { activePeriodAt } from '../../db/repos/periods.js';
import { crawlJobId } from '../../platform/queues.js';
import type { Enqueue } from './registry.js';

/** How many due sources one tick enqueues at most. */
export const SCHEDULE_BATCH = 1000;

/**
 * One scheduler tick: every source whose next_fetch_at has passed gets a crawl job, in bulk, with a
 * job id per source and slot. Redis holds no per-source state: after a flush the next tick
 * re-enqueues from Postgres, and ticks from several processes collapse onto the same job ids.
 * While a heightened period is active, sources scheduled a full interval ahead are brought forward
 * first (bringPollsForward).
 */
export async function scheduleDueSources(db: Db, enqueue: Enqueue, now: Date): Promise<number> {
  // A heightened period (重点时段) shortens every poll interval from the moment it begins.
  const period = await activePeriodAt(db, now);
  if (period && period.pollFactor < 1) await bringPollsForward(db, now, period.pollFactor);
  const due = await listDueSources(db, now, SCHEDULE_BATCH);
  if (due.length === 0) return 0;
  await enqueue(
    'sources.crawl',
    interleaveByHost(due).map((s) => {
      const slot = s.nextFetchAt.getTime();
      return { data: { sourceId: s.id, slot }, jobId: crawlJobId(s.id, slot) };
    }),
  );
  return due.length;
}

/**
 * The batch reordered so that consecutive jobs are on different hosts (round robin over hosts,
 * each host's own sources still most overdue first). A crawl job waits for its host's politeness
 * slot while holding one of the worker's CRAWL_CONCURRENCY slots: in due order, a site with many
 * feeds would fill every slot with jobs queued behind one host while the other hosts sat idle.
 */
export function interleaveByHost<T extends { url: string }>(rows: T[]): T[] {
  const byHost = new Map<string, T[]>();
  for (const r of rows) {
    let host = '';
    try {
      host = new URL(r.url).host;
    } catch {
      // an unparsable URL fails in its crawl; here it is just one more "host"
    }
    const list = byHost.get(host);
    if (list) list.push(r);
    else byHost.set(host, [r]);
  }
  if (byHost.size <= 1) return rows;
  const lists = [...byHost.values()];
  const out: T[] = [];
  for (let i = 0; out.length < rows.length; i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}
