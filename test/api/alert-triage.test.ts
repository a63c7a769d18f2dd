import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, sessionFor, type SignedIn } from '../helpers/auth.js';
import { createApiFixture, errorOf, makeStory, type ApiFixture } from './helpers.js';

// Triage for a whole shift: a dismissal records who and an optional note, can be undone
// (恢复为待研判), and several alerts can be dismissed at once with one reason.

let f: ApiFixture;
let duty: SignedIn;
let duty2: SignedIn;
let handler: SignedIn;
const at = (min: number) => new Date(Date.UTC(2026, 11, 6, 2, min));

async function newAlert(title: string, status: 'new' | 'case' = 'new'): Promise<string> {
  const story = await makeStory(f.db, title, at(0));
  return (await f.db.insertInto('alerts').values({ story_id: story, status, created_at: at(0), updated_at: at(0) }).returning('id').executeTakeFirstOrThrow()).id;
}

const auditOf = (id: string) =>
  f.db.selectFrom('audit_log').select(['action', 'actor_name', 'before', 'after']).where('entity', '=', 'alert').where('entity_id', '=', id).orderBy('id').execute();

beforeAll(async () => {
  f = await createApiFixture('alert_triage', { now: () => at(30) });
  const u1 = await createUser(f.db, { role: 'duty', displayName: '值班员甲' });
  const u2 = await createUser(f.db, { role: 'duty', displayName: '值班员乙' });
  const dept = (await f.db.insertInto('departments').values({ name: '住建局' }).returning('id').executeTakeFirstOrThrow()).id;
  const h = await createUser(f.db, { role: 'handler', departmentId: dept });
  [duty, duty2, handler] = await Promise.all([sessionFor(f.db, u1, at(30)), sessionFor(f.db, u2, at(30)), sessionFor(f.db, h, at(30))]);
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('dismissal note and who', () => {
  it('records the officer and the note, and shows them on the alert', async () => {
    const id = await newAlert('广告帖');
    const res = await f.requestAs(duty, 'POST', `/api/alerts/${id}/dismiss`, { reason: 'irrelevant', note: '  商家广告，与政务无关  ' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'dismissed', dismissedBy: '值班员甲', dismissNote: '商家广告，与政务无关', dismissedAt: at(30).toISOString() });
    const [row] = await auditOf(id);
    expect(row).toMatchObject({ action: 'alert.dismiss', actor_name: '值班员甲' });
    expect(row!.after).toMatchObject({ status: 'dismissed', reason: 'irrelevant', note: '商家广告，与政务无关' });
  });

  it('refuses a note over 500 characters', async () => {
    const id = await newAlert('长说明');
    const res = await f.requestAs(duty, 'POST', `/api/alerts/${id}/dismiss`, { reason: 'irrelevant', note: '长'.repeat(501) });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).details.issues[0].path).toBe('note');
    expect((await f.db.selectFrom('alerts').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('new');
  });
});

describe('POST /api/alerts/{id}/restore (撤销 / 恢复为待研判)', () => {
  it('puts a dismissed alert back in the queue, clears the dismissal, audits both steps', async () => {
    const id = await newAlert('误排除的帖子');
    await f.requestAs(duty, 'POST', `/api/alerts/${id}/dismiss`, { reason: 'false_positive', note: '看错了' });
    const seen: unknown[] = [];
    const off = f.events.subscribe((ev) => seen.push(ev));
    const res = await f.requestAs(duty2, 'POST', `/api/alerts/${id}/restore`);
    off();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, status: 'new', dismissReason: null, dismissedAt: null, dismissedBy: null, dismissNote: '' });
    expect(seen).toContainEqual(expect.objectContaining({ type: 'alert.updated', alertId: id }));
    const rows = await auditOf(id);
    expect(rows.map((r) => r.action)).toEqual(['alert.dismiss', 'alert.restore']);
    expect(rows[1]).toMatchObject({ actor_name: '值班员乙', before: { status: 'dismissed', reason: 'false_positive', note: '看错了' }, after: { status: 'new' } });
  });

  it('409s an alert that is not dismissed, 404s an unknown one, and writes nothing', async () => {
    const fresh = await newAlert('仍待研判');
    const opened = await newAlert('已立案', 'case');
    const newRes = await f.requestAs(duty, 'POST', `/api/alerts/${fresh}/restore`);
    expect(newRes.status).toBe(409);
    expect((await errorOf(newRes)).messageZh).toBe('只有已排除的预警可以恢复为待研判');
    expect((await f.requestAs(duty, 'POST', `/api/alerts/${opened}/restore`)).status).toBe(409);
    expect((await f.requestAs(duty, 'POST', '/api/alerts/99999999/restore')).status).toBe(404);
    expect(await auditOf(fresh)).toEqual([]);
    expect(await auditOf(opened)).toEqual([]);
  });

  it('is for duty officers and admins only', async () => {
    const id = await newAlert('经办人不能恢复');
    await f.requestAs(duty, 'POST', `/api/alerts/${id}/dismiss`, { reason: 'irrelevant' });
    expect((await f.requestAs(handler, 'POST', `/api/alerts/${id}/restore`)).status).toBe(403);
    expect((await f.requestAs(null, 'POST', `/api/alerts/${id}/restore`)).status).toBe(401);
    expect((await f.db.selectFrom('alerts').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('dismissed');
  });
});

describe('POST /api/alerts/dismiss (bulk)', () => {
  it('dismisses every new alert with one reason and reports the ones already triaged', async () => {
    const a = await newAlert('批量一');
    const b = await newAlert('批量二');
    const c = await newAlert('批量三', 'case');
    const res = await f.requestAs(duty, 'POST', '/api/alerts/dismiss', { ids: [b, a, c, a, '99999999'], reason: 'duplicate', note: '同一话题重复' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.dismissed.map((v: { id: string }) => v.id)).toEqual([a, b]);
    expect(body.dismissed.every((v: { dismissReason: string; dismissNote: string }) => v.dismissReason === 'duplicate' && v.dismissNote === '同一话题重复')).toBe(true);
    expect(body.skipped).toEqual([
      { id: c, status: 'case' },
      { id: '99999999', status: 'not_found' },
    ]);
    expect((await auditOf(a)).map((r) => r.action)).toEqual(['alert.dismiss']);
    expect(await auditOf(c)).toEqual([]);
  });

  it('two officers dismissing overlapping sets at once: each alert dismissed once, one audit row each', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => newAlert(`并发${i}`)));
    const [r1, r2] = await Promise.all([
      f.requestAs(duty, 'POST', '/api/alerts/dismiss', { ids: ids.slice(0, 6), reason: 'irrelevant' }),
      f.requestAs(duty2, 'POST', '/api/alerts/dismiss', { ids: ids.slice(2), reason: 'irrelevant' }),
    ]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    const [b1, b2] = [await r1.json(), await r2.json()];
    const dismissed = [...b1.dismissed, ...b2.dismissed].map((v: { id: string }) => v.id).sort();
    expect(dismissed).toEqual([...ids].sort());
    for (const id of ids) expect((await auditOf(id)).filter((r) => r.action === 'alert.dismiss')).toHaveLength(1);
  });

  it('refuses an empty list, more than 200 ids, a malformed id or a bad reason; handlers get 403', async () => {
    expect((await f.requestAs(duty, 'POST', '/api/alerts/dismiss', { ids: [], reason: 'irrelevant' })).status).toBe(400);
    expect((await f.requestAs(duty, 'POST', '/api/alerts/dismiss', { ids: Array.from({ length: 201 }, (_, i) => String(i + 1)), reason: 'irrelevant' })).status).toBe(400);
    const bad = await f.requestAs(duty, 'POST', '/api/alerts/dismiss', { ids: ["1; drop table alerts"], reason: 'irrelevant' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).messageZh).toContain('必须是正整数编号');
    expect((await f.requestAs(duty, 'POST', '/api/alerts/dismiss', { ids: ['1'], reason: 'boring' })).status).toBe(400);
    const id = await newAlert('经办人不能批量排除');
    expect((await f.requestAs(handler, 'POST', '/api/alerts/dismiss', { ids: [id], reason: 'irrelevant' })).status).toBe(403);
    expect((await f.db.selectFrom('alerts').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('new');
  });
});
