import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSession } from '../../server/modules/auth/session.js';
import type { AppEvent } from '../../platform/queues.js';
import { createApiFixture, type ApiFixture } from '../api/helpers.js';
import { readSse } from '../helpers/sse.js';
import { makeCase, makeDept, makeUser } from './fixtures.js';

// /api/events: a notification event reaches only its own user's stream; case events reach everyone.

let f: ApiFixture;

beforeAll(async () => {
  f = await createApiFixture('escsse');
});
afterAll(async () => {
  await f?.tdb.drop();
});

async function openStream(userId: number) {
  const s = await startSession(f.db, { SESSION_MAX_HOURS: 12 }, userId, { now: new Date() });
  const res = await f.requestAs(null, 'GET', '/api/events', undefined, { cookie: `od_session=${s.token}` });
  expect(res.status).toBe(200);
  const events: AppEvent[] = [];
  const sse = readSse(res, (data) => events.push(JSON.parse(data) as AppEvent));
  return { events, close: () => sse.cancel() };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SSE scoping of notification events', () => {
  it('delivers a notification event only to its user; case events to both', async () => {
    const a = await makeUser(f.db, { role: 'reviewer' });
    const b = await makeUser(f.db, { role: 'duty' });
    const sa = await openStream(a);
    const sb = await openStream(b);
    try {
      await until(() => f.events.size >= 2);
      f.events.publish({ type: 'notification.created', userId: a, notificationId: '11' });
      f.events.publish({ type: 'notification.created', userId: b, notificationId: '12' });
      f.events.publish({ type: 'case.updated', caseId: '5' });
      await until(() => sa.events.length >= 2 && sb.events.length >= 2);
      expect(sa.events).toEqual([
        { type: 'notification.created', userId: a, notificationId: '11' },
        { type: 'case.updated', caseId: '5' },
      ]);
      expect(sb.events).toEqual([
        { type: 'notification.created', userId: b, notificationId: '12' },
        { type: 'case.updated', caseId: '5' },
      ]);
    } finally {
      await sa.close();
      await sb.close();
    }
  });

  it('handlers receive no alert events and only the case events of their own departments', async () => {
    const mine = await makeDept(f.db);
    const other = await makeDept(f.db);
    const caseId = await makeCase(f.db, { leadDepartmentId: mine, openedAt: new Date() });
    const insider = await makeUser(f.db, { role: 'handler', departmentId: mine });
    const outsider = await makeUser(f.db, { role: 'handler', departmentId: other });
    const duty = await makeUser(f.db, { role: 'duty' });
    const streams = [await openStream(insider), await openStream(outsider), await openStream(duty)];
    try {
      // Probe until every stream is subscribed, then start from empty.
      const users = [insider, outsider, duty];
      while (!streams.every((st) => st.events.length > 0)) {
        users.forEach((u, i) => streams[i].events.length === 0 && f.events.publish({ type: 'notification.created', userId: u, notificationId: 'probe' }));
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const st of streams) st.events.splice(0);
      f.events.publish({ type: 'alert.created', alertId: '7', storyId: '9' });
      f.events.publish({ type: 'case.updated', caseId });
      // A last event each stream does receive marks the end of what it was sent.
      for (const u of users) f.events.publish({ type: 'notification.created', userId: u, notificationId: String(u) });
      await until(() => streams.every((st) => st.events.some((e) => e.type === 'notification.created')));
      const [a, b, c] = streams.map((st) => st.events.map((e) => e.type));
      expect(a).toEqual(['case.updated', 'notification.created']);
      expect(b).toEqual(['notification.created']);
      expect(c).toEqual(['alert.created', 'case.updated', 'notification.created']);
    } finally {
      for (const st of streams) await st.close();
    }
  });
});
