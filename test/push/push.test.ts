import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { planAlertPushes, sweepAlertPushes } from '../../services/alerts/push.js';
import { deliverDue } from '../../services/notifications/deliver.js';
import { createApiFixture, type ApiFixture } from '../api/helpers.js';
import { createUser, sessionFor, type TestUser } from '../helpers/auth.js';

// Alert push and acknowledgement, end to end on a compressed clock: an alert raised → the duty
// officer on shift gets an SMS through the fixture site's fake gateway and the group robot gets the
// push; not acknowledged → the backup after the window, the leader one window later, once each,
// however often and however concurrently the sweep runs; opened or triaged → no re-push.

const BASE = 'http://desk.example';
let f: ApiFixture;
let site: FixtureSite;
let clock = new Date('2026-12-07T04:00:00Z'); // Monday 12:00 Beijing time
let duty1: TestUser;
let duty2: TestUser;
let duty3: TestUser;
let leader: TestUser;
let handler: TestUser;
let robotId: number;
let storySeq = 0;

const at = (iso: string) => new Date(iso);
const plus = (min: number) => (clock = new Date(clock.getTime() + min * 60_000));
const phoneOf = (u: TestUser) => `1380000${String(u.id).padStart(4, '0')}`;
const smsTo = () => site.hooks.received('sms').map((m) => (m.json as { phone: string }).phone);
const deliver = () => deliverDue(f.db, clock, { smtpFrom: 'desk@example.org' });
const asAdmin = async (method: string, path: string, body?: unknown) => f.requestAs(await sessionFor(f.db, f.admin, clock), method, path, body);
const sweep = () => sweepAlertPushes(f.db, clock, BASE);

async function raiseAlert(opts: { title?: string; category?: 'rumour' | 'other'; level?: 'general' | 'major'; ruleIds?: number[] } = {}): Promise<string> {
  storySeq += 1;
  const src = await f.db.insertInto('sources').values({ name: '清河论坛', url: `http://forum.example/${storySeq}`, kind: 'feed' }).returning('id').executeTakeFirstOrThrow();
  const story = await f.db
    .insertInto('stories')
    .values({ title: opts.title ?? '城西化工厂要爆炸了？', simhash: '0', band0: 0, band1: 0, band2: 0, band3: 0, band4: 0, band5: 0, first_seen_at: clock, last_seen_at: clock, item_count: 3, source_count: 3 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await f.db
    .insertInto('items')
    .values({ source_id: src.id, story_id: story.id, url_key: `k${storySeq}`, url: `http://forum.example/t/${storySeq}`, title: '城西化工厂要爆炸了？', published_at: clock, fetched_at: clock, simhash: '0' })
    .execute();
  const alert = await f.db
    .insertInto('alerts')
    .values({ story_id: story.id, suggested_category: opts.category ?? 'rumour', suggested_level: opts.level ?? 'general', negativity: 0.8, rule_ids: opts.ruleIds ?? [], created_at: clock, updated_at: clock })
    .returning('id')
    .executeTakeFirstOrThrow();
  await f.db.transaction().execute((trx) => planAlertPushes(trx, [alert.id], clock, BASE));
  return alert.id;
}

beforeAll(async () => {
  f = await createApiFixture('push', { now: () => clock });
  site = await startFixtureSite({ port: 0, seedPosts: 0, publishIntervalMs: null, clock: () => clock });
  const hostPort = new URL(site.url).host;
  await f.db.insertInto('fetch_allowlist').values({ host_port: hostPort }).execute();
  duty1 = await createUser(f.db, { role: 'duty', displayName: '张三' });
  duty2 = await createUser(f.db, { role: 'duty', displayName: '李四' });
  duty3 = await createUser(f.db, { role: 'duty', displayName: '王五' });
  leader = await createUser(f.db, { role: 'leader', displayName: '赵主任' });
  handler = await createUser(f.db, { role: 'handler' });
  for (const u of [duty1, duty2, duty3, leader]) await f.db.updateTable('users').set({ phone: phoneOf(u) }).where('id', '=', u.id).execute();
  await f.db.insertInto('notification_channels').values({ kind: 'sms', name: '短信网关', config: JSON.stringify({ url: `${site.url}/hooks/sms` }) }).execute();
  robotId = (
    await f.db
      .insertInto('notification_channels')
      .values({ kind: 'webhook', name: '值班群机器人', config: JSON.stringify({ url: `${site.url}/hooks/robot`, format: 'wecom' }), enabled: false })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const shift = await f.db.selectFrom('duty_shifts').select('id').where('name', '=', '白班').executeTakeFirstOrThrow();
  await f.db.insertInto('duty_roster').values({ day: '2026-12-07', shift_id: shift.id, primary_user_id: duty1.id, backup_user_id: duty2.id, leader_user_id: leader.id }).execute();
});
afterAll(async () => {
  await site?.close();
  await f?.tdb.drop();
});

describe('alert push to the duty officer on shift', () => {
  it('pushes at once by SMS to the officer on shift, with the lock-screen text and the desk link', async () => {
    const id = await raiseAlert();
    expect(await deliver()).toMatchObject({ sent: 1, failed: 0 });
    expect(smsTo()).toEqual([phoneOf(duty1)]);
    const text = (site.hooks.received('sms')[0]!.json as { text: string }).text;
    expect(text).toBe(`【舆情预警】清河论坛：城西化工厂要爆炸了？（网传谣言·负面·3 个来源）请及时研判 ${BASE}/desk?alert=${id}`);
    const n = await f.db.selectFrom('notifications').select(['user_id', 'urgent', 'kind']).execute();
    expect(n).toEqual([{ user_id: duty1.id, urgent: true, kind: 'alert' }]);
  });

  it('unacknowledged: the backup after 15 min, the leader 15 min later, exactly once each (sweeps repeated and concurrent)', async () => {
    site.hooks.clear();
    plus(14);
    expect((await sweep()).repushed).toBe(0);
    plus(1);
    const both = await Promise.all([sweep(), sweep(), sweep()]);
    expect(both.reduce((s, r) => s + r.repushed, 0)).toBe(1);
    await deliver();
    expect(smsTo()).toEqual([phoneOf(duty2)]);
    expect((site.hooks.received('sms')[0]!.json as { text: string }).text).toMatch(/^【舆情预警·未确认】清河论坛：/);
    plus(15);
    expect((await sweep()).repushed).toBe(1);
    expect((await sweep()).repushed).toBe(0);
    plus(60);
    expect((await sweep()).repushed).toBe(0);
    await deliver();
    expect(smsTo()).toEqual([phoneOf(duty2), phoneOf(leader)]);
    const fires = await f.db.selectFrom('alert_push_fires').select('step').orderBy('fired_at').execute();
    expect(fires.map((x) => x.step)).toEqual(['initial', 'backup', 'leader']);
  });

  it('opened by a duty officer (POST …/acknowledge): recorded, audited, never re-pushed', async () => {
    site.hooks.clear();
    const id = await raiseAlert({ title: '东门菜市场拆迁补偿' });
    plus(3);
    const s = await sessionFor(f.db, duty3, clock);
    const res = await f.requestAs(s, 'POST', `/api/alerts/${id}/acknowledge`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ acknowledged: true });
    expect(await (await f.requestAs(s, 'POST', `/api/alerts/${id}/acknowledge`)).json()).toEqual({ acknowledged: false });
    const push = await f.db.selectFrom('alert_pushes').selectAll().where('alert_id', '=', id).executeTakeFirstOrThrow();
    expect(push).toMatchObject({ acknowledged_by: duty3.id, acknowledged_via: 'opened', next_step: null });
    expect(await f.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'alert.acknowledge').where('entity_id', '=', id).execute()).toEqual([{ actor_id: duty3.id }]);
    plus(60);
    expect((await sweep()).repushed).toBe(0);
  });

  it('triaged before the window ends counts as acknowledged', async () => {
    const id = await raiseAlert({ title: '公交线路调整' });
    await f.db.updateTable('alerts').set({ status: 'dismissed', dismiss_reason: 'irrelevant', dismissed_at: clock }).where('id', '=', id).execute();
    plus(20);
    expect(await sweep()).toMatchObject({ repushed: 0, acknowledged: 1 });
    expect(await f.db.selectFrom('alert_pushes').select('acknowledged_via').where('alert_id', '=', id).executeTakeFirstOrThrow()).toEqual({ acknowledged_via: 'triaged' });
  });

  it('in a heightened period the window is 5 minutes; the group robot receives the push', async () => {
    await f.db.insertInto('heightened_periods').values({ name: '元旦', starts_at: at('2026-12-01T00:00:00Z'), ends_at: at('2026-12-31T00:00:00Z'), factor: 0.5 }).execute();
    const r = await asAdmin('PUT', '/api/push-policy', { mode: 'all', groupChannelId: robotId });
    expect(r.status).toBe(200);
    await f.db.updateTable('notification_channels').set({ enabled: true }).where('id', '=', robotId).execute();
    site.hooks.clear();
    const id = await raiseAlert({ title: '自来水发黄' });
    await deliver();
    const robot = site.hooks.received('robot').map((m) => JSON.stringify(m.json));
    expect(robot.some((b) => b.includes(`【舆情预警】清河论坛：自来水发黄`) && b.includes(`/desk?alert=${id}`))).toBe(true);
    // the group message's time is Beijing time in the office's form, as every other message's
    const group = await f.db.selectFrom('notification_deliveries').select('payload').where('channel_id', '=', robotId).where('notification_id', 'is', null).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect((group.payload as { at: string }).at).toBe(`12月${clock.getUTCDate()}日 ${String(clock.getUTCHours() + 8).padStart(2, '0')}:${String(clock.getUTCMinutes()).padStart(2, '0')}`);
    expect((await f.db.selectFrom('alert_pushes').select('ack_window_s').where('alert_id', '=', id).executeTakeFirstOrThrow()).ack_window_s).toBe(300);
    plus(5);
    expect((await sweep()).repushed).toBe(1);
    await f.db.updateTable('notification_channels').set({ enabled: false }).where('id', '=', robotId).execute();
    await f.db.deleteFrom('heightened_periods').execute();
    await asAdmin('PUT', '/api/push-policy', { mode: 'all' });
  });

  it('outside any shift every duty officer is pushed', async () => {
    await deliver(); // what earlier tests left pending
    clock = at('2026-12-07T13:00:00Z'); // 21:00 Beijing time, no night shift rostered
    site.hooks.clear();
    await raiseAlert({ title: '夜间噪音扰民' });
    await deliver();
    expect(smsTo().sort()).toEqual([phoneOf(duty1), phoneOf(duty2), phoneOf(duty3)].sort());
  });

  it("a rule's policy filters what is pushed (suggested level ≥ major); the sweep plans pushes the crawl missed", async () => {
    const rule = await f.db
      .insertInto('rules')
      .values({ name: '重大', expression: '爆炸', push_policy: JSON.stringify({ mode: 'filter', minLevel: 'major' }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const quiet = await raiseAlert({ title: '一般信息', ruleIds: [rule.id], level: 'general' });
    const loud = await raiseAlert({ title: '重大信息', ruleIds: [rule.id], level: 'major' });
    const pushed = await f.db.selectFrom('alert_pushes').select('alert_id').where('alert_id', 'in', [quiet, loud]).execute();
    expect(pushed.map((p) => p.alert_id)).toEqual([loud]);
    // an alert raised with no planning (a crawl that died before it): the sweep's catch-up pushes it once
    const story = await f.db.selectFrom('alerts').select('story_id').where('id', '=', loud).executeTakeFirstOrThrow();
    const orphan = await f.db.insertInto('alerts').values({ story_id: (await f.db.insertInto('stories').values({ title: '漏推', simhash: '1', band0: 0, band1: 0, band2: 0, band3: 0, band4: 0, band5: 0, first_seen_at: clock, last_seen_at: clock }).returning('id').executeTakeFirstOrThrow()).id, created_at: clock, updated_at: clock }).returning('id').executeTakeFirstOrThrow();
    expect(story).toBeTruthy();
    expect((await sweep()).planned).toBe(1);
    expect((await sweep()).planned).toBe(0);
    expect(await f.db.selectFrom('alert_pushes').select('alert_id').where('alert_id', '=', orphan.id).execute()).toHaveLength(1);
  });
});

describe('push policy on a rule (API)', () => {
  it('creates and patches a rule with its push policy; null falls back to the default', async () => {
    const created = await asAdmin('POST', '/api/rules', { name: '化工', expression: '化工+爆炸', pushPolicy: { mode: 'filter', negative: true, ackMinutes: 10 } });
    expect(created.status).toBe(201);
    const rule = await created.json();
    expect(rule.pushPolicy).toMatchObject({ mode: 'filter', negative: true, ackMinutes: 10, heightenedAckMinutes: 5 });
    const patched = await (await asAdmin('PATCH', `/api/rules/${rule.id}`, { pushPolicy: null })).json();
    expect(patched.pushPolicy).toBeNull();
    expect((await asAdmin('PATCH', `/api/rules/${rule.id}`, { pushPolicy: { mode: 'loud' } })).status).toBe(400);
  });
});

describe('security', () => {
  it('only duty officers and admins acknowledge; only admins read or change the push policy', async () => {
    const id = (await f.db.selectFrom('alerts').select('id').executeTakeFirstOrThrow()).id;
    const h = await sessionFor(f.db, handler, clock);
    expect((await f.requestAs(h, 'POST', `/api/alerts/${id}/acknowledge`)).status).toBe(403);
    expect((await f.requestAs(null, 'POST', `/api/alerts/${id}/acknowledge`)).status).toBe(401);
    expect((await asAdmin('POST', '/api/alerts/999999/acknowledge')).status).toBe(404);
    const d = await sessionFor(f.db, duty1, clock);
    expect((await f.requestAs(d, 'PUT', '/api/push-policy', { mode: 'none' })).status).toBe(403);
    expect((await f.requestAs(d, 'GET', '/api/push-policy')).status).toBe(403);
    expect((await asAdmin('PUT', '/api/push-policy', { mode: 'sometimes' })).status).toBe(400);
    expect((await asAdmin('PUT', '/api/push-policy', { mode: 'all', groupChannelId: 99999 })).status).toBe(400);
  });
});
