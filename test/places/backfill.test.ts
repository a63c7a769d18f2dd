import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';
import { backfillPlaces } from '../../services/places/backfill.js';
import { JOBS } from '../../worker/jobs/registry.js';

// 地域 back-fill: items stored before the 辖区 was set (or before a name was added) get their places
// when the area is saved — newest first, in batches, resumable, each item once even with two runs
// at the same time — and the alerts and cases made from them show the places too. The progress
// (已补充 N / M 条: of the items stored before the save, those done) is kept as the work advances. 竹溪县 (420324):
// 城关镇 holds 观音阁村 and 鼓楼社区.

const NOW = new Date('2026-12-07T02:00:00Z');
const CHENGGUAN = '420324100';
const JIANGJIAYAN = '420324101';
const GUANYINGE = '420324100200';
const GULOU = '420324100002';
const AREA = { countyCode: '420324', areaName: '', extras: [] as { name: string; townCode: string | null; aliasOf: string | null }[] };
const WITH_ALIAS = { ...AREA, extras: [{ name: '鼓楼', townCode: null, aliasOf: GULOU }] };

let f: Fixture;
let duty: TestUser;
let leader: TestUser;
let water: number;
let token: string;

beforeAll(async () => {
  f = await createFixture('placesbackfill', NOW);
  water = await makeDepartment(f, '水务局');
  duty = await makeUser(f, 'duty');
  leader = await makeUser(f, 'leader');
  expect((await f.request('POST', '/api/rules', { name: '民生', expression: '塌陷|停水|占道|漏水' })).status).toBe(201);
  token = (await (await f.request('POST', '/api/api-tokens', { name: '推送' })).json()).token as string;
});
afterAll(async () => {
  await f.tdb.drop();
});

async function submit(items: { externalId: string; title: string; text: string }[]): Promise<void> {
  const body = { items: items.map((x) => ({ ...x, publishedAt: '2026-12-07T08:00:00+08:00', sourceName: '县论坛', mediaType: 'forum' })) };
  const res = await f.requestAs(null, 'POST', '/api/intake/items', body, { authorization: `Bearer ${token}` });
  expect(res.status).toBe(207);
}

const placesOf = async () =>
  Object.fromEntries(
    (await f.db.selectFrom('items').select(['title', 'place_towns', 'place_villages']).execute()).map((r) => [r.title.slice(0, 4), { towns: r.place_towns, villages: r.place_villages }]),
  );
type Progress = { done: number; total: number; running: boolean };
/** The progress as 管理 → 辖区 reads it: the area's own figures and the poll's (GET /api/area/backfill) agree. */
const progress = async (): Promise<Progress> => {
  const [area, poll] = await Promise.all([f.request('GET', '/api/area').then((r) => r.json()), f.request('GET', '/api/area/backfill').then((r) => r.json())]);
  expect(poll).toEqual(area.backfill);
  return poll as Progress;
};

describe('the back-fill after saving the 辖区', () => {
  let caseId = '';

  it('leaves items stored before any area without places, and nothing to do', async () => {
    await submit([
      { externalId: 'A', title: '城关镇观音阁村道路塌陷无人管', text: '观音阁村村口的路塌了一个大坑。' },
      { externalId: 'B', title: '鼓楼一带停水三天', text: '鼓楼这边停水三天了，没有通知。' },
      { externalId: 'C', title: '蒋家堰镇集市占道经营严重', text: '每逢集日占道经营，车辆无法通行。' },
    ]);
    expect(Object.values(await placesOf()).every((p) => p.towns.length === 0)).toBe(true);
    // No save yet: no back-fill, no progress line.
    expect(await progress()).toEqual({ done: 0, total: 0, running: false });
    expect(await backfillPlaces(f.db)).toEqual({ updated: 0, finished: true });
    // A hand-opened case over the 观音阁村 alert: no 地域 yet.
    const story = (await f.db.selectFrom('items').select('story_id').where('title', 'like', '城关镇观音阁村%').executeTakeFirstOrThrow()).story_id!;
    const alert = await f.db.selectFrom('alerts').select('id').where('story_id', '=', story).executeTakeFirstOrThrow();
    const r = await f.as(duty, 'POST', '/api/cases', { alertIds: [alert.id], level: 'general', category: 'difficulty', leadDepartmentId: water });
    expect(r.status).toBe(201);
    caseId = (await r.json()).id;
    expect((await (await f.as(duty, 'GET', `/api/cases/${caseId}`)).json()).places).toEqual([]);
  });

  it('does not run in the save request: the save answers at once with the work to do (已补充 0 / 3)', async () => {
    const res = await f.request('PUT', '/api/area', AREA);
    expect(res.status).toBe(200);
    expect((await res.json()).backfill).toEqual({ done: 0, total: 3, running: true });
    expect(Object.values(await placesOf()).every((p) => p.towns.length === 0)).toBe(true);
  });

  it('takes the newest first and stops at its budget; the next run resumes where it stopped', async () => {
    let t = 0;
    const first = await backfillPlaces(f.db, { batch: 1, budgetMs: 1, clock: () => (t += 1) });
    expect(first).toEqual({ updated: 1, finished: false });
    const p = await placesOf();
    // C was stored last: it is done, A and B wait.
    expect(p['蒋家堰镇']).toEqual({ towns: [JIANGJIAYAN], villages: [] });
    expect(p['城关镇观']).toEqual({ towns: [], villages: [] });
    expect(await progress()).toEqual({ done: 1, total: 3, running: true });
    expect(await backfillPlaces(f.db, { batch: 2 })).toEqual({ updated: 2, finished: true });
    expect(await progress()).toEqual({ done: 3, total: 3, running: false });
  });

  it('gives items, alerts and the case made before the area their places', async () => {
    const p = await placesOf();
    expect(p['城关镇观']).toEqual({ towns: [CHENGGUAN], villages: [GUANYINGE] });
    // 鼓楼 alone is no name of the gazetteer yet (鼓楼社区's short form needs its town named).
    expect(p['鼓楼一带']).toEqual({ towns: [], villages: [] });
    const alerts = (await (await f.as(duty, 'GET', '/api/alerts?status=case')).json()).alerts as { places: string[] }[];
    expect(alerts.map((a) => a.places)).toContainEqual(['城关镇观音阁村']);
    expect((await (await f.as(duty, 'GET', `/api/cases/${caseId}`)).json()).places).toEqual(['城关镇观音阁村']);
    const ledger = (await (await f.as(leader, 'GET', `/api/cases?town=${CHENGGUAN}`)).json()).cases as { id: string }[];
    expect(ledger.map((c) => c.id)).toEqual([caseId]);
    // Finding them again changes nothing.
    expect(await backfillPlaces(f.db)).toEqual({ updated: 0, finished: true });
  });

  it('finds a new alias in the stored items after the next save', async () => {
    expect((await f.request('PUT', '/api/area', WITH_ALIAS)).status).toBe(200);
    expect(await progress()).toEqual({ done: 0, total: 3, running: true });
    expect(await backfillPlaces(f.db)).toEqual({ updated: 3, finished: true });
    const p = await placesOf();
    expect(p['鼓楼一带']).toEqual({ towns: [CHENGGUAN], villages: [GULOU] });
    expect(p['城关镇观']).toEqual({ towns: [CHENGGUAN], villages: [GUANYINGE] });
    expect((await (await f.as(leader, 'GET', '/api/stats/places?from=2026-12-01&to=2026-12-08')).json()).towns.find((t: { code: string }) => t.code === CHENGGUAN)).toMatchObject({
      alerts: 2,
      cases: 1,
    });
  });

  it('stamps items ingested after a save with its version: nothing left for the back-fill, the figures of the save unchanged', async () => {
    await submit([{ externalId: 'D', title: '观音阁村自来水管漏水', text: '城关镇观音阁村的自来水管漏水一周。' }]);
    expect((await placesOf())['观音阁村']).toEqual({ towns: [CHENGGUAN], villages: [GUANYINGE] });
    // 已补充 N / M counts the items stored before the save; D came after it.
    expect(await progress()).toEqual({ done: 3, total: 3, running: false });
    expect(await backfillPlaces(f.db)).toEqual({ updated: 0, finished: true });
  });

  it('two saves at once and two back-fills at once: every item is found again exactly once, with the last gazetteer', async () => {
    const saves = await Promise.all([f.request('PUT', '/api/area', AREA), f.request('PUT', '/api/area', WITH_ALIAS)]);
    expect(saves.map((r) => r.status)).toEqual([200, 200]);
    const audit = await f.db.selectFrom('audit_log').select('id').where('action', '=', 'area.update').execute();
    expect(audit).toHaveLength(4);
    const runs = await Promise.all([backfillPlaces(f.db, { batch: 1 }), backfillPlaces(f.db, { batch: 1 })]);
    expect(runs[0].updated + runs[1].updated).toBe(4);
    expect(runs.every((r) => r.finished)).toBe(true);
    const last = (await (await f.request('GET', '/api/area')).json()).extras as unknown[];
    const p = await placesOf();
    // Whichever save committed last, the items agree with it.
    expect(p['鼓楼一带'].villages).toEqual(last.length === 1 ? [GULOU] : []);
    expect(await progress()).toEqual({ done: 4, total: 4, running: false });
  });

  it('keeps the figures right through a stopped and resumed run and a save in the middle of it', async () => {
    expect((await f.request('PUT', '/api/area', AREA)).status).toBe(200);
    expect(await progress()).toEqual({ done: 0, total: 4, running: true });
    let t = 0;
    expect(await backfillPlaces(f.db, { batch: 1, budgetMs: 1, clock: () => (t += 1) })).toEqual({ updated: 1, finished: false });
    expect(await progress()).toEqual({ done: 1, total: 4, running: true });
    expect(await backfillPlaces(f.db, { batch: 1, budgetMs: 1, clock: () => (t += 1) })).toEqual({ updated: 1, finished: false });
    expect(await progress()).toEqual({ done: 2, total: 4, running: true });
    // A save half-way: every item is of an older version again, the count starts over.
    expect((await f.request('PUT', '/api/area', WITH_ALIAS)).status).toBe(200);
    expect(await progress()).toEqual({ done: 0, total: 4, running: true });
    // Two runs at once, resumed to the end: each item counted once.
    const runs = await Promise.all([backfillPlaces(f.db, { batch: 1 }), backfillPlaces(f.db, { batch: 2 })]);
    expect(runs[0].updated + runs[1].updated).toBe(4);
    expect(await progress()).toEqual({ done: 4, total: 4, running: false });
    expect((await placesOf())['鼓楼一带']).toEqual({ towns: [CHENGGUAN], villages: [GULOU] });
  });

  it('counts an item of an older version committed after the save counted (total grows with it), and settles when one is gone', async () => {
    expect((await f.request('PUT', '/api/area', AREA)).status).toBe(200);
    expect(await progress()).toEqual({ done: 0, total: 4, running: true });
    // An item of an older version the save did not count (one written meanwhile by a path that
    // does not wait for the save): found too, and the figures do not pass each other.
    await sql`insert into items (source_id, url_key, url, title, text, published_at, fetched_at, simhash, places_version)
      select source_id, url_key || '-late', url || '-late', '路灯不亮蒋家堰镇', '路灯坏了一个月。', published_at, fetched_at, simhash, 0 from items order by id limit 1`.execute(f.db);
    expect(await backfillPlaces(f.db)).toEqual({ updated: 5, finished: true });
    expect(await progress()).toEqual({ done: 5, total: 5, running: false });
    expect((await placesOf())['路灯不亮']).toEqual({ towns: [JIANGJIAYAN], villages: [] });
    // A save, then an item counted by it is removed before the back-fill reaches it: the run's end
    // settles the figures rather than leave the line running (and the screen polling) for ever.
    expect((await f.request('PUT', '/api/area', WITH_ALIAS)).status).toBe(200);
    expect(await progress()).toEqual({ done: 0, total: 5, running: true });
    await f.db.deleteFrom('items').where('title', '=', '路灯不亮蒋家堰镇').execute();
    expect(await backfillPlaces(f.db)).toEqual({ updated: 4, finished: true });
    expect(await progress()).toEqual({ done: 5, total: 5, running: false });
  });

  it('ends a pass finished when only another run’s rows are left, and counts them when that run commits', async () => {
    expect((await f.request('PUT', '/api/area', AREA)).status).toBe(200);
    expect(await progress()).toEqual({ done: 0, total: 4, running: true });
    await f.db.transaction().execute(async (trx) => {
      // Another run holding the newest item (its batch not yet committed).
      await sql`select id from items order by id desc limit 1 for update`.execute(trx);
      expect(await backfillPlaces(f.db, { batch: 1 })).toEqual({ updated: 3, finished: true });
      expect(await progress()).toEqual({ done: 3, total: 4, running: true });
    });
    // That run gone without finishing it: the next pass takes it.
    expect(await backfillPlaces(f.db)).toEqual({ updated: 1, finished: true });
    expect(await progress()).toEqual({ done: 4, total: 4, running: false });
  });

  it('serves the progress poll to admins only', async () => {
    expect((await f.as(duty, 'GET', '/api/area/backfill')).status).toBe(403);
    expect((await f.as(leader, 'GET', '/api/area/backfill')).status).toBe(403);
  });

  it('runs on the worker as a tick of its own queue, at start and every sweep interval', () => {
    const job = JOBS.find((d) => d.name === 'places.backfill');
    expect(job).toMatchObject({ runOnStart: true });
    expect(job?.schedule?.({ SWEEP_INTERVAL_MS: 30_000 } as never)).toEqual({ every: 30_000 });
  });
});
