import { sql } from 'kysely';
import type { Db } from '../client.js';
import { enabledChannels, type Channel } from './channels.js';
import { beijingShortZh } from '../../core/business-time.js';

// Notifications per user (in-app, pushed over SSE) and one delivery row per notification × enabled
// channel, sent by the notifications.deliver job. The channels themselves and the delivery claims:
// channels.ts (re-exported here for the callers of before).

export interface NewNotification {
  userId: number;
  caseId: string | null;
  kind: string;
  title: string;
  body: string;
  urgent: boolean;
  /** Message key and parameters (core/notices.ts): the reader's language is rendered from them when read. */
  key?: string | null;
  params?: Record<string, string | number> | null;
}

export interface DeliveryPayload {
  title: string;
  body: string;
  caseId: string | null;
  urgent: boolean;
  /** When it was sent, Beijing time as "12月5日 10:42" (never an ISO / UTC string: people read it). */
  at: string;
  recipient: string;
}

/**
 * Inserts one notification and, per enabled channel, its delivery row (inside the caller's
 * transaction). E-mail to a user without an address is recorded as failed ("skipped"), never dropped
 * silently. `deliverAfter`: the first attempt (quiet hours defer non-urgent notices; the in-app
 * notification itself shows at once).
 */
export async function insertNotification(
  trx: Db,
  n: NewNotification,
  now: Date,
  deliverAfter: Date,
  known?: { channels: Channel[]; user: { email: string | null; display_name: string } },
): Promise<string> {
  const row = await trx
    .insertInto('notifications')
    .values({
      user_id: n.userId,
      case_id: n.caseId,
      kind: n.kind,
      title: n.title,
      body: n.body,
      urgent: n.urgent,
      created_at: now,
      key: n.key ?? null,
      params: n.params ? JSON.stringify(n.params) : null,
    })
    .returning(sql<string>`id::text`.as('id'))
    .executeTakeFirstOrThrow();
  const channels = known?.channels ?? (await enabledChannels(trx));
  if (channels.length === 0) return row.id;
  const user = known?.user ?? (await trx.selectFrom('users').select(['email', 'display_name']).where('id', '=', n.userId).executeTakeFirst());
  const payload: DeliveryPayload = {
    title: n.title,
    body: n.body,
    caseId: n.caseId,
    urgent: n.urgent,
    at: beijingShortZh(now),
    recipient: user?.display_name ?? '',
  };
  await trx
    .insertInto('notification_deliveries')
    .values(
      channels.map((ch) => {
        const email = ch.kind === 'email' ? (user?.email ?? '').trim() : '';
        const skipped = ch.kind === 'email' && email === '';
        return {
          notification_id: row.id,
          channel_id: ch.id,
          target: ch.kind === 'email' ? email : String((ch.config as { url?: unknown }).url ?? ''),
          payload: JSON.stringify(payload),
          status: skipped ? ('failed' as const) : ('pending' as const),
          last_error: skipped ? '用户未设置邮箱，已跳过 / skipped: the user has no e-mail address' : '',
          next_attempt_at: deliverAfter,
          created_at: now,
        };
      }),
    )
    .execute();
  return row.id;
}

/** One notification of a batch (insertNotifications), with its recipient and first delivery attempt. */
export interface NewNotificationOf extends NewNotification {
  deliverAfter: Date;
  user: { email: string | null; display_name: string; phone?: string | null };
  /** The text sent to the channels when it differs from the in-app one (e.g. "还剩…" as of a deferred delivery). */
  delivery?: { title: string; body: string };
}

/** One delivery row of a batch: notification `note` (its index in the batch) × an enabled channel. */
export interface NewDeliveryOf {
  note: number;
  channel_id: number;
  target: string;
  payload: DeliveryPayload;
  status: 'pending' | 'failed';
  last_error: string;
  next_attempt_at: Date;
}

/** The delivery rows of a batch of notifications (insertNotification's rules, per notification × enabled channel). */
export function deliveryRowsOf(rows: readonly NewNotificationOf[], now: Date, channels: readonly Channel[]): NewDeliveryOf[] {
  const out: NewDeliveryOf[] = [];
  if (channels.length === 0) return out;
  const at = beijingShortZh(now);
  rows.forEach((n, i) => {
    const payload: DeliveryPayload = {
      title: n.delivery?.title ?? n.title,
      body: n.delivery?.body ?? n.body,
      caseId: n.caseId,
      urgent: n.urgent,
      at,
      recipient: n.user.display_name ?? '',
    };
    for (const ch of channels) {
      // SMS costs money and wakes people: urgent notices (alert pushes) only, unless the channel says otherwise.
      if (ch.kind === 'sms' && !n.urgent && (ch.config as { urgentOnly?: unknown }).urgentOnly !== false) continue;
      const email = ch.kind === 'email' ? (n.user.email ?? '').trim() : '';
      const phone = ch.kind === 'sms' ? (n.user.phone ?? '').trim() : '';
      const skipped = (ch.kind === 'email' && email === '') || (ch.kind === 'sms' && phone === '');
      out.push({
        note: i,
        channel_id: ch.id,
        target: ch.kind === 'email' ? email : ch.kind === 'sms' ? phone : String((ch.config as { url?: unknown }).url ?? ''),
        payload,
        status: skipped ? 'failed' : 'pending',
        last_error: !skipped ? '' : ch.kind === 'sms' ? '用户未设置手机号，已跳过 / skipped: the user has no phone number' : '用户未设置邮箱，已跳过 / skipped: the user has no e-mail address',
        next_attempt_at: n.deliverAfter,
      });
    }
  });
  return out;
}

/** A batch of notifications as the JSON one statement reads with json_to_recordset (see NOTES_COLUMNS); `ord` is the 0-based index. */
export function notesJson(rows: readonly NewNotificationOf[]): string {
  return JSON.stringify(
    rows.map((n, i) => ({ ord: i, user_id: n.userId, case_id: n.caseId, kind: n.kind, title: n.title, body: n.body, urgent: n.urgent, key: n.key ?? null, params: n.params ?? null })),
  );
}

/** The record type of notesJson, and of deliveryRowsOf's JSON. */
export const NOTES_COLUMNS = sql`ord int, user_id int, case_id bigint, kind text, title text, body text, urgent boolean, key text, params jsonb`;
export const DELIVERIES_COLUMNS = sql`note bigint, channel_id int, target text, payload jsonb, status text, last_error text, next_attempt_at timestamptz`;

/**
 * insertNotification for many notifications at once, inside the caller's transaction: one
 * statement for the notifications (ids drawn from the sequence in input order, so each row's id is
 * known) and their delivery rows (one per notification × enabled channel). The batch travels as two
 * JSON parameters (json_to_recordset), not as a dozen arrays serialised element by element. Returns
 * the ids in the order of `rows`.
 */
export async function insertNotifications(trx: Db, rows: readonly NewNotificationOf[], now: Date, channels: readonly Channel[]): Promise<string[]> {
  if (rows.length === 0) return [];
  // A CTE with a volatile function (nextval) is evaluated once: the ids it returns are the ids
  // inserted. The sequence is the one behind notifications.id (bigserial); naming it as a regclass
  // constant resolves it once, not per row. A delivery's `note` is its notification's `ord`.
  const inserted = await sql<{ id: string }>`
    with v as (
      select nextval('notifications_id_seq'::regclass) as id, u.*
      from json_to_recordset(${notesJson(rows)}::json) as u(${NOTES_COLUMNS})
    ), ins as (
      insert into notifications (id, user_id, case_id, kind, title, body, urgent, key, params, created_at)
      select id, user_id, case_id, kind, title, body, urgent, key, params, ${now}::timestamptz from v
    ), del as (
      insert into notification_deliveries (notification_id, channel_id, target, payload, status, last_error, next_attempt_at, created_at)
      select v.id, d.channel_id, d.target, d.payload, d.status, d.last_error, d.next_attempt_at, ${now}::timestamptz
      from json_to_recordset(${JSON.stringify(deliveryRowsOf(rows, now, channels))}::json) as d(${DELIVERIES_COLUMNS})
      join v on v.ord = d.note
    )
    select id::text from v order by ord`.execute(trx);
  return inserted.rows.map((r) => r.id);
}

// ── In-app notifications ──────────────────────────────────────────────────────────────────────

export async function listNotifications(db: Db, userId: number, limit: number, after?: { at: string; id: string }, unreadOnly = false) {
  let q = db
    .selectFrom('notifications')
    .select([
      sql<string>`id::text`.as('id'),
      sql<string | null>`case_id::text`.as('case_id'),
      'kind',
      'title',
      'body',
      'urgent',
      'created_at',
      'read_at',
      'key',
      'params',
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('key_at'),
    ])
    .where('user_id', '=', userId);
  if (unreadOnly) q = q.where('read_at', 'is', null);
  if (after) q = q.where(sql<boolean>`(created_at, id) < (${after.at}::timestamptz, ${after.id}::bigint)`);
  // By the column, not the `id::text` alias of the select list (text order would put 9 before 13).
  return q.orderBy('created_at', 'desc').orderBy(sql`notifications.id`, 'desc').limit(limit + 1).execute();
}

export async function unreadCount(db: Db, userId: number): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Marks one of the user's notifications read (another user's id matches nothing), as a `… returning
 * id` statement for auditedChange: the update and its audit row in one statement.
 */
export function markReadChange(userId: number, id: string, now: Date) {
  return sql`update notifications set read_at = coalesce(read_at, ${now}::timestamptz) where id = ${id}::bigint and user_id = ${userId}::int returning id`;
}

export async function markAllRead(db: Db, userId: number, now: Date): Promise<number> {
  const r = await db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export * from './channels.js';
