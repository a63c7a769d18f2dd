import type { Db } from '../../db/client.js';
import { appendAuditAnchor, type AuditAnchor } from '../../services/audit/anchors.js';
import { BUSINESS_TZ } from '../../core/business-time.js';

// audit.anchor: once a day (and whenever it is enqueued), appends the audit chain's head to the
// anchor file under DATA_DIR (services/audit/anchors.ts), outside the database, so that deleting
// the newest audit rows and moving the chain head back is caught by GET /api/audit/verify.

/** Daily at 03:45 Asia/Shanghai, after audit.retention (03:15). */
export const AUDIT_ANCHOR_CRON = '45 3 * * *';
export const AUDIT_ANCHOR_TZ = BUSINESS_TZ;

export async function runAuditAnchor(db: Db, dataDir: string, now: Date): Promise<AuditAnchor & { file: string }> {
  return appendAuditAnchor(db, dataDir, now);
}
