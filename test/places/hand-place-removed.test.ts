import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

// A 地域 set by hand whose 乡镇 (or 村) the 辖区 later drops: read as if never set, the items' places
// count again everywhere the case's 地域 is read (case room, ledger column and 乡镇 filter, export,
// statistics by 乡镇), and the case room names the dropped value so duty can set it again. Resolved
// when read: the hand-set value is kept, so adding the place back brings it back; the save writes
// nothing on the cases. 竹溪县 (420324): 城关镇 and 蒋家堰镇; the office adds 新区 (a town-level
// place) and 东关村 (a village of 城关镇).

const NOW = new Date('2026-12-07T02:00:00Z');
const CHENGGUAN = '420324100';
const JIANGJIAYAN = '420324101';
const XINQU = 'x-新区';
const DONGGUAN = `${CHENGGUAN}-x-东关村`;
const EXTRAS = [
  { name: '新区', townCode: null, aliasOf: null },
  { name: '东关村', townCode: CHENGGUAN, aliasOf: null },
];
const WITH_EXTRAS = { countyCode: '420324', areaName: '', extras: EXTRAS };
const WITHOUT_EXTRAS = { countyCode: '420324', areaName: '', extras: [] };

let f: Fixture;
let duty: TestUser;
let leader: TestUser;
let water: number;
/** Over an item naming 蒋家堰镇, set by hand to 新区. */
let alertCase = '';
/** Registered by hand (no items), set by hand to 城关镇东关村. */
let manualCase = '';

beforeAll(async () => {
  f = await createFixture('handplaceremoved', NOW);
  water = await makeDepartment(f, '水务局');
  duty = await makeUser(f, 'duty');
  leader = await makeUser(f, 'leader');
  expect((await f.request('PUT', '/api/area', WITH_EXTRAS)).status).toBe(200);
  expect((await f.request('POST', '/api/rules', { name: '民生', expression: '占道' })).status).toBe(201);
  const token = (await (await f.request('POST', '/api/api-tokens', { name: '推送' })).json()).token as string;
  const items = [{ externalId: 'C', title: '蒋家堰镇集市占道经营严重', text: '每逢集日占道经营。', publishedAt: '2026-12-07T08:00:00+08:00', sourceName: '县论坛', mediaType: 'forum' }];
  expect((await f.requestAs(null, 'POST', '/api/intake/items', { items }, { authorization: `Bearer ${token}` })).status).toBe(207);
  const alert = await f.db.selectFrom('alerts').select('id').executeTakeFirstOrThrow();
  const r = await f.as(duty, 'POST', '/api/cases', { alertIds: [alert.id], level: 'general', category: 'difficulty', leadDepartmentId: water });
  expect(r.status).toBe(201);
  alertCase = (await r.json()).id;
  const manual = await f.as(duty, 'POST', '/api/cases', {
    manual: { origin: 'hotline', title: '群众来电反映自来水浑浊', text: '来电人称家中自来水发黄。', receivedAt: '2026-12-07T09:00:00+08:00' },
    level: 'general',
    category: 'difficulty',
    leadDepartmentId: water,
  });
  expect(manual.status).toBe(201);
  manualCase = (await manual.json()).id;
  expect((await f.as(duty, 'PUT', `/api/cases/${alertCase}/places`, { town: XINQU })).status).toBe(200);
  expect((await f.as(duty, 'PUT', `/api/cases/${manualCase}/places`, { town: CHENGGUAN, village: DONGGUAN })).status).toBe(200);
});
afterAll(async () => {
  await f.tdb.drop();
});

const casePlaces = async (id: string) => (await (await f.as(duty, 'GET', `/api/cases/${id}`)).json()).places as string[];
const placesView = async (id: string) => (await f.as(duty, 'GET', `/api/cases/${id}/places`)).json();
const ledger = async (q: string) => (await (await f.as(leader, 'GET', `/api/cases${q}`)).json()).cases as { id: string; places: string[] }[];
const ledgerIds = async (q: string) => (await ledger(q)).map((c) => c.id).sort();
const ledgerPlaces = async (id: string) => (await ledger('')).find((c) => c.id === id)?.places;
const townStats = async () =>
  Object.fromEntries(
    ((await (await f.as(leader, 'GET', '/api/stats/places?from=2026-12-01&to=2026-12-08')).json()).towns as { code: string; cases: number }[]).map((t) => [t.code, t.cases]),
  );
const exportRows = async (town: string) => (await (await f.as(leader, 'GET', `/api/cases/export?format=csv&town=${town}`)).text()).trim().split(/\r?\n/).slice(1);

describe('a hand-set 地域 the 辖区 no longer holds', () => {
  it('reads as set by hand while the 辖区 holds it', async () => {
    expect(await casePlaces(alertCase)).toEqual(['新区']);
    expect(await casePlaces(manualCase)).toEqual(['城关镇东关村']);
    expect(await placesView(alertCase)).toMatchObject({ places: ['新区'], byHand: true, handRemoved: null, town: { code: XINQU, name: '新区' } });
    expect(await ledgerIds(`?town=${XINQU}`)).toEqual([alertCase]);
    expect(await ledgerIds(`?town=${JIANGJIAYAN}`)).toEqual([]);
    expect(await ledgerIds(`?town=${CHENGGUAN}`)).toEqual([manualCase]);
    expect(await townStats()).toMatchObject({ [XINQU]: 1, [JIANGJIAYAN]: 0, [CHENGGUAN]: 1 });
  });

  it('falls back to the items’ places everywhere once its 乡镇 or 村 is dropped, and the case room names what was set', async () => {
    const auditBefore = await f.db.selectFrom('audit_log').select('id').where('action', '=', 'case.places').execute();
    expect((await f.request('PUT', '/api/area', WITHOUT_EXTRAS)).status).toBe(200);
    // The dropped town: the item's 蒋家堰镇 counts again.
    expect(await casePlaces(alertCase)).toEqual(['蒋家堰镇']);
    expect(await placesView(alertCase)).toMatchObject({ places: ['蒋家堰镇'], byHand: false, handRemoved: '新区', town: null, village: null, villages: [] });
    expect(await ledgerIds(`?town=${JIANGJIAYAN}`)).toEqual([alertCase]);
    expect(await ledgerPlaces(alertCase)).toEqual(['蒋家堰镇']);
    const rows = await exportRows(JIANGJIAYAN);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('蒋家堰镇');
    // The dropped village (its town still there): the case has no items, so no 地域 — not 城关镇 alone.
    expect(await casePlaces(manualCase)).toEqual([]);
    expect(await placesView(manualCase)).toMatchObject({ places: [], byHand: false, handRemoved: '城关镇东关村', town: null });
    expect(await ledgerIds(`?town=${CHENGGUAN}`)).toEqual([]);
    expect(await exportRows(CHENGGUAN)).toEqual([]);
    expect(await townStats()).toMatchObject({ [JIANGJIAYAN]: 1, [CHENGGUAN]: 0 });
    expect((await townStats())[XINQU]).toBeUndefined();
    // Nothing was written on the cases: the hand-set values are kept.
    expect(await f.db.selectFrom('audit_log').select('id').where('action', '=', 'case.places').execute()).toHaveLength(auditBefore.length);
  });

  it('comes back when the place is added to the 辖区 again', async () => {
    expect((await f.request('PUT', '/api/area', WITH_EXTRAS)).status).toBe(200);
    expect(await casePlaces(alertCase)).toEqual(['新区']);
    expect(await placesView(manualCase)).toMatchObject({ places: ['城关镇东关村'], byHand: true, handRemoved: null, village: { code: DONGGUAN, name: '东关村' } });
    expect(await ledgerIds(`?town=${CHENGGUAN}`)).toEqual([manualCase]);
    expect(await townStats()).toMatchObject({ [XINQU]: 1, [JIANGJIAYAN]: 0, [CHENGGUAN]: 1 });
  });

  it('lets duty set it again, or clear it, after it was dropped: audited with the value that was set', async () => {
    expect((await f.request('PUT', '/api/area', WITHOUT_EXTRAS)).status).toBe(200);
    const set = await f.as(duty, 'PUT', `/api/cases/${alertCase}/places`, { town: CHENGGUAN });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ places: ['城关镇'], byHand: true, handRemoved: null });
    expect(await ledgerIds(`?town=${CHENGGUAN}`)).toEqual([alertCase]);
    const cleared = await f.as(duty, 'PUT', `/api/cases/${manualCase}/places`, { town: null });
    expect(await cleared.json()).toMatchObject({ places: [], byHand: false, handRemoved: null });
    const audit = await f.db.selectFrom('audit_log').select(['case_id', 'before', 'after']).where('action', '=', 'case.places').orderBy('id', 'desc').limit(2).execute();
    expect(audit).toEqual([
      { case_id: manualCase, before: { town: CHENGGUAN, village: DONGGUAN, places: [] }, after: { town: null, village: null, places: [] } },
      { case_id: alertCase, before: { town: XINQU, village: null, places: ['蒋家堰镇'] }, after: { town: CHENGGUAN, village: null, places: ['城关镇'] } },
    ]);
    // Re-adding 新区 now changes nothing for the case set again.
    expect((await f.request('PUT', '/api/area', WITH_EXTRAS)).status).toBe(200);
    expect(await casePlaces(alertCase)).toEqual(['城关镇']);
    expect(await casePlaces(manualCase)).toEqual([]);
  });
});
