import { renderNotice, type NoticeLang } from '../../core/notices.js';
import { auditedChange, writeAudit } from '../../db/repos/audit.js';
import { listNotifications, markAllRead, markReadChange, unreadCount } from '../../db/repos/notifications.js';
import { notFound } from '../../platform/errors.js';
import { decodeCursor, paginate } from '../shared/cursor.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';

// The signed-in user's notifications, rendered in the reader's language from their message key
// and parameters (rows written before keys keep their stored text); marking them read. Marking is a
// change: each writes its audit row in the transaction of the update (who acknowledged a 催办 or an
// overdue warning, and when, matters).

type Row = Awaited<ReturnType<typeof listNotifications>>[number];

export function presentNotification(r: Row, lang: NoticeLang) {
  const text = r.key !== null && r.params !== null ? renderNotice(r.key, r.params, lang) : { title: r.title, body: r.body };
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind,
    title: text.title,
    body: text.body,
    urgent: r.urgent,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at ? r.read_at.toISOString() : null,
  };
}

export async function listMine(deps: ModuleDeps, userId: number, q: { limit: number; cursor?: string; unreadOnly: boolean; lang: NoticeLang }) {
  const rows = await listNotifications(deps.db, userId, q.limit, decodeCursor(q.cursor), q.unreadOnly);
  const { page, nextCursor } = paginate(rows, q.limit, (r) => ({ at: r.key_at, id: r.id }));
  return { items: page.map((r) => presentNotification(r, q.lang)), nextCursor, unreadCount: await unreadCount(deps.db, userId) };
}

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
