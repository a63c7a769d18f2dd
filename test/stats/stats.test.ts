import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Category, Level } from '../../core/vocabulary.js';
import { errorOf, makeItem, makeSource, makeStory } from '../api/helpers.js';
import { createFixture, H, makeCase, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

// Twelve cases with known outcomes, and every figure of GET /api/stats compared with a hand count
// (the table below). Range: Shanghai days 2026-11-16 … 2026-11-22; now: 2026-11-24 16:00 Shanghai.
//
//  #  dept level        category          clock (Shanghai)   first publication      response obligation
//  1  A    general      difficulty        11-16 10:00        +10 h  11-16 20:00     met on time   (closed)
//  2  A    general      suggestion        11-16 23:30        +20 h  11-17 19:30     met on time
//  3  A    significant  difficulty        11-17 09:00        +50 h  11-19 11:00     met 2 h late
//  4  A    general      rumour            11-18 08:00        —                      open, due 11-20 08:00: 104 h overdue
//  5  B    general      difficulty        11-17 12:00        +30 h  11-18 18:00     met on time
//  6  B    significant  misunderstanding  11-18 14:00        +47 h  11-20 13:00     met on time
//  7  B    general      wrong_view        11-19 10:00        +60 h  11-21 22:00     met 12 h late
//  8  B    general      other             11-21 10:00        —                      open, due 11-23 10:00 (after the range: not judged)
//  9  C    general      difficulty        11-20 09:00        +5 h   11-20 14:00     met on time
// 10  C    major        emergency         11-19 08:00        +6 h   11-19 14:00     none (report met on time, info 1 h late, press on time)
// 11  C    general      suggestion        11-10 10:00 (before the range) +146 h 11-16 12:00  met 98 h late
// 12  A    general      difficulty        11-22 20:00        —                      open, not yet due
//
// Judged response obligations: 1 2 3 4 5 6 7 9 11 = 9; on time: 1 2 5 6 9 = 5 → 0.5556.
// Response hours (first publication in range): 5 6 10 20 30 47 50 60 146 → median 30, p90 60 + 0.2 × 86 = 77.2, mean 41.6.

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const NOW = sh('2026-11-24 16:00');

let f: Fixture;
let A: number;
let B: number;
let C: number;
let leader: TestUser;
const ids: Record<number, string> = {};

interface Spec {
  n: number;
  dept: () => number;
  level: Level;
  category: Category;
  clock: string;
  publishAfterHours?: number;
  status?: 'closed';
}

const SPECS: Spec[] = [
  { n: 1, dept: () => A, level: 'general', category: 'difficulty', clock: '2026-11-16 10:00', publishAfterHours: 10, status: 'closed' },
  { n: 2, dept: () => A, level: 'general', category: 'suggestion', clock: '2026-11-16 23:30', publishAfterHours: 20 },
  { n: 3, dept: () => A, level: 'significant', category: 'difficulty', clock: '2026-11-17 09:00', publishAfterHours: 50 },
  { n: 4, dept: () => A, level: 'general', category: 'rumour', clock: '2026-11-18 08:00' },
  { n: 5, dept: () => B, level: 'general', category: 'difficulty', clock: '2026-11-17 12:00', publishAfterHours: 30 },
  { n: 6, dept: () => B, level: 'significant', category: 'misunderstanding', clock: '2026-11-18 14:00', publishAfterHours: 47 },
  { n: 7, dept: () => B, level: 'general', category: 'wrong_view', clock: '2026-11-19 10:00', publishAfterHours: 60 },
  { n: 8, dept: () => B, level: 'general', category: 'other', clock: '2026-11-21 10:00' },
  { n: 9, dept: () => C, level: 'general', category: 'difficulty', clock: '2026-11-20 09:00', publishAfterHours: 5 },
  { n: 10, dept: () => C, level: 'major', category: 'emergency', clock: '2026-11-19 08:00', publishAfterHours: 6 },
  { n: 11, dept: () => C, level: 'general', category: 'suggestion', clock: '2026-11-10 10:00', publishAfterHours: 146 },
  { n: 12, dept: () => A, level: 'general', category: 'difficulty', clock: '2026-11-22 20:00' },
];

/** What the publish flow writes: a published response, the case responded, the obligations met at that time. */
async function publish(caseId: string, at: Date, kinds: string[]) {
  await f.db.insertInto('responses').values({ case_id: caseId, body: '回应', status: 'published', published_at: at, channel: 'website' }).execute();
  await f.db.updateTable('cases').set({ status: 'responded', responded_at: at }).where('id', '=', caseId).execute();
  await sql`update obligations set status = 'met', met_at = ${at}, on_time = (${at}::timestamptz <= due_at)
            where case_id = ${caseId} and kind = any(${kinds}::text[])`.execute(f.db);
}

async function storyFor(caseId: string, sourceIds: number[]) {
  const story = await makeStory(f.db, `故事${caseId}`, NOW);
  await f.db.insertInto('case_stories').values({ case_id: caseId, story_id: story }).execute();
  for (const s of sourceIds) await makeItem(f.db, s, { title: '帖子', story_id: story });
}

beforeAll(async () => {
  f = await createFixture('stats', NOW);
  A = await makeDepartment(f, '市水务局');
  B = await makeDepartment(f, '市住建局');
  C = await makeDepartment(f, '市教育局');
  leader = await makeUser(f, 'leader');
  for (const s of SPECS) {
    const clock = sh(s.clock);
    const major = s.level === 'major';
    ids[s.n] = await makeCase(f, {
      lead: s.dept(),
      level: s.level,
      category: s.category,
      clockStartedAt: clock,
      title: `案例${s.n}`,
      obligations: major ? [{ kind: 'report', hours: 1 }, { kind: 'info', hours: 5 }, { kind: 'press', hours: 24 }] : [{ kind: 'response', hours: 48 }],
    });
    if (s.publishAfterHours !== undefined) await publish(ids[s.n], new Date(clock.getTime() + s.publishAfterHours * H), major ? ['info'] : ['response']);
    if (s.status === 'closed') await f.db.updateTable('cases').set({ status: 'closed', closed_at: NOW }).where('id', '=', ids[s.n]).execute();
  }
  // Case 10: the report met half an hour in, the press conference at 20 h.
  const c10 = sh('2026-11-19 08:00');
  for (const [kind, h] of [['report', 0.5], ['press', 20]] as const) {
    const at = new Date(c10.getTime() + h * H);
    await f.db.updateTable('obligations').set({ status: 'met', met_at: at, on_time: true }).where('case_id', '=', ids[10]).where('kind', '=', kind).execute();
  }
  const forum = await makeSource(f.db, { name: '论坛' });
  const news = await makeSource(f.db, { name: '新闻网' });
  const weibo = await makeSource(f.db, { name: '微博' });
  await storyFor(ids[1], [forum, news]);
  await storyFor(ids[5], [forum]);
  await storyFor(ids[9], [news, news]);
  await storyFor(ids[11], [weibo]);
});
afterAll(async () => {
  await f.tdb.drop();
});

async function getStats(query: string) {
  const r = await f.as(leader, 'GET', `/api/stats?${query}`);
  expect(r.status).toBe(200);
  return r.json();
}

describe('GET /api/stats against a hand count', () => {
  it('counts cases opened in the range by level, category, status, lead department and source', async () => {
    const s = await getStats('from=2026-11-16&to=2026-11-22');
    expect(s.range).toEqual({ from: sh('2026-11-16 00:00').toISOString(), to: sh('2026-11-23 00:00').toISOString(), timeZone: 'Asia/Shanghai' });
    expect(s.totals.cases).toBe(11);
    const map = (rows: { key: string; count: number }[]) => Object.fromEntries(rows.map((r) => [r.key, r.count]));
    expect(map(s.byLevel)).toEqual({ general: 8, significant: 2, major: 1 });
    expect(s.byLevel.find((r: { key: string }) => r.key === 'major').label).toBe('重大');
    expect(map(s.byCategory)).toEqual({ difficulty: 5, suggestion: 1, rumour: 1, misunderstanding: 1, wrong_view: 1, other: 1, emergency: 1 });
    expect(map(s.byStatus)).toEqual({ responded: 7, open: 3, closed: 1 });
    expect(s.byDepartment).toEqual([
      { id: A, name: '市水务局', count: 5 },
      { id: B, name: '市住建局', count: 4 },
      { id: C, name: '市教育局', count: 2 },
    ]);
    expect(s.bySource.map((r: { name: string; count: number }) => [r.name, r.count])).toEqual([
      ['论坛', 2],
      ['新闻网', 2],
    ]);
  });

  it('on-time rate, response-time median and p90, overdue list, daily trend and department ranking', async () => {
    const s = await getStats('from=2026-11-16&to=2026-11-22');
    expect(s.onTime).toEqual({ judged: 9, onTime: 5, late: 3, openOverdue: 1, rate: 0.5556 });
    expect(s.responseTime).toEqual({ count: 9, medianHours: 30, p90Hours: 77.2, averageHours: 41.6 });
    // 5 6 | 10 | 20 | 30 47 | 50 60 | 146
    expect(s.responseHistogram).toEqual([
      { fromHours: 0, toHours: 4, count: 0 },
      { fromHours: 4, toHours: 8, count: 2 },
      { fromHours: 8, toHours: 12, count: 1 },
      { fromHours: 12, toHours: 24, count: 1 },
      { fromHours: 24, toHours: 48, count: 2 },
      { fromHours: 48, toHours: 72, count: 2 },
      { fromHours: 72, toHours: null, count: 1 },
    ]);
    expect(s.overdue.map((o: { caseId: string; kind: string; status: string; hoursLate: number }) => [o.caseId, o.kind, o.status, o.hoursLate])).toEqual([
      [ids[4], 'response', 'open', 104],
      [ids[11], 'response', 'met', 98],
      [ids[7], 'response', 'met', 12],
      [ids[3], 'response', 'met', 2],
      [ids[10], 'info', 'met', 1],
    ]);
    expect(s.overdue[0]).toMatchObject({ caseTitle: '案例4', kindLabel: '公开回应', department: { id: A, name: '市水务局' }, metAt: null });
    expect(s.daily).toEqual([
      { day: '2026-11-16', opened: 2, responded: 2 },
      { day: '2026-11-17', opened: 2, responded: 1 },
      { day: '2026-11-18', opened: 2, responded: 1 },
      { day: '2026-11-19', opened: 2, responded: 2 },
      { day: '2026-11-20', opened: 1, responded: 2 },
      { day: '2026-11-21', opened: 1, responded: 1 },
      { day: '2026-11-22', opened: 1, responded: 0 },
    ]);
    expect(s.departments).toEqual([
      { rank: 1, id: B, name: '市住建局', cases: 4, judged: 3, onTime: 2, onTimeRate: 0.6667, responded: 3, averageResponseHours: 45.7, closed: 0, goodRate: null, heatDrop: null, reflareRate: null, effectScore: null, effectRank: 1 },
      { rank: 2, id: A, name: '市水务局', cases: 5, judged: 4, onTime: 2, onTimeRate: 0.5, responded: 3, averageResponseHours: 26.7, closed: 0, goodRate: null, heatDrop: null, reflareRate: null, effectScore: null, effectRank: 2 },
      { rank: 3, id: C, name: '市教育局', cases: 2, judged: 2, onTime: 1, onTimeRate: 0.5, responded: 3, averageResponseHours: 52.3, closed: 0, goodRate: null, heatDrop: null, reflareRate: null, effectScore: null, effectRank: 3 },
    ]);
  });

  it('ISO bounds give the same figures as the dates they name; a narrower range moves the judgement', async () => {
    const iso = await getStats(`from=${encodeURIComponent('2026-11-16T00:00:00+08:00')}&to=${encodeURIComponent('2026-11-23T00:00:00+08:00')}`);
    expect(iso.totals.cases).toBe(11);
    expect(iso.onTime.rate).toBe(0.5556);
    // 11-16 … 11-19 only: judged 1 2 3 5 11 (4 is due 11-20) → on time 1 2 5 = 3 of 5.
    const early = await getStats('from=2026-11-16&to=2026-11-19');
    expect(early.onTime).toEqual({ judged: 5, onTime: 3, late: 2, openOverdue: 0, rate: 0.6 });
    expect(early.daily.map((d: { day: string }) => d.day)).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19']);
  });

  it('refuses bad ranges and roles without statistics', async () => {
    const bad = await f.as(leader, 'GET', '/api/stats?from=2026-13-01');
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).messageZh).toContain('日期');
    expect((await f.as(leader, 'GET', '/api/stats?from=2026-11-22&to=2026-11-16')).status).toBe(400);
    const handler = await makeUser(f, 'handler', A);
    expect((await f.as(handler, 'GET', '/api/stats')).status).toBe(403);
    for (const role of ['duty', 'reviewer', 'admin'] as const) {
      const u = await makeUser(f, role);
      expect((await f.as(u, 'GET', '/api/stats')).status).toBe(200);
    }
  });
});
