import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectOf, EFFECT_FORMULA_ZH } from '../../core/stats.js';
import { composeFigures } from '../../core/reports/figures.js';
import { figureInputs } from '../../db/repos/reports.js';
import { weekPeriod } from '../../core/reports/period.js';
import { createFixture, H, makeCase, makeDepartment, makeUser, type Fixture } from '../helpers/app.js';
import { makeSource } from '../api/helpers.js';

// Response effect as the first measure (回应效果): per lead department, the share of closed cases
// rated 好/较好, the drop in items per 24 h after the first publication, and re-flares after closing,
// combined into one score — the statistics screen and the notice read the same SQL and agree.

const NOW = new Date('2026-12-06T08:00:00Z'); // Sunday of ISO week 2026-W49
let f: Fixture;
let good: number;
let poor: number;

/** A case of `dept` opened at `at`, published 6 h later, closed 3 days later with `rating`; `before`/`after` items around publication. */
async function caseWith(dept: number, at: Date, rating: 'good' | 'fairly_good' | 'average' | 'poor', before: number, after: number): Promise<string> {
  const id = await makeCase(f, { lead: dept, clockStartedAt: at });
  const published = new Date(at.getTime() + 6 * H);
  const closed = new Date(at.getTime() + 72 * H);
  await sql`insert into responses (case_id, body, status, channel, published_at, drafted_by) values (${id}, '回应', 'published', 'website', ${published}, null)`.execute(f.db);
  await sql`update cases set status = 'closed', closed_at = ${closed}, effect_rating = ${rating}, responded_at = ${published} where id = ${id}`.execute(f.db);
  const src = await makeSource(f.db, { name: `源${id}` });
  const story = (
    await sql<{ id: string }>`insert into stories (title, simhash, band0, band1, band2, band3, band4, band5, first_seen_at, last_seen_at)
      values ('故事', 0, 0, 0, 0, 0, 0, 0, ${at}, ${at}) returning id::text as id`.execute(f.db)
  ).rows[0]!.id;
  await sql`insert into case_stories (case_id, story_id) values (${id}, ${story})`.execute(f.db);
  const item = (n: number, base: Date, k: string) =>
    sql`insert into items (source_id, story_id, url_key, url, title, published_at, fetched_at, simhash)
        select ${src}, ${story}, 'http://e.example/' || ${k} || g, 'http://e.example/' || ${k} || g, '信息', ${base}::timestamptz + g * interval '1 minute', ${base}, 0
        from generate_series(1, ${n}) g`.execute(f.db);
  await item(before, new Date(published.getTime() - 12 * H), `${id}b`);
  await item(after, new Date(published.getTime() + 2 * H), `${id}a`);
  return id;
}

beforeAll(async () => {
  f = await createFixture('effect', NOW);
  good = await makeDepartment(f, '住建局');
  poor = await makeDepartment(f, '人社局');
  await makeUser(f, 'duty', null, '值班员');
  const monday = new Date('2026-11-30T00:00:00Z');
  await caseWith(good, new Date(monday.getTime()), 'good', 10, 2);
  await caseWith(good, new Date(monday.getTime() + 4 * H), 'fairly_good', 10, 2);
  const reopened = await caseWith(poor, new Date(monday.getTime()), 'poor', 4, 4);
  await caseWith(poor, new Date(monday.getTime() + 2 * H), 'good', 4, 4);
  await sql`insert into audit_log (actor_id, actor_name, entity, entity_id, case_id, action, at) values (null, '', 'case', ${reopened}, ${reopened}, 'case.reopen', ${new Date(monday.getTime() + 100 * H)})`.execute(f.db);
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('effect', () => {
  it('the formula: weights 50/30/20, a missing measure leaves its weight to the others', () => {
    expect(effectOf({ closed: 2, good: 2, heatBefore: 20, heatAfter: 4, reopened: 0 })).toEqual({ goodRate: 1, heatDrop: 0.8, reflareRate: 0, score: 94 });
    expect(effectOf({ closed: 2, good: 1, heatBefore: 0, heatAfter: 3, reopened: 1 }).score).toBe(round1((100 * (0.5 * 0.5 + 0.5 * 0.2)) / 0.7));
    expect(effectOf({ closed: 0, good: 0, heatBefore: 0, heatAfter: 0, reopened: 0 }).score).toBeNull();
    expect(effectOf({ closed: 0, good: 0, heatBefore: 5, heatAfter: 10, reopened: 0 })).toMatchObject({ heatDrop: -1, score: 0 });
  });

  it('the statistics screen ranks by effect as well as timeliness, with the formula shown', async () => {
    const res = await f.as(await makeUser(f, 'leader', null, '领导'), 'GET', '/api/stats?from=2026-11-30&to=2026-12-06');
    expect(res.status).toBe(200);
    const s = await res.json();
    expect(s.effectFormula).toBe(EFFECT_FORMULA_ZH);
    const by = (name: string) => s.departments.find((d: { name: string }) => d.name === name);
    expect(by('住建局')).toMatchObject({ closed: 2, goodRate: 1, heatDrop: 0.8, reflareRate: 0, effectScore: 94, effectRank: 1 });
    expect(by('人社局')).toMatchObject({ closed: 2, goodRate: 0.5, heatDrop: 0, reflareRate: 0.5, effectScore: 35, effectRank: 2 });
  });

  it('the weekly notice reads the same figures', async () => {
    const figures = composeFigures(await figureInputs(f.db, weekPeriod('2026-W49')!, NOW));
    const by = (name: string) => figures.departments.find((d) => d.name === name)!;
    expect(by('住建局')).toMatchObject({ goodRate: 1, heatDrop: 0.8, effectScore: 94, effectRank: 1 });
    expect(by('人社局')).toMatchObject({ goodRate: 0.5, reflareRate: 0.5, effectScore: 35, effectRank: 2 });
  });
});

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
