import type { Db } from '../../db/client.js';
import { purgeAuditBefore } from '../../db/repos/audit.js';
import { BUSINESS_TZ, DAY_MS } from '../../core/business-time.js';

// audit.retention: once a day, removes audit rows older than AUDIT_RETENTION_DAYS (at least 180:
// 网络安全法 requires network logs be kept six months) through audit_log_purge, the one path the
// append-only trigger lets through. The last removed row's hash becomes the chain's anchor, so the
// remaining rows still verify; the function records the purge itself as a chained audit row
// ('audit.purge', migration 0019) and refuses any cutoff later than now − 180 days. Safe to run
// anywhere, any number of times (a second run finds nothing to remove).

/** Daily at 03:15 Asia/Shanghai. */
export const AUDIT_RETENTION_CRON = '15 3 * * *';
export const AUDIT_RETENTION_TZ = BUSINESS_TZ;

export interface AuditRetentionResult {
  removed: number;
  cutoff: string;
}

export async function runAuditRetention(db: Db, now: Date, retentionDays: number): Promise<AuditRetentionResult> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const removed = await purgeAuditBefore(db, cutoff);
  return { removed, cutoff: cutoff.toISOString() };
}
