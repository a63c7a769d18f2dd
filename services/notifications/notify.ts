import { contactsOf } from '../../db/repos/users.js';
import type { Db } from '../../db/client.js';
import { enabledChannels, insertNotifications, type NewNotificationOf } from '../../db/repos/notifications.js';
import { noticeKind, renderNotice, type NoticeKey, type NoticeParams } from '../../core/notices.js';
import type { AppEvent } from '../../platform/queues.js';

// The one way a state change tells a person: call notify() inside the change's own transaction
// with a message key and its parameters (core/notices.ts). The row keeps the key and parameters,
// so GET /api/notifications renders it in the reader's language; the stored title and body are the
// Chinese text, which is also what the channels (WeCom / DingTalk robots, e-mail, webhooks)
// receive. The in-app notification shows at once (the caller emits `notification.created` after
// commit, see createdEvents); deliveries to the enabled channels are sent by the
// notifications.deliver job.

export interface Notice {
  userId: number;
  caseId: string | null;
  key: NoticeKey;
  params: NoticeParams;
  urgent?: boolean;
  /** First delivery attempt (quiet hours); default: now. */
  deliverAfter?: Date;
  /** Parameters for the channels' text when it must differ from the in-app one (a deferred delivery's "还剩…"). */
  deliveryParams?: NoticeParams;
}

/** Writes the notices (and their deliveries) in the caller's transaction; returns the notification ids in order. */
export async function notify(trx: Db, notices: readonly Notice[], now: Date): Promise<string[]> {
  if (notices.length === 0) return [];
  const userIds = [...new Set(notices.map((n) => n.userId))];
  const users = await contactsOf(trx, userIds);
  const byId = new Map(users.map((u) => [u.id, u]));
  const channels = await enabledChannels(trx);
  const rows: NewNotificationOf[] = notices.map((n) => {
    const text = renderNotice(n.key, n.params, 'zh');
    const u = byId.get(n.userId);
    return {
      userId: n.userId,
      caseId: n.caseId,
      kind: noticeKind(n.key),
      key: n.key,
      params: n.params,
      title: text.title,
      body: text.body,
      urgent: n.urgent ?? false,
      deliverAfter: n.deliverAfter ?? now,
      user: { email: u?.email ?? null, display_name: u?.display_name ?? '', phone: u?.phone ?? null },
      ...(n.deliveryParams ? { delivery: renderNotice(n.key, n.deliveryParams, 'zh') } : {}),
    };
  });
  return insertNotifications(trx, rows, now, channels);
}

/** The `notification.created` events of notify()'s result, to emit after commit. */
export function createdEvents(notices: readonly Pick<Notice, 'userId'>[], ids: readonly string[]): AppEvent[] {
  return notices.map((n, i) => ({ type: 'notification.created' as const, userId: n.userId, notificationId: ids[i]! }));
}

/** Notices for several users, each at most once, never to the one who acted (they know). */
export function noticesFor(userIds: Iterable<number>, except: number | null, n: Omit<Notice, 'userId'>): Notice[] {
  const out: Notice[] = [];
  const seen = new Set<number>();
  for (const id of userIds) {
    if (id === except || seen.has(id)) continue;
    seen.add(id);
    out.push({ ...n, userId: id });
  }
  return out;
}
