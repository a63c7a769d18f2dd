import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../platform/queues.js';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import { planAlertPushes, publishAll, sweepAlertPushes } from '../../services/alerts/push.js';
import { JOBS, type JobContext } from '../../worker/jobs/registry.js';
import { createApiFixture, type ApiFixture } from '../api/helpers.js';
import { createUser, type TestUser } from '../helpers/auth.js';

// Pushes are live: every notification an alert push or re-push writes is announced by a
// `notification.created` event published after the transaction commits, so the recipient's unread
// count moves at once rather than on the next refresh.

const BASE = 'http://desk.example';
let f: ApiFixture;
let clock = new Date('2026-12-07T04:00:00Z'); // Monday 12:00 Beijing time
let duty1: TestUser;
let duty2: TestUser;
let leader: TestUser;
let seq = 0;

const plus = (min: number) => (clock = new Date(clock.getTime() + min * 60_000));

async function insertAlert(title: string): Promise<string> {
  seq += 1;
  const story = await f.db
    .insertInto('stories')
    .values({ title, simhash: '0', band0: 0, band1: 0, band2: 0, band3: 0, band4: 0, band5: 0, first_seen_at: clock, last_seen_at: clock, item_count: 2, source_count: 2 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const alert = await f.db
    .insertInto('alerts')
    .values({ story_id: story.id, suggested_category: 'rumour', suggested_level: 'general', negativity: 0.8, rule_ids: [], created_at: clock, updated_at: clock })
    .returning('id')
    .executeTakeFirstOrThrow();
  return alert.id;
}

/** The notification rows written since `after` (id order), as the events they should produce. */
type Created = Extract<AppEvent, { type: 'notification.created' }>;
async function notificationsAfter(after: string): Promise<Created[]> {
  const rows = await f.db.selectFrom('notifications').select(['id', 'user_id']).where('id', '>', after).orderBy('id').execute();
  return rows.map((r) => ({ type: 'notification.created' as const, userId: r.user_id, notificationId: String(r.id) }));
}
const lastNotificationId = async () => String((await f.db.selectFrom('notifications').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? '0');

beforeAll(async () => {
  f = await createApiFixture('push_events', { now: () => clock });
  duty1 = await createUser(f.db, { role: 'duty', displayName: '张三' });
  duty2 = await createUser(f.db, { role: 'duty', displayName: '李四' });
  leader = await createUser(f.db, { role: 'leader', displayName: '赵主任' });
  const shift = await f.db.selectFrom('duty_shifts').select('id').where('name', '=', '白班').executeTakeFirstOrThrow();
  await f.db.insertInto('duty_roster').values({ day: '2026-12-07', shift_id: shift.id, primary_user_id: duty1.id, backup_user_id: duty2.id, leader_user_id: leader.id }).execute();
});
afterAll(async () => {
  await f?.tdb.drop();
});

describe('notification.created events of alert pushes', () => {
  it('planAlertPushes collects one event per pushed notification, published only after commit', async () => {
    const before = await lastNotificationId();
    const id = await insertAlert('城西化工厂要爆炸了？');
    const events: AppEvent[] = [];
    const published: AppEvent[] = [];
    await f.db.transaction().execute(async (trx) => {
      expect(await planAlertPushes(trx, [id], clock, BASE, events)).toBe(1);
      expect(published).toEqual([]);
    });
    await publishAll(events, async (ev) => void published.push(ev));
    const rows = await notificationsAfter(before);
    expect(rows).toEqual([{ type: 'notification.created', userId: duty1.id, notificationId: rows[0]!.notificationId }]);
    expect(published).toEqual(rows);
    // planned again (idempotent): nothing written, nothing to publish
    const again: AppEvent[] = [];
    await f.db.transaction().execute((trx) => planAlertPushes(trx, [id], clock, BASE, again));
    expect(again).toEqual([]);
  });

  it('the alerts.sweep job publishes the events of its catch-up pushes and of each re-push step', async () => {
    const published: AppEvent[] = [];
    const enqueued: string[] = [];
    const def = JOBS.find((d) => d.name === 'alerts.sweep')!;
    const ctx = {
      config: { HOST: '127.0.0.1', PORT: 3000, PUBLIC_URL: BASE } as unknown as Config,
      db: f.db,
      logger: { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} } as unknown as Logger,
      now: () => clock,
      publish: async (ev: AppEvent) => void published.push(ev),
      enqueue: async (name: string) => void enqueued.push(name),
    } as unknown as JobContext;
    expect(def.enqueues).toContain('notifications.deliver');
    const tick = def.handler(ctx) as unknown as () => Promise<{ planned: number; repushed: number }>;

    // catch-up: an alert the crawl never planned
    plus(1);
    let before = await lastNotificationId();
    await insertAlert('自来水发黄');
    expect(await tick()).toMatchObject({ planned: 1 });
    expect(enqueued).toEqual(['notifications.deliver']); // the push is delivered now, not on the next tick
    let rows = await notificationsAfter(before);
    expect(rows.map((r) => r.userId)).toEqual([duty1.id]);
    expect(published).toEqual(rows);

    // the first alert's window (15 min) ends: the backup; one window later: the leader
    published.length = 0;
    plus(14);
    before = await lastNotificationId();
    expect((await tick()).repushed).toBeGreaterThanOrEqual(1);
    rows = await notificationsAfter(before);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(new Set(rows.map((r) => r.userId))).toEqual(new Set([duty2.id]));
    expect(published).toEqual(rows);

    published.length = 0;
    plus(16);
    before = await lastNotificationId();
    expect((await tick()).repushed).toBeGreaterThanOrEqual(1);
    rows = await notificationsAfter(before);
    expect(rows.some((r) => r.userId === leader.id)).toBe(true);
    expect(published).toEqual(rows);

    // nothing due: nothing published, no delivery asked for
    published.length = 0;
    enqueued.length = 0;
    expect(await tick()).toMatchObject({ planned: 0, repushed: 0 });
    expect(enqueued).toEqual([]);
    expect((await sweepAlertPushes(f.db, clock, BASE, { publish: async (ev) => void published.push(ev) })).repushed).toBe(0);
    expect(published).toEqual([]);
  });

  it('a failing publisher never undoes or stops the sweep', async () => {
    plus(1);
    await insertAlert('夜间噪音扰民');
    const r = await sweepAlertPushes(f.db, clock, BASE, { publish: async () => Promise.reject(new Error('redis down')) });
    expect(r.planned).toBe(1);
  });
});
