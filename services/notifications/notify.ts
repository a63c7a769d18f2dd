import type { Db } from '../../db/client.js';
import { enabledChannels, insertNotifications, type NewNotificationOf } from '../../db/repos/notifications.js';
import { renderNotice, type NoticeKey, type NoticeParams } from '../../core/notices.js';

// The one way a state change tells a person: call notify() inside the change's own transaction
// with a message key and its parameters (core/notices.ts). The in-app notification shows at once
// (the caller emits `notification.created` after commit); deliveries to the enabled channels are
// sent by the notifications.deliver job.

export interface Notice {
  userId: number;
  caseId: string | null;
  key: NoticeKey;
  params: NoticeParams;
  urgent?: boolean;
  /** First delivery attempt (quiet hours); default: now. */
  deliverAfter?: Date;
}

/** Writes the notices (and their deliveries) in the caller's transaction; returns the notification ids in order. */
export async function notify(trx: Db, notices: readonly Notice[], now: Date): Promise<string[]> {
  if (notices.length === 0) return [];
  const userIds = [...new Set(notices.map((n) => n.userId))];
  const users = await trx.selectFrom('users').select(['id', 'email', 'display_name']).where('id', 'in', userIds).execute();
  const byId = new Map(users.map((u) => [u.id, u]));
  const channels = await enabledChannels(trx);
  const rows: NewNotificationOf[] = notices.map((n) => {
    const text = renderNotice(n.key, n.params, 'zh');
    const u = byId.get(n.userId);
    return {
      userId: n.userId,
      caseId: n.caseId,
      kind: n.key,
      title: text.title,
      body: text.body,
      urgent: n.urgent ?? false,
      deliverAfter: n.deliverAfter ?? now,
      user: { email: u?.email ?? null, display_name: u?.display_name ?? '' },
    };
  });
  return insertNotifications(trx, rows, now, channels);
}
