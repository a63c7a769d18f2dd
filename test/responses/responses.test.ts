import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditActions, createFixture, errorOf, H, makeCase, makeDepartment, makeUser, obligationsOf, type Fixture, type TestUser } from '../helpers/app.js';

const NOW = new Date('2026-11-24T08:00:00Z');
let f: Fixture;
let water: number;
let housing: number;
let other: number;
let handler: TestUser;
let coHandler: TestUser;
let outsider: TestUser;
let reviewer: TestUser;
let admin: TestUser;
let duty: TestUser;
let inCharge: TestUser;
let principal: TestUser;

beforeAll(async () => {
  f = await createFixture('responses', NOW);
  water = await makeDepartment(f, '市水务局');
  housing = await makeDepartment(f, '市住建局');
  other = await makeDepartment(f, '市教育局');
  handler = await makeUser(f, 'handler', water, '经办人甲');
  coHandler = await makeUser(f, 'handler', housing, '经办人乙');
  outsider = await makeUser(f, 'handler', other, '经办人丙');
  reviewer = await makeUser(f, 'reviewer', null, '审核人丁');
  admin = await makeUser(f, 'admin');
  duty = await makeUser(f, 'duty');
  inCharge = await makeUser(f, 'leader', null, '分管领导');
  principal = await makeUser(f, 'leader', null, '主要领导');
  await f.db.updateTable('users').set({ leader_rank: 'in_charge' }).where('id', '=', inCharge.id).execute();
  await f.db.updateTable('users').set({ leader_rank: 'principal' }).where('id', '=', principal.id).execute();
});
afterAll(async () => {
  await f.tdb.drop();
});

const base = (id: string) => `/api/cases/${id}/responses`;

/** A response drafted, submitted and approved: ready to publish. */
async function approved(caseId: string, by: TestUser = handler): Promise<string> {
  const d = await f.as(by, 'POST', base(caseId), { body: '经核实，已责成供水公司于三日内恢复供水。' });
  expect(d.status).toBe(201);
  const rid = (await d.json()).id as string;
  expect((await f.as(handler, 'POST', `${base(caseId)}/${rid}/submit`, { secrecyConfirmed: true })).status).toBe(200);
  expect((await f.as(reviewer, 'POST', `${base(caseId)}/${rid}/approve`)).status).toBe(200);
  // 审批链: a 较大 or higher case also needs its leaders' steps.
  for (const leader of [inCharge, principal]) {
    const now = await (await f.as(handler, 'GET', base(caseId))).json();
    if (now.responses.find((x: { id: string }) => x.id === rid)?.status !== 'submitted') break;
    expect((await f.as(leader, 'POST', `${base(caseId)}/${rid}/approve`)).status).toBe(200);
  }
  return rid;
}

describe('the review flow (发布审核)', () => {
  it('draft → submit → return with comment → edit → submit → approve → publish meets the response on time, audited step by step', async () => {
    const clock = new Date(NOW.getTime() - 10 * H);
    const caseId = await makeCase(f, { lead: water, co: [housing], clockStartedAt: clock, category: 'difficulty' });

    const d = await f.as(handler, 'POST', base(caseId), { body: '初稿' });
    expect(d.status).toBe(201);
    const draft = await d.json();
    expect(draft).toMatchObject({ status: 'draft', statusLabel: '草稿', body: '初稿', expectedKind: '解决情况', draftedBy: { id: handler.id, name: '经办人甲' } });
    const rid = draft.id as string;
    const url = `${base(caseId)}/${rid}`;

    expect((await f.as(handler, 'POST', `${url}/submit`, { secrecyConfirmed: true })).status).toBe(200);
    const r1 = await f.as(reviewer, 'POST', `${url}/return`, { comment: '请补充恢复供水的具体时间' });
    expect(r1.status).toBe(200);
    expect(await r1.json()).toMatchObject({ status: 'returned', reviewComment: '请补充恢复供水的具体时间', reviewedBy: { id: reviewer.id } });

    const e = await f.as(handler, 'PATCH', url, { body: '修改稿：11月25日12时前恢复供水' });
    expect(e.status).toBe(200);
    expect(await e.json()).toMatchObject({ status: 'draft', body: '修改稿：11月25日12时前恢复供水' });
    expect((await f.as(handler, 'POST', `${url}/submit`, { secrecyConfirmed: true })).status).toBe(200);
    const a = await f.as(reviewer, 'POST', `${url}/approve`);
    expect(a.status).toBe(200);
    expect(await a.json()).toMatchObject({ status: 'approved', reviewedBy: { id: reviewer.id, name: '审核人丁' }, reviewedAt: NOW.toISOString() });

    const p = await f.as(handler, 'POST', `${url}/publish`, { channel: 'website', url: 'https://www.example.gov.cn/notice/1' });
    expect(p.status).toBe(200);
    const pub = await p.json();
    expect(pub.response).toMatchObject({ status: 'published', channel: 'website', channelLabel: '网站发布', publishedAt: NOW.toISOString(), publishedBy: { id: handler.id } });
    expect(pub.case).toEqual({
      id: caseId,
      status: 'responded',
      respondedAt: NOW.toISOString(),
      followUpUntil: new Date(NOW.getTime() + 72 * H).toISOString(),
    });
    expect(pub.obligationsMet).toEqual([{ id: expect.any(String), kind: 'response', onTime: true }]);
    expect(pub.nextUpdate).toBeNull();

    const [ob] = await obligationsOf(f, caseId);
    expect(ob).toMatchObject({ kind: 'response', status: 'met', on_time: true, met_by: `response:${rid}` });
    expect(ob.met_at?.toISOString()).toBe(NOW.toISOString());
    expect(await auditActions(f, caseId)).toEqual([
      'response.draft',
      'response.submit',
      'response.return',
      'response.edit',
      'response.submit',
      'response.approve',
      'response.publish',
      'case.respond',
      'obligation.met',
    ]);
    const publishAudit = await f.db.selectFrom('audit_log').selectAll().where('case_id', '=', caseId).where('action', '=', 'response.publish').executeTakeFirstOrThrow();
    expect(publishAudit).toMatchObject({ actor_id: handler.id, actor_name: '经办人甲', entity: 'response', entity_id: rid });

    const list = await (await f.as(coHandler, 'GET', base(caseId))).json();
    expect(list.responses.map((r: { status: string }) => r.status)).toEqual(['published']);
  });

  it('a publication after the deadline meets the obligation late (on_time false)', async () => {
    const caseId = await makeCase(f, { lead: water, clockStartedAt: new Date(NOW.getTime() - 50 * H) });
    const rid = await approved(caseId);
    const p = await f.as(reviewer, 'POST', `${base(caseId)}/${rid}/publish`, { channel: 'new_media' });
    expect(p.status).toBe(200);
    expect((await p.json()).obligationsMet).toEqual([{ id: expect.any(String), kind: 'response', onTime: false }]);
    const [ob] = await obligationsOf(f, caseId);
    expect(ob).toMatchObject({ status: 'met', on_time: false });
    const met = await f.db.selectFrom('audit_log').select('after').where('case_id', '=', caseId).where('action', '=', 'obligation.met').executeTakeFirstOrThrow();
    expect(met.after).toMatchObject({ kind: 'response', onTime: false });
  });

  it('a back-dated publishedAt before the deadline is on time; one in the future is refused', async () => {
    const caseId = await makeCase(f, { lead: water, clockStartedAt: new Date(NOW.getTime() - 50 * H) });
    const rid = await approved(caseId);
    const future = await f.as(handler, 'POST', `${base(caseId)}/${rid}/publish`, { channel: 'reply', publishedAt: new Date(NOW.getTime() + H).toISOString() });
    expect(future.status).toBe(400);
    expect((await errorOf(future)).messageZh).toContain('不能晚于当前时间');
    // Approved four hours ago, published three hours ago, recorded now (补录 within 24 h).
    await f.db.updateTable('responses').set({ reviewed_at: new Date(NOW.getTime() - 4 * H) }).where('id', '=', rid).execute();
    const at = new Date(NOW.getTime() - 3 * H).toISOString();
    const p = await f.as(handler, 'POST', `${base(caseId)}/${rid}/publish`, { channel: 'reply', publishedAt: at });
    expect(p.status).toBe(200);
    const out = await p.json();
    expect(out.obligationsMet[0].onTime).toBe(true);
    expect(out.case.respondedAt).toBe(at);
    expect(out.response.backfilled).toBe(true);
  });

  it('only a reviewer approves or returns; a return needs a comment', async () => {
    const caseId = await makeCase(f, { lead: water, clockStartedAt: NOW });
    const rid = (await (await f.as(handler, 'POST', base(caseId), { body: '稿' })).json()).id;
    const url = `${base(caseId)}/${rid}`;
    const early = await f.as(reviewer, 'POST', `${url}/approve`);
    expect(early.status).toBe(409);
    expect((await errorOf(early)).messageZh).toContain('草稿');
    expect((await f.as(handler, 'POST', `${url}/submit`, { secrecyConfirmed: true })).status).toBe(200);
    for (const who of [handler, admin, duty]) {
      const r = await f.as(who, 'POST', `${url}/approve`);
      expect(r.status).toBe(403);
      expect((await errorOf(r)).code).toBe('FORBIDDEN');
    }
    const noComment = await f.as(reviewer, 'POST', `${url}/return`, { comment: '  ' });
    expect(noComment.status).toBe(400);
    expect((await errorOf(noComment)).messageZh).toContain('comment');
    const row = await f.db.selectFrom('responses').select(['status', 'reviewed_by']).where('id', '=', rid).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'submitted', reviewed_by: null });
  });

  it('an unapproved response cannot be published (409), nor an approved one edited, nor a published one published again', async () => {
    const caseId = await makeCase(f, { lead: water, clockStartedAt: NOW });
    const rid = (await (await f.as(handler, 'POST', base(caseId), { body: '稿' })).json()).id;
    const url = `${base(caseId)}/${rid}`;
    const r = await f.as(handler, 'POST', `${url}/publish`, { channel: 'website' });
    expect(r.status).toBe(409);
    expect((await errorOf(r)).messageZh).toBe('只有审核通过的回应才能发布');
    await f.as(handler, 'POST', `${url}/submit`, { secrecyConfirmed: true });
    expect((await f.as(handler, 'POST', `${url}/publish`, { channel: 'website' })).status).toBe(409);
    await f.as(reviewer, 'POST', `${url}/approve`);
    expect((await f.as(handler, 'PATCH', url, { body: '改' })).status).toBe(409);
    expect((await f.as(handler, 'POST', `${url}/publish`, { channel: 'website' })).status).toBe(200);
    expect((await f.as(handler, 'POST', `${url}/publish`, { channel: 'website' })).status).toBe(409);
    const [ob] = await obligationsOf(f, caseId);
    expect(ob.status).toBe('met');
    expect((await auditActions(f, caseId)).filter((a) => a === 'response.publish')).toHaveLength(1);
  });

  it('a closed case: its other responses cannot be edited, submitted, reviewed or published until it is reopened', async () => {
    const caseId = await makeCase(f, { lead: water, clockStartedAt: new Date(NOW.getTime() - 2 * H) });
    const published = await approved(caseId);
    expect((await f.as(handler, 'POST', `${base(caseId)}/${published}/publish`, { channel: 'website' })).status).toBe(200);
    // A second draft, submitted for review, is left pending when the case closes.
    const second = (await (await f.as(handler, 'POST', base(caseId), { body: '补充说明' })).json()).id as string;
    const url = `${base(caseId)}/${second}`;
    expect((await f.as(handler, 'POST', `${url}/submit`, { secrecyConfirmed: true })).status).toBe(200);
    expect((await f.as(reviewer, 'POST', `/api/cases/${caseId}/close`, { effectRating: 'good', conclusion: '已办结' })).status).toBe(200);
    const before = await auditActions(f, caseId);
    for (const [who, method, path, body] of [
      [reviewer, 'POST', `${url}/approve`, undefined],
      [reviewer, 'POST', `${url}/return`, { comment: '再改' }],
      [handler, 'PATCH', url, { body: '改' }],
    ] as const) {
      const r = await f.as(who, method, path, body);
      expect(r.status).toBe(409);
      expect((await errorOf(r)).messageZh).toContain('已办结');
    }
    expect(await auditActions(f, caseId)).toEqual(before);
    const row = await f.db.selectFrom('responses').select('status').where('id', '=', second).executeTakeFirstOrThrow();
    expect(row.status).toBe('submitted');
    // Reopened, the review goes on.
    expect((await f.as(reviewer, 'POST', `/api/cases/${caseId}/reopen`, { reason: '网民继续反映' })).status).toBe(200);
    expect((await f.as(reviewer, 'POST', `${url}/approve`)).status).toBe(200);
  });

  it('a handler of another department gets 404; a co-department handler may draft; duty and leader may not', async () => {
    const caseId = await makeCase(f, { lead: water, co: [housing], clockStartedAt: NOW });
    const rid = (await (await f.as(handler, 'POST', base(caseId), { body: '稿' })).json()).id;
    expect((await f.as(outsider, 'POST', base(caseId), { body: '越权' })).status).toBe(404);
    expect((await f.as(outsider, 'GET', base(caseId))).status).toBe(404);
    expect((await f.as(outsider, 'POST', `${base(caseId)}/${rid}/submit`, { secrecyConfirmed: true })).status).toBe(404);
    expect((await f.as(outsider, 'PATCH', `${base(caseId)}/${rid}`, { body: 'x' })).status).toBe(404);
    expect((await f.as(coHandler, 'POST', base(caseId), { body: '协办意见' })).status).toBe(201);
    expect((await f.as(duty, 'POST', base(caseId), { body: 'x' })).status).toBe(403);
    expect((await f.as(reviewer, 'POST', base(caseId), { body: '审核人代拟' })).status).toBe(201);
    expect((await f.as(handler, 'POST', `${base('999999')}`, { body: 'x' })).status).toBe(404);
    expect((await f.as(handler, 'POST', `${base(caseId)}/999999/submit`, { secrecyConfirmed: true })).status).toBe(404);
    const { 'x-csrf-token': _token, ...noCsrf } = handler.headers;
    const forged = await f.app.request(base(caseId), { method: 'POST', headers: { ...noCsrf, 'content-type': 'application/json' }, body: JSON.stringify({ body: '伪造' }) });
    expect(forged.status).toBe(403);
    const anon = await f.requestAs(null, 'POST', base(caseId), { body: 'x' });
    expect(anon.status).toBe(401);
    expect((await errorOf(anon)).code).toBe('UNAUTHORIZED');
  });

  it('an emergency registered as general owes a report upward and the 48 h response, no press conference: publication meets the response and owes no update', async () => {
    const opened = await f.as(duty, 'POST', '/api/cases', {
      manual: { origin: 'hotline', title: '城南化工厂冒出浓烟', text: '网民反映城南化工厂冒出浓烟。', receivedAt: new Date(NOW.getTime() - 2 * H).toISOString() },
      level: 'general',
      category: 'emergency',
      leadDepartmentId: water,
    });
    expect(opened.status).toBe(201);
    const caseId = (await opened.json()).id as string;
    expect((await obligationsOf(f, caseId)).map((o) => o.kind).sort()).toEqual(['report', 'response']);
    const rid = await approved(caseId);
    const p = await f.as(reviewer, 'POST', `${base(caseId)}/${rid}/publish`, { channel: 'website' });
    expect(p.status).toBe(200);
    const out = await p.json();
    expect(out.obligationsMet.map((m: { kind: string }) => m.kind).sort()).toEqual(['response']);
    expect(out.nextUpdate ?? null).toBeNull();
    expect((await obligationsOf(f, caseId)).map((o) => [o.kind, o.status]).sort()).toEqual([
      ['report', 'open'],
      ['response', 'met'],
    ]);
  });

  it('a major case: a press conference meets info, press and the open update, and the next update is owed 24 h later; closing cancels it', async () => {
    const clock = new Date(NOW.getTime() - 4 * H);
    const caseId = await makeCase(f, {
      lead: water,
      level: 'major',
      category: 'emergency',
      clockStartedAt: clock,
      obligations: [
        { kind: 'report', hours: 1 },
        { kind: 'info', hours: 5 },
        { kind: 'press', hours: 24 },
        { kind: 'update', hours: 24 },
      ],
    });
    const rid = await approved(caseId);
    const p = await f.as(reviewer, 'POST', `${base(caseId)}/${rid}/publish`, { channel: 'press_conference' });
    expect(p.status).toBe(200);
    const out = await p.json();
    expect(out.obligationsMet.map((m: { kind: string; onTime: boolean }) => [m.kind, m.onTime]).sort()).toEqual([
      ['info', true],
      ['press', true],
      ['update', true],
    ]);
    expect(out.nextUpdate).toEqual({ id: expect.any(String), seq: 2, dueAt: new Date(NOW.getTime() + 24 * H).toISOString() });
    const obs = await obligationsOf(f, caseId);
    expect(obs.map((o) => [o.kind, o.seq, o.status])).toEqual([
      ['info', 1, 'met'],
      ['press', 1, 'met'],
      ['report', 1, 'open'],
      ['update', 1, 'met'],
      ['update', 2, 'open'],
    ]);

    // A second release on the website meets update #2 and owes #3.
    const rid2 = await approved(caseId);
    const p2 = await (await f.as(handler, 'POST', `${base(caseId)}/${rid2}/publish`, { channel: 'website' })).json();
    expect(p2.obligationsMet.map((m: { kind: string }) => m.kind)).toEqual(['update']);
    expect(p2.nextUpdate.seq).toBe(3);
    expect(p2.case.respondedAt).toBe(NOW.toISOString());

    const close = await f.as(reviewer, 'POST', `/api/cases/${caseId}/close`, { effectRating: 'fairly_good', conclusion: '事态平息' });
    expect(close.status).toBe(200);
    const after = await obligationsOf(f, caseId);
    expect(after.filter((o) => o.kind === 'update').map((o) => [o.seq, o.status])).toEqual([
      [1, 'met'],
      [2, 'met'],
      [3, 'cancelled'],
    ]);
    expect((await auditActions(f, caseId)).slice(-2)).toEqual(['case.close', 'obligation.cancel']);
    // The timeline shows the cancellation's reason in words, never an action key.
    const cancel = await f.db.selectFrom('audit_log').select('after').where('case_id', '=', caseId).where('action', '=', 'obligation.cancel').executeTakeFirstOrThrow();
    expect(cancel.after).toMatchObject({ reason: '事件已办结，不再发布进展' });

    // Reopened, the major case owes updates again: update #4, due 24 h after the reopening.
    const reopen = await f.as(duty, 'POST', `/api/cases/${caseId}/reopen`, { reason: '舆情反弹' });
    expect(reopen.status).toBe(200);
    const reopened = await obligationsOf(f, caseId);
    const open = reopened.filter((o) => o.kind === 'update' && o.status === 'open');
    expect(open.map((o) => o.seq)).toEqual([4]);
    expect((await auditActions(f, caseId)).slice(-2)).toEqual(['case.reopen', 'obligation.create']);
  });
});
