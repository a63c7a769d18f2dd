import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { sessionIdOf } from '../../server/modules/auth/session.js';
import { createUser, sessionFor, type SignedIn } from '../helpers/auth.js';
import { createApiFixture, errorOf, type ApiFixture } from '../helpers/app.js';
import { readSse, type SseReader } from '../helpers/sse.js';

// Live-event streams (GET /api/events) end with their session: at once when the user is disabled,
// signs out or changes password (an event through the hub), and otherwise at the next periodic
// check (expired, idle, removed). Streams are capped per session and per user.

let f: ApiFixture;
let clock = new Date('2026-12-06T02:00:00Z');

beforeAll(async () => {
  // The default check interval (30 s): a stream that closes within a second was closed by the event.
  f = await createApiFixture('seclive', { now: () => clock });
});
afterAll(async () => {
  await f?.tdb.drop();
});

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Whether the stream ended within `ms`. */
async function endsWithin(sse: SseReader, ms: number): Promise<boolean> {
  return Promise.race([sse.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

type App = ReturnType<typeof createApp>;

/** Opens a stream as `s` and waits until it listens to the hub. */
async function open(s: SignedIn, app: App = f.app): Promise<SseReader> {
  const before = f.events.size;
  const res = await app.request('/api/events', { headers: s.headers() });
  expect(res.status).toBe(200);
  const sse = readSse(res, () => {});
  await until(() => f.events.size > before);
  return sse;
}

async function closeAll(streams: SseReader[]): Promise<void> {
  const before = f.events.size;
  await Promise.all(streams.map((s) => s.cancel()));
  await until(() => f.events.size <= before - streams.length);
}

describe('streams end with their session', () => {
  it('at once when the user is disabled', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const sse = await open(await sessionFor(f.db, u, clock));
    const res = await f.request('PATCH', `/api/users/${u.id}`, { disabled: true });
    expect(res.status).toBe(200);
    expect(await endsWithin(sse, 1500)).toBe(true);
  });

  it('at once when the session signs out; the same user’s other session keeps its stream', async () => {
    const u = await createUser(f.db, { role: 'reviewer' });
    const [a, b] = [await sessionFor(f.db, u, clock), await sessionFor(f.db, u, clock)];
    const sa = await open(a);
    const sb = await open(b);
    expect((await f.requestAs(a, 'POST', '/api/auth/logout')).status).toBe(200);
    expect(await endsWithin(sa, 1500)).toBe(true);
    expect(await endsWithin(sb, 300)).toBe(false);
    await closeAll([sb]);
  });

  it('at once for every stream of the user when the password changes', async () => {
    const u = await createUser(f.db, { role: 'leader' });
    const [a, b] = [await sessionFor(f.db, u, clock), await sessionFor(f.db, u, clock)];
    const streams = [await open(a), await open(b)];
    const res = await f.requestAs(a, 'POST', '/api/auth/password', { currentPassword: u.password, newPassword: 'Changed-Pass-2026' });
    expect(res.status).toBe(200);
    for (const sse of streams) expect(await endsWithin(sse, 1500)).toBe(true);
  });

  it('at the next periodic check when the session ends without an event (removed, idle)', async () => {
    const config = loadConfig({ QUEUE_PREFIX: 'seclive-check', TRUST_PROXY: '1' });
    const app = createApp({ db: f.db, config, logger: createLogger('silent', 'test'), redis: null, events: f.events, now: () => clock, liveEvents: { sessionCheckMs: 100 } });
    const u = await createUser(f.db, { role: 'duty' });
    const [a, b] = [await sessionFor(f.db, u, clock), await sessionFor(f.db, u, clock)];
    const sa = await open(a, app);
    const sb = await open(b, app);
    expect(await endsWithin(sa, 400)).toBe(false);
    await f.db.deleteFrom('sessions').where('id', '=', sessionIdOf(/od_session=(.+)$/.exec(a.cookie)![1])).execute();
    expect(await endsWithin(sa, 1500)).toBe(true);
    expect(await endsWithin(sb, 300)).toBe(false);
    clock = new Date(clock.getTime() + 31 * 60_000); // past the 30-minute idle limit
    expect(await endsWithin(sb, 1500)).toBe(true);
  });
});

describe('connection caps', () => {
  it('a sixth stream of one session and an eleventh of one user get 429; a closed one frees its place', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    const [a, b, c] = [await sessionFor(f.db, u, clock), await sessionFor(f.db, u, clock), await sessionFor(f.db, u, clock)];
    const onA: SseReader[] = [];
    for (let i = 0; i < 5; i++) onA.push(await open(a));
    const sixth = await f.app.request('/api/events', { headers: a.headers() });
    expect(sixth.status).toBe(429);
    expect(await errorOf(sixth)).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Too many live-event connections for this session; close other tabs of the dashboard and try again',
      messageZh: '本次登录打开的实时推送连接过多，请关闭多余的页面后再试',
    });
    await closeAll([onA.pop()!]);
    onA.push(await open(a));

    const onB: SseReader[] = [];
    for (let i = 0; i < 5; i++) onB.push(await open(b));
    const eleventh = await f.app.request('/api/events', { headers: c.headers() });
    expect(eleventh.status).toBe(429);
    expect(await errorOf(eleventh)).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Too many live-event connections for this user; close other tabs or sign out elsewhere and try again',
      messageZh: '该账号打开的实时推送连接过多，请关闭多余的页面或在其他设备上退出后再试',
    });
    // Another user is not affected.
    const other = await open(await sessionFor(f.db, await createUser(f.db, { role: 'duty' }), clock));
    await closeAll([...onA, ...onB, other]);
    await closeAll([await open(c)]);
  });
});
