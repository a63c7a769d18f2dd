import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionIdOf } from '../../server/modules/auth/session.js';
import { createApp } from '../../server/app.js';
import { ConfigError, loadConfig } from '../../platform/config.js';
import { EventHub } from '../../platform/events.js';
import { createLogger } from '../../platform/logger.js';
import { declaredRoutes, type DeclaredRoute } from '../../server/middleware/auth.js';
import { passwordProblem } from '../../services/users/password.js';
import { seedDemoUsers } from '../../demo/seed.js';
import { createApiFixture, errorOf, type ApiFixture } from '../api/helpers.js';
import { createUser, sessionFor, signIn, type SignedIn } from '../helpers/auth.js';
import { recordFigure } from './figures.js';

// Security controls (OWASP ASVS L2; 等保 2.0 身份鉴别 / 访问控制): response headers on every kind of
// response (the built dashboard included), CSRF refused route by route (list generated from the
// route table), no session fixation, server-side logout, idle and absolute session limits,
// lockout, argon2id parameters read back from a stored hash, the password policy everywhere a
// password is set, and the start-up refusal of a too-short audit retention.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let f: ApiFixture;
let clock = new Date('2026-11-25T02:00:00Z');
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));
let ipSeq = 0;
const newIp = () => `10.77.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
const fetcher = (path: string, init?: RequestInit) => f.app.request(path, init);

beforeAll(async () => {
  f = await createApiFixture('security', { now: () => clock });
});
afterAll(async () => {
  await f.tdb.drop();
});

function cookieOf(res: Response): string | undefined {
  return /od_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
}

describe('security headers', () => {
  let webDir: string;
  let web: ReturnType<typeof createApp>;
  beforeAll(() => {
    // The real dashboard build (never dist/: a temporary directory).
    webDir = mkdtempSync(join(tmpdir(), 'od-web-'));
    const r = spawnSync('npx', ['vite', 'build', '--outDir', webDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`vite build failed: ${r.stderr}`);
    web = createApp({ db: f.db, config: loadConfig({ TRUST_PROXY: '1' }), logger: createLogger('silent', 'test'), redis: null, events: new EventHub(), webDir });
  }, 120_000);
  afterAll(() => rmSync(webDir, { recursive: true, force: true }));

  it('sends CSP (no inline script, frame-ancestors none), X-Frame-Options DENY, nosniff, Referrer-Policy, no X-Powered-By on API, error and dashboard responses', async () => {
    const index = readFileSync(join(webDir, 'index.html'), 'utf8');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index)![1]!;
    const probes: [string, () => Response | Promise<Response>][] = [
      ['GET /api/health', () => web.request('/api/health')],
      ['GET /api/auth/me (401)', () => web.request('/api/auth/me')],
      ['GET /api/nope (404)', () => web.request('/api/nope')],
      ['POST /api/auth/login (400)', () => web.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })],
      ['POST /api/users (415)', () => web.request('/api/users', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })],
      ['GET / (dashboard)', () => web.request('/')],
      ['GET /cases/1 (SPA fallback)', () => web.request('/cases/1')],
      [`GET ${asset}`, () => web.request(asset)],
      ['GET / (placeholder, no build)', () => f.app.request('/')],
    ];
    const problems: string[] = [];
    let checks = 0;
    for (const [name, probe] of probes) {
      const res = await probe();
      await res.arrayBuffer();
      const csp = res.headers.get('content-security-policy') ?? '';
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      const expectations: [string, boolean][] = [
        ['CSP present', csp.length > 0],
        ["CSP default-src 'self'", /default-src 'self'/.test(csp)],
        ["CSP script-src 'self' only (no inline, no eval)", scriptSrc.trim() === "'self'"],
        ["CSP frame-ancestors 'none'", /frame-ancestors 'none'/.test(csp)],
        ["CSP object-src 'none'", /object-src 'none'/.test(csp)],
        ['X-Frame-Options DENY', res.headers.get('x-frame-options') === 'DENY'],
        ['X-Content-Type-Options nosniff', res.headers.get('x-content-type-options') === 'nosniff'],
        ['Referrer-Policy', (res.headers.get('referrer-policy') ?? '') !== ''],
        ['no X-Powered-By', res.headers.get('x-powered-by') === null],
        ['no HSTS over plain HTTP', res.headers.get('strict-transport-security') === null],
      ];
      for (const [what, ok] of expectations) {
        checks += 1;
        if (!ok) problems.push(`${name}: ${what}`);
      }
    }
    // HSTS behind a TLS-terminating proxy (TRUST_PROXY and X-Forwarded-Proto: https).
    const tls = await web.request('/api/health', { headers: { 'x-forwarded-proto': 'https' } });
    checks += 1;
    if (!/max-age=\d{7,}/.test(tls.headers.get('strict-transport-security') ?? '')) problems.push('HSTS missing behind an https proxy');
    // The built index.html works under the CSP: no inline script, every script and stylesheet same-origin.
    const scripts = [...index.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    checks += 3;
    if (scripts.length === 0 || scripts.some((m) => !/\bsrc="\/[^/]/.test(m[1]!) || m[2]!.trim() !== '')) problems.push('index.html has an inline or cross-origin script');
    if (/\son[a-z]+=/i.test(index)) problems.push('index.html has an inline event handler');
    const links = [...index.matchAll(/<link\b[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
    if (links.some((h) => !(h.startsWith('/') && !h.startsWith('//')) && !h.startsWith('data:'))) problems.push(`index.html loads from elsewhere: ${links.join(' ')}`);
    recordFigure({ area: 'security', name: 'security header checks failed', value: problems.length, unit: 'checks', goal: '0', met: problems.length === 0, detail: { checks, responses: probes.length + 1, problems } });
    expect(problems).toEqual([]);
  });
});

describe('CSRF, route by route', () => {
  let routes: DeclaredRoute[];
  let s: SignedIn;
  beforeAll(async () => {
    routes = declaredRoutes(f.app).filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    const admin = await createUser(f.db, { role: 'admin' });
    s = await sessionFor(f.db, admin, clock);
  });

  it('refuses, on every state-changing route: no token, a wrong token, a cross-site Origin, and text/plain, form and multipart bodies — and nothing is written', async () => {
    const auditBefore = await f.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const violations: string[] = [];
    let attempts = 0;
    for (const r of routes) {
      const path = r.path.replace(/:[A-Za-z0-9_]+(\{[^}]*\})?/g, r.path.includes('calendar') ? '2026-10-08' : '1');
      const json = { 'content-type': 'application/json' };
      const isLogin = r.roles === 'public';
      const cases: [string, Record<string, string>, string | undefined, (status: number, body: any) => boolean][] = [
        ['text/plain body', { ...s.headers(), 'content-type': 'text/plain' }, '{"a":1}', (st) => st === 415],
        ['form-urlencoded body', { ...s.headers(), 'content-type': 'application/x-www-form-urlencoded' }, 'a=1', (st) => st === 415],
        ['multipart body', { ...s.headers(), 'content-type': 'multipart/form-data; boundary=x' }, '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n', (st) => st === 415],
        ['cross-site Origin', { ...s.headers(), ...json, origin: 'https://evil.example' }, '{}', (st, b) => st === 403 && /CSRF/.test(b?.error?.message ?? '')],
      ];
      if (!isLogin) {
        cases.push(
          ['no CSRF token', { cookie: s.cookie, ...json }, '{}', (st, b) => st === 403 && /CSRF/.test(b?.error?.message ?? '')],
          ['wrong CSRF token', { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43), ...json }, '{}', (st, b) => st === 403 && /CSRF/.test(b?.error?.message ?? '')],
        );
      }
      for (const [what, headers, body, ok] of cases) {
        attempts += 1;
        const res = await f.app.request(path, { method: r.method, headers, body });
        const text = await res.text();
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = null;
        }
        if (!ok(res.status, parsed)) violations.push(`${r.method} ${r.path} with ${what}: ${res.status} ${text.slice(0, 120)}`);
        else if (typeof parsed === 'object' && parsed && !('error' in parsed && (parsed as any).error.messageZh)) violations.push(`${r.method} ${r.path} with ${what}: no bilingual error`);
      }
    }
    const auditAfter = await f.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    recordFigure({
      area: 'security',
      name: 'CSRF: state-changing routes that let a forged request through',
      value: new Set(violations.map((v) => v.split(' with ')[0])).size,
      unit: 'routes',
      goal: '0',
      met: violations.length === 0,
      detail: { routesChecked: routes.length, attempts, violations },
    });
    expect(routes.length).toBeGreaterThanOrEqual(50);
    expect(violations).toEqual([]);
    expect(auditAfter.n).toBe(auditBefore.n);
  }, 60_000);

  it('still accepts the same request with the token and JSON', async () => {
    const res = await f.requestAs(s, 'POST', '/api/departments', { name: 'CSRF 对照部门' });
    expect(res.status).toBe(201);
    const bare = await f.requestAs(s, 'POST', '/api/notifications/read-all');
    expect(bare.status).toBe(200);
  });
});

describe('sessions', () => {
  it('never keeps a session id presented before sign-in (login rotates; a planted cookie is ignored)', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const planted = 'A'.repeat(43); // an attacker-chosen cookie value
    const old = await sessionFor(f.db, u, clock); // a live session of the same user
    for (const cookie of [`od_session=${planted}`, old.cookie]) {
      const res = await f.requestAs(null, 'POST', '/api/auth/login', { username: u.username, password: u.password }, { cookie, 'x-forwarded-for': newIp() });
      expect(res.status).toBe(200);
      const token = cookieOf(res)!;
      expect(token).toBeTruthy();
      expect(`od_session=${token}`).not.toBe(cookie);
    }
    // The session presented at login is gone server-side.
    expect(await f.db.selectFrom('sessions').select('id').where('id', '=', sessionIdOf(old.cookie.slice('od_session='.length))).execute()).toEqual([]);
    expect((await f.requestAs(old, 'GET', '/api/auth/me')).status).toBe(401);
    expect(await f.db.selectFrom('sessions').select('id').where('id', '=', sessionIdOf(planted)).execute()).toEqual([]);
  });

  it('rotates the session on password change; logout ends it server-side', async () => {
    const u = await createUser(f.db, { role: 'reviewer' });
    const s = await signIn(fetcher, u.username, u.password);
    const res = await f.requestAs(s, 'POST', '/api/auth/password', { currentPassword: u.password, newPassword: 'Rotated-pass-9' });
    expect(res.status).toBe(200);
    const token = cookieOf(res)!;
    expect(`od_session=${token}`).not.toBe(s.cookie);
    expect((await f.requestAs(s, 'GET', '/api/auth/me')).status).toBe(401);
    const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    const fresh: SignedIn = { cookie: `od_session=${token}`, csrfToken: csrf, headers: (x = {}) => ({ cookie: `od_session=${token}`, 'x-csrf-token': csrf, ...x }) };
    expect((await f.requestAs(fresh, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await f.requestAs(fresh, 'POST', '/api/auth/logout')).status).toBe(200);
    expect(await f.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute()).toEqual([]);
    // Replaying the old cookie after logout: refused.
    expect((await f.requestAs(fresh, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('enforces the idle timeout and the absolute lifetime from the configuration', async () => {
    const config = loadConfig({ SESSION_IDLE_MINUTES: '20', SESSION_MAX_HOURS: '2', TRUST_PROXY: '1' });
    const app = createApp({ db: f.db, config, logger: createLogger('silent', 'test'), redis: null, events: new EventHub(), now: () => clock });
    const u = await createUser(f.db, { role: 'duty' });
    const start = async () => signIn((p, i) => app.request(p, { ...i, headers: { ...(i?.headers as Record<string, string>), 'x-forwarded-for': newIp() } }), u.username, u.password);
    const me = async (s: SignedIn) => (await app.request('/api/auth/me', { headers: s.headers() })).status;
    const idle = await start();
    advance(19 * 60_000);
    expect(await me(idle)).toBe(200);
    advance(20 * 60_000 + 1000);
    expect(await me(idle)).toBe(401);
    const busy = await start();
    for (let i = 0; i < 6; i++) {
      advance(19 * 60_000); // 114 min, used every 19 min
      expect(await me(busy)).toBe(200);
    }
    advance(6 * 60_000 + 1000); // past 2 h since sign-in
    expect(await me(busy)).toBe(401);
    expect(config.SESSION_IDLE_MINUTES).toBe(20);
    expect(loadConfig({}).SESSION_IDLE_MINUTES).toBe(30);
  });
});

describe('lockout and password storage', () => {
  it('locks an account after LOGIN_MAX_FAILURES failures for LOGIN_LOCKOUT_MINUTES, even against the right password', async () => {
    const config = loadConfig({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_MINUTES: '10', TRUST_PROXY: '1' });
    const app = createApp({ db: f.db, config, logger: createLogger('silent', 'test'), redis: null, events: new EventHub(), now: () => clock });
    const u = await createUser(f.db, { role: 'duty' });
    const login = (password: string) =>
      app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': newIp() }, body: JSON.stringify({ username: u.username, password }) });
    expect((await login('Wrong-pass-1')).status).toBe(401);
    expect((await login('Wrong-pass-2')).status).toBe(401);
    // Locked: answered like any wrong password (no enumeration); the audit row says locked.
    const third = await login('Wrong-pass-3');
    expect(third.status).toBe(401);
    expect((await errorOf(third)).messageZh).toBe('用户名或密码错误，或账号暂不可用，请稍后再试或联系管理员');
    expect((await login(u.password)).status).toBe(401);
    const locked = await f.db.selectFrom('users').select('locked_until').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(locked.locked_until?.getTime()).toBe(clock.getTime() + 10 * 60_000);
    advance(10 * 60_000 + 1000);
    expect((await login(u.password)).status).toBe(200);
    const defaults = loadConfig({});
    expect([defaults.LOGIN_MAX_FAILURES, defaults.LOGIN_LOCKOUT_MINUTES]).toEqual([5, 15]);
  });

  it('stores argon2id with memory ≥ 19 MiB, iterations ≥ 2, parallelism 1 (read from the stored hash)', async () => {
    // The clock of this file has moved on: a fresh admin session (the fixture's has gone idle).
    const admin = await sessionFor(f.db, await createUser(f.db, { role: 'admin' }), clock);
    const res = await f.requestAs(admin, 'POST', '/api/users', { username: 'argon_check', displayName: '参数检查', role: 'duty', password: 'Argon-check-2026' });
    expect(res.status).toBe(201);
    const row = await f.db.selectFrom('users').select('password_hash').where('username', '=', 'argon_check').executeTakeFirstOrThrow();
    const m = /^\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(row.password_hash);
    expect(m).not.toBeNull();
    const [, version, memKiB, t, p] = m!.map(Number) as [number, number, number, number, number];
    const ok = version === 19 && memKiB >= 19 * 1024 && t >= 2 && p === 1;
    recordFigure({ area: 'security', name: 'argon2id memory cost (from a stored hash)', value: memKiB, unit: 'KiB', goal: '≥ 19456', met: memKiB >= 19_456, detail: { algorithm: 'argon2id', version, iterations: t, parallelism: p } });
    recordFigure({ area: 'security', name: 'argon2id iterations / parallelism', value: t, unit: 'iterations', goal: '≥ 2, p = 1', met: t >= 2 && p === 1, detail: { parallelism: p } });
    expect(ok).toBe(true);
  });
});

describe('password policy', () => {
  it('refuses weak passwords naming the rule, in both languages, on user creation, admin reset and password change', async () => {
    const admin = await createUser(f.db, { role: 'admin' });
    const s = await sessionFor(f.db, admin, clock);
    const target = await createUser(f.db, { role: 'duty', username: 'policy_target' });
    const weak: [string, RegExp][] = [
      ['Ab1-xyz', /最小长度/],
      ['abcdefghijkl', /复杂度/],
      ['abcdefgh1234', /复杂度/],
      ['Policy_Target', /用户名/],
      ['demo1234', /最小长度/],
    ];
    const failures: string[] = [];
    for (const [pw, rule] of weak) {
      const calls: [string, Response | Promise<Response>][] = [
        ['POST /api/users', f.requestAs(s, 'POST', '/api/users', { username: 'policy_target', displayName: 'x', role: 'duty', password: pw })],
        ['PATCH /api/users/:id', f.requestAs(s, 'PATCH', `/api/users/${target.id}`, { password: pw })],
      ];
      for (const [name, p] of calls) {
        const res = await p;
        const e = res.status === 400 ? await errorOf(res) : null;
        if (!e || !rule.test(e.messageZh) || !/password policy/.test(e.message)) failures.push(`${name} accepted or unclear for ${pw}: ${res.status} ${e?.messageZh}`);
      }
    }
    const self = await signIn((p, i) => f.app.request(p, { ...i, headers: { ...(i?.headers as Record<string, string>), 'x-forwarded-for': newIp() } }), target.username, target.password);
    for (const [pw, rule] of weak) {
      const res = await f.requestAs(self, 'POST', '/api/auth/password', { currentPassword: target.password, newPassword: pw });
      const e = res.status === 400 ? await errorOf(res) : null;
      if (!e || !rule.test(e.messageZh) || e.details.issues[0].path !== 'newPassword') failures.push(`POST /api/auth/password accepted or unclear for ${pw}`);
    }
    expect(failures).toEqual([]);
    // Three classes and ten characters pass (and the username check ignores case).
    expect(passwordProblem('policy_target', 'Abcdefgh12')).toBeNull();
    expect(passwordProblem('x', 'abcdefgh-12')).toBeNull();
    // Configurable: a 14-character minimum and all four classes.
    const strict = loadConfig({ PASSWORD_MIN_LENGTH: '14', PASSWORD_MIN_CLASSES: '4' });
    expect(passwordProblem('x', 'Abcdefgh-123', strict)?.messageZh).toContain('不能少于 14 个字符');
    expect(passwordProblem('x', 'abcdefgh-12345', strict)?.messageZh).toContain('至少 4 类');
    expect(passwordProblem('x', 'Abcdefgh-12345', strict)).toBeNull();
    expect(() => loadConfig({ PASSWORD_MIN_LENGTH: '6' })).toThrow(ConfigError);
  });

  it('keeps the demo working: demo users are seeded directly and sign in with demo1234', async () => {
    await seedDemoUsers(f.db, 'demo1234');
    const res = await f.requestAs(null, 'POST', '/api/auth/login', { username: 'duty', password: 'demo1234' }, { 'x-forwarded-for': newIp() });
    expect(res.status).toBe(200);
  }, 30_000);

  it('create-admin enforces the policy; a start-up with AUDIT_RETENTION_DAYS below 180 is refused in both languages', async () => {
    const run = (args: string[], env: Record<string, string>) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin', 'create-admin.ts'), ...args], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: f.tdb.url, LOG_LEVEL: 'silent', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d) => (out += String(d)));
        child.stderr.on('data', (d) => (out += String(d)));
        child.on('close', (code) => resolve({ code, out }));
      });
    const weak = await run(['--username', 'cli_admin', '--password', 'clipassword'], {});
    expect(weak.code).toBe(1);
    expect(weak.out).toContain('密码策略');
    const retention = await run(['--username', 'cli_admin', '--password', 'Cli-admin-2026'], { AUDIT_RETENTION_DAYS: '90' });
    expect(retention.code).toBe(1);
    expect(retention.out).toMatch(/AUDIT_RETENTION_DAYS="90".*不得少于 180 天.*网络安全法.*at least 180 days/s);
    const good = await run(['--username', 'cli_admin', '--password', 'Cli-admin-2026'], {});
    expect(good.code).toBe(0);
    const row = await f.db.selectFrom('users').select(['role', 'password_hash']).where('username', '=', 'cli_admin').executeTakeFirstOrThrow();
    expect(row.role).toBe('admin');
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(loadConfig({}).AUDIT_RETENTION_DAYS).toBe(180);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '365' }).AUDIT_RETENTION_DAYS).toBe(365);
  }, 60_000);
});
