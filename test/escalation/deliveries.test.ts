import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEFAULT_POLICY } from '../../core/workflow/index.js';
import { insertNotification } from '../../db/repos/notifications.js';
import { sweepDueSteps } from '../../worker/jobs/cases.sweep.js';
import { backoffMs, deliverDue, MAX_ATTEMPTS, webhookBody } from '../../services/notifications/deliver.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { HOUR, makeCase, makeObligation, makeOffice, makeUser } from './fixtures.js';
import { startReceiver, startSmtpSink, type Receiver, type SmtpSink } from './local-servers.js';

let t: TestDb;
let receiver: Receiver;
let sink: SmtpSink;
let office: Awaited<ReturnType<typeof makeOffice>>;
const T0 = new Date('2026-11-02T02:00:00Z');
const deliverOpts = () => ({ smtpFrom: 'desk@example.test' });

beforeAll(async () => {
  t = await createTestDb('escdeliver');
  receiver = await startReceiver();
  sink = await startSmtpSink();
  office = await makeOffice(t.db);
});
afterAll(async () => {
  await receiver?.close();
  await sink?.close();
  await t?.drop();
});
beforeEach(async () => {
  await t.db.deleteFrom('notification_channels').execute();
  await t.db.deleteFrom('fetch_allowlist').execute();
  receiver.requests.length = 0;
  receiver.script.length = 0;
  sink.messages.length = 0;
});

async function webhook(format: 'json' | 'wecom' | 'dingtalk', path = `/${format}`): Promise<number> {
  const r = await t.db
    .insertInto('notification_channels')
    .values({ kind: 'webhook', name: `hook-${format}`, config: JSON.stringify({ url: `${receiver.url}${path}`, format }) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

async function allow(hostPort: string) {
  await t.db.insertInto('fetch_allowlist').values({ host_port: hostPort }).execute();
}

async function deliveries() {
  return t.db.selectFrom('notification_deliveries').selectAll().orderBy('id').execute();
}

describe('notifications.deliver', () => {
  it('posts a swept notification to webhooks in all three formats (allow-listed local receiver)', async () => {
    await allow(receiver.hostPort);
    await webhook('json');
    await webhook('wecom');
    await webhook('dingtalk');
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    const now = new Date(T0.getTime() + 48 * HOUR);
    await sweepDueSteps(t.db, now, { quiet: null, policies: DEFAULT_POLICY });
    const notes = await t.db.selectFrom('notifications').select(['id', 'title']).where('case_id', '=', caseId).execute();
    expect(notes.length).toBeGreaterThan(0);
    const r = await deliverDue(t.db, now, deliverOpts());
    expect(r).toEqual({ sent: notes.length * 3, failed: 0 });
    const json = receiver.requests.filter((q) => q.path === '/json');
    const wecom = receiver.requests.filter((q) => q.path === '/wecom');
    const ding = receiver.requests.filter((q) => q.path === '/dingtalk');
    expect(json).toHaveLength(notes.length);
    // The time people read is Beijing time text, never an ISO / UTC string.
    expect(json[0].body).toMatchObject({ caseId, urgent: expect.any(Boolean), at: '11月4日 10:00' });
    expect(notes.map((n) => n.title)).toContain(json[0].body.title);
    expect(wecom[0].body).toEqual({ msgtype: 'markdown', markdown: { content: expect.stringContaining('###') } });
    expect(ding[0].body).toEqual({ msgtype: 'markdown', markdown: { title: expect.any(String), text: expect.stringContaining('###') } });
    expect((await deliveries()).every((d) => d.status === 'sent' && d.attempts === 1 && d.sent_at !== null)).toBe(true);
    // Nothing is sent twice.
    expect(await deliverDue(t.db, new Date(now.getTime() + HOUR), deliverOpts())).toEqual({ sent: 0, failed: 0 });
  });

  it('retries a 500 with exponential backoff, then succeeds; last_error stays visible meanwhile', async () => {
    await allow(receiver.hostPort);
    await webhook('json');
    const now = new Date('2026-11-03T00:00:00Z');
    await t.db.transaction().execute((trx) =>
      insertNotification(trx, { userId: office.reviewer, caseId: null, kind: 'test', title: '重试', body: 'b', urgent: false }, now, now),
    );
    receiver.script.push(500, 500);
    expect(await deliverDue(t.db, now, deliverOpts())).toEqual({ sent: 0, failed: 1 });
    let [d] = await deliveries();
    expect(d).toMatchObject({ status: 'pending', attempts: 1 });
    expect(d.last_error).toMatch(/HTTP 500/);
    expect(d.next_attempt_at.getTime()).toBe(now.getTime() + backoffMs(1));
    // Not before the backoff has passed.
    expect(await deliverDue(t.db, new Date(now.getTime() + backoffMs(1) - 1), deliverOpts())).toEqual({ sent: 0, failed: 0 });
    const t2 = new Date(now.getTime() + backoffMs(1));
    expect(await deliverDue(t.db, t2, deliverOpts())).toEqual({ sent: 0, failed: 1 });
    [d] = await deliveries();
    expect(d.next_attempt_at.getTime()).toBe(t2.getTime() + backoffMs(2));
    expect(backoffMs(2)).toBe(2 * backoffMs(1));
    expect(await deliverDue(t.db, new Date(t2.getTime() + backoffMs(2)), deliverOpts())).toEqual({ sent: 1, failed: 0 });
    [d] = await deliveries();
    expect(d).toMatchObject({ status: 'sent', attempts: 3, last_error: '' });
    expect(receiver.requests).toHaveLength(3);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts: status failed, last error kept`, async () => {
    await allow(receiver.hostPort);
    await webhook('json');
    let now = new Date('2026-11-03T00:00:00Z');
    await t.db.transaction().execute((trx) =>
      insertNotification(trx, { userId: office.reviewer, caseId: null, kind: 'test', title: '失败', body: 'b', urgent: true }, now, now),
    );
    receiver.script.push(...Array(MAX_ATTEMPTS).fill(503));
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      expect(await deliverDue(t.db, now, deliverOpts())).toEqual({ sent: 0, failed: 1 });
      now = new Date(now.getTime() + backoffMs(i));
    }
    const [d] = await deliveries();
    expect(d).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(d.last_error).toMatch(/attempt 8: HTTP 503/);
    expect(await deliverDue(t.db, new Date(now.getTime() + 100 * HOUR), deliverOpts())).toEqual({ sent: 0, failed: 0 });
  });

  it('refuses a webhook to a private address that is not allow-listed, without connecting', async () => {
    await webhook('json');
    const now = new Date('2026-11-03T00:00:00Z');
    await t.db.transaction().execute((trx) =>
      insertNotification(trx, { userId: office.reviewer, caseId: null, kind: 'test', title: 'ssrf', body: 'b', urgent: true }, now, now),
    );
    expect(await deliverDue(t.db, now, deliverOpts())).toEqual({ sent: 0, failed: 1 });
    const [d] = await deliveries();
    expect(d.status).toBe('failed');
    expect(d.last_error).toMatch(/private or reserved/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses a host name that resolves to a private address (DNS rebinding to the metadata service)', async () => {
    await t.db
      .insertInto('notification_channels')
      .values({ kind: 'webhook', name: 'rebind', config: JSON.stringify({ url: 'http://hooks.example.test/x', format: 'json' }) })
      .execute();
    const now = new Date('2026-11-03T00:00:00Z');
    await t.db.transaction().execute((trx) =>
      insertNotification(trx, { userId: office.reviewer, caseId: null, kind: 'test', title: 'ssrf', body: 'b', urgent: true }, now, now),
    );
    const resolve = async () => [{ address: '169.254.169.254', family: 4 as const }];
    expect(await deliverDue(t.db, now, { ...deliverOpts(), resolve })).toEqual({ sent: 0, failed: 1 });
    const [d] = await deliveries();
    expect(d.last_error).toMatch(/169\.254\.169\.254/);
  });

  it('sends e-mail over SMTP to a local sink; a user without an address is recorded as skipped', async () => {
    await allow(new URL(sink.url).host);
    await t.db
      .insertInto('notification_channels')
      .values({ kind: 'email', name: 'mail', config: JSON.stringify({ smtpUrl: sink.url, from: 'desk@example.test' }) })
      .execute();
    const noMail = await makeUser(t.db, { role: 'reviewer', email: null });
    const now = new Date('2026-11-03T00:00:00Z');
    await t.db.transaction().execute(async (trx) => {
      await insertNotification(trx, { userId: office.handler, caseId: null, kind: 'test', title: '邮件通知', body: '正文 body', urgent: false }, now, now);
      await insertNotification(trx, { userId: noMail, caseId: null, kind: 'test', title: '无邮箱', body: 'b', urgent: false }, now, now);
    });
    expect(await deliverDue(t.db, now, deliverOpts())).toEqual({ sent: 1, failed: 0 });
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0].to).toEqual(['handler@example.test']);
    expect(sink.messages[0].from).toBe('desk@example.test');
    expect(sink.messages[0].data).toMatch(/Subject: /);
    const rows = await deliveries();
    expect(rows.map((r) => r.status).sort()).toEqual(['failed', 'sent']);
    expect(rows.find((r) => r.status === 'failed')?.last_error).toMatch(/skipped/);
  });

  it('formats the three webhook bodies', () => {
    const p = { title: 'T', body: 'line1\nline2', caseId: '7', urgent: true, at: '2026-11-03T00:00:00.000Z', recipient: '张三' };
    expect(webhookBody('json', p)).toEqual({ title: 'T', body: 'line1\nline2', caseId: '7', urgent: true, at: p.at, recipient: '张三' });
    expect(webhookBody('wecom', p)).toEqual({ msgtype: 'markdown', markdown: { content: expect.stringMatching(/^### 【紧急】T\n\nline1\n\nline2/) } });
    expect(webhookBody('dingtalk', p)).toEqual({ msgtype: 'markdown', markdown: { title: '【紧急】T', text: expect.stringContaining('张三') } });
  });

  it('counts as one delivery per channel even when two workers deliver at once', async () => {
    await allow(receiver.hostPort);
    await webhook('json');
    const now = new Date('2026-11-03T00:00:00Z');
    await t.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 30; i++) {
        await insertNotification(trx, { userId: office.reviewer, caseId: null, kind: 'test', title: `n${i}`, body: 'b', urgent: true }, now, now);
      }
    });
    const rs = await Promise.all([1, 2, 3].map(() => deliverDue(t.db, now, deliverOpts())));
    expect(rs.reduce((a, r) => a + r.sent, 0)).toBe(30);
    expect(receiver.requests).toHaveLength(30);
    const n = await sql<{ n: string }>`select count(*) as n from notification_deliveries where status = 'sent'`.execute(t.db);
    expect(Number(n.rows[0].n)).toBe(30);
  });
});
