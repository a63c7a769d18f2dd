import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEFAULT_POLICY } from '../../core/workflow/policy.js';
import { up as upgradeEmergencyPolicy } from '../../db/migrations/20261207_0023_emergency_policy.js';
import { createFixture, makeAlert, makeDepartment, makeUser, obligationsOf, type Fixture, type TestUser } from '../helpers/app.js';

// 国办发〔2016〕61号 as the default policy reads it, through the app: the obligations a new case owes
// per level × category (突发事件 and a plain category), and the upgrade of an install that stored
// the earlier defaults (every 突发事件 on the press-conference track).

const NOW = new Date('2026-11-24T08:00:00Z');
const MAJOR_TRACK = ['info', 'press', 'report', 'update'];
let f: Fixture;
let dept: number;
let admin: TestUser;
let duty: TestUser;

beforeAll(async () => {
  f = await createFixture('cases_emergency_policy', NOW);
  dept = await makeDepartment(f, '市应急管理局');
  admin = await makeUser(f, 'admin');
  duty = await makeUser(f, 'duty');
});
afterAll(async () => {
  await f.tdb.drop();
});

async function kindsOfNewCase(level: string, category: string): Promise<string[]> {
  const { alertId } = await makeAlert(f, `突发 ${level} ${category} ${Math.random()}`, NOW);
  const res = await f.as(duty, 'POST', '/api/cases', { alertIds: [alertId], level, category, leadDepartmentId: dept });
  expect(res.status).toBe(201);
  const id = (await res.json()).id as string;
  return (await obligationsOf(f, id)).map((o) => o.kind).sort();
}

describe('61号 defaults for new cases', () => {
  it.each([
    ['general', 'emergency', ['report', 'response']],
    ['significant', 'emergency', ['report', 'response']],
    ['major', 'emergency', MAJOR_TRACK],
    ['especially_major', 'emergency', MAJOR_TRACK],
    ['general', 'difficulty', ['response']],
    ['significant', 'difficulty', ['response']],
    ['major', 'difficulty', MAJOR_TRACK],
    ['especially_major', 'difficulty', MAJOR_TRACK],
  ])('%s / %s owes %j', async (level, category, expected) => {
    expect(await kindsOfNewCase(level, category)).toEqual(expected);
  });
});

describe('an install that stored the earlier defaults', () => {
  const OLD_MAJOR = DEFAULT_POLICY.find((r) => r.level === 'major' && r.category === null)!.obligations;

  it('moves unedited general / significant 突发事件 rules to the new defaults, keeps an edited one and the open cases', async () => {
    // The earlier defaults as a previous version stored them: both 突发事件 rows on the major track.
    await f.as(admin, 'GET', '/api/policies'); // seeds the table
    await sql`update policies set obligations = ${JSON.stringify(OLD_MAJOR)}::jsonb where category = 'emergency'`.execute(f.db);
    expect(await kindsOfNewCase('general', 'emergency')).toEqual(MAJOR_TRACK);
    const { alertId } = await makeAlert(f, '旧规则下的突发事件', NOW);
    const opened = await (await f.as(duty, 'POST', '/api/cases', { alertIds: [alertId], level: 'significant', category: 'emergency', leadDepartmentId: dept })).json();
    const before = (await obligationsOf(f, opened.id)).map((o) => [o.kind, o.due_at.toISOString()]);
    expect(before.map(([k]) => k).sort()).toEqual(MAJOR_TRACK);

    // The administrator edited the significant one (press conference kept, 2 h report): not touched.
    const edited = [{ kind: 'report', window: { hours: 2, unit: 'natural' } }, { kind: 'press', window: { hours: 24, unit: 'natural' } }];
    await sql`update policies set obligations = ${JSON.stringify(edited)}::jsonb where category = 'emergency' and level = 'significant'`.execute(f.db);

    await upgradeEmergencyPolicy(f.db);

    const rows = await f.db.selectFrom('policies').select(['level', 'obligations']).where('category', '=', 'emergency').orderBy('level').execute();
    expect(rows.map((r) => [r.level, r.obligations])).toEqual([
      ['general', DEFAULT_POLICY.find((r) => r.level === 'general' && r.category === 'emergency')!.obligations],
      ['significant', edited],
    ]);
    expect(await kindsOfNewCase('general', 'emergency')).toEqual(['report', 'response']);
    expect(await kindsOfNewCase('significant', 'emergency')).toEqual(['press', 'report']);
    // The case opened under the earlier rules keeps its obligations and due times.
    expect((await obligationsOf(f, opened.id)).map((o) => [o.kind, o.due_at.toISOString()])).toEqual(before);
  });
});
