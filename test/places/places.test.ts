import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '../api/helpers.js';
import { createFixture, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';
import { buildGazetteer } from '../../services/places/area.js';

// 地域: the office's area (管理 → 辖区: a county of the administrative divisions and the office's own
// names) builds the gazetteer; every ingested item keeps the places it names; alerts, items, the
// ledger, its exports and the case show them; search, ledger and export filter by 乡镇 (scoped per
// department as always); the statistics count alerts and cases by 乡镇. 竹溪县 (湖北省十堰市, 420324)
// is a real county of the divisions: its 城关镇 holds 观音阁村 and 鼓楼社区.

const NOW = new Date('2026-12-07T02:00:00Z');
const CHENGGUAN = '420324100';
const JIANGJIAYAN = '420324101';
const GUANYINGE = '420324100200';
const GULOU = '420324100002';

let f: Fixture;
let duty: TestUser;
let leader: TestUser;
let waterHandler: TestUser;
let eduHandler: TestUser;
let water: number;
let edu: number;
const AREA = {
  countyCode: '420324',
  areaName: '',
  extras: [
    { name: '工业园区', townCode: null, aliasOf: null },
    { name: '东关新区', townCode: CHENGGUAN, aliasOf: null },
    { name: '鼓楼', townCode: null, aliasOf: GULOU },
  ],
};

beforeAll(async () => {
  f = await createFixture('places', NOW);
  water = await makeDepartment(f, '水务局');
  edu = await makeDepartment(f, '教育局');
  duty = await makeUser(f, 'duty');
  leader = await makeUser(f, 'leader');
  waterHandler = await makeUser(f, 'handler', water);
  eduHandler = await makeUser(f, 'handler', edu);
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('the gazetteer of a real county', () => {
  it('holds the 乡镇 and 村 of 竹溪县 from the divisions, villages named as people name them', async () => {
    const places = await buildGazetteer('420324', []);
    const towns = places.filter((p) => p.kind === 'town').map((p) => p.name);
    expect(towns).toEqual(expect.arrayContaining(['城关镇', '蒋家堰镇', '中峰镇', '水坪镇', '桃源乡', '向坝乡']));
    expect(towns).toHaveLength(15);
    expect(places.find((p) => p.code === GUANYINGE)).toMatchObject({ name: '观音阁村', kind: 'village', parentCode: CHENGGUAN });
    expect(places.find((p) => p.code === GULOU)).toMatchObject({ name: '鼓楼社区', parentCode: CHENGGUAN });
    // Only the county's own places: every code starts with its code.
    expect(places.every((p) => p.code.startsWith('420324'))).toBe(true);
  });
});

describe('管理 → 辖区', () => {
  it('lists provinces, cities and counties to pick from (admin only)', async () => {
    const prov = await (await f.request('GET', '/api/area/divisions')).json();
    expect(prov.divisions).toContainEqual({ code: '42', name: '湖北省' });
    expect((await (await f.request('GET', '/api/area/divisions?parent=42')).json()).divisions).toContainEqual({ code: '4203', name: '十堰市' });
    expect((await (await f.request('GET', '/api/area/divisions?parent=4203')).json()).divisions).toContainEqual({ code: '420324', name: '竹溪县' });
    const bad = await f.request('GET', '/api/area/divisions?parent=4x');
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).messageZh).toContain('代码');
    expect((await f.as(duty, 'GET', '/api/area/divisions')).status).toBe(403);
  });

  it('saves the county and the office names, builds the gazetteer, and writes an audit row; others may not', async () => {
    expect((await f.as(duty, 'PUT', '/api/area', AREA)).status).toBe(403);
    const res = await f.request('PUT', '/api/area', AREA);
    expect(res.status).toBe(200);
    const area = await res.json();
    expect(area).toMatchObject({ countyCode: '420324', areaName: '竹溪县', county: { name: '竹溪县', city: '十堰市', province: '湖北省' }, towns: 16 });
    expect(area.villages).toBeGreaterThan(200);
    expect(area.places).toContainEqual(expect.objectContaining({ name: '东关新区', kind: 'village', parentCode: CHENGGUAN, byOffice: true }));
    expect(area.places).toContainEqual(expect.objectContaining({ code: GULOU, aliases: ['鼓楼'] }));
    const audit = await f.db.selectFrom('audit_log').select(['action', 'actor_id', 'before', 'after']).where('entity', '=', 'area').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'area.update', actor_id: f.admin.id, before: { countyCode: null }, after: { countyCode: '420324', towns: 16 } });
  });

  it('refuses names it cannot place, in Chinese and English, and keeps the area as it was', async () => {
    const cases: [unknown, string][] = [
      [{ ...AREA, extras: [{ name: '新村', townCode: '999999999', aliasOf: null }] }, '乡镇'],
      [{ ...AREA, extras: [{ name: '老街', townCode: null, aliasOf: '420324999999' }] }, '地名'],
      [{ ...AREA, countyCode: '999999' }, '区县'],
      [{ ...AREA, extras: [{ name: '<b>园区</b>', townCode: null, aliasOf: null }] }, '地名'],
      [{ ...AREA, extras: [AREA.extras[0], AREA.extras[0]] }, '重复'],
    ];
    for (const [body, word] of cases) {
      const r = await f.request('PUT', '/api/area', body);
      expect(r.status).toBe(400);
      const e = await errorOf(r);
      expect(e.messageZh).toContain(word);
      expect(e.message).toMatch(/[a-z]/);
    }
    expect((await (await f.request('GET', '/api/area')).json()).towns).toBe(16);
  });

  it('gives every signed-in user the towns for the pickers', async () => {
    const r = await (await f.as(eduHandler, 'GET', '/api/area/towns')).json();
    expect(r.towns[0]).toEqual({ code: CHENGGUAN, name: '城关镇' });
    expect(r.towns.map((t: { name: string }) => t.name)).toContain('工业园区');
  });
});

describe('places on items, alerts, search, the ledger, exports and statistics', () => {
  const ids: Record<string, string> = {};

  it('keeps the places each ingested item names (the crawl and the intake API share the step)', async () => {
    const rule = await f.request('POST', '/api/rules', { name: '民生', expression: '塌陷|停水|占道' });
    expect(rule.status).toBe(201);
    const token = (await (await f.request('POST', '/api/api-tokens', { name: '推送' })).json()).token as string;
    const items = [
      { externalId: 'A', title: '城关镇观音阁村道路塌陷无人管', text: '观音阁村村口的路塌了一个大坑。' },
      { externalId: 'B', title: '鼓楼一带停水三天', text: '鼓楼这边停水三天了，没有通知。' },
      { externalId: 'C', title: '蒋家堰镇集市占道经营严重', text: '每逢集日占道经营，车辆无法通行。' },
      { externalId: 'D', title: '市区主干道又停水了', text: '没有说明原因。' },
    ].map((x) => ({ ...x, publishedAt: '2026-12-07T08:00:00+08:00', sourceName: '县论坛', mediaType: 'forum' }));
    const res = await f.requestAs(null, 'POST', '/api/intake/items', { items }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(207);
    const rows = await f.db.selectFrom('items').select(['id', 'title', 'story_id', 'place_towns', 'place_villages']).orderBy('id').execute();
    const byTitle = (t: string) => rows.find((r) => r.title.startsWith(t))!;
    expect(byTitle('城关镇观音阁村')).toMatchObject({ place_towns: [CHENGGUAN], place_villages: [GUANYINGE] });
    expect(byTitle('鼓楼')).toMatchObject({ place_towns: [CHENGGUAN], place_villages: [GULOU] });
    expect(byTitle('蒋家堰镇')).toMatchObject({ place_towns: [JIANGJIAYAN], place_villages: [] });
    expect(byTitle('市区')).toMatchObject({ place_towns: [], place_villages: [] });
    for (const [k, t] of [['A', '城关镇观音阁村'], ['B', '鼓楼'], ['C', '蒋家堰镇']] as const) {
      const alert = await f.db.selectFrom('alerts').select('id').where('story_id', '=', byTitle(t).story_id!).executeTakeFirstOrThrow();
      ids[k] = alert.id;
    }
  });

  it('shows the places on the alerts (地域：城关镇观音阁村)', async () => {
    const list = await (await f.as(duty, 'GET', '/api/alerts')).json();
    const places = Object.fromEntries(list.alerts.map((a: { id: string; places: string[] }) => [a.id, a.places]));
    expect(places[ids.A]).toEqual(['城关镇观音阁村']);
    expect(places[ids.B]).toEqual(['城关镇鼓楼社区']);
    expect(places[ids.C]).toEqual(['蒋家堰镇']);
  });

  it('filters the search by 乡镇 and refuses a town not of the area', async () => {
    const titles = async (q: string) => (await (await f.as(duty, 'GET', `/api/items${q}`)).json()).items.map((i: { title: string }) => i.title).sort();
    expect(await titles(`?town=${CHENGGUAN}`)).toEqual(['城关镇观音阁村道路塌陷无人管', '鼓楼一带停水三天']);
    expect(await titles(`?town=${JIANGJIAYAN}&q=集市`)).toEqual(['蒋家堰镇集市占道经营严重']);
    const one = (await (await f.as(duty, 'GET', `/api/items?town=${JIANGJIAYAN}`)).json()).items[0];
    expect(one.places).toEqual(['蒋家堰镇']);
    const bad = await f.as(duty, 'GET', '/api/items?town=110101001');
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).messageZh).toContain('乡镇');
  });

  it('filters the ledger by 乡镇 within what each user may see, and shows 地域 on the row and the case', async () => {
    const open = async (alertId: string, lead: number) => {
      const r = await f.as(duty, 'POST', '/api/cases', { alertIds: [alertId], level: 'general', category: 'difficulty', leadDepartmentId: lead });
      expect(r.status).toBe(201);
      return (await r.json()).id as string;
    };
    ids.caseA = await open(ids.A, water);
    ids.caseC = await open(ids.C, edu);
    const ledger = async (who: TestUser, q: string) => (await (await f.as(who, 'GET', `/api/cases${q}`)).json()).cases as { id: string; places: string[] }[];
    expect(await ledger(leader, `?town=${CHENGGUAN}`)).toEqual([expect.objectContaining({ id: ids.caseA, places: ['城关镇观音阁村'] })]);
    expect((await ledger(leader, `?town=${JIANGJIAYAN}`)).map((c) => c.id)).toEqual([ids.caseC]);
    // A handler sees the cases of their department only, filter or not.
    expect(await ledger(eduHandler, `?town=${CHENGGUAN}`)).toEqual([]);
    expect((await ledger(waterHandler, `?town=${CHENGGUAN}`)).map((c) => c.id)).toEqual([ids.caseA]);
    expect((await f.as(leader, 'GET', '/api/cases?town=nope')).status).toBe(400);
    const room = await (await f.as(waterHandler, 'GET', `/api/cases/${ids.caseA}`)).json();
    expect(room.places).toEqual(['城关镇观音阁村']);
  });

  it('writes the 地域 column in the ledger exports and filters them by 乡镇', async () => {
    const csv = await f.as(leader, 'GET', `/api/cases/export?format=csv&town=${CHENGGUAN}`);
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0].split(',')).toContain('地域');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('城关镇观音阁村');
    expect((await f.as(leader, 'GET', '/api/cases/export?format=csv&town=nope')).status).toBe(400);
  });

  it('counts alerts and cases by 乡镇 for the statistics screen', async () => {
    const r = await f.as(leader, 'GET', '/api/stats/places?from=2026-12-01&to=2026-12-08');
    expect(r.status).toBe(200);
    const towns = (await r.json()).towns as { code: string; name: string; alerts: number; cases: number }[];
    expect(towns).toHaveLength(16);
    expect(towns.find((t) => t.code === CHENGGUAN)).toEqual({ code: CHENGGUAN, name: '城关镇', alerts: 2, cases: 1 });
    expect(towns.find((t) => t.code === JIANGJIAYAN)).toMatchObject({ alerts: 1, cases: 1 });
    expect(towns.find((t) => t.name === '桃源乡')).toMatchObject({ alerts: 0, cases: 0 });
    // Another period counts nothing.
    const before = (await (await f.as(leader, 'GET', '/api/stats/places?from=2026-11-01&to=2026-11-08')).json()).towns;
    expect(before.every((t: { alerts: number; cases: number }) => t.alerts === 0 && t.cases === 0)).toBe(true);
    expect((await f.as(waterHandler, 'GET', '/api/stats/places')).status).toBe(403);
    expect((await f.as(leader, 'GET', '/api/stats/places?from=2026-12-08&to=2026-12-01')).status).toBe(400);
  });
});
