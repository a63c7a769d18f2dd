import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, H, makeCase, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';
import { makeSource } from '../api/helpers.js';

// Effect as the first measure in the notice: its 四、经验做法 is drawn from the best-effect cases of
// the period (rated 好 / 较好, not reopened, the biggest heat drop first) and its 七、下一步工作要求
// names the weakest (reopened after closing, rated 差, heat that rose) — as suggested text the
// reviewer edits. Week 2026-W49 = 11-30 … 12-06.

const NOW = new Date('2026-12-06T08:00:00Z');
let f: Fixture;
let reviewer: TestUser;

/** A case of `dept` opened at `at`, published 6 h later (on time), closed 3 days later with `rating`; `before`/`after` items around publication. */
async function caseWith(dept: number, title: string, at: Date, rating: 'good' | 'fairly_good' | 'average' | 'poor', before: number, after: number): Promise<string> {
  const id = await makeCase(f, { lead: dept, clockStartedAt: at });
  const published = new Date(at.getTime() + 6 * H);
  const closed = new Date(at.getTime() + 72 * H);
  await sql`insert into responses (case_id, body, status, channel, published_at, drafted_by) values (${id}, '回应', 'published', 'website', ${published}, null)`.execute(f.db);
  await sql`update cases set title = ${title}, status = 'closed', closed_at = ${closed}, effect_rating = ${rating}, responded_at = ${published} where id = ${id}`.execute(f.db);
  await sql`update obligations set status = 'met', met_at = ${published}, on_time = true where case_id = ${id}`.execute(f.db);
  const src = await makeSource(f.db, { name: `源${id}` });
  const story = (
    await sql<{ id: string }>`insert into stories (title, simhash, band0, band1, band2, band3, band4, band5, first_seen_at, last_seen_at)
      values (${title}, 0, 0, 0, 0, 0, 0, 0, ${at}, ${at}) returning id::text as id`.execute(f.db)
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

const reopen = (id: string, at: Date) =>
  sql`insert into audit_log (actor_id, actor_name, entity, entity_id, case_id, action, at) values (null, '', 'case', ${id}, ${id}, 'case.reopen', ${at})`.execute(f.db);

beforeAll(async () => {
  f = await createFixture('effect_text', NOW);
  reviewer = await makeUser(f, 'reviewer', null, '王审核');
  const housing = await makeDepartment(f, '市住建局');
  const hr = await makeDepartment(f, '市人社局');
  const monday = new Date('2026-11-30T00:00:00Z');
  const at = (h: number) => new Date(monday.getTime() + h * H);
  await caseWith(housing, '小区停车难', at(0), 'fairly_good', 10, 5);
  await caseWith(housing, '供暖温度不达标', at(1), 'good', 10, 2);
  await caseWith(housing, '路灯不亮', at(2), 'good', 0, 0);
  await caseWith(hr, '网传“招聘信息不实”', at(3), 'average', 3, 6);
  const poor = await caseWith(hr, '社保卡补办慢', at(4), 'poor', 4, 4);
  const reflared = await caseWith(hr, '工资拖欠', at(5), 'good', 4, 1);
  await reopen(poor, at(100));
  await reopen(reflared, at(110));
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('the notice drafted from response effect', () => {
  let report: { id: string; notable: string; requirements: string };
  beforeAll(async () => {
    const res = await f.as(reviewer, 'POST', '/api/reports/weekly', { week: '2026-W49' });
    expect(res.status).toBe(201);
    report = await res.json();
  });

  it('四、经验做法: the best-effect cases — 好 before 较好, the biggest heat drop first; a reopened case is not one', () => {
    const lines = report.notable.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^市住建局对“供暖温度不达标”（[^）]+）在6小时内在政府网站发布信息，回应效果评价为“好”，回应后24小时内相关信息由10条降至2条，热度下降80%，舆情得到有效平息。$/);
    expect(lines[1]).toMatch(/^市住建局对“路灯不亮”.*回应效果评价为“好”，回应后未再出现相关信息。$/);
    expect(lines[2]).toMatch(/^市住建局对“小区停车难”.*回应效果评价为“较好”，回应后24小时内相关信息由10条降至5条，热度下降50%/);
    expect(report.notable).not.toContain('工资拖欠');
  });

  it('七、下一步工作要求: names the weakest — re-flares first, then 差, then heat that rose after the response', () => {
    const weak = report.requirements.split('\n').find((l) => l.startsWith('本期'))!;
    expect(weak).toBeDefined();
    const at = (s: string) => weak.indexOf(s);
    expect(at('“社保卡补办慢”')).toBeGreaterThan(0);
    expect(at('“社保卡补办慢”')).toBeLessThan(at('“工资拖欠”'));
    expect(at('“工资拖欠”')).toBeLessThan(at('“网传‘招聘信息不实’”'));
    expect(weak).toContain('办结后舆情反弹、重新办理，回应效果评价为“差”');
    expect(weak).toContain('回应后24小时内相关信息由3条增至6条');
    expect(weak).not.toContain('供暖温度不达标');
  });

  it('stays suggested text: the reviewer edits it like before', async () => {
    const res = await f.as(reviewer, 'PATCH', `/api/reports/${report.id}`, { notable: '经审核修改的经验做法。' });
    expect(res.status).toBe(200);
    expect((await res.json()).notable).toBe('经审核修改的经验做法。');
  });
});
