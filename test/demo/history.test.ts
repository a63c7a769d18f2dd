import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCases, onTimeCounts, overdueList, responseTimes } from '../../db/repos/stats.js';
import { countLedger, type LedgerQuery } from '../../db/repos/cases-ledger.js';
import { DEMO_HISTORY, seedDemoHistory } from '../../demo/history.js';
import { seedDemo, seedDemoUsers } from '../../demo/seed.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

// The demo's case history, seeded through the real services with a fixed clock.

const NOW = new Date('2026-12-16T06:30:00Z'); // 14:30 in Asia/Shanghai
const DAY = 86_400_000;
let t: TestDb;
let created: number;

async function count(table: 'cases' | 'responses' | 'obligations' | 'audit_log' | 'feedback' | 'referrals' | 'reports_up' | 'coordinations'): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.db);
  return r.rows[0].n;
}

beforeAll(async () => {
  t = await createTestDb('history');
  await seedDemo(t.db, 'http://127.0.0.1:3100');
  await seedDemoUsers(t.db, 'demo-password-1');
  created = await seedDemoHistory(t.db, NOW);
});
afterAll(async () => {
  await t?.drop();
});

describe('seedDemoHistory', () => {
  it('creates every case of the history, in the past five weeks', async () => {
    expect(created).toBe(DEMO_HISTORY.length);
    expect(await count('cases')).toBe(DEMO_HISTORY.length);
    expect(created).toBeGreaterThanOrEqual(30);
    const span = await t.db
      .selectFrom('cases')
      .select([sql<Date>`min(clock_started_at)`.as('first'), sql<Date>`max(opened_at)`.as('last')])
      .executeTakeFirstOrThrow();
    expect(span.first.getTime()).toBeGreaterThan(NOW.getTime() - 40 * DAY);
    expect(span.last.getTime()).toBeLessThan(NOW.getTime());
    const levels = await t.db.selectFrom('cases').select(['level', 'status']).execute();
    expect(levels.filter((c) => c.level === 'major').length).toBeGreaterThanOrEqual(1);
    expect(new Set(levels.map((c) => c.status))).toEqual(new Set(['open', 'responded', 'closed']));
  });

  it('gives statistics a real office would have: some on time, some late, some overdue', async () => {
    const range = { from: new Date(NOW.getTime() - 40 * DAY), to: NOW, now: NOW };
    expect(await countCases(t.db, range)).toBe(DEMO_HISTORY.length);
    const c = await onTimeCounts(t.db, range);
    expect(c.judged).toBeGreaterThan(0);
    const rate = c.onTime / c.judged;
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(1);
    expect(c.late).toBeGreaterThan(0);
    expect(c.openOverdue).toBeGreaterThan(0);
    const overdue = await overdueList(t.db, range, 100);
    expect(overdue.some((o) => o.status === 'open')).toBe(true);
    expect(overdue.some((o) => o.status === 'met')).toBe(true);
    expect((await responseTimes(t.db, range)).count).toBeGreaterThan(20);
    // Open cases still inside their response window (the duty desk's countdowns).
    const pending = await t.db
      .selectFrom('obligations')
      .innerJoin('cases', 'cases.id', 'obligations.case_id')
      .select('obligations.id')
      .where('obligations.status', '=', 'open')
      .where('obligations.kind', '=', 'response')
      .where('obligations.due_at', '>', NOW)
      .execute();
    expect(pending.length).toBeGreaterThanOrEqual(3);
    const ledger = (f: Partial<LedgerQuery>, viewer: LedgerQuery['viewer'] = { role: 'leader', departmentId: null }) =>
      countLedger(t.db, { sort: 'openedAt', dir: 'desc', limit: 50, viewer, now: NOW, ...f });
    expect(await ledger({})).toBe(DEMO_HISTORY.length);
    expect(await ledger({ overdue: true })).toBeGreaterThanOrEqual(5);
    // The demo handlers (住建局, 人社局) have cases of their own.
    for (const name of ['住建局', '人社局']) {
      const d = await t.db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirstOrThrow();
      expect(await ledger({}, { role: 'handler', departmentId: d.id })).toBeGreaterThanOrEqual(5);
      expect(await ledger({ status: 'open' }, { role: 'handler', departmentId: d.id })).toBeGreaterThanOrEqual(1);
    }
  });

  it('closes the older cases with an effect rating and records follow-up and escalations', async () => {
    const closed = await t.db.selectFrom('cases').select(['effect_rating', 'conclusion']).where('status', '=', 'closed').execute();
    expect(closed.length).toBeGreaterThan(10);
    expect(closed.every((c) => c.effect_rating !== null && c.conclusion !== '')).toBe(true);
    expect(new Set(closed.map((c) => c.effect_rating)).size).toBeGreaterThanOrEqual(3);
    expect(await count('feedback')).toBeGreaterThan(20);
    expect(await count('referrals')).toBeGreaterThanOrEqual(1);
    expect(await count('reports_up')).toBeGreaterThanOrEqual(1);
    expect(await count('coordinations')).toBeGreaterThanOrEqual(1);
    const published = await t.db.selectFrom('responses').select(['channel', 'url', 'reviewed_by']).where('status', '=', 'published').execute();
    expect(published.length).toBeGreaterThan(25);
    expect(published.every((r) => r.channel !== null && r.reviewed_by !== null)).toBe(true);
  });

  it('happens in office hours (Asia/Shanghai): publications, feedback and closing between 07:00 and 22:00', async () => {
    const hours = await sql<{ h: number }>`
      select extract(hour from published_at at time zone 'Asia/Shanghai')::int as h from responses where published_at is not null
      union all select extract(hour from created_at at time zone 'Asia/Shanghai')::int from feedback
      union all select extract(hour from closed_at at time zone 'Asia/Shanghai')::int from cases where closed_at is not null`.execute(t.db);
    expect(hours.rows.length).toBeGreaterThan(50);
    expect(hours.rows.filter((r) => r.h < 7 || r.h >= 22)).toEqual([]);
  });

  it('leaves audit rows for every case', async () => {
    const rows = await sql<{ id: string; n: number }>`
      select c.id, count(a.id)::int as n from cases c left join audit_log a on a.case_id = c.id group by c.id`.execute(t.db);
    expect(rows.rows.length).toBe(DEMO_HISTORY.length);
    expect(rows.rows.every((r) => r.n >= 2)).toBe(true);
    const creates = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'case.create').execute();
    expect(creates.length).toBe(DEMO_HISTORY.length);
  });

  it('adds nothing when run again', async () => {
    const before = await Promise.all((['cases', 'responses', 'obligations', 'audit_log', 'feedback'] as const).map(count));
    expect(await seedDemoHistory(t.db, new Date(NOW.getTime() + DAY))).toBe(0);
    expect(await Promise.all((['cases', 'responses', 'obligations', 'audit_log', 'feedback'] as const).map(count))).toEqual(before);
  });
});
