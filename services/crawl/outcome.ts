import type { Db } from '../../db/client.js';
import { recordFetch } from '../../db/repos/source-fetches.js';
import { activePeriodAt } from '../../db/repos/periods.js';
import { healthAfterFetch } from '../../core/schedule.js';
import type { FetchStatus } from '../../core/vocabulary.js';
import type { CrawlContext } from './context.js';

// The outcome of one crawl, recorded on its source by ONE function (miniflux's ScheduleNextCheck /
// ResetErrorCounter): status, reason, HTTP status, counts, validators, the next fetch and the
// health counters (core/schedule.ts), and a row of fetch history. Imports no step.

/** One crawl of one claimed source. */
export interface CrawlRun extends CrawlContext {
  jobId: string;
  startedAt: Date;
  /** performance.now() at the start, for the duration. */
  t0: number;
}

export interface FetchOutcome {
  status: FetchStatus;
  httpStatus: number | null;
  /** The reason of a failure, or what the fetch found; shown to the admin. */
  message: string;
  itemsSeen: number;
  itemsNew: number;
  /** From Retry-After, on a failure. */
  retryAfterMs?: number;
  /** When to fetch again, when the source decides it itself (a search source: its earliest due query). */
  nextFetchAt?: Date;
  /** The validators of a fetched body, kept for the next conditional GET. */
  validators?: { etag: string | null; lastModified: string | null; bodyHash: string | null };
}

/** Writes the outcome on the source and its history, releasing the lease (throws LeaseLost when another crawl holds it). */
export async function recordOutcome(db: Db, run: CrawlRun, outcome: FetchOutcome): Promise<void> {
  const now = run.deps.now();
  const s = run.source;
  // A heightened period (重点时段) in force shortens the poll interval by its factor.
  const period = await activePeriodAt(db, now);
  const health = healthAfterFetch(
    {
      id: s.id,
      kind: s.kind,
      pollIntervalS: s.poll_interval_s,
      failureScore: s.failure_score,
      consecutiveFailures: s.consecutive_failures,
      selectorMisses: s.selector_misses,
      typicalGapS: s.typical_gap_s,
      lastNewItemAt: s.last_new_item_at,
    },
    outcome,
    now,
    run.deps.settings.backoffMaxS,
    period?.pollFactor ?? 1,
  );
  await recordFetch(db, {
    sourceId: s.id,
    jobId: run.jobId,
    startedAt: run.startedAt,
    durationMs: Math.round(performance.now() - run.t0),
    status: outcome.status,
    httpStatus: outcome.httpStatus,
    message: outcome.message,
    itemsSeen: outcome.itemsSeen,
    itemsNew: outcome.itemsNew,
    validators: outcome.validators,
    ...health,
    ...(outcome.nextFetchAt ? { nextFetchAt: outcome.nextFetchAt } : {}),
    now,
  });
}
