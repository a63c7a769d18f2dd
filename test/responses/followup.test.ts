import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, makeItem, makeSource, makeStory } from '../api/helpers.js';
import { auditActions, createFixture, H, makeCase, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

const NOW = new Date('2026-11-24T08:00:00Z');
let f: Fixture;
let water: number;
let housing: number;
let other: number;
let handler: TestUser;
let coHandler: TestUser;
let outsider: TestUser;
let reviewer: TestUser;
let duty: TestUser;
let leader: TestUser;

beforeAll(async () => {
  f = await createFixture('followup', NOW);
  water = await makeDepartment(f, '市水务局');
  housing = await makeDepartment(f, '市住建局');
  other = await makeDepartment(f, '市教育局');
  handler = await makeUser(f, 'handler', water, '经办人甲');
  coHandler = await makeUser(f, 'handler', housing);
  outsider = await makeUser(f, 'handler', other);
  reviewer = await makeUser(f, 'reviewer');
  duty = await makeUser(f, 'duty');
  leader = await makeUser(f, 'leader');
});
afterAll(async () => {
  await f.tdb.drop();
});

/** A case already responded at `publishedAt` (a published response row, status responded). */
async function respondedCase(publishedAt: Date): Promise<string> {
  const id = await makeCase(f, { lead: water, co: [housing], clockStartedAt: new Date(publishedAt.getTime() - 5 * H) });
  await f.db
    .insertInto('responses')
    .values({ case_id: id, body: '回应', status: 'published', published_at: publishedAt, channel: 'website', drafted_by: handler.id })
    .execute();
  await f.db.updateTable('cases').set({ status: 'responded', responded_at: publishedAt }).where('id', '=', id).execute();
  return id;
}

describe('feedback (跟踪反馈)', () => {
  it('handlers of the case departments add entries; they are listed with their author; others are refused', async () => {
    const id = await respondedCase(new Date(NOW.getTime() - 2 * H));
    const r = await f.as(handler, 'POST', `/api/cases/${id}/feedback`, { kind: 'reaction', body: '网民评论趋于理性' });
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({ kind: 'reaction', kindLabel: '舆论反应', body: '网民评论趋于理性', author: { id: handler.id, name: '经办人甲' } });
    expect((await f.as(coHandler, 'POST', `/api/cases/${id}/feedback`, { kind: 'action', body: '已完成管网抢修' })).status).toBe(201);
    expect((await f.as(outsider, 'POST', `/api/cases/${id}/feedback`, { kind: 'other', body: 'x' })).status).toBe(404);
    expect((await f.as(duty, 'POST', `/api/cases/${id}/feedback`, { kind: 'other', body: 'x' })).status).toBe(403);
    expect((await f.as(handler, 'POST', `/api/cases/${id}/feedback`, { kind: 'rumour', body: 'x' })).status).toBe(400);
    const list = await (await f.as(leader, 'GET', `/api/cases/${id}/feedback`)).json();
    expect(list.feedback.map((x: { kind: string }) => x.kind)).toEqual(['reaction', 'action']);
    expect(await auditActions(f, id)).toEqual(['feedback.add', 'feedback.add']);
  });

  it('is refused on a closed case (409)', async () => {
    const id = await respondedCase(new Date(NOW.getTime() - 2 * H));
    expect((await f.as(reviewer, 'POST', `/api/cases/${id}/close`, { effectRating: 'good', conclusion: '已办结' })).status).toBe(200);
    const r = await f.as(handler, 'POST', `/api/cases/${id}/feedback`, { kind: 'reaction', body: '晚到的反馈' });
    expect(r.status).toBe(409);
    expect((await errorOf(r)).messageZh).toContain('已办结');
  });
});

describe('close (办结) and reopen', () => {
  it('the lead department handler closes with an effect rating and conclusion; audited', async () => {
    const id = await respondedCase(new Date(NOW.getTime() - 30 * H));
    const r = await f.as(handler, 'POST', `/api/cases/${id}/close`, { effectRating: 'good', conclusion: '供水恢复，舆情平息' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({
      id,
      status: 'closed',
      statusLabel: '已办结',
      closedAt: NOW.toISOString(),
      closedBy: handler.id,
      effectRating: 'good',
      effectRatingLabel: '好',
      conclusion: '供水恢复，舆情平息',
    });
    const audit = await f.db.selectFrom('audit_log').selectAll().where('case_id', '=', id).where('action', '=', 'case.close').executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(handler.id);
    expect(audit.before).toMatchObject({ status: 'responded' });
    expect(audit.after).toMatchObject({ status: 'closed', effectRating: 'good' });
  });

  it('a co-department handler gets 403, another department 404, a leader 403; an open (unresponded) case cannot close; rating is validated', async () => {
    const id = await respondedCase(new Date(NOW.getTime() - 30 * H));
    const body = { effectRating: 'average', conclusion: '一般' };
    expect((await f.as(coHandler, 'POST', `/api/cases/${id}/close`, body)).status).toBe(403);
    expect((await f.as(outsider, 'POST', `/api/cases/${id}/close`, body)).status).toBe(404);
    expect((await f.as(leader, 'POST', `/api/cases/${id}/close`, body)).status).toBe(403);
    expect((await f.as(reviewer, 'POST', `/api/cases/${id}/close`, { effectRating: 'excellent', conclusion: 'x' })).status).toBe(400);
    expect((await f.as(reviewer, 'POST', `/api/cases/${id}/close`, { effectRating: 'good', conclusion: '' })).status).toBe(400);
    const open = await makeCase(f, { lead: water, clockStartedAt: NOW });
    const r = await f.as(reviewer, 'POST', `/api/cases/${open}/close`, body);
    expect(r.status).toBe(409);
    const row = await f.db.selectFrom('cases').select(['status', 'closed_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'responded', closed_at: null });
  });

  it('duty reopens a closed case with a reason: open again, closing fields cleared, audited; reopening an open case is 409', async () => {
    const id = await respondedCase(new Date(NOW.getTime() - 30 * H));
    await f.as(reviewer, 'POST', `/api/cases/${id}/close`, { effectRating: 'poor', conclusion: '效果差' });
    expect((await f.as(handler, 'POST', `/api/cases/${id}/reopen`, { reason: 'x' })).status).toBe(403);
    expect((await f.as(duty, 'POST', `/api/cases/${id}/reopen`, {})).status).toBe(400);
    const r = await f.as(duty, 'POST', `/api/cases/${id}/reopen`, { reason: '原帖出现新的跟帖，舆情反弹' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'open', closedAt: null, closedBy: null, effectRating: null });
    expect((await f.as(duty, 'POST', `/api/cases/${id}/reopen`, { reason: '再次' })).status).toBe(409);
    const audit = await f.db.selectFrom('audit_log').selectAll().where('case_id', '=', id).where('action', '=', 'case.reopen').executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ status: 'closed', effectRating: 'poor' });
    expect(audit.after).toEqual({ status: 'open', reason: '原帖出现新的跟帖，舆情反弹' });
    expect(await auditActions(f, id)).toEqual(['case.close', 'case.reopen']);
  });
});

describe('GET /api/cases/{id}/heat', () => {
  it('compares items per hour before and after the first publication, counts new sources, gives an hourly series', async () => {
    const published = new Date(NOW.getTime() - 5 * H - 30 * 60_000); // 5.5 h ago → 5-hour windows
    const id = await respondedCase(published);
    const story = await makeStory(f.db, '停水', new Date(published.getTime() - 20 * H));
    await f.db.insertInto('case_stories').values({ case_id: id, story_id: story }).execute();
    const forum = await makeSource(f.db, { name: '论坛' });
    const news = await makeSource(f.db, { name: '新闻网' });
    const weibo = await makeSource(f.db, { name: '微博' });
    const at = (h: number) => new Date(published.getTime() + h * H);
    // Before (−5 h … 0): 10 items from forum and news; one at −6 h is outside the window.
    const before: [number, number][] = [
      [-4.5, forum], [-4.5, forum], [-3.5, news], [-2.5, forum], [-2.5, news], [-1.5, forum], [-0.5, forum], [-0.5, news], [-0.5, forum], [-0.1, news],
    ];
    for (const [h, s] of [...before, [-6, forum] as [number, number]]) await makeItem(f.db, s, { title: '停水', story_id: story, published_at: at(h) });
    // After (0 … 5 h): 4 items, one from a new source (weibo); one at +5.2 h is outside the window.
    for (const [h, s] of [[0, news], [0.5, weibo], [1.5, forum], [3.5, news], [5.2, forum]] as [number, number][]) {
      await makeItem(f.db, s, { title: '停水', story_id: story, published_at: at(h) });
    }
    const r = await f.as(coHandler, 'GET', `/api/cases/${id}/heat`);
    expect(r.status).toBe(200);
    const heat = await r.json();
    expect(heat).toMatchObject({
      caseId: id,
      publishedAt: published.toISOString(),
      windowHours: 5,
      before: { items: 10, sources: 2, itemsPerHour: 2 },
      after: { items: 4, sources: 3, itemsPerHour: 0.8 },
      newSourcesAfter: 1,
    });
    expect(heat.series.map((s: { hour: number; items: number }) => [s.hour, s.items])).toEqual([
      [-5, 2], [-4, 1], [-3, 2], [-2, 1], [-1, 4], [0, 2], [1, 1], [2, 0], [3, 1], [4, 0],
    ]);
    expect(heat.series[5].startsAt).toBe(published.toISOString());
    expect((await f.as(outsider, 'GET', `/api/cases/${id}/heat`)).status).toBe(404);
  });

  it('before any publication: the 72 hours before now, no after side', async () => {
    const id = await makeCase(f, { lead: water, clockStartedAt: new Date(NOW.getTime() - 3 * H) });
    const story = await makeStory(f.db, '噪声', new Date(NOW.getTime() - 3 * H));
    await f.db.insertInto('case_stories').values({ case_id: id, story_id: story }).execute();
    const src = await makeSource(f.db);
    await makeItem(f.db, src, { title: '噪声', story_id: story, published_at: new Date(NOW.getTime() - 2.5 * H) });
    const heat = await (await f.as(reviewer, 'GET', `/api/cases/${id}/heat`)).json();
    expect(heat).toMatchObject({ publishedAt: null, windowHours: 72, before: { items: 1, sources: 1 }, after: null, newSourcesAfter: null });
    expect(heat.series).toHaveLength(72);
    expect(heat.series.find((s: { hour: number }) => s.hour === -3).items).toBe(1);
  });
});
