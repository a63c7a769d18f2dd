import { createDb } from '../db/client.js';
import { resolveAuditKey } from '../platform/audit-key.js';
import { runAuditAnchor } from '../worker/jobs/audit.anchor.js';
import { boot, fail } from './boot.js';

// `npm run audit-anchor`: appends the audit chain's head to the anchor file now (the worker does it
// daily at 03:45), e.g. before and after maintenance on the database.
const { config, logger } = boot('audit-anchor');
if (!config.DATABASE_URL) fail(logger, new Error('DATABASE_URL is required for npm run audit-anchor'));
const db = createDb(config.DATABASE_URL, { max: 1, applicationName: 'opinion-desk-audit-anchor', auditKey: resolveAuditKey(config) });
try {
  const a = await runAuditAnchor(db, config.DATA_DIR, new Date());
  logger.info({ row_id: a.rowId, count: a.count, file: a.file }, 'Audit chain anchored');
} catch (err) {
  fail(logger, err);
} finally {
  await db.destroy();
}
