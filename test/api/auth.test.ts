import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionIdOf } from '../../server/modules/auth/session.js';
import { createUser, signIn, type SignedIn } from '../helpers/auth.js';
import { createApiFixture, errorOf, type ApiFixture } from './helpers.js';

// Sign-in, lockout, throttling, sessions, CSRF, password change — through the real app with an
// injected clock.

let f: ApiFixture;
let clock = new Date('2026-11-25T02:00:00Z'); // 10:00 in Shanghai
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));
let ipSeq = 0;
/** A fresh client address per test, so per-address throttling of one test never leaks into another. */
const newIp = () => `10.9.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

beforeAll(async () => {
  f = await createApiFixture('auth', { now: () => clock });
});
afterAll(async () => {
  await f.tdb.drop();
});

function login(username: string, password: string, headers: Record<string, string> = {}) {
  return f.requestAs(null, 'POST', '/api/auth/login', { username, password }, { 'x-forwarded-for': newIp(), ...headers });
}
const fetcher = (path: string, init?: RequestInit) => f.app.request(path, init);

describe('POST /api/auth/login', () => {
  it('signs in: a session cookie and the user with a CSRF token', async () => {
    const u = await createUser(f.db, { role: 'duty', displayName: '值班员甲' });
    const res = await login(u.username, u.password);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toMatchObject({ id: u.id, username: u.username, displayName: '值班员甲', role: 'duty' });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^od_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    // Only the token's SHA-256 is stored.
    const token = /od_session=([^;]+)/.exec(cookie)![1];
    const rows = await f.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute();
    expect(rows.map((r) => r.id)).toEqual([sessionIdOf(token)]);
  });

  it('marks the cookie Secure behind an https proxy', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const res = await login(u.username, u.password, { 'x-forwarded-proto': 'https' });
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });

  it('accepts the username in any letter case', async () => {
    const u = await createUser(f.db, { role: 'leader', username: 'LeaderCase' });
    expect((await login('leadercase', u.password)).status).toBe(200);
  });

  it('answers the same generic message for a wrong password and an unknown user', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const wrong = await login(u.username, 'not-the-password');
    const unknown = await login('nobody_here', 'whatever-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await errorOf(wrong), await errorOf(unknown)];
    expect(a).toMatchObject({ code: 'UNAUTHORIZED', messageZh: '用户名或密码错误，或账号暂不可用，请稍后再试或联系管理员' });
    expect({ ...b, requestId: '' }).toEqual({ ...a, requestId: '' });
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a disabled user, even with the right password, as it refuses a wrong one', async () => {
    const u = await createUser(f.db, { role: 'duty', disabled: true });
    const res = await login(u.username, u.password);
    expect(res.status).toBe(401);
    expect((await errorOf(res)).messageZh).toBe('用户名或密码错误，或账号暂不可用，请稍后再试或联系管理员');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('validates the body', async () => {
    const res = await f.requestAs(null, 'POST', '/api/auth/login', { username: 'x' });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('VALIDATION');
  });
});

describe('lockout after 5 consecutive failures', () => {
  it('locks for 15 minutes without telling the caller, then lets the right password in', async () => {
    const u = await createUser(f.db, { role: 'reviewer' });
    for (let i = 1; i <= 4; i++) expect((await login(u.username, `wrong-${i}-pass`)).status).toBe(401);
    const fifth = await login(u.username, 'wrong-5-pass');
    expect(fifth.status).toBe(401);
    const e = await errorOf(fifth);
    expect(e.messageZh).toBe('用户名或密码错误，或账号暂不可用，请稍后再试或联系管理员');
    expect(e.details).toBeUndefined();
    const locked = await f.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(locked).toEqual({ failed_logins: 5, locked_until: new Date(clock.getTime() + 15 * 60_000) });

    // Locked: even the right password is refused, alike.
    const during = await login(u.username, u.password);
    expect(during.status).toBe(401);
    expect({ ...(await errorOf(during)), requestId: '' }).toEqual({ ...e, requestId: '' });

    advance(15 * 60_000 + 1000);
    const after = await login(u.username, u.password);
    expect(after.status).toBe(200);
    const row = await f.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('a success resets the count of consecutive failures', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    for (let i = 0; i < 4; i++) await login(u.username, 'wrong-password');
    expect((await login(u.username, u.password)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(u.username, 'wrong-password')).status).toBe(401);
    expect((await login(u.username, u.password)).status).toBe(200);
  });
});

describe('per-address throttle', () => {
  it('answers 429 RATE_LIMITED after 20 failures from one address within 15 minutes', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < 20; i++) {
      const res = await login(`ghost${i}`, 'whatever-password', { 'x-forwarded-for': ip });
      expect(res.status).toBe(401);
    }
    const u = await createUser(f.db, { role: 'duty' });
    const blocked = await login(u.username, u.password, { 'x-forwarded-for': ip });
    expect(blocked.status).toBe(429);
    expect(await errorOf(blocked)).toMatchObject({ code: 'RATE_LIMITED', messageZh: '登录失败次数过多，请 15 分钟后再试' });
    // Another address is not affected; the same one recovers when the window has passed.
    expect((await login(u.username, u.password)).status).toBe(200);
    advance(15 * 60_000 + 1000);
    expect((await login(u.username, u.password, { 'x-forwarded-for': ip })).status).toBe(200);
  });
});

describe('sessions', () => {
  it('GET /api/auth/me returns the user and CSRF token; anonymous is 401 请先登录', async () => {
    const u = await createUser(f.db, { role: 'handler' });
    const s = await signIn(fetcher, u.username, u.password);
    const res = await f.requestAs(s, 'GET', '/api/auth/me');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { id: u.id, role: 'handler' }, csrfToken: s.csrfToken });
    const anon = await f.requestAs(null, 'GET', '/api/auth/me');
    expect(anon.status).toBe(401);
    expect(await errorOf(anon)).toMatchObject({ code: 'UNAUTHORIZED', messageZh: '请先登录' });
  });

  it('logout ends the session for good and clears the cookie', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const s = await signIn(fetcher, u.username, u.password);
    const res = await f.requestAs(s, 'POST', '/api/auth/logout');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/od_session=;.*Max-Age=0/);
    expect((await f.requestAs(s, 'GET', '/api/auth/me')).status).toBe(401);
    expect(await f.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute()).toEqual([]);
  });

  it('expires after the idle timeout, and slides while in use', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const s = await signIn(fetcher, u.username, u.password);
    // SESSION_IDLE_MINUTES defaults to 30 (等保: 登录连接超时自动退出).
    for (let i = 0; i < 3; i++) {
      advance(25 * 60_000); // under 30 min since the last use each time
      expect((await f.requestAs(s, 'GET', '/api/auth/me')).status).toBe(200);
    }
    advance(30 * 60_000 + 1000);
    expect((await f.requestAs(s, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('expires 7 days after sign-in however active', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const s = await signIn(fetcher, u.username, u.password);
    // Used every 28 minutes (inside the 30-minute idle limit): 359 uses take it to 167.5 h.
    for (let i = 0; i < 359; i++) {
      advance(28 * 60_000);
      expect((await f.requestAs(s, 'GET', '/api/auth/me')).status).toBe(200);
    }
    advance(28 * 60_000); // 168 h: the absolute limit
    expect((await f.requestAs(s, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('a disabled user loses their session at once', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const s = await signIn(fetcher, u.username, u.password);
    await f.db.updateTable('users').set({ disabled: true }).where('id', '=', u.id).execute();
    expect((await f.requestAs(s, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('ignores a forged cookie', async () => {
    const res = await f.app.request('/api/auth/me', { headers: { cookie: `od_session=${'x'.repeat(43)}` } });
    expect(res.status).toBe(401);
  });
});

describe('CSRF', () => {
  let s: SignedIn;
  beforeAll(async () => {
    const u = await createUser(f.db, { role: 'admin' });
    s = await signIn(fetcher, u.username, u.password);
  });
  const body = () => ({ hostPort: `csrf-${Math.random().toString(36).slice(2, 8)}.example.cn:8080` });
  const post = (headers: Record<string, string>) =>
    f.app.request('/api/allowlist', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body()) });

  it('refuses a POST without the X-CSRF-Token header', async () => {
    const res = await post({ cookie: s.cookie });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ code: 'FORBIDDEN', messageZh: '安全校验失败，请刷新页面后重试' });
  });

  it('refuses a wrong token (another session’s)', async () => {
    const other = await createUser(f.db, { role: 'admin' });
    const o = await signIn(fetcher, other.username, other.password);
    expect((await post({ cookie: s.cookie, 'x-csrf-token': o.csrfToken })).status).toBe(403);
    expect((await post({ cookie: s.cookie, 'x-csrf-token': 'short' })).status).toBe(403);
  });

  it('accepts the session’s token', async () => {
    expect((await post(s.headers())).status).toBe(201);
  });

  it('refuses a cross-site Origin, also on login; accepts the same origin', async () => {
    expect((await post(s.headers({ origin: 'https://evil.example' }))).status).toBe(403);
    expect((await post(s.headers({ origin: 'null' }))).status).toBe(403);
    expect((await post(s.headers({ origin: 'http://localhost' }))).status).toBe(201);
    const u = await createUser(f.db, { role: 'duty' });
    const res = await login(u.username, u.password, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).messageZh).toBe('安全校验失败，请刷新页面后重试');
  });

  it('guards DELETE and PATCH too', async () => {
    expect((await f.app.request('/api/departments/1', { method: 'DELETE', headers: { cookie: s.cookie } })).status).toBe(403);
    const patch = await f.app.request('/api/users/1', {
      method: 'PATCH',
      headers: { cookie: s.cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(patch.status).toBe(403);
  });
});

describe('POST /api/auth/password', () => {
  it('changes the password, ends every session of the user and continues in a fresh one', async () => {
    const u = await createUser(f.db, { role: 'reviewer' });
    const a = await signIn(fetcher, u.username, u.password);
    const b = await signIn(fetcher, u.username, u.password);
    const res = await f.requestAs(a, 'POST', '/api/auth/password', { currentPassword: u.password, newPassword: 'A-new-long-secret' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; csrfToken: string };
    const token = /od_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(token).toBeTruthy();
    // The session the request came with is gone too (rotated), the fresh one works.
    expect((await f.requestAs(a, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await f.app.request('/api/auth/me', { headers: { cookie: `od_session=${token}` } })).status).toBe(200);
    expect(body.csrfToken).not.toBe(a.csrfToken);
    expect((await f.requestAs(b, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await login(u.username, u.password)).status).toBe(401);
    expect((await login(u.username, 'A-new-long-secret')).status).toBe(200);
    const audit = await f.db.selectFrom('audit_log').selectAll().where('entity', '=', 'user').where('entity_id', '=', String(u.id)).orderBy('id').execute();
    expect(audit.map((r) => r.action)).toEqual(['auth.login', 'auth.login', 'password.change', 'auth.login_failed', 'auth.login']);
    expect(audit[2]).toMatchObject({ actor_id: u.id });
  });

  it('refuses a wrong current password, a short one, and the username', async () => {
    const u = await createUser(f.db, { role: 'duty', username: 'duty_pw_case' });
    const s = await signIn(fetcher, u.username, u.password);
    const wrong = await f.requestAs(s, 'POST', '/api/auth/password', { currentPassword: 'nope-nope', newPassword: 'Another-secret' });
    expect(wrong.status).toBe(400);
    expect((await errorOf(wrong)).details.issues[0]).toMatchObject({ path: 'currentPassword', messageZh: '不正确' });
    const short = await f.requestAs(s, 'POST', '/api/auth/password', { currentPassword: u.password, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect((await errorOf(short)).details.issues[0].path).toBe('newPassword');
    const same = await f.requestAs(s, 'POST', '/api/auth/password', { currentPassword: u.password, newPassword: 'DUTY_PW_CASE' });
    expect(same.status).toBe(400);
    expect((await errorOf(same)).details.issues[0]).toMatchObject({ path: 'newPassword', messageZh: '不能与用户名相同（密码策略）' });
  });
});
