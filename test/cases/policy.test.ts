import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/workflow/policy.js';
import { auditCount, createFixture, errorOf, makeAlert, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

// Policy, heightened periods and calendar overrides, and the due times they give new cases.

const NOW = new Date('2026-11-24T08:00:00Z');
let f: Fixture;
let dept: number;
let admin: TestUser;
let duty: TestUser;
let leader: TestUser;
let handler: TestUser;

beforeAll(async () => {
  f = await createFixture('cases_policy', NOW);
  dept = await makeDepartment(f, '市教育局');
  admin = await makeUser(f, 'admin');
  duty = await makeUser(f, 'duty');
  leader = await makeUser(f, 'leader');
  handler = await makeUser(f, 'handler', dept);
});
afterAll(async () => {
  await f.tdb.drop();
});

async function openAt(start: Date, level = 'general', category = 'difficulty') {
  const { alertId } = await makeAlert(f, `事件${start.toISOString()}`, start);
  const res = await f.as(duty, 'POST', '/api/cases', { alertIds: [alertId], level, category, leadDepartmentId: dept });
  expect(res.status).toBe(201);
  return res.json();
}

describe('/api/policies', () => {
  it('seeds the defaults once and serves them to admin, reviewer and leader only', async () => {
    const [a, b] = await Promise.all([f.as(admin, 'GET', '/api/policies'), f.as(leader, 'GET', '/api/policies')]);
    expect(a.status).toBe(200);
    expect((await a.json()).rules).toHaveLength(DEFAULT_POLICY.length);
    expect((await b.json()).rules).toHaveLength(DEFAULT_POLICY.length);
    const rows = await f.db.selectFrom('policies').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(DEFAULT_POLICY.length);
    expect((await f.as(duty, 'GET', '/api/policies')).status).toBe(403);
  });

  it('PUT validates (every level needs a default), audits, and applies to new cases only', async () => {
    const before = await openAt(new Date('2026-09-30T02:00:00Z'));
    const bad = await f.as(admin, 'PUT', '/api/policies', { rules: DEFAULT_POLICY.filter((r) => r.level !== 'major') });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe('VALIDATION');
    expect((await f.as(duty, 'PUT', '/api/policies', { rules: DEFAULT_POLICY })).status).toBe(403);

    // 实际困难 answered within one working day (Wed 09-30 10:00 Shanghai → Thu 10-08 10:00, after National Day).
    const rules = [...DEFAULT_POLICY, { ...DEFAULT_POLICY[0], category: 'difficulty', obligations: [{ kind: 'response', window: { hours: 24, unit: 'working_days' } }] }];
    const audits = await auditCount(f, { action: 'policy.update' });
    const res = await f.as(admin, 'PUT', '/api/policies', { rules });
    expect(res.status).toBe(200);
    expect((await res.json()).rules).toHaveLength(DEFAULT_POLICY.length + 1);
    expect(await auditCount(f, { action: 'policy.update' })).toBe(audits + 1);

    const after = await openAt(new Date('2026-09-30T02:00:00Z'));
    expect(after.obligations[0]).toMatchObject({ kind: 'response', windowUnit: 'working_days', dueAt: '2026-10-08T02:00:00.000Z' });
    // Not retroactive: the earlier case keeps its 48 natural hours.
    const again = await (await f.as(duty, 'GET', `/api/cases/${before.id}`)).json();
    expect(again.obligations[0].dueAt).toBe('2026-10-02T02:00:00.000Z');
  });

  it('a calendar override moves working-day due times, and is audited', async () => {
    const put = await f.as(admin, 'PUT', '/api/calendar/2026-10-08', { isWorkday: false, note: '本地调休' });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ day: '2026-10-08', isWorkday: false, note: '本地调休', overridden: true });
    expect(await auditCount(f, { action: 'calendar.set' })).toBe(1);
    const c = await openAt(new Date('2026-09-30T02:00:00Z'));
    expect(c.obligations[0].dueAt).toBe('2026-10-09T02:00:00.000Z');
    const day = await (await f.as(duty, 'GET', '/api/calendar/2026-10-10')).json();
    expect(day).toEqual({ day: '2026-10-10', isWorkday: true, note: '', overridden: false }); // 调休 make-up Saturday
    expect((await (await f.as(admin, 'GET', '/api/calendar?year=2026')).json()).overrides).toHaveLength(1);
    expect((await f.as(duty, 'PUT', '/api/calendar/2026-10-09', { isWorkday: false })).status).toBe(403);
    expect((await f.as(admin, 'PUT', '/api/calendar/2026-02-30', { isWorkday: false })).status).toBe(400);
    const del = await f.as(admin, 'DELETE', '/api/calendar/2026-10-08');
    expect((await del.json()).overridden).toBe(false);
    expect(await auditCount(f, { action: 'calendar.unset' })).toBe(1);
  });
});

describe('/api/periods', () => {
  it('a heightened period shortens windows of cases starting inside it; CRUD is admin-only and audited', async () => {
    const create = await f.as(admin, 'POST', '/api/periods', { name: '全国两会', startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-11-10T00:00:00Z', factor: 0.5 });
    expect(create.status).toBe(201);
    const p = await create.json();
    expect(p).toMatchObject({ name: '全国两会', factor: 0.5 });
    const inside = await openAt(new Date('2026-11-05T00:00:00Z'), 'general', 'suggestion');
    expect(inside.obligations[0].dueAt).toBe('2026-11-06T00:00:00.000Z');
    const outside = await openAt(new Date('2026-11-12T00:00:00Z'), 'general', 'suggestion');
    expect(outside.obligations[0].dueAt).toBe('2026-11-14T00:00:00.000Z');

    expect((await f.as(handler, 'GET', '/api/periods')).status).toBe(403);
    expect((await (await f.as(duty, 'GET', '/api/periods')).json()).periods).toHaveLength(1);
    expect((await f.as(duty, 'POST', '/api/periods', { name: 'x', startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-11-02T00:00:00Z', factor: 0.5 })).status).toBe(403);
    expect((await f.as(admin, 'POST', '/api/periods', { name: 'x', startsAt: '2026-11-02T00:00:00Z', endsAt: '2026-11-01T00:00:00Z', factor: 0.5 })).status).toBe(400);
    expect((await f.as(admin, 'POST', '/api/periods', { name: 'x', startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-11-02T00:00:00Z', factor: 2 })).status).toBe(400);

    const patch = await f.as(admin, 'PATCH', `/api/periods/${p.id}`, { name: '两会', startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-11-10T00:00:00Z', factor: 0.25 });
    expect((await patch.json()).factor).toBe(0.25);
    expect((await f.as(admin, 'DELETE', `/api/periods/${p.id}`)).status).toBe(200);
    expect((await f.as(admin, 'DELETE', `/api/periods/${p.id}`)).status).toBe(404);
    expect(await auditCount(f, { action: 'period.create' })).toBe(1);
    expect(await auditCount(f, { action: 'period.update' })).toBe(1);
    expect(await auditCount(f, { action: 'period.delete' })).toBe(1);
  });
});
