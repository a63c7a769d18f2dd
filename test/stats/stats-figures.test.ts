import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import * as stats from '../../db/repos/stats.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { seedCases } from '../reports/seed.js';

// GET /api/stats reads every figure in one statement (stats.statsFigures); the per-figure
// functions stay the definitions (the weekly notice uses them). Here the one statement is held to
// them on a few hundred cases over several ranges: the same rows, types (Dates, numbers, nulls),
// key order and row order.

const NOW = new Date('2026-11-25T08:00:00.000Z');
const FROM = new Date('2026-08-20T00:00:00.000Z');

let t: TestDb;
let db: Db;

beforeAll(async () => {
  t = await createTestDb('statsfigures');
  db = t.db;
  await seedCases(db, { cases: 600, from: FROM, spanHours: 95 * 24, departments: 7, now: NOW });
  // Sources for bySource: stories of items from one to three sources, linked to two cases in three.
  await sql`insert into sources (name, url, kind) select '来源' || g, 'http://s.example/' || g || '.xml', 'feed' from generate_series(1, 4) g`.execute(db);
  await sql`
    insert into stories (title, simhash, band0, band1, band2, band3, band4, band5, first_seen_at, last_seen_at)
    select '故事 ' || id, 0, 0, 0, 0, 0, 0, 0, clock_started_at, clock_started_at from cases where id % 3 <> 0`.execute(db);
  await sql`insert into case_stories (case_id, story_id) select c.id, s.id from cases c join stories s on s.title = '故事 ' || c.id`.execute(db);
  await sql`
    insert into items (source_id, story_id, url_key, url, title, published_at, fetched_at, simhash)
    select src.id, s.id, 'http://i.example/' || s.id || '/' || src.id, 'http://i.example/' || s.id || '/' || src.id, '信息', s.first_seen_at, s.first_seen_at, 0
    from stories s join sources src on src.name <= '来源' || (1 + s.id % 3) where s.title like '故事 %'`.execute(db);
  // Response times that are not whole hours (float8 medians, averages, hours late).
  await sql`update responses set published_at = published_at + (id % 97) * interval '37.123457 seconds'`.execute(db);
  // Other kinds of obligation, some overdue (open past due), some met late, some with equal lateness.
  await sql`
    insert into obligations (case_id, kind, seq, window_hours, started_at, due_at, status, met_at, on_time, met_by)
    select id, 'report', 1, 1, clock_started_at, clock_started_at + interval '1 hour',
      case when id % 4 = 0 then 'open' else 'met' end,
      case when id % 4 = 0 then null else clock_started_at + (id % 5) * interval '1 hour' end,
      case when id % 4 = 0 then null else id % 5 <= 1 end,
      case when id % 4 = 0 then null else 'report' end
    from cases where level in ('major', 'especially_major', 'significant')`.execute(db);
  await sql`analyze`.execute(db);
});

afterAll(async () => {
  await t?.drop();
});

async function separately(r: stats.Range, limit: number): Promise<stats.StatsFigures> {
  const [total, byLevel, byCategory, byStatus, byDepartment, bySource, onTime, responseTimes, histogram, overdue, daily, departments] = await Promise.all([
    stats.countCases(db, r),
    stats.countCasesBy(db, r, 'level'),
    stats.countCasesBy(db, r, 'category'),
    stats.countCasesBy(db, r, 'status'),
    stats.countCasesByDepartment(db, r),
    stats.countCasesBySource(db, r),
    stats.onTimeCounts(db, r),
    stats.responseTimes(db, r),
    stats.responseHistogram(db, r),
    stats.overdueList(db, r, limit),
    stats.dailyTrend(db, r),
    stats.departmentFigures(db, r),
  ]);
  return { total, byLevel, byCategory, byStatus, byDepartment, bySource, onTime, responseTimes, histogram, overdue, daily, departments };
}

const sh = (s: string) => new Date(`${s}+08:00`);

/**
 * Non-integers to 12 significant digits: a float8 avg() adds its rows in the order the plan feeds
 * them, so the last bit can differ between two plans of the same figure (the API shows 1 decimal).
 */
function floatsRounded<T>(v: T): T {
  if (typeof v === 'number') return (Number.isInteger(v) ? v : Number(v.toPrecision(12))) as T;
  if (Array.isArray(v)) return v.map(floatsRounded) as T;
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, floatsRounded(x)])) as T;
  return v;
}

describe('statsFigures', () => {
  const ranges: [string, stats.Range, number][] = [
    ['a month', { from: sh('2026-10-01T00:00:00'), to: sh('2026-11-01T00:00:00'), now: NOW }, 200],
    ['the whole span, overdue cut at 15', { from: FROM, to: NOW, now: NOW }, 15],
    ['the whole span, a year', { from: sh('2025-12-01T00:00:00'), to: sh('2026-12-01T00:00:00'), now: NOW }, 200],
    ['part of a day', { from: new Date('2026-10-10T03:30:00.5Z'), to: new Date('2026-10-10T19:00:00Z'), now: NOW }, 200],
    ['nothing in it', { from: sh('2020-01-01T00:00:00'), to: sh('2020-01-08T00:00:00'), now: NOW }, 200],
    ['judged at an earlier now', { from: sh('2026-09-01T00:00:00'), to: sh('2026-10-01T00:00:00'), now: sh('2026-09-20T12:00:00') }, 200],
  ];

  it.each(ranges)('%s: the same figures as the per-figure queries', async (_name, r, limit) => {
    const one = floatsRounded(await stats.statsFigures(db, r, limit));
    const many = floatsRounded(await separately(r, limit));
    expect(one).toStrictEqual(many);
    expect(JSON.stringify(one)).toBe(JSON.stringify(many));
  });

  it('the data exercise every figure', async () => {
    const f = await stats.statsFigures(db, ranges[1][1], 15);
    expect(f.total).toBeGreaterThan(0);
    for (const key of ['byLevel', 'byCategory', 'byStatus', 'byDepartment', 'bySource', 'daily', 'departments'] as const) expect(f[key].length, key).toBeGreaterThan(0);
    expect(f.overdue).toHaveLength(15);
    const all = await stats.statsFigures(db, ranges[2][1], 100_000);
    expect(all.overdue.some((o) => o.metAt !== null) && all.overdue.some((o) => o.metAt === null)).toBe(true);
    expect(new Set(all.overdue.map((o) => o.hoursLate)).size).toBeLessThan(all.overdue.length);
    expect(Number.isInteger(f.responseTimes.averageHours)).toBe(false);
    expect(f.onTime.late + f.onTime.openOverdue).toBeGreaterThan(0);
  });
});
