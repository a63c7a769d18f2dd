import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { insertNotification } from '../../db/repos/notifications.js';
import { deliverDue } from '../../services/notifications/deliver.js';
import { createApiFixture, errorOf, type ApiFixture } from '../helpers/app.js';
import { startSmtpSink, type SmtpSink } from '../escalation/local-servers.js';

// Issue 15 §1 hole 5: e-mail channels go through the SSRF guard like every other outbound
// connection. An smtp:// host is resolved and checked (private and loopback addresses refused unless
// the host:port is allow-listed), the socket connects to the checked address, and the channel test
// answers only 已发送 / 连接失败 / 认证失败 — a closed port and an open port that speaks something
// else than SMTP look the same.

let f: ApiFixture;
let sink: SmtpSink;
let sinkPort: number;
/** Connections any local server of this file accepted (a refused host must see none). */
let accepted = 0;
const servers: net.Server[] = [];

async function listen(onConnect: (s: net.Socket) => void): Promise<number> {
  const server = net.createServer((s) => {
    accepted += 1;
    s.on('error', () => {});
    onConnect(s);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port that is closed: bound once, then released. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function allow(hostPort: string) {
  await f.db.insertInto('fetch_allowlist').values({ host_port: hostPort }).onConflict((oc) => oc.doNothing()).execute();
}

/** A channel stored as it might have been before the guard (no creation-time check). */
async function storedChannel(smtpUrl: string): Promise<number> {
  const r = await f.db
    .insertInto('notification_channels')
    .values({ kind: 'email', name: `mail ${smtpUrl}`, config: JSON.stringify({ smtpUrl, from: 'desk@example.test' }) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

const testSend = async (id: number) => {
  const res = await f.request('POST', `/api/notification-channels/${id}/test`, { to: 'duty@example.cn' });
  expect(res.status).toBe(200);
  return (await res.json()) as { ok: boolean; error: string | null };
};

beforeAll(async () => {
  f = await createApiFixture('smtpguard');
  sink = await startSmtpSink();
  sinkPort = Number(new URL(sink.url).port);
});
afterAll(async () => {
  await sink?.close();
  for (const s of servers) s.close();
  await f?.tdb.drop();
});
beforeEach(async () => {
  await f.db.deleteFrom('notification_deliveries').execute();
  await f.db.deleteFrom('notification_channels').execute();
  await f.db.deleteFrom('fetch_allowlist').execute();
  sink.messages.length = 0;
  accepted = 0;
});

describe('e-mail channels and the SSRF guard', () => {
  it('refuses smtp://127.0.0.1:<port> (and local names, other schemes) at creation unless allow-listed', async () => {
    for (const smtpUrl of [
      `smtp://127.0.0.1:${sinkPort}`,
      `smtp://user:pw@127.0.0.1:${sinkPort}`,
      `smtps://[::1]:${sinkPort}`,
      'smtp://0x7f.1:25',
      'smtp://10.0.0.8:25',
      'smtp://169.254.169.254:25',
      'smtp://mail.internal:25',
      'smtp://mailhost:25',
      'http://mail.example.cn:25',
    ]) {
      const res = await f.request('POST', '/api/notification-channels', { kind: 'email', name: '邮件', config: { smtpUrl } });
      expect(res.status, smtpUrl).toBe(400);
      const e = await errorOf(res);
      expect(e.messageZh).toMatch(/安全策略|邮件/);
    }
    expect(await f.db.selectFrom('notification_channels').select('id').execute()).toEqual([]);
    await allow(`127.0.0.1:${sinkPort}`);
    const ok = await f.request('POST', '/api/notification-channels', { kind: 'email', name: '邮件', config: { smtpUrl: `smtp://127.0.0.1:${sinkPort}` } });
    expect(ok.status).toBe(201);
    // Editing a channel to a private address is checked the same way.
    const id = ((await ok.json()) as { id: number }).id;
    const patched = await f.request('PATCH', `/api/notification-channels/${id}`, { config: { smtpUrl: 'smtp://192.168.1.1:25' } });
    expect(patched.status).toBe(400);
  });

  it('a stored channel to a loopback address is not connected to (test and delivery) until allow-listed, then sends', async () => {
    const id = await storedChannel(sink.url);
    expect(await testSend(id)).toEqual({ ok: false, error: '连接失败' });
    const now = new Date('2026-11-03T00:00:00Z');
    await f.db.transaction().execute((trx) =>
      insertNotification(trx, { userId: f.admin.id, caseId: null, kind: 'test', title: '邮件', body: 'b', urgent: true }, now, now),
    );
    await f.db.updateTable('users').set({ email: 'admin@example.test' }).where('id', '=', f.admin.id).execute();
    expect(await deliverDue(f.db, now, { smtpFrom: 'desk@example.test' })).toMatchObject({ sent: 0 });
    expect(sink.messages).toHaveLength(0);
    expect(accepted).toBe(0);
    const d = await sql<{ last_error: string | null; status: string }>`select last_error, status from notification_deliveries`.execute(f.db);
    expect(d.rows.map((r) => r.last_error).join(' ')).not.toMatch(/ECONN|127\.0\.0\.1/);

    await allow(`127.0.0.1:${sinkPort}`);
    expect(await testSend(id)).toEqual({ ok: true, error: null });
    expect(sink.messages.at(-1)?.to).toEqual(['duty@example.cn']);
  });

  it('a name that resolves to a private address is refused; allow-listed, the socket goes to the checked address', async () => {
    await storedChannel(`smtp://mail.example.test:${sinkPort}`);
    await f.db.updateTable('users').set({ email: 'admin@example.test' }).where('id', '=', f.admin.id).execute();
    const now = new Date('2026-11-03T00:00:00Z');
    await f.db.transaction().execute((trx) =>
      insertNotification(trx, { userId: f.admin.id, caseId: null, kind: 'test', title: '改绑', body: 'b', urgent: true }, now, now),
    );
    const resolve = async () => [{ address: '127.0.0.1', family: 4 as const }];
    expect(await deliverDue(f.db, now, { smtpFrom: 'desk@example.test', resolve })).toEqual({ sent: 0, failed: 1 });
    expect(sink.messages).toHaveLength(0);
    const d1 = await sql<{ last_error: string; status: string }>`select last_error, status from notification_deliveries`.execute(f.db);
    expect(d1.rows[0]).toMatchObject({ status: 'failed', last_error: expect.stringMatching(/安全策略/) });

    // mail.example.test has no DNS record: a send that arrives proves the transport used the
    // address the guard checked, not a lookup of its own.
    await allow(`mail.example.test:${sinkPort}`);
    await f.db.updateTable('notification_deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: now }).execute();
    expect(await deliverDue(f.db, now, { smtpFrom: 'desk@example.test', resolve })).toEqual({ sent: 1, failed: 0 });
    expect(sink.messages.at(-1)?.to).toEqual(['admin@example.test']);
  });

  it('a closed port and an open port that is not SMTP give the same answer, with no raw error text', async () => {
    const closed = await closedPort();
    const http = await listen((s) => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    const ssh = await listen((s) => s.write('SSH-2.0-OpenSSH_9.6\r\n'));
    const before = (await sql<{ n: string }>`select coalesce(max(chain_seq), 0)::text as n from audit_log`.execute(f.db)).rows[0]!.n;
    const answers: unknown[] = [];
    for (const port of [closed, http, ssh]) {
      await allow(`127.0.0.1:${port}`);
      const id = await storedChannel(`smtp://127.0.0.1:${port}`);
      answers.push(await testSend(id));
    }
    expect(answers).toEqual([
      { ok: false, error: '连接失败' },
      { ok: false, error: '连接失败' },
      { ok: false, error: '连接失败' },
    ]);
    // The audit row of each test holds the same outcome, not the socket error.
    const rows = await sql<{ after: { error: string } }>`select after from audit_log where action = 'channel.test' and chain_seq > ${before}::bigint order by chain_seq`.execute(f.db);
    expect(rows.rows.map((r) => r.after.error)).toEqual(['连接失败', '连接失败', '连接失败']);
  });

  it('a server that refuses the credentials answers 认证失败', async () => {
    const port = await listen((s) => {
      s.setEncoding('utf8');
      s.write('220 mail.example.test ESMTP\r\n');
      let buf = '';
      s.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 2);
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO') s.write('250-mail.example.test\r\n250 AUTH PLAIN LOGIN\r\n');
          else if (verb === 'AUTH') s.write('535 5.7.8 Authentication credentials invalid\r\n');
          else if (verb === 'QUIT') s.end('221 Bye\r\n');
          else s.write('250 OK\r\n');
        }
      });
    });
    await allow(`127.0.0.1:${port}`);
    const id = await storedChannel(`smtp://mailer:wrong@127.0.0.1:${port}`);
    expect(await testSend(id)).toEqual({ ok: false, error: '认证失败' });
  });
});
