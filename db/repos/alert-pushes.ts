import { sql } from 'kysely';
import type { Db } from '../client.js';
import { DEFAULT_PUSH_POLICY, type PushPolicy, type RepushStep } from '../../core/alert-push.js';
import type { Category, Level } from '../../core/vocabulary.js';

// Alert pushes: the office default policy, the alerts a push is planned for, one alert_pushes row
// per pushed alert (its next re-push step and due time live here), fire records (one per step,
// primary key), acknowledgement, and the group-channel delivery row.

export const toPolicy = (v: unknown): PushPolicy | null => (v && typeof v === 'object' ? { ...DEFAULT_PUSH_POLICY, ...(v as Partial<PushPolicy>) } : null);

export async function loadPushDefault(db: Db): Promise<PushPolicy> {
  const r = await db.selectFrom('alert_push_settings').select('policy').where('id', '=', 1).executeTakeFirst();
  return toPolicy(r?.policy) ?? DEFAULT_PUSH_POLICY;
}

export async function savePushDefault(trx: Db, policy: PushPolicy, userId: number | null, now: Date): Promise<void> {
  const v = { policy: JSON.stringify(policy), updated_by: userId, updated_at: now };
  await trx
    .insertInto('alert_push_settings')
    .values({ id: 1, ...v })
    .onConflict((oc) => oc.column('id').doUpdateSet(v))
    .execute();
}

export interface PushAlert {
  id: string;
  status: string;
  ruleIds: number[];
  rulePolicies: (PushPolicy | null)[];
  negativity: number;
  spike: boolean;
  level: Level;
  category: Category;
  title: string;
  heat: number;
  sourceCount: number;
  sourceName: string;
}

/** What a push needs of each alert: the story's title and heat, the first source's name, the rules' policies. */
export async function alertsForPush(db: Db, alertIds: readonly string[]): Promise<PushAlert[]> {
  if (alertIds.length === 0) return [];
  const r = await sql<{
    id: string;
    status: string;
    rule_ids: number[];
    policies: unknown[] | null;
    negativity: number;
    spike: boolean;
    suggested_level: Level;
    suggested_category: Category;
    title: string;
    item_count: number;
    source_count: number;
    source_name: string | null;
  }>`
    select a.id::text, a.status, a.rule_ids, a.negativity, a.spike, a.suggested_level, a.suggested_category,
           s.title, s.item_count, s.source_count,
           (select src.name from items i join sources src on src.id = i.source_id
             where i.story_id = a.story_id order by i.published_at, i.id limit 1) as source_name,
           (select array_agg(r.push_policy order by r.id) from rules r where r.id = any(a.rule_ids)) as policies
    from alerts a join stories s on s.id = a.story_id
    where a.id = any(${alertIds as string[]}::bigint[])
    order by a.id`.execute(db);
  return r.rows.map((x) => ({
    id: x.id,
    status: x.status,
    ruleIds: x.rule_ids,
    rulePolicies: (x.policies ?? []).map(toPolicy),
    negativity: x.negativity,
    spike: x.spike,
    level: x.suggested_level,
    category: x.suggested_category,
    title: x.title,
    heat: x.item_count,
    sourceCount: x.source_count,
    sourceName: x.source_name ?? '',
  }));
}

/** New alerts created since `since` with no push planned yet (the sweep's catch-up). */
export async function unplannedAlerts(db: Db, since: Date, limit: number): Promise<string[]> {
  const r = await sql<{ id: string }>`
    select a.id::text from alerts a
    where a.status = 'new' and a.created_at >= ${since}
      and not exists (select 1 from alert_pushes p where p.alert_id = a.id)
    order by a.id limit ${limit}`.execute(db);
  return r.rows.map((x) => x.id);
}

export interface NewPush {
  alertId: string;
  ruleId: number | null;
  text: string;
  ackWindowS: number;
  groupChannelId: number | null;
  recipientIds: number[];
  nextDueAt: Date;
}

/** Records the push (once per alert); returns its id, or null when the alert was pushed already. */
export async function insertPush(trx: Db, p: NewPush, now: Date): Promise<string | null> {
  const r = await trx
    .insertInto('alert_pushes')
    .values({
      alert_id: p.alertId,
      rule_id: p.ruleId,
      text: p.text,
      ack_window_s: p.ackWindowS,
      group_channel_id: p.groupChannelId,
      pushed_at: now,
      recipient_ids: p.recipientIds,
      next_step: 'backup',
      next_due_at: p.nextDueAt,
    })
    .onConflict((oc) => oc.column('alert_id').doNothing())
    .returning(sql<string>`id::text`.as('id'))
    .executeTakeFirst();
  return r?.id ?? null;
}

/** Records that a step fired; false when it had fired already (the primary key). */
export async function insertFire(trx: Db, pushId: string, step: 'initial' | RepushStep, recipientIds: number[], now: Date): Promise<boolean> {
  const r = await trx
    .insertInto('alert_push_fires')
    .values({ push_id: pushId, step, fired_at: now, recipient_ids: recipientIds })
    .onConflict((oc) => oc.columns(['push_id', 'step']).doNothing())
    .returning('step')
    .executeTakeFirst();
  return r !== undefined;
}

export interface DuePush {
  id: string;
  alertId: string;
  alertStatus: string;
  step: RepushStep;
  ackWindowS: number;
  pushedAt: Date;
  groupChannelId: number | null;
}

/** Due, unacknowledged pushes, locked (skip locked: two sweeps never take the same row). */
export async function claimDuePushes(trx: Db, now: Date, limit: number): Promise<DuePush[]> {
  const r = await sql<{ id: string; alert_id: string; status: string; next_step: RepushStep; ack_window_s: number; pushed_at: Date; group_channel_id: number | null }>`
    select p.id::text, p.alert_id::text, a.status, p.next_step, p.ack_window_s, p.pushed_at, p.group_channel_id
    from alert_pushes p join alerts a on a.id = p.alert_id
    where p.acknowledged_at is null and p.next_step is not null and p.next_due_at <= ${now}
    order by p.next_due_at, p.id
    limit ${limit}
    for update of p skip locked`.execute(trx);
  return r.rows.map((x) => ({
    id: x.id,
    alertId: x.alert_id,
    alertStatus: x.status,
    step: x.next_step,
    ackWindowS: x.ack_window_s,
    pushedAt: x.pushed_at,
    groupChannelId: x.group_channel_id,
  }));
}

export async function advancePush(trx: Db, id: string, next: RepushStep | null, dueAt: Date | null): Promise<void> {
  await trx.updateTable('alert_pushes').set({ next_step: next, next_due_at: dueAt }).where('id', '=', id).execute();
}

/** Acknowledges the alert's push (first acknowledgement wins); returns the push id, or null. */
export async function acknowledgePush(trx: Db, alertId: string, userId: number | null, via: 'opened' | 'triaged', now: Date): Promise<string | null> {
  const r = await trx
    .updateTable('alert_pushes')
    .set({ acknowledged_at: now, acknowledged_by: userId, acknowledged_via: via, next_step: null, next_due_at: null })
    .where('alert_id', '=', alertId)
    .where('acknowledged_at', 'is', null)
    .returning(sql<string>`id::text`.as('id'))
    .executeTakeFirst();
  return r?.id ?? null;
}

export async function findPushByAlert(db: Db, alertId: string) {
  return db.selectFrom('alert_pushes').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
}

/** Unacknowledged pushes (for 待办 and the handover): newest first. */
export async function unacknowledgedPushes(db: Db, limit: number) {
  return db
    .selectFrom('alert_pushes')
    .select([sql<string>`alert_pushes.id::text`.as('id'), sql<string>`alert_id::text`.as('alert_id'), 'text', 'pushed_at', 'next_step', 'next_due_at'])
    .where('acknowledged_at', 'is', null)
    .orderBy('pushed_at', 'desc')
    .limit(limit)
    .execute();
}

/** One delivery to a group channel (no per-user notification): sent by notifications.deliver. */
export async function insertGroupDelivery(trx: Db, channelId: number, payload: { title: string; body: string; urgent: boolean; at: string }, now: Date): Promise<void> {
  await sql`
    insert into notification_deliveries (notification_id, channel_id, target, payload, status, next_attempt_at, created_at)
    select null, c.id, coalesce(c.config->>'url', ''), ${JSON.stringify({ ...payload, caseId: null, recipient: '' })}::jsonb, 'pending', ${now}, ${now}
    from notification_channels c where c.id = ${channelId} and c.enabled`.execute(trx);
}
