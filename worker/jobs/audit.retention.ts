import type { Db } from '../../db/client.js';
import { purgeAuditBefore, writeAudit } from '../../db/repos/audit.js';
import { BUSINESS_TZ, DAY_MS } from '../../core/business-time.js';

// audit.retention: once a day, removes audit rows older than AUDIT_RETENTION_DAYS (at least 180:
// 网络安全法 requires network logs be kept six months) through audit_log_purge, the one path the
// append-only trigger lets through. The last removed row's hash becomes the chain's anchor, so the
// remaining rows still verify; the purge itself is recorded as an audit row. Safe to run anywhere,
// any number of times (a second run finds nothing to remove).

/** Daily at 03:15 Asia/Shanghai. */
export const AUDIT_RETENTION_CRON = '15 3 * * *';
export const AUDIT_RETENTION_TZ = BUSINESS_TZ;

export interface AuditRetentionResult {
  removed: number;
  cutoff: string;
}

export async function runAuditRetention(db: Db, now: Date, retentionDays: number): Promise<AuditRetentionResult> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  return db.transaction().execute(async (trx) => {
    const removed = await purgeAuditBefore(trx, cutoff);
    if (removed > 0) {
      await writeAudit(trx, { actor: null, entity: 'audit_log', entityId: '', action: 'audit.retention', after: { removed, cutoff: cutoff.toISOString(), retentionDays } });
    }
    return { removed, cutoff: cutoff.toISOString() };
  });
}
