import { auditedChange, writeAudit } from '../../db/repos/audit.js';
import { markAllRead, markReadChange, unreadCount } from '../../db/repos/notifications.js';
import { notFound } from '../../platform/errors.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';

// Marking one's own notifications read. Small changes, but changes: each writes its audit row in
// the transaction of the update (who acknowledged a 催办 or an overdue warning, and when, matters).

export async function markOneRead(deps: ModuleDeps, userId: number, id: string, actor: Actor): Promise<{ id: string; unreadCount: number }> {
  const at = deps.now();
  // The update and its audit row in one statement (the most frequent write of the dashboard).
  // Another user's id matches no row: 404, as if it did not exist.
  const n = await auditedChange(deps.db, markReadChange(userId, id, at), {
    actor,
    entity: 'notification',
    entityId: id,
    action: 'notification.read',
    after: { userId, readAt: at.toISOString() },
  });
  if (n === 0) throw notFound('Notification', '通知');
  return { id, unreadCount: await unreadCount(deps.db, userId) };
}

export async function markEveryRead(deps: ModuleDeps, userId: number, actor: Actor): Promise<{ updated: number; unreadCount: number }> {
  const at = deps.now();
  const updated = await deps.db.transaction().execute(async (trx) => {
    const n = await markAllRead(trx, userId, at);
    await writeAudit(trx, { actor, entity: 'user', entityId: userId, action: 'notification.read_all', after: { updated: n, readAt: at.toISOString() } });
    return n;
  });
  return { updated, unreadCount: 0 };
}
