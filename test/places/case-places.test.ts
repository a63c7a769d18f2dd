import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '../api/helpers.js';
import { createFixture, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

// 地域 set by hand on a case: a case registered by hand has no items naming a place, so no 地域
// until a duty officer or its handler picks the 乡镇 (and 村) from the gazetteer. What is set
// replaces the items' places in the case room, the ledger (column and 乡镇 filter), its exports and
// the statistics by 乡镇; cleared, the items' places come back. Audited, scoped, refused when closed.
// 竹溪县 (420324): 城关镇 holds 观音阁村; 蒋家堰镇 is another town.

const NOW = new Date('2026-12-07T02:00:00Z');
const CHENGGUAN = '420324100';
const JIANGJIAYAN = '420324101';
const GUANYINGE = '420324100200';

let f: Fixture;
let duty: TestUser;
let leader: TestUser;
let waterHandler: TestUser;
let eduHandler: TestUser;
let water: number;
let manualCase = '';
let alertCase = '';

beforeAll(async () => {
  f = await createFixture('caseplaces', NOW);
  water = await makeDepartment(f, '水务局');
  const edu = await makeDepartment(f, '教育局');
  duty = await makeUser(f, 'duty');
  leader = await makeUser(f, 'leader');
  waterHandler = await makeUser(f, 'handler', water);
  eduHandler = await makeUser(f, 'handler', edu);
  expect((await f.request('PUT', '/api/area', { countyCode: '420324', areaName: '', extras: [] })).status).toBe(200);
  const manual = await f.as(duty, 'POST', '/api/cases', {
    manual: { origin: 'hotline', title: '群众来电反映自来水浑浊', text: '来电人称家中自来水发黄。', receivedAt: '2026-12-07T09:00:00+08:00' },
    level: 'general',
    category: 'difficulty',
    leadDepartmentId: water,
  });
  expect(manual.status).toBe(201);
  manualCase = (await manual.json()).id;
  // A case over an alert whose item names 蒋家堰镇.
  expect((await f.request('POST', '/api/rules', { name: '民生', expression: '占道' })).status).toBe(201);
  const token = (await (await f.request('POST', '/api/api-tokens', { name: '推送' })).json()).token as string;
  const items = [{ externalId: 'C', title: '蒋家堰镇集市占道经营严重', text: '每逢集日占道经营。', publishedAt: '2026-12-07T08:00:00+08:00', sourceName: '县论坛', mediaType: 'forum' }];
  expect((await f.requestAs(null, 'POST', '/api/intake/items', { items }, { authorization: `Bearer ${token}` })).status).toBe(207);
  const alert = await f.db.selectFrom('alerts').select('id').executeTakeFirstOrThrow();
  const r = await f.as(duty, 'POST', '/api/cases', { alertIds: [alert.id], level: 'general', category: 'difficulty', leadDepartmentId: water });
  expect(r.status).toBe(201);
  alertCase = (await r.json()).id;
});
afterAll(async () => {
  await f.tdb.drop();
});

const ledgerIds = async (q: string) => ((await (await f.as(leader, 'GET', `/api/cases${q}`)).json()).cases as { id: string }[]).map((c) => c.id).sort();
const townStats = async (code: string) =>
  ((await (await f.as(leader, 'GET', '/api/stats/places?from=2026-12-01&to=2026-12-08')).json()).towns as { code: string; cases: number }[]).find((t) => t.code === code)!.cases;

describe('地域 of a case set by hand', () => {
  it('shows a hand-registered case without 地域, with the towns to pick from', async () => {
    const r = await f.as(waterHandler, 'GET', `/api/cases/${manualCase}/places`);
    expect(r.status).toBe(200);
    const v = await r.json();
    expect(v).toMatchObject({ places: [], byHand: false, town: null, village: null, villages: [] });
    expect(v.towns).toContainEqual({ code: CHENGGUAN, name: '城关镇' });
    const villages = (await (await f.as(waterHandler, 'GET', `/api/area/villages?town=${CHENGGUAN}`)).json()).villages;
    expect(villages).toContainEqual({ code: GUANYINGE, name: '观音阁村' });
    expect((await f.as(waterHandler, 'GET', '/api/area/villages?town=nope')).status).toBe(400);
  });

  it('lets the case handler set 乡镇 and 村: the case room, ledger, export and statistics follow; one audit row', async () => {
    expect(await townStats(CHENGGUAN)).toBe(0);
    const r = await f.as(waterHandler, 'PUT', `/api/cases/${manualCase}/places`, { town: CHENGGUAN, village: GUANYINGE });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ places: ['城关镇观音阁村'], byHand: true, town: { code: CHENGGUAN, name: '城关镇' }, village: { code: GUANYINGE, name: '观音阁村' } });
    expect((await (await f.as(duty, 'GET', `/api/cases/${manualCase}`)).json()).places).toEqual(['城关镇观音阁村']);
    expect(await ledgerIds(`?town=${CHENGGUAN}`)).toEqual([manualCase]);
    const row = ((await (await f.as(leader, 'GET', '/api/cases')).json()).cases as { id: string; places: string[] }[]).find((c) => c.id === manualCase);
    expect(row?.places).toEqual(['城关镇观音阁村']);
    const csv = (await (await f.as(leader, 'GET', `/api/cases/export?format=csv&town=${CHENGGUAN}`)).text()).trim().split(/\r?\n/);
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain('城关镇观音阁村');
    expect(await townStats(CHENGGUAN)).toBe(1);
    const audit = await f.db.selectFrom('audit_log').select(['actor_id', 'case_id', 'before', 'after']).where('action', '=', 'case.places').execute();
    expect(audit).toEqual([
      { actor_id: waterHandler.id, case_id: manualCase, before: { town: null, village: null, places: [] }, after: { town: CHENGGUAN, village: GUANYINGE, places: ['城关镇观音阁村'] } },
    ]);
    // The same again changes nothing and writes nothing.
    expect((await f.as(waterHandler, 'PUT', `/api/cases/${manualCase}/places`, { town: CHENGGUAN, village: GUANYINGE })).status).toBe(200);
    expect(await f.db.selectFrom('audit_log').select('id').where('action', '=', 'case.places').execute()).toHaveLength(1);
  });

  it('corrects the places of a case whose items name another town, and clearing brings the items’ places back', async () => {
    expect(await ledgerIds(`?town=${JIANGJIAYAN}`)).toEqual([alertCase]);
    expect((await f.as(duty, 'PUT', `/api/cases/${alertCase}/places`, { town: CHENGGUAN })).status).toBe(200);
    expect((await (await f.as(duty, 'GET', `/api/cases/${alertCase}`)).json()).places).toEqual(['城关镇']);
    expect(await ledgerIds(`?town=${JIANGJIAYAN}`)).toEqual([]);
    expect(await ledgerIds(`?town=${CHENGGUAN}`)).toEqual([manualCase, alertCase].sort());
    expect(await townStats(JIANGJIAYAN)).toBe(0);
    const cleared = await f.as(duty, 'PUT', `/api/cases/${alertCase}/places`, { town: null });
    expect(await cleared.json()).toMatchObject({ places: ['蒋家堰镇'], byHand: false, town: null });
    expect(await ledgerIds(`?town=${JIANGJIAYAN}`)).toEqual([alertCase]);
    expect(await townStats(JIANGJIAYAN)).toBe(1);
  });

  it('refuses places not of the area, a village of another town, or a village without its town (400, Chinese and English)', async () => {
    const bad: [unknown, string][] = [
      [{ town: '110101001' }, '乡镇'],
      [{ town: GUANYINGE }, '乡镇'],
      [{ town: JIANGJIAYAN, village: GUANYINGE }, '村'],
      [{ town: null, village: GUANYINGE }, '乡镇'],
      [{ town: CHENGGUAN, extra: 1 }, ''],
    ];
    for (const [body, word] of bad) {
      const r = await f.as(duty, 'PUT', `/api/cases/${manualCase}/places`, body);
      expect(r.status).toBe(400);
      const e = await errorOf(r);
      expect(e.messageZh).toContain(word);
      expect(e.message).toMatch(/[a-z]/);
    }
    expect((await (await f.as(duty, 'GET', `/api/cases/${manualCase}/places`)).json()).places).toEqual(['城关镇观音阁村']);
  });

  it('is for duty officers, reviewers, admins and the case’s own handlers: a leader gets 403, another department 404', async () => {
    expect((await f.as(leader, 'PUT', `/api/cases/${manualCase}/places`, { town: CHENGGUAN })).status).toBe(403);
    expect((await f.as(eduHandler, 'PUT', `/api/cases/${manualCase}/places`, { town: CHENGGUAN })).status).toBe(404);
    expect((await f.as(eduHandler, 'GET', `/api/cases/${manualCase}/places`)).status).toBe(404);
    expect((await f.as(duty, 'PUT', '/api/cases/999999/places', { town: CHENGGUAN })).status).toBe(404);
  });
});
