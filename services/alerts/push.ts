import type { Db } from '../../db/client.js';
import * as repo from '../../db/repos/alert-pushes.js';
import { writeAudit } from '../../db/repos/audit.js';
import { deadlineContext } from '../../db/repos/policies.js';
import { dutyOfficerIds, leadersInCharge } from '../../db/repos/roster.js';
import { ackWindowMs, alertLink, policyFor, pushParams, stepAfter, type RepushStep } from '../../core/alert-push.js';
import { renderNotice } from '../../core/notices.js';
import { beijingShortZh } from '../../core/business-time.js';
import { createdEvents, notify, type Notice } from '../notifications/notify.js';
import type { AppEvent } from '../../platform/queues.js';
import { onDutyNow } from '../roster/service.js';

// Alert pushes: when the crawl raises an alert, push it at once (if the rule's policy, or the
// office default, says so) to the duty officer on shift — outside any shift to every duty officer
// — and to the policy's group channel. A push asks for acknowledgement (the alert opened or
// triaged); unacknowledged after the window, the sweep pushes it to the backup, then (one more
// window later) to the leader on duty, exactly once each. Pushes are urgent: quiet hours never
// hold them back.

/** Alerts newer than this with no push are planned by the sweep (a crawl that died before planning). */
export const CATCH_UP_MS = 30 * 60_000;
const SWEEP_BATCH = 100;

const STEP_KEY = { backup: 'alert.repush_backup', leader: 'alert.repush_leader' } as const;

/** Publishes events after commit; a failed publish never undoes a push (the unread count refreshes anyway). */
export type Publish = (ev: AppEvent) => Promise<void>;

/** Writes the notices and collects their `notification.created` events (to publish after commit). */
async function notifyCollect(trx: Db, notices: Notice[], now: Date, events: AppEvent[] | undefined): Promise<void> {
  const ids = await notify(trx, notices, now);
  events?.push(...createdEvents(notices, ids));
}

export async function publishAll(events: readonly AppEvent[], publish: Publish | undefined): Promise<void> {
  if (publish) for (const ev of events) await publish(ev).catch(() => {});
}

/**
 * Plans and sends the pushes of new alerts, in the caller's transaction (idempotent per alert).
 * Returns how many were pushed; the pushed notifications' `notification.created` events are
 * appended to `events`, for the caller to publish after commit.
 */
export async function planAlertPushes(trx: Db, alertIds: readonly string[], now: Date, baseUrl: string, events?: AppEvent[]): Promise<number> {
  if (alertIds.length === 0) return 0;
  const [alerts, fallback, ctx] = await Promise.all([repo.alertsForPush(trx, alertIds), repo.loadPushDefault(trx), deadlineContext(trx)]);
  let pushed = 0;
  for (const a of alerts) {
    if (a.status !== 'new') continue;
    const policy = policyFor(a.rulePolicies, fallback, { negativity: a.negativity, spike: a.spike, heat: a.heat, level: a.level });
    if (!policy) continue;
    const windowMs = ackWindowMs(policy, ctx.periods, now);
    const params = { ...pushParams(a, alertLink(baseUrl, a.id)), ackMinutes: Math.round(windowMs / 60_000) };
    const duty = await onDutyNow(trx, now);
    const recipients = duty ? [duty.primary] : await dutyOfficerIds(trx);
    const text = renderNotice('alert.push', params, 'zh').title;
    const ruleId = a.ruleIds.find((_, i) => a.rulePolicies[i] === policy) ?? null;
    const pushId = await repo.insertPush(
      trx,
      { alertId: a.id, ruleId, text, ackWindowS: Math.round(windowMs / 1000), groupChannelId: policy.groupChannelId, recipientIds: recipients, nextDueAt: new Date(now.getTime() + windowMs) },
      now,
    );
    if (pushId === null) continue;
    await repo.insertFire(trx, pushId, 'initial', recipients, now);
    await notifyCollect(trx, recipients.map((userId) => ({ userId, caseId: null, key: 'alert.push' as const, params, urgent: true })), now, events);
    if (policy.groupChannelId !== null) await groupDelivery(trx, policy.groupChannelId, 'alert.push', params, now);
    await writeAudit(trx, { actor: null, entity: 'alert', entityId: a.id, action: 'alert.push', after: { pushId, recipients, groupChannelId: policy.groupChannelId, ackWindowS: Math.round(windowMs / 1000) } });
    pushed += 1;
  }
  return pushed;
}

async function groupDelivery(trx: Db, channelId: number, key: 'alert.push' | (typeof STEP_KEY)[RepushStep], params: Record<string, string | number>, now: Date) {
  const t = renderNotice(key, params, 'zh');
  await repo.insertGroupDelivery(trx, channelId, { title: t.title, body: t.body, urgent: true, at: beijingShortZh(now) }, now);
}

/** Who a re-push step goes to at `now`: the backup on shift; the leader on duty (else the leaders in charge). */
async function stepRecipients(trx: Db, step: RepushStep, now: Date): Promise<number[]> {
  const duty = await onDutyNow(trx, now);
  if (step === 'backup') return duty?.backup != null ? [duty.backup] : [];
  return duty?.leader != null ? [duty.leader] : leadersInCharge(trx);
}

/**
 * One sweep tick: plans pushes the crawl did not (catch-up), and fires the due re-push steps of
 * unacknowledged pushes, each exactly once (rows taken with skip locked, fires recorded under a
 * primary key), in one transaction per batch. An alert triaged meanwhile counts as acknowledged.
 */
export async function sweepAlertPushes(
  db: Db,
  now: Date,
  baseUrl: string,
  opts: { publish?: Publish } = {},
): Promise<{ planned: number; repushed: number; acknowledged: number }> {
  const missing = await repo.unplannedAlerts(db, new Date(now.getTime() - CATCH_UP_MS), SWEEP_BATCH);
  const planEvents: AppEvent[] = [];
  const planned = missing.length > 0 ? await db.transaction().execute((trx) => planAlertPushes(trx, missing, now, baseUrl, planEvents)) : 0;
  await publishAll(planEvents, opts.publish);
  let repushed = 0;
  let acknowledged = 0;
  for (;;) {
    const events: AppEvent[] = [];
    const n = await db.transaction().execute(async (trx) => {
      const due = await repo.claimDuePushes(trx, now, SWEEP_BATCH);
      for (const p of due) {
        if (p.alertStatus !== 'new') {
          if (await repo.acknowledgePush(trx, p.alertId, null, 'triaged', now)) acknowledged += 1;
          continue;
        }
        const recipients = await stepRecipients(trx, p.step, now);
        const next = stepAfter(p.step);
        await repo.advancePush(trx, p.id, next, next ? new Date(now.getTime() + p.ackWindowS * 1000) : null);
        if (!(await repo.insertFire(trx, p.id, p.step, recipients, now))) continue;
        const [a] = await repo.alertsForPush(trx, [p.alertId]);
        if (!a) continue;
        const params = { ...pushParams(a, alertLink(baseUrl, a.id)), ackMinutes: Math.round(p.ackWindowS / 60) };
        await notifyCollect(trx, recipients.map((userId) => ({ userId, caseId: null, key: STEP_KEY[p.step], params, urgent: true })), now, events);
        if (p.groupChannelId !== null) await groupDelivery(trx, p.groupChannelId, STEP_KEY[p.step], params, now);
        await writeAudit(trx, { actor: null, entity: 'alert', entityId: p.alertId, action: `alert.repush.${p.step}`, after: { pushId: p.id, recipients } });
        repushed += 1;
      }
      return due.length;
    });
    await publishAll(events, opts.publish);
    if (n < SWEEP_BATCH) break;
  }
  return { planned, repushed, acknowledged };
}

/** A duty officer opened or triaged the alert: its push is acknowledged (recorded, audited). Returns whether this call acknowledged it. */
export async function acknowledgeAlert(db: Db, alertId: string, user: { id: number; name: string; ip?: string }, via: 'opened' | 'triaged', now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const pushId = await repo.acknowledgePush(trx, alertId, user.id, via, now);
    if (pushId === null) return false;
    await writeAudit(trx, { actor: { id: user.id, name: user.name, ip: user.ip ?? '' }, entity: 'alert', entityId: alertId, action: 'alert.acknowledge', after: { pushId, via } });
    return true;
  });
}

/** The dashboard address for links in pushes. */
export const publicBaseUrl = (config: { PUBLIC_URL?: string; HOST: string; PORT: number }): string => config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
