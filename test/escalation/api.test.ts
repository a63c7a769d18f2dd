import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startSession } from '../../server/modules/auth/session.js';
import { insertNotification } from '../../db/repos/notifications.js';
import type { AppEvent } from '../../platform/queues.js';
import { eventVisibleTo } from '../../platform/queues.js';
import { createApiFixture, errorOf, type ApiFixture } from '../api/helpers.js';
import { HOUR, makeCase, makeDept, makeObligation, makeUser, type UserInit } from './fixtures.js';
import { startReceiver, startSmtpSink, type Receiver, type SmtpSink } from './local-servers.js';

// Notifications, notification channels and the typed escalation paths through the real app.

const NOW = new Date('2026-11-05T02:00:00Z');
let f: ApiFixture;
let receiver: Receiver;
let sink: SmtpSink;
const emitted: AppEvent[] = [];

interface Who {
  id: number;
  headers: Record<string, string>;
}

async function user(init: UserInit): Promise<Who> {
  const id = await makeUser(f.db, init);
  const s = await startSession(f.db, { SESSION_MAX_HOURS: 12 }, id, { now: NOW });
  return { id, headers: { cookie: `od_session=${s.token}`, 'x-csrf-token': s.csrfToken } };
}

const as = (who: Who, method: string, path: string, body?: unknown) => f.request(method, path, body, who.headers);

let dept: number;
let coDept: number;
let otherDept: number;
let admin: Who, duty: Who, reviewer: Who, leader: Who, handler: Who, coHandler: Who, otherHandler: Who;

beforeAll(async () => {
  f = await createApiFixture('escapi', { now: () => NOW });
  f.events.subscribe((ev) => void emitted.push(ev));
  receiver = await startReceiver();
  sink = await startSmtpSink();
  dept = await makeDept(f.db);
  coDept = await makeDept(f.db);
  otherDept = await makeDept(f.db);
  admin = await user({ role: 'admin', email: 'admin@example.test' });
  duty = await user({ role: 'duty' });
  reviewer = await user({ role: 'reviewer' });
  leader = await user({ role: 'leader', leaderRank: 'in_charge' });
  handler = await user({ role: 'handler', departmentId: dept });
  coHandler = await user({ role: 'handler', departmentId: coDept });
  otherHandler = await user({ role: 'handler', departmentId: otherDept });
});
afterAll(async () => {
  await receiver?.close();
  await sink?.close();
  await f?.tdb.drop();
});

describe('GET /api/notifications', () => {
  it('lists only my notifications, newest first, with keyset pages and the unread count; others’ ids are 404', async () => {
    const me = await user({ role: 'reviewer' });
    const other = await user({ role: 'reviewer' });
    const ids: string[] = [];
    await f.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 5; i++) {
        const at = new Date(NOW.getTime() - (5 - i) * 60_000);
        ids.push(await insertNotification(trx, { userId: me.id, caseId: null, kind: 'test', title: `通知${i}`, body: '', urgent: false }, at, at));
      }
    });
    const theirs = await f.db.transaction().execute((trx) =>
      insertNotification(trx, { userId: other.id, caseId: null, kind: 'test', title: '别人的', body: '', urgent: false }, NOW, NOW),
    );
    const p1 = await as(me, 'GET', '/api/notifications?limit=3');
    expect(p1.status).toBe(200);
    const b1 = (await p1.json()) as { items: { id: string; title: string }[]; nextCursor: string | null; unreadCount: number };
    expect(b1.items.map((n) => n.title)).toEqual(['通知4', '通知3', '通知2']);
    expect(b1.unreadCount).toBe(5);
    const p2 = (await (await as(me, 'GET', `/api/notifications?limit=3&cursor=${b1.nextCursor}`)).json()) as typeof b1;
    expect(p2.items.map((n) => n.title)).toEqual(['通知1', '通知0']);
    expect(p2.nextCursor).toBeNull();

    const r = await as(me, 'POST', `/api/notifications/${ids[0]}/read`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { unreadCount: number }).unreadCount).toBe(4);
    const denied = await as(me, 'POST', `/api/notifications/${theirs}/read`);
    expect(denied.status).toBe(404);
    expect((await errorOf(denied)).code).toBe('NOT_FOUND');
    const unreadOnly = (await (await as(me, 'GET', '/api/notifications?unread=1')).json()) as typeof b1;
    expect(unreadOnly.items).toHaveLength(4);
    const all = await as(me, 'POST', '/api/notifications/read-all');
    expect(await all.json()).toEqual({ updated: 4, unreadCount: 0 });
    const theirRow = await f.db.selectFrom('notifications').select('read_at').where('id', '=', theirs).executeTakeFirstOrThrow();
    expect(theirRow.read_at).toBeNull();
  });

  it('requires sign-in and the CSRF token', async () => {
    expect((await f.requestAs(null, 'GET', '/api/notifications')).status).toBe(401);
    const noCsrf = await f.requestAs(null, 'POST', '/api/notifications/read-all', undefined, { cookie: reviewer.headers.cookie });
    expect(noCsrf.status).toBe(403);
  });

  it('relays notification events only to their own user', () => {
    const ev: AppEvent = { type: 'notification.created', userId: 7, notificationId: '1' };
    expect(eventVisibleTo(ev, 7)).toBe(true);
    expect(eventVisibleTo(ev, 8)).toBe(false);
    expect(eventVisibleTo(ev, null)).toBe(false);
    expect(eventVisibleTo({ type: 'case.updated', caseId: '1' }, 8)).toBe(true);
  });
});

describe('POST /api/cases/{id}/reports-up and /referrals', () => {
  it('a report-up meets the report obligation on time; a late referral meets it late; both audited', async () => {
    const start = new Date(NOW.getTime() - 2 * HOUR);
    const caseId = await makeCase(f.db, { level: 'major', category: 'rumour', leadDepartmentId: dept, openedAt: start });
    const report = await makeObligation(f.db, caseId, { kind: 'report', startedAt: start, hours: 1 });
    const referral = await makeObligation(f.db, caseId, { kind: 'referral', startedAt: start, hours: 1, seq: 1 });
    const onTimeAt = new Date(start.getTime() + 30 * 60_000).toISOString();
    const r = await as(duty, 'POST', `/api/cases/${caseId}/reports-up`, { recipient: '县委办', content: '已电话报告', reportedAt: onTimeAt });
    expect(r.status).toBe(201);
    const body = (await r.json()) as { id: string; reportedAt: string; met: { id: string; onTime: boolean }[] };
    expect(body.reportedAt).toBe(onTimeAt);
    expect(body.met).toEqual([{ id: report, kind: 'report', onTime: true }]);
    const ob = await f.db.selectFrom('obligations').select(['status', 'on_time', 'met_by']).where('id', '=', report).executeTakeFirstOrThrow();
    expect(ob).toEqual({ status: 'met', on_time: true, met_by: `report_up:${body.id}` });

    const ref = await as(reviewer, 'POST', `/api/cases/${caseId}/referrals`, { target: 'public_security', recipient: '县公安局', content: '线索移交' });
    expect(ref.status).toBe(201);
    expect(((await ref.json()) as { met: unknown[] }).met).toEqual([{ id: referral, kind: 'referral', onTime: false }]);
    const audit = await sql<{ action: string; actor_id: number }>`select action, actor_id from audit_log where case_id = ${caseId} order by id`.execute(f.db);
    expect(audit.rows).toEqual([
      { action: 'case.report_up', actor_id: duty.id },
      { action: 'case.referral', actor_id: reviewer.id },
    ]);
    const list = (await (await as(leader, 'GET', `/api/cases/${caseId}/escalations`)).json()) as { reportsUp: unknown[]; referrals: { recipient: string }[] };
    expect(list.reportsUp).toHaveLength(1);
    expect(list.referrals[0].recipient).toBe('县公安局');
    expect(emitted).toContainEqual({ type: 'case.updated', caseId });
  });

  it('refuses roles that may not, a report time in the future, and closed cases', async () => {
    const caseId = await makeCase(f.db, { leadDepartmentId: dept, openedAt: new Date(NOW.getTime() - HOUR) });
    expect((await as(handler, 'POST', `/api/cases/${caseId}/reports-up`, { recipient: 'x', content: 'y' })).status).toBe(403);
    expect((await as(leader, 'POST', `/api/cases/${caseId}/referrals`, { target: 'cyberspace', recipient: 'x', content: 'y' })).status).toBe(403);
    const future = await as(duty, 'POST', `/api/cases/${caseId}/reports-up`, { recipient: 'x', content: 'y', reportedAt: new Date(NOW.getTime() + HOUR).toISOString() });
    expect(future.status).toBe(400);
    expect((await as(duty, 'POST', `/api/cases/999999/reports-up`, { recipient: 'x', content: 'y' })).status).toBe(404);
    const closed = await makeCase(f.db, { leadDepartmentId: dept, openedAt: NOW, status: 'closed' });
    expect((await as(duty, 'POST', `/api/cases/${closed}/reports-up`, { recipient: 'x', content: 'y' })).status).toBe(409);
  });
});

describe('POST /api/cases/{id}/coordinations', () => {
  it('the lead department coordinates and the co-department handlers are notified; a co-department gets 403, another department 404', async () => {
    const caseId = await makeCase(f.db, { leadDepartmentId: dept, coDepartmentIds: [coDept], openedAt: NOW });
    const r = await as(handler, 'POST', `/api/cases/${caseId}/coordinations`, { content: '请协办单位于今日18时前反馈核实情况' });
    expect(r.status).toBe(201);
    const body = (await r.json()) as { notified: number[]; fromDepartmentId: number };
    expect(body).toMatchObject({ notified: [coHandler.id], fromDepartmentId: dept });
    const mine = (await (await as(coHandler, 'GET', '/api/notifications')).json()) as { items: { kind: string; caseId: string }[] };
    expect(mine.items[0]).toMatchObject({ kind: 'coordination', caseId });
    expect(emitted).toContainEqual(expect.objectContaining({ type: 'notification.created', userId: coHandler.id }));
    expect((await as(coHandler, 'POST', `/api/cases/${caseId}/coordinations`, { content: 'x' })).status).toBe(403);
    expect((await as(otherHandler, 'POST', `/api/cases/${caseId}/coordinations`, { content: 'x' })).status).toBe(404);
    expect((await as(otherHandler, 'GET', `/api/cases/${caseId}/escalations`)).status).toBe(404);
    expect((await as(reviewer, 'POST', `/api/cases/${caseId}/coordinations`, { content: '审核人协调' })).status).toBe(201);
    expect((await as(duty, 'POST', `/api/cases/${caseId}/coordinations`, { content: 'x' })).status).toBe(403);
  });
});

describe('/api/notification-channels', () => {
  it('admin creates, lists with failures, patches, tests (webhook and SMTP) and deletes channels; others get 403', async () => {
    expect((await as(reviewer, 'GET', '/api/notification-channels')).status).toBe(403);
    // A private receiver must be allow-listed first.
    const refused = await as(admin, 'POST', '/api/notification-channels', { kind: 'webhook', name: 'wecom', config: { url: `${receiver.url}/hook`, format: 'wecom' } });
    expect(refused.status).toBe(400);
    await f.db.insertInto('fetch_allowlist').values({ host_port: receiver.hostPort }).execute();
    const created = await as(admin, 'POST', '/api/notification-channels', { kind: 'webhook', name: 'wecom', config: { url: `${receiver.url}/hook`, format: 'wecom' } });
    expect(created.status).toBe(201);
    const ch = (await created.json()) as { id: number; deliveries: { pending: number } };
    expect(ch.deliveries.pending).toBe(0);

    const tested = await as(admin, 'POST', `/api/notification-channels/${ch.id}/test`);
    expect(await tested.json()).toEqual({ ok: true, error: null });
    expect(receiver.requests.at(-1)?.body).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('测试消息') } });
    receiver.script.push(500);
    expect(await (await as(admin, 'POST', `/api/notification-channels/${ch.id}/test`)).json()).toEqual({ ok: false, error: expect.stringMatching(/HTTP 500/) });

    // The sink is on loopback: like a webhook receiver, it must be allow-listed first.
    await f.db.insertInto('fetch_allowlist').values({ host_port: new URL(sink.url).host }).execute();
    const mail = await as(admin, 'POST', '/api/notification-channels', { kind: 'email', name: '邮件', config: { smtpUrl: sink.url.replace('smtp://', 'smtp://u:secret@'), from: 'desk@example.test' } });
    expect(mail.status).toBe(201);
    const mailCh = (await mail.json()) as { id: number; config: { smtpUrl: string } };
    expect(mailCh.config.smtpUrl).not.toContain('secret');
    await f.db.updateTable('notification_channels').set({ config: JSON.stringify({ smtpUrl: sink.url, from: 'desk@example.test' }) }).where('id', '=', mailCh.id).execute();
    expect(await (await as(admin, 'POST', `/api/notification-channels/${mailCh.id}/test`)).json()).toEqual({ ok: true, error: null });
    expect(sink.messages.at(-1)?.to).toEqual(['admin@example.test']);

    // A delivery that failed for good is listed on its channel.
    const note = await f.db.transaction().execute((trx) =>
      insertNotification(trx, { userId: reviewer.id, caseId: null, kind: 'test', title: 'x', body: '', urgent: true }, NOW, NOW),
    );
    await f.db.updateTable('notification_deliveries').set({ status: 'failed', attempts: 8, last_error: 'attempt 8: HTTP 503' }).where('notification_id', '=', note).where('channel_id', '=', ch.id).execute();
    const list = (await (await as(admin, 'GET', '/api/notification-channels')).json()) as {
      items: { id: number; deliveries: { failed: number }; recentFailures: { lastError: string; attempts: number }[] }[];
    };
    const hook = list.items.find((i) => i.id === ch.id)!;
    expect(hook.deliveries.failed).toBe(1);
    expect(hook.recentFailures[0]).toMatchObject({ lastError: 'attempt 8: HTTP 503', attempts: 8 });

    const patched = await as(admin, 'PATCH', `/api/notification-channels/${ch.id}`, { enabled: false });
    expect(((await patched.json()) as { enabled: boolean }).enabled).toBe(false);
    expect((await as(admin, 'DELETE', `/api/notification-channels/${mailCh.id}`)).status).toBe(200);
    expect((await as(admin, 'GET', `/api/notification-channels/${mailCh.id}`)).status).toBe(404);
    const actions = await sql<{ action: string; text: string }>`
      select action, coalesce(before::text, '') || coalesce(after::text, '') as text from audit_log where entity = 'notification_channel' order by id`.execute(f.db);
    expect(actions.rows.map((r) => r.action)).toEqual(['channel.create', 'channel.test', 'channel.test', 'channel.create', 'channel.test', 'channel.update', 'channel.delete']);
    // The SMTP password is masked in the audit rows as in the view.
    expect(actions.rows.map((r) => r.text).join('\n')).not.toContain('secret');
  });

  it('an SMS gateway channel test goes to the number given, else to the admin’s own phone, in Chinese only', async () => {
    const hp = receiver.hostPort;
    if (!(await f.db.selectFrom('fetch_allowlist').select('host_port').where('host_port', '=', hp).executeTakeFirst())) {
      await f.db.insertInto('fetch_allowlist').values({ host_port: hp }).execute();
    }
    const created = await as(admin, 'POST', '/api/notification-channels', {
      kind: 'sms',
      name: '短信网关',
      config: { url: `${receiver.url}/sms`, method: 'POST', headers: { 'X-Api-Key': 'k1' }, bodyTemplate: '{"mobile":"{phone}","content":"{text}"}' },
    });
    expect(created.status).toBe(201);
    const ch = (await created.json()) as { id: number };
    // No number given and none set on the admin: nothing is sent, and the admin is told what to do.
    await f.db.updateTable('users').set({ phone: null }).where('id', '=', admin.id).execute();
    const before = receiver.requests.length;
    const none = (await (await as(admin, 'POST', `/api/notification-channels/${ch.id}/test`, {})).json()) as { ok: boolean; error: string };
    expect(none.ok).toBe(false);
    expect(none.error).toContain('手机号');
    expect(receiver.requests.length).toBe(before);

    expect(await (await as(admin, 'POST', `/api/notification-channels/${ch.id}/test`, { phone: '13700001111' })).json()).toEqual({ ok: true, error: null });
    expect(receiver.requests.at(-1)).toMatchObject({ path: '/sms', body: { mobile: '13700001111', content: expect.stringContaining('测试消息') } });
    expect(receiver.requests.at(-1)!.body.content).not.toMatch(/[A-Za-z]{2,}/);

    await f.db.updateTable('users').set({ phone: '15900002222' }).where('id', '=', admin.id).execute();
    expect(await (await as(admin, 'POST', `/api/notification-channels/${ch.id}/test`)).json()).toEqual({ ok: true, error: null });
    expect(receiver.requests.at(-1)!.body.mobile).toBe('15900002222');

    const bad = await as(admin, 'POST', `/api/notification-channels/${ch.id}/test`, { phone: '12345' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).details.issues[0]).toMatchObject({ path: 'phone', messageZh: '不是有效的手机号（11 位，以 13–19 开头）' });
    const rows = await f.db.selectFrom('audit_log').select(['action', 'after']).where('entity', '=', 'notification_channel').where('entity_id', '=', String(ch.id)).orderBy('id').execute();
    expect(rows.map((r) => [r.action, (r.after as { phone?: string; ok?: boolean }).phone, (r.after as { ok?: boolean }).ok])).toEqual([
      ['channel.create', undefined, undefined],
      ['channel.test', '', false],
      ['channel.test', '13700001111', true],
      ['channel.test', '15900002222', true],
    ]);
  });
});
