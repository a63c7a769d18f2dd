import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUser, TEST_PASSWORD, type TestUser } from '../helpers/auth.js';
import { createApiFixture, errorOf, type ApiFixture } from '../helpers/app.js';

// Sign-in under attack: concurrent guesses cannot check more passwords than the per-account and
// per-address limits allow; a success does not slip through once the account was locked meanwhile;
// unknown, wrong, locked and disabled answer alike (only the audit log knows which); and the name a
// caller typed is data in the audit row, never its actor.
//
// Every argon2 verification of a stored hash goes through verifyPassword, wrapped here to count
// them, and to hold one password's check until a test has made its interleaving happen).

const spy = vi.hoisted(() => ({ calls: [] as string[], gates: new Map<string, Promise<void>>() }));

vi.mock('../../services/users/password.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../services/users/password.js')>();
  return {
    ...orig,
    verifyPassword: async (hash: string, password: string) => {
      spy.calls.push(password);
      await spy.gates.get(password);
      return orig.verifyPassword(hash, password);
    },
  };
});

let f: ApiFixture;
const clock = new Date('2026-12-06T02:00:00Z');
let ipSeq = 0;
const newIp = () => `198.51.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

beforeAll(async () => {
  f = await createApiFixture('secsignin', { now: () => clock });
});
afterAll(async () => {
  await f?.tdb.drop();
});
beforeEach(() => {
  spy.calls.length = 0;
  spy.gates.clear();
});

const login = (username: string, password: string, ip: string) =>
  f.requestAs(null, 'POST', '/api/auth/login', { username, password }, { 'x-forwarded-for': ip });

async function sessionsOf(u: { id: number }): Promise<number> {
  const r = await f.db.selectFrom('sessions').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', u.id).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function auditOf(u: { id: number }) {
  return f.db
    .selectFrom('audit_log')
    .select(['action', 'actor_id', 'actor_name', 'after'])
    .where('entity', '=', 'user')
    .where('entity_id', '=', String(u.id))
    .orderBy('chain_seq')
    .execute();
}

describe('concurrent sign-ins', () => {
  it('40 parallel attempts for one account from one address check at most 5 passwords and issue no session', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const ip = newIp();
    const attempts = Array.from({ length: 39 }, (_, i) => login(u.username, `Wrong-guess-${i}`, ip));
    // The right password comes last, while the 39 guesses are still being checked.
    attempts.push(login(u.username, u.password, ip));
    const statuses = await Promise.all(attempts.map(async (r) => (await r).status));

    expect(spy.calls.length).toBeLessThanOrEqual(5);
    expect(spy.calls).not.toContain(u.password);
    expect(statuses.filter((s) => s === 200)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([401, 429]));
    expect(await sessionsOf(u)).toBe(0);
    // The account is locked, and stays so for the right password.
    const row = await f.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.failed_logins).toBe(5);
    expect(row.locked_until?.getTime()).toBe(clock.getTime() + 15 * 60_000);
    expect((await login(u.username, u.password, newIp())).status).toBe(401);
    expect(spy.calls.length).toBeLessThanOrEqual(5);
  });

  it('many accounts guessed in parallel from one address: at most 20 passwords checked', async () => {
    const ip = newIp();
    const users: TestUser[] = [];
    for (let i = 0; i < 30; i++) users.push(await createUser(f.db, { role: 'duty', username: `spray_${i}` }));
    spy.calls.length = 0;
    const statuses = await Promise.all(users.map(async (u) => (await login(u.username, 'Spray-guess-1', ip)).status));
    expect(spy.calls.length).toBeLessThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    // The address stays throttled for the right password too.
    expect((await login(users[0].username, TEST_PASSWORD, ip)).status).toBe(429);
  });

  it('refuses a success when the account was locked while its password was being checked', async () => {
    const u = await createUser(f.db, { role: 'reviewer', password: 'Right-but-slow-1' });
    let open!: () => void;
    spy.gates.set(u.password, new Promise<void>((r) => (open = r)));
    const right = login(u.username, u.password, newIp());
    // The right password is being checked (held) while five wrong guesses lock the account.
    const until = Date.now() + 5000;
    while (!spy.calls.includes(u.password) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    const wrong = await Promise.all(Array.from({ length: 5 }, (_, i) => login(u.username, `Wrong-guess-${i}`, newIp())));
    expect(wrong.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    open();
    const res = await right;
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await sessionsOf(u)).toBe(0);
    expect((await auditOf(u)).map((r) => r.action)).toContain('auth.lockout');
  });

  it('a success still resets the count, and the address is not charged for it', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const ip = newIp();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await login(u.username, 'Wrong-guess-x', ip)).status).toBe(401);
      expect((await login(u.username, u.password, ip)).status).toBe(200);
    }
    // 12 failures so far; 7 more make 19 of the 20 the address may have in 15 minutes.
    for (let i = 0; i < 7; i++) expect((await login(`ghost_${i}`, 'Wrong-guess-x', ip)).status).toBe(401);
    expect((await login(u.username, u.password, ip)).status).toBe(200);
    expect((await login('ghost_x', 'Wrong-guess-x', ip)).status).toBe(401);
    expect((await login(u.username, u.password, ip)).status).toBe(429);
  });
});

describe('a lowered limit', () => {
  it('an account already counted past it is not stuck: one attempt is checked, and locks when wrong', async () => {
    const [a, b] = [await createUser(f.db, { role: 'duty' }), await createUser(f.db, { role: 'duty' })];
    await f.db.updateTable('users').set({ failed_logins: 7 }).where('id', 'in', [a.id, b.id]).execute();
    expect((await login(a.username, a.password, newIp())).status).toBe(200);
    expect((await login(b.username, 'Wrong-guess-1', newIp())).status).toBe(401);
    const row = await f.db.selectFrom('users').select('locked_until').where('id', '=', b.id).executeTakeFirstOrThrow();
    expect(row.locked_until?.getTime()).toBe(clock.getTime() + 15 * 60_000);
    expect((await login(b.username, b.password, newIp())).status).toBe(401);
  });
});

describe('enumeration', () => {
  it('unknown, wrong, locked and disabled answer alike; the audit log keeps the truth', async () => {
    const plain = await createUser(f.db, { role: 'duty' });
    const locked = await createUser(f.db, { role: 'duty' });
    const disabled = await createUser(f.db, { role: 'duty', disabled: true });
    for (let i = 0; i < 5; i++) await login(locked.username, `Wrong-guess-${i}`, newIp());

    const answers = [
      await login('nobody_at_all', 'Whatever-pass-1', newIp()),
      await login(plain.username, 'Wrong-guess-1', newIp()),
      await login(locked.username, locked.password, newIp()),
      await login(disabled.username, disabled.password, newIp()),
      await login(disabled.username, 'Wrong-guess-1', newIp()),
    ];
    const bodies = await Promise.all(answers.map(async (r) => ({ status: r.status, error: { ...(await errorOf(r)), requestId: '' } })));
    for (const b of bodies) expect(b).toEqual(bodies[0]);
    expect(bodies[0]).toEqual({
      status: 401,
      error: {
        code: 'UNAUTHORIZED',
        message: 'Wrong username or password, or the account is not available; try again later or ask an administrator',
        messageZh: '用户名或密码错误，或账号暂不可用，请稍后再试或联系管理员',
        requestId: '',
      },
    });

    const reasons = async (u: { id: number }) => (await auditOf(u)).map((r) => (r.after as { reason: string }).reason);
    expect((await reasons(plain)).at(-1)).toBe('WRONG_PASSWORD');
    expect((await reasons(locked)).at(-1)).toBe('LOCKED');
    expect((await reasons(disabled)).slice(-2)).toEqual(['DISABLED', 'WRONG_PASSWORD']);
  });

  it('the name a caller types is data in the audit row, never its actor', async () => {
    const typed = '系统管理员（已核实）';
    await login(typed, 'Whatever-pass-1', newIp());
    const u = await createUser(f.db, { role: 'duty', displayName: '值班员乙' });
    await login(u.username, 'Wrong-guess-1', newIp());
    const rows = await f.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_name', 'entity_id', 'after'])
      .where('action', 'in', ['auth.login_failed', 'auth.lockout'])
      .execute();
    expect(rows.map((r) => r.actor_name)).not.toContain(typed);
    expect(rows.map((r) => r.actor_name)).not.toContain('值班员乙');
    const unknown = rows.find((r) => (r.after as { username?: string }).username === typed)!;
    expect(unknown).toMatchObject({ actor_id: null, actor_name: 'anonymous', entity_id: '0', after: { username: typed, reason: 'UNKNOWN_USER' } });
    const known = rows.find((r) => r.entity_id === String(u.id))!;
    expect(known).toMatchObject({ actor_id: null, actor_name: 'anonymous', after: { username: u.username, reason: 'WRONG_PASSWORD' } });
  });
});
