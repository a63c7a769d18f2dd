import { createDb } from '../db/client.js';
import { resolveAuditKey } from '../platform/audit-key.js';
import { backfillPlaces, backfillProgress } from '../services/places/backfill.js';
import { boot, fail } from './boot.js';

// `npm run places-backfill`: finds the places (地域) of every item stored under an older 辖区 now,
// to the end (the worker does the same in bounded slices every sweep tick after a save), e.g.
// after restoring an old backup. Safe beside a running worker: items are taken row by row.
const { config, logger } = boot('places-backfill');
if (!config.DATABASE_URL) fail(logger, new Error('DATABASE_URL is required for npm run places-backfill'));
const db = createDb(config.DATABASE_URL, { max: 1, applicationName: 'opinion-desk-places-backfill', auditKey: resolveAuditKey(config) });
try {
  const r = await backfillPlaces(db, { onBatch: ({ updated }) => logger.info({ updated }, 'Places back-fill batch') });
  const p = await backfillProgress(db);
  logger.info({ updated: r.updated, done: p.done, total: p.total }, r.finished ? 'Places back-fill finished' : 'Places back-fill stopped with items held by another run');
} catch (err) {
  fail(logger, err);
} finally {
  await db.destroy();
}
