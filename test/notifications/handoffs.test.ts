import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, makeAlert, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';
import { sessionFor } from '../helpers/auth.js';

// Every hand-off reaches its addressee, and only them, in the change's transaction: a case walked
// from its opening to its closing through the real app. Each reader sees Chinese with Beijing
// times (no ISO string, no English word) unless they ask for English.

const NOW = new Date('2026-11-24T08:00:00Z'); // 16:00 in Beijing
let f: Fixture;
const u: Record<string, TestUser> = {};
let caseId: string;
let rid: string;
let seen = 0; // notifications already checked
const live: string[] = []; // `notification.created` events, as "userId:notificationId"

async function leader(rank: 'in_charge' | 'principal', name: string): Promise<TestUser> {
  const row = await f.newUser({ role: 'leader', leaderRank: rank, displayName: name });
  return { id: row.id, role: 'leader', departmentId: null, headers: (await sessionFor(f.db, row, NOW)).headers() };
}

beforeAll(async () => {
  f = await createFixture('handoffs', NOW);
  f.events.subscribe((ev) => {
    if (ev.type === 'notification.created') live.push(`${ev.userId}:${ev.notificationId}`);
  });
  const water = await makeDepartment(f, '市水务局');
  const housing = await makeDepartment(f, '市住建局');
  const other = await makeDepartment(f, '市教育局');
  u.duty = await makeUser(f, 'duty', null, '值班员甲');
  u.handler = await makeUser(f, 'handler', water, '经办人甲');
  u.handler2 = await makeUser(f, 'handler', water, '经办人乙');
  u.coHandler = await makeUser(f, 'handler', housing, '经办人丙');
  u.outsider = await makeUser(f, 'handler', other, '经办人丁');
  u.reviewer = await makeUser(f, 'reviewer', null, '审核人甲');
  u.reviewer2 = await makeUser(f, 'reviewer', null, '审核人乙');
  u.inCharge = await leader('in_charge', '分管领导');
  u.principal = await leader('principal', '主要领导');
  u.admin = await makeUser(f, 'admin');
  const { alertId } = await makeAlert(f, '城西片区连续停水三天无人管', new Date(NOW.getTime() - 2 * 3_600_000));
  const r = await f.as(u.duty, 'POST', '/api/cases', { level: 'significant', category: 'difficulty', leadDepartmentId: water, coDepartmentIds: [housing], alertIds: [alertId] });
  expect(r.status).toBe(201);
  caseId = (await r.json()).id;
});
afterAll(async () => {
  await f.tdb.drop();
});

/** The notifications written since the last call, as "user:key" (role of lead/co appended for assignments). */
async function sinceLast(): Promise<string[]> {
  const rows = await f.db.selectFrom('notifications').select(['id', 'user_id', 'key', 'params', 'case_id']).where('id', '>', String(seen)).orderBy('id').execute();
  if (rows.length > 0) seen = Number(rows[rows.length - 1]!.id);
  const name = (id: number) => Object.entries(u).find(([, x]) => x.id === id)?.[0] ?? `#${id}`;
  for (const r of rows) expect(r.case_id).toBe(caseId);
  return rows.map((r) => `${name(r.user_id)}:${r.key}${r.key?.startsWith('case.assigned') ? `:${r.params?.role}` : ''}`).sort();
}

const url = (p = '') => `/api/cases/${caseId}/responses${p}`;

describe('a case walked from 交办 to 办结 tells each next person, and nobody else', () => {
  it('assign → submit → return → resubmit → approve → publish → close', async () => {
    // 交办: the lead department's handlers and the co-department's.
    expect(await sinceLast()).toEqual(['coHandler:case.assigned:co', 'handler2:case.assigned:lead', 'handler:case.assigned:lead']);

    const d = await f.as(u.handler, 'POST', url(), { body: '经核实，已责成供水公司于三日内恢复供水。' });
    expect(d.status).toBe(201);
    rid = (await d.json()).id;
    expect(await sinceLast()).toEqual([]); // a draft is nobody's hand-off yet

    expect((await f.as(u.handler, 'POST', url(`/${rid}/submit`), { secrecyConfirmed: true })).status).toBe(200);
    // 会签 of a 较大 case with a co-department: its handlers first, the reviewers once it confirms.
    expect(await sinceLast()).toEqual(['coHandler:response.countersign_requested']);
    expect((await f.as(u.coHandler, 'POST', url(`/${rid}/countersign`), { decision: 'confirm' })).status).toBe(200);
    expect(await sinceLast()).toEqual(['reviewer2:response.submitted', 'reviewer:response.submitted']);

    expect((await f.as(u.reviewer, 'POST', url(`/${rid}/return`), { comment: '请补充恢复供水的具体时间' })).status).toBe(200);
    expect(await sinceLast()).toEqual(['handler:response.returned']);

    expect((await f.as(u.handler, 'PATCH', url(`/${rid}`), { body: '经核实，供水已于今日恢复。' })).status).toBe(200);
    expect((await f.as(u.handler, 'POST', url(`/${rid}/submit`), { secrecyConfirmed: true })).status).toBe(200);
    // 会签 of a 较大 case with a co-department: its handlers first, the reviewers once it confirms.
    expect(await sinceLast()).toEqual(['coHandler:response.countersign_requested']);
    expect((await f.as(u.coHandler, 'POST', url(`/${rid}/countersign`), { decision: 'confirm' })).status).toBe(200);
    expect(await sinceLast()).toEqual(['reviewer2:response.submitted', 'reviewer:response.submitted']);

    // 审批链 of a 较大 case: the reviewer, then the leader in charge (asked), then publishable.
    expect((await f.as(u.reviewer2, 'POST', url(`/${rid}/approve`))).status).toBe(200);
    expect(await sinceLast()).toEqual(['inCharge:response.approval_requested']);
    expect((await f.as(u.inCharge, 'POST', url(`/${rid}/approve`))).status).toBe(200);
    expect(await sinceLast()).toEqual(['handler2:response.approved', 'handler:response.approved']);

    expect((await f.as(u.handler2, 'POST', url(`/${rid}/publish`), { channel: 'website', url: 'https://gov.example.cn/a/1' })).status).toBe(200);
    // The duty officer who opened it; the leader in charge (较大 and above); never the publisher.
    expect(await sinceLast()).toEqual(['duty:response.published', 'inCharge:response.published']);

    expect((await f.as(u.reviewer, 'POST', `/api/cases/${caseId}/close`, { effectRating: 'good', conclusion: '供水恢复，舆情平息' })).status).toBe(200);
    expect(await sinceLast()).toEqual(['handler2:case.closed', 'handler:case.closed']);

    // Each one was announced live (after its commit) for the dashboard.
    const rows = await f.db.selectFrom('notifications').select(['id', 'user_id']).execute();
    expect(live.sort()).toEqual(rows.map((r) => `${r.user_id}:${r.id}`).sort());
  });

  it('each reader sees Chinese with Beijing times: no ISO time, no Latin word outside case numbers and links', async () => {
    let n = 0;
    for (const who of Object.values(u)) {
      const r = await f.as(who, 'GET', '/api/notifications?limit=200');
      expect(r.status).toBe(200);
      const { items } = (await r.json()) as { items: { title: string; body: string }[] };
      for (const it of items) {
        n += 1;
        const text = `${it.title}\n${it.body}`;
        expect(text, text).not.toMatch(/T\d\d:\d\d/);
        const rest = text.replace(/https?:\/\/\S+/g, '').replace(/YQ-[\d-]+/g, '').replace(/WeCom|SMS/g, '');
        expect(rest, text).not.toMatch(/[A-Za-z]{2,}/);
      }
    }
    expect(n).toBe(17); // two of them ask the co-department to sign off (会签)
    const duty = (await (await f.as(u.duty, 'GET', '/api/notifications')).json()).items as { title: string; body: string }[];
    expect(duty[0]!.title).toMatch(/^【已发布】YQ-\d{4}-\d{4} 城西片区连续停水三天无人管$/);
    expect(duty[0]!.body).toContain('的回应已于 11月24日 16:00 发布（网站发布）');
    const returned = (await (await f.as(u.handler, 'GET', '/api/notifications')).json()).items.find((x: { kind: string }) => x.kind === 'response.returned');
    expect(returned.body).toContain('审核意见：请补充恢复供水的具体时间');
    expect(returned.body).toContain('审核人甲');
  });

  it('?lang=en (or Accept-Language: en) renders the same notifications in English', async () => {
    const en = (await (await f.as(u.handler, 'GET', '/api/notifications?lang=en')).json()).items as { id: string; createdAt: string; kind: string; title: string; body: string }[];
    expect(en.map((x) => x.title.split(']')[0] + ']')).toEqual(['[Closed]', '[Ready to publish]', '[Returned]', '[Assigned]']);
    // Names, titles and comments are what people wrote; the wording around them is English.
    for (const x of en) expect(`${x.title}${x.body}`).not.toMatch(/【|】|审核意见|交办|可以发布|办结|时限/);
    expect(en.find((x) => x.kind === 'case.assigned')!.body).toMatch(/assigned to your department \(lead department\); public response due Nov 26 14:00/);
    const byHeader = await f.app.request('/api/notifications', { headers: { ...u.duty.headers, 'accept-language': 'en-US,en;q=0.9' } });
    expect(((await byHeader.json()).items[0] as { title: string }).title).toMatch(/^\[Published\]/);
    const zh = await f.app.request('/api/notifications?lang=zh', { headers: { ...u.duty.headers, 'accept-language': 'en-US' } });
    expect(((await zh.json()).items[0] as { title: string }).title).toMatch(/^【已发布】/);
  });
});

describe('reopening, coordination, report up, referral and re-assignment reach their addressees', () => {
  it('each tells exactly the people it concerns', async () => {
    await sinceLast();
    expect((await f.as(u.admin, 'POST', `/api/cases/${caseId}/reopen`, { reason: '网民反映仍有片区停水' })).status).toBe(200);
    expect(await sinceLast()).toEqual(['handler2:case.reopened', 'handler:case.reopened']);

    expect((await f.as(u.handler, 'POST', `/api/cases/${caseId}/coordinations`, { content: '请住建局核实二次供水设施' })).status).toBe(201);
    expect(await sinceLast()).toEqual(['coHandler:case.coordination']);

    expect((await f.as(u.admin, 'POST', `/api/cases/${caseId}/reports-up`, { recipient: '市政府办公室', content: '停水情况及处置进展' })).status).toBe(201);
    expect(await sinceLast()).toEqual(['inCharge:case.report_up', 'principal:case.report_up']);

    expect((await f.as(u.admin, 'POST', `/api/cases/${caseId}/referrals`, { target: 'public_security', recipient: '市公安局网安支队', content: '造谣账号线索' })).status).toBe(201);
    expect(await sinceLast()).toEqual(['duty:case.referral', 'handler2:case.referral', 'handler:case.referral']);

    // 转办: 住建局 becomes the lead and 教育局 a co-department; 水务局 is taken off the case.
    const [housing, other] = [u.coHandler.departmentId, u.outsider.departmentId];
    expect((await f.as(u.admin, 'PATCH', `/api/cases/${caseId}`, { leadDepartmentId: housing, coDepartmentIds: [other] })).status).toBe(200);
    // The response is published (its obligation met): the notice names no time limit.
    expect(await sinceLast()).toEqual(['coHandler:case.assigned_no_due:lead', 'handler2:case.unassigned', 'handler:case.unassigned', 'outsider:case.assigned_no_due:co']);
    const gone = (await (await f.as(u.handler, 'GET', '/api/notifications')).json()).items[0] as { title: string; body: string };
    expect(gone.title).toMatch(/^【转办】YQ-\d{4}-\d{4} 已改由其他单位办理$/);
    expect(gone.body).toContain('已转由市住建局牵头办理');
  });
});
