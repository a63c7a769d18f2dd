import { findPlaces } from '../../core/places.js';
import type { Db } from '../../db/client.js';
import * as repo from '../../db/repos/places.js';
import { areaGazetteer } from './gazetteer.js';

// 地域 back-fill: items stored before the 辖区 was set, or before a town, village or alias was
// added, get their places found again with the current gazetteer. Saving the area bumps its
// version; every item records the version its places were found with (items.places_version), so
// the work is "items of an older version", recent first, in batches of their own transactions
// (each adding its items to the progress row in the same transaction, so a batch rolled back is not counted):
// resumable (a stopped run leaves finished batches stamped), idempotent (finding places again is
// the same text against the same gazetteer) and never run twice on one item at once (rows are
// taken FOR UPDATE SKIP LOCKED). A save while a back-fill runs makes the rest of it use the new
// gazetteer and the items already done stale again. The worker runs it on its sweep tick
// (places.backfill); `npm run places-backfill` runs it to the end from a shell. A case's 地域 is
// read from its items, so cases follow their items (unless set by hand on the case).

export const BACKFILL_BATCH = 500;

export interface BackfillOptions {
  /** Items per transaction. */
  batch?: number;
  /** Stop after this many milliseconds (the batch running then finishes); default: until done. */
  budgetMs?: number;
  /** The clock of the budget (tests). */
  clock?: () => number;
  /** Called after each batch (the CLI's progress line). */
  onBatch?: (p: { updated: number }) => void;
}

export interface BackfillResult {
  /** Items whose places were found again in this run. */
  updated: number;
  /** True when no item of an older version was left unlocked at the end. */
  finished: boolean;
}

/** One batch: up to `batch` stale items below `belowId`, newest first. Returns the rows done and the lowest id. */
async function runBatch(db: Db, batch: number, belowId: string | null): Promise<{ count: number; lowest: string | null }> {
  return db.transaction().execute(async (trx) => {
    const version = await repo.lockedAreaVersion(trx);
    const rows = await repo.staleItems(trx, version, batch, belowId);
    if (rows.length === 0) return { count: 0, lowest: null };
    const g = await areaGazetteer(trx);
    const found = rows.map((r) => ({ id: r.id, ...(g.byCode.size === 0 ? { towns: [], villages: [] } : findPlaces(g, `${r.title}\n${r.text}`)) }));
    await repo.updateItemPlaces(trx, version, found);
    await repo.addBackfillDone(trx, version, rows.length);
    return { count: rows.length, lowest: rows[rows.length - 1].id };
  });
}

/** Finds the places of stale items again, newest first, until none is left or the budget is spent. */
export async function backfillPlaces(db: Db, opts: BackfillOptions = {}): Promise<BackfillResult> {
  const batch = opts.batch ?? BACKFILL_BATCH;
  const clock = opts.clock ?? Date.now;
  const started = clock();
  if (!(await repo.backfillPending(db))) {
    await repo.settleBackfillProgress(db);
    return { updated: 0, finished: true };
  }
  let updated = 0;
  let below: string | null = null;
  for (;;) {
    const r = await runBatch(db, batch, below);
    if (r.count === 0) {
      // The end of this pass: items skipped while another run held them are that run's; items
      // staled by a save meanwhile are taken by the next pass (the next tick).
      const finished = !(await repo.backfillPendingUnlocked(db));
      if (finished) await repo.settleBackfillProgress(db);
      return { updated, finished };
    }
    updated += r.count;
    below = r.lowest;
    opts.onBatch?.({ updated });
    if (opts.budgetMs !== undefined && clock() - started >= opts.budgetMs) return { updated, finished: false };
  }
}

/**
 * The 管理 → 辖区 progress line: 已补充 N / M 条, M being the items stored before the last save and N
 * those of them found again. Read from the progress row each batch and save keep (one row, no count
 * over the items: the screen re-reads it every few seconds while it runs).
 */
export async function backfillProgress(db: Db): Promise<{ done: number; total: number; running: boolean }> {
  const p = await repo.backfillProgress(db);
  return { done: p.done, total: p.total, running: p.done < p.total };
}
