import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { Db } from '../client.js';
import type { NotificationChannelsTable } from '../schema-workflow.js';
import type { DeliveryPayload } from './notifications.js';

// Notification channels (e-mail, webhooks) and the claims on their delivery rows
// (notifications.deliver job).

// ── Channels ──────────────────────────────────────────────────────────────────────────────────

export type Channel = Selectable<NotificationChannelsTable>;

export async function enabledChannels(db: Db): Promise<Channel[]> {
  return db.selectFrom('notification_channels').selectAll().where('enabled', '=', true).orderBy('id').execute();
}

export async function listChannels(db: Db) {
  return db.selectFrom('notification_channels').selectAll().orderBy('id').execute();
}

export async function findChannel(db: Db, id: number) {
  return db.selectFrom('notification_channels').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertChannel(trx: Db, c: { kind: 'email' | 'webhook' | 'sms'; name: string; config: Record<string, unknown>; enabled: boolean }) {
  return trx
    .insertInto('notification_channels')
    .values({ kind: c.kind, name: c.name, config: JSON.stringify(c.config), enabled: c.enabled })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateChannel(trx: Db, id: number, c: { name?: string; config?: Record<string, unknown>; enabled?: boolean }) {
  return trx
    .updateTable('notification_channels')
    .set({
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.config !== undefined ? { config: JSON.stringify(c.config) } : {}),
      ...(c.enabled !== undefined ? { enabled: c.enabled } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteChannel(trx: Db, id: number): Promise<boolean> {
  const r = await trx.deleteFrom('notification_channels').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Recent failed deliveries per channel (newest first), for the admin page. */
export async function recentFailures(db: Db, channelIds: readonly number[], perChannel: number) {
  if (channelIds.length === 0) return [];
  const rows = await sql<{
    id: string;
    channel_id: number;
    notification_id: string | null;
    target: string;
    attempts: number;
    last_error: string;
    created_at: Date;
  }>`
    select id::text, channel_id, notification_id::text, target, attempts, last_error, created_at from (
      select d.*, row_number() over (partition by channel_id order by created_at desc, id desc) as rn
      from notification_deliveries d
      where d.status = 'failed' and d.channel_id = any(${channelIds as number[]}::int[])
    ) x where rn <= ${perChannel}
    order by channel_id, created_at desc, id desc`.execute(db);
  return rows.rows;
}

export async function deliveryCounts(db: Db) {
  const rows = await db
    .selectFrom('notification_deliveries')
    .select(['channel_id', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(['channel_id', 'status'])
    .execute();
  return rows;
}

// ── Delivery claims ───────────────────────────────────────────────────────────────────────────

export interface ClaimedDelivery {
  id: string;
  channelId: number;
  kind: 'email' | 'webhook' | 'sms';
  config: Record<string, unknown>;
  target: string;
  payload: DeliveryPayload;
  /** Attempts including this one. */
  attempts: number;
}

/**
 * Claims up to `limit` due pending deliveries: each row's next attempt is pushed `leaseMs` ahead
 * and its attempt counted, under `for update skip locked`, so concurrent workers never send the same
 * row at once and a worker that dies mid-send leaves the row to be retried when the lease ends.
 */
export async function claimDueDeliveries(db: Db, now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await sql<{
    id: string;
    channel_id: number;
    kind: 'email' | 'webhook' | 'sms';
    config: Record<string, unknown>;
    target: string;
    payload: DeliveryPayload;
    attempts: number;
  }>`
    with due as (
      select d.id from notification_deliveries d
      join notification_channels c on c.id = d.channel_id and c.enabled -- a disabled channel pauses its deliveries
      where d.status = 'pending' and d.next_attempt_at <= ${now}
      order by d.next_attempt_at, d.id
      limit ${limit}
      for update of d skip locked
    )
    update notification_deliveries d set attempts = d.attempts + 1, next_attempt_at = ${leaseUntil}
    from due, notification_channels ch
    where d.id = due.id and ch.id = d.channel_id
    returning d.id::text, d.channel_id, ch.kind, ch.config, d.target, d.payload, d.attempts`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id,
    channelId: r.channel_id,
    kind: r.kind,
    config: r.config,
    target: r.target,
    payload: r.payload,
    attempts: r.attempts,
  }));
}

export async function markDeliverySent(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('notification_deliveries').set({ status: 'sent', sent_at: now, last_error: '' }).where('id', '=', id).execute();
}

/** A failed attempt: retried at `retryAt`, or failed for good when `retryAt` is null. */
export async function markDeliveryFailed(db: Db, id: string, error: string, retryAt: Date | null): Promise<void> {
  await db
    .updateTable('notification_deliveries')
    .set(retryAt ? { last_error: error.slice(0, 2000), next_attempt_at: retryAt } : { last_error: error.slice(0, 2000), status: 'failed' })
    .where('id', '=', id)
    .execute();
}
