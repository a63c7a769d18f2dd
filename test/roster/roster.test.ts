import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, type ApiFixture } from '../api/helpers.js';
import { createUser, sessionFor, type TestUser } from '../helpers/auth.js';

// 值班表 through the real app: shifts, a month filled from a weekly pattern (holidays and 调休 from
// the calendar), a swap with a reason (audited), who is on duty now; admin-only changes.

let f: ApiFixture;
let clock = new Date('2026-10-09T02:00:00Z'); // Friday 10:00 Beijing time
let duty1: TestUser;
let duty2: TestUser;
let leader: TestUser;
let handler: TestUser;
let shifts: { id: number; name: string; start: string; end: string }[];

beforeAll(async () => {
  f = await createApiFixture('roster', { now: () => clock });
  duty1 = await createUser(f.db, { role: 'duty', displayName: '张三' });
  duty2 = await createUser(f.db, { role: 'duty', displayName: '李四' });
  leader = await createUser(f.db, { role: 'leader', displayName: '王主任' });
  handler = await createUser(f.db, { role: 'handler', displayName: '赵经办' });
});
afterAll(async () => {
  await f.tdb.drop();
});

/** Sessions made at the current clock (a session idles out when the clock jumps hours ahead). */
const asAdmin = async (method: string, path: string, body?: unknown) => f.requestAs(await sessionFor(f.db, f.admin, clock), method, path, body);
const asUser = async (u: TestUser, method: string, path: string, body?: unknown) => f.requestAs(await sessionFor(f.db, u, clock), method, path, body);

const slotsFor = (shiftIds: number[]) =>
  [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) =>
    shiftIds.map((shiftId) => ({ weekday, shiftId, primaryUserId: weekday % 2 === 1 ? duty1.id : duty2.id, backupUserId: weekday % 2 === 1 ? duty2.id : duty1.id, leaderUserId: leader.id })),
  );

describe('shifts', () => {
  it('has the default 白班 and 夜班', async () => {
    const res = await asAdmin('GET', '/api/roster/shifts');
    expect(res.status).toBe(200);
    shifts = (await res.json()).shifts;
    expect(shifts.map((s) => [s.name, s.start, s.end])).toEqual([
      ['白班', '08:30', '17:30'],
      ['夜班', '17:30', '08:30'],
    ]);
  });

  it('creates, edits and deletes a shift (admin only, validated, audited)', async () => {
    const created = await asAdmin('POST', '/api/roster/shifts', { name: '中班', start: '12:00', end: '20:00' });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    expect((await asAdmin('PATCH', `/api/roster/shifts/${id}`, { name: '中班', start: '12:00', end: '21:00' })).status).toBe(200);
    expect((await asAdmin('POST', '/api/roster/shifts', { name: 'x', start: '25:00', end: '08:00' })).status).toBe(400);
    expect((await asUser(duty1, 'POST', '/api/roster/shifts', { name: 'x', start: '08:00', end: '09:00' })).status).toBe(403);
    expect((await asAdmin('DELETE', `/api/roster/shifts/${id}`)).status).toBe(200);
    expect((await asAdmin('DELETE', `/api/roster/shifts/${id}`)).status).toBe(404);
    const audit = await f.db.selectFrom('audit_log').select('action').where('entity', '=', 'shift').execute();
    expect(audit.map((a) => a.action)).toEqual(['roster.shift.create', 'roster.shift.update', 'roster.shift.delete']);
  });
});

describe('filling a month and who is on duty', () => {
  it('fills October 2026: working days night only, days off (国庆, weekends) both shifts, 调休 Saturday a working day', async () => {
    const [day, night] = shifts;
    const res = await asAdmin('POST', '/api/roster/fill', { month: '2026-10', slots: slotsFor([day!.id, night!.id]), shiftsByDayKind: { workday: [night!.id], offday: [day!.id, night!.id] } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.month).toBe('2026-10');
    const { slots } = await (await asAdmin('GET', '/api/roster?month=2026-10')).json();
    expect(slots).toHaveLength(body.rows);
    const of = (d: string) => slots.filter((s: { day: string }) => s.day === d).map((s: { shiftId: number }) => s.shiftId);
    expect(of('2026-10-01')).toEqual([day!.id, night!.id]); // 国庆
    expect(of('2026-10-09')).toEqual([night!.id]); // ordinary Friday
    expect(of('2026-10-10')).toEqual([night!.id]); // 调休 Saturday: a working day
    expect(of('2026-10-11')).toEqual([day!.id, night!.id]); // Sunday
    expect(slots[0].primary).toEqual({ id: expect.any(Number), name: expect.any(String) });
  });

  it('GET /api/roster/now: nobody at 10:00 on a working day (no day shift); the night officer at 20:00, with "you are on duty"', async () => {
    clock = new Date('2026-10-09T02:00:00Z');
    expect(await (await asUser(duty1, 'GET', '/api/roster/now')).json()).toEqual({ onDuty: null, youAreOnDuty: false });
    clock = new Date('2026-10-09T12:00:00Z'); // Friday 20:00: weekday 5 → duty1
    const now = await (await asUser(duty1, 'GET', '/api/roster/now')).json();
    expect(now).toMatchObject({ youAreOnDuty: true, onDuty: { shiftName: '夜班', primary: { name: '张三' }, backup: { name: '李四' }, leader: { name: '王主任' } } });
    expect(now.onDuty.endsAt).toBe('2026-10-10T00:30:00.000Z');
    // everyone signed in may read it; a handler is not on duty
    const h = await asUser(handler, 'GET', '/api/roster/now');
    expect(h.status).toBe(200);
    expect((await h.json()).youAreOnDuty).toBe(false);
    expect((await f.requestAs(null, 'GET', '/api/roster/now')).status).toBe(401);
  });

  it('swap: changing an assigned shift needs a reason; audited with before and after', async () => {
    const night = shifts[1]!;
    const noReason = await asAdmin('POST', '/api/roster/swap', { day: '2026-10-09', shiftId: night.id, primaryUserId: duty2.id, backupUserId: duty1.id, leaderUserId: leader.id });
    expect(noReason.status).toBe(400);
    expect((await errorOf(noReason)).details.issues[0].path).toBe('reason');
    const ok = await asAdmin('POST', '/api/roster/swap', { day: '2026-10-09', shiftId: night.id, primaryUserId: duty2.id, backupUserId: duty1.id, leaderUserId: leader.id, reason: '张三请病假' });
    expect(ok.status).toBe(200);
    clock = new Date('2026-10-09T15:00:00Z');
    expect((await (await asUser(duty1, 'GET', '/api/roster/now')).json()).onDuty.primary.name).toBe('李四');
    const audit = await f.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('action', '=', 'roster.swap').executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ primary_user_id: duty1.id });
    expect(audit.after).toMatchObject({ primaryUserId: duty2.id, reason: '张三请病假' });
  });

  it('refuses people in the wrong role, unknown shifts and users, and non-admins', async () => {
    const night = shifts[1]!;
    const wrongRole = await asAdmin('POST', '/api/roster/swap', { day: '2026-10-20', shiftId: night.id, primaryUserId: handler.id });
    expect(wrongRole.status).toBe(400);
    expect((await errorOf(wrongRole)).messageZh).toContain('值班');
    expect((await asAdmin('POST', '/api/roster/swap', { day: '2026-10-20', shiftId: 999, primaryUserId: duty1.id })).status).toBe(400);
    expect((await asAdmin('POST', '/api/roster/swap', { day: '2026-10-20', shiftId: night.id, primaryUserId: 999999 })).status).toBe(400);
    expect((await asAdmin('POST', '/api/roster/swap', { day: '2026-10-20', shiftId: night.id, primaryUserId: duty1.id, leaderUserId: duty2.id })).status).toBe(400);
    expect((await asUser(duty1, 'POST', '/api/roster/swap', { day: '2026-10-20', shiftId: night.id, primaryUserId: duty1.id })).status).toBe(403);
    expect((await asUser(duty1, 'POST', '/api/roster/fill', { month: '2026-11', slots: slotsFor([night.id]) })).status).toBe(403);
    expect((await asUser(handler, 'GET', '/api/roster?month=2026-10')).status).toBe(403);
    expect((await asAdmin('GET', '/api/roster?month=2026-13')).status).toBe(400);
  });
});
