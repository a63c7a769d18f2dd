import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredRoutes } from '../../server/middleware/auth.js';
import { auditCount, createFixture, errorOf, H, makeAlert, makeCase, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

// Issue 15 §1 hole 8: everything on a closed case is read-only until it is reopened. Each
// case-scoped write, on a closed case, answers 409 with one message and changes nothing; reopening
// still works and makes the case writable again.

const NOW = new Date('2026-12-06T10:00:00Z');
const CLOSED_ZH = '事件已办结，如需修改请先重新打开';
const CLOSED_EN = 'The case is closed; reopen it before changing anything on it';

let f: Fixture;
let lead: number;
let co: number;
let duty: TestUser;
let handler: TestUser;
let reviewer: TestUser;
let leader: TestUser;
let admin: TestUser;

beforeAll(async () => {
  f = await createFixture('integrity-closed', NOW);
  lead = await makeDepartment(f, '市住建局');
  co = await makeDepartment(f, '市城管局');
  duty = await makeUser(f, 'duty', null, '值班员');
  handler = await makeUser(f, 'handler', lead, '经办人');
  reviewer = await makeUser(f, 'reviewer', null, '审核人');
  leader = await makeUser(f, 'leader', null, '领导');
  admin = await makeUser(f, 'admin', null, '管理员');
});
afterAll(async () => {
  await f.tdb.drop();
});

async function ok(res: Response, status: number): Promise<any> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return text ? JSON.parse(text) : null;
}

/** A response of the case taken to `to` (draft, submitted, approved or published) through the routes. */
async function response(caseId: string, to: 'draft' | 'submitted' | 'approved' | 'published'): Promise<string> {
  const base = `/api/cases/${caseId}/responses`;
  const { id } = await ok(await f.as(handler, 'POST', base, { body: `回应稿（${to}）` }), 201);
  if (to === 'draft') return id;
  await ok(await f.as(handler, 'POST', `${base}/${id}/submit`, { secrecyConfirmed: true }), 200);
  if (to === 'submitted') return id;
  await ok(await f.as(reviewer, 'POST', `${base}/${id}/approve`), 200);
  if (to === 'approved') return id;
  await ok(await f.as(handler, 'POST', `${base}/${id}/publish`, { channel: 'website' }), 200);
  return id;
}

interface Write {
  name: string;
  /** The route as the route table names it. */
  route: string;
  who: () => TestUser;
  method: string;
  path: string;
  body?: unknown;
}

describe('a closed case is read-only until reopened', () => {
  let caseId: string;
  let writes: Write[];

  beforeAll(async () => {
    caseId = await makeCase(f, { lead, co: [co], clockStartedAt: new Date(NOW.getTime() - 20 * H) });
    await response(caseId, 'published');
    const draft = await response(caseId, 'draft');
    const submitted = await response(caseId, 'submitted');
    const approved = await response(caseId, 'approved');
    const ins = await ok(await f.as(leader, 'POST', `/api/cases/${caseId}/instructions`, { content: '请核实后报告。', reportWithinHours: 24 }), 201);
    const { alertId } = await makeAlert(f, '新的帖子：小区停水', new Date(NOW.getTime() - H));
    await ok(await f.as(reviewer, 'POST', `/api/cases/${caseId}/close`, { effectRating: 'good', conclusion: '已处置' }), 200);

    const r = `/api/cases/${caseId}/responses`;
    writes = [
      { name: 'PATCH case title', route: 'PATCH /api/cases/:id', who: () => duty, method: 'PATCH', path: `/api/cases/${caseId}`, body: { title: '改过的标题' } },
      { name: 'PATCH case summary (reviewer)', route: 'PATCH /api/cases/:id', who: () => reviewer, method: 'PATCH', path: `/api/cases/${caseId}`, body: { summary: '改过的摘要' } },
      { name: 'PATCH case level', route: 'PATCH /api/cases/:id', who: () => duty, method: 'PATCH', path: `/api/cases/${caseId}`, body: { level: 'significant', reason: '升级' } },
      { name: 'PATCH case departments', route: 'PATCH /api/cases/:id', who: () => admin, method: 'PATCH', path: `/api/cases/${caseId}`, body: { coDepartmentIds: [] } },
      { name: 'attach an alert', route: 'POST /api/alerts/:id/attach', who: () => duty, method: 'POST', path: `/api/alerts/${alertId}/attach`, body: { caseId } },
      { name: 'draft a response', route: 'POST /api/cases/:id/responses', who: () => handler, method: 'POST', path: r, body: { body: '新回应' } },
      { name: 'edit a draft', route: 'PATCH /api/cases/:id/responses/:rid', who: () => handler, method: 'PATCH', path: `${r}/${draft}`, body: { body: '改稿' } },
      { name: 'submit a draft', route: 'POST /api/cases/:id/responses/:rid/submit', who: () => handler, method: 'POST', path: `${r}/${draft}/submit`, body: { secrecyConfirmed: true } },
      { name: 'approve', route: 'POST /api/cases/:id/responses/:rid/approve', who: () => reviewer, method: 'POST', path: `${r}/${submitted}/approve` },
      { name: 'return', route: 'POST /api/cases/:id/responses/:rid/return', who: () => reviewer, method: 'POST', path: `${r}/${submitted}/return`, body: { comment: '请修改' } },
      { name: 'publish', route: 'POST /api/cases/:id/responses/:rid/publish', who: () => handler, method: 'POST', path: `${r}/${approved}/publish`, body: { channel: 'website' } },
      { name: 'add feedback', route: 'POST /api/cases/:id/feedback', who: () => handler, method: 'POST', path: `/api/cases/${caseId}/feedback`, body: { kind: 'reaction', body: '网民反应平稳' } },
      { name: 'report up', route: 'POST /api/cases/:id/reports-up', who: () => duty, method: 'POST', path: `/api/cases/${caseId}/reports-up`, body: { recipient: '县委办', content: '报告' } },
      { name: 'issue a 舆情快报', route: 'POST /api/cases/:id/briefs', who: () => duty, method: 'POST', path: `/api/cases/${caseId}/briefs`, body: { recipient: '县委办' } },
      { name: 'refer', route: 'POST /api/cases/:id/referrals', who: () => duty, method: 'POST', path: `/api/cases/${caseId}/referrals`, body: { target: 'public_security', recipient: '县公安局', content: '移交' } },
      { name: 'coordinate', route: 'POST /api/cases/:id/coordinations', who: () => handler, method: 'POST', path: `/api/cases/${caseId}/coordinations`, body: { content: '请协办单位配合' } },
      { name: 'write an instruction', route: 'POST /api/cases/:id/instructions', who: () => leader, method: 'POST', path: `/api/cases/${caseId}/instructions`, body: { content: '请继续关注。' } },
      { name: 'report on an instruction', route: 'POST /api/cases/:id/instructions/:iid/report', who: () => handler, method: 'POST', path: `/api/cases/${caseId}/instructions/${ins.id}/report`, body: { content: '已办理。' } },
      { name: 'decline the assignment', route: 'POST /api/cases/:id/decline', who: () => handler, method: 'POST', path: `/api/cases/${caseId}/decline`, body: { reason: '不属于本单位职责' } },
      { name: 'overrule a decline', route: 'POST /api/cases/:id/decline/overrule', who: () => duty, method: 'POST', path: `/api/cases/${caseId}/decline/overrule`, body: { reason: '请继续办理' } },
      { name: '会签 a response', route: 'POST /api/cases/:id/responses/:rid/countersign', who: () => handler, method: 'POST', path: `${r}/${submitted}/countersign`, body: { decision: 'confirm' } },
      { name: 'record the 核实', route: 'POST /api/cases/:id/verification', who: () => handler, method: 'POST', path: `/api/cases/${caseId}/verification`, body: { result: 'true', note: '属实' } },
      { name: 'reply to the forwarding office', route: 'POST /api/cases/:id/forward-replies', who: () => handler, method: 'POST', path: `/api/cases/${caseId}/forward-replies`, body: { content: '已反馈' } },
      { name: 'record a 回访', route: 'POST /api/cases/:id/callbacks', who: () => handler, method: 'POST', path: `/api/cases/${caseId}/callbacks`, body: { callee: '诉求人', result: 'satisfied' } },
      { name: 'set its 地域', route: 'PUT /api/cases/:id/places', who: () => handler, method: 'PUT', path: `/api/cases/${caseId}/places`, body: { town: null } },
      { name: 'close again', route: 'POST /api/cases/:id/close', who: () => reviewer, method: 'POST', path: `/api/cases/${caseId}/close`, body: { effectRating: 'good', conclusion: '再次办结' } },
    ];
  });

  it('the table covers every state-changing route of one case in the route table (reopen aside)', () => {
    const caseRoutes = declaredRoutes(f.app)
      .filter((r) => r.method !== 'GET' && /^\/api\/cases\/:id(\/|$)/.test(r.path))
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => r !== 'POST /api/cases/:id/reopen');
    const covered = new Set(writes.map((w) => w.route));
    expect(caseRoutes.filter((r) => !covered.has(r))).toEqual([]);
    expect(caseRoutes.length).toBeGreaterThanOrEqual(14);
  });

  it('every case-scoped write answers 409 with one message, and nothing changes', async () => {
    const before = await f.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    const audits = await auditCount(f);
    const refused: string[] = [];
    for (const w of writes) {
      const res = await f.as(w.who(), w.method, w.path, w.body);
      const text = await res.text();
      if (res.status !== 409) {
        refused.push(`${w.name}: ${res.status} ${text.slice(0, 200)}`);
        continue;
      }
      const err = JSON.parse(text).error;
      if (err.messageZh !== CLOSED_ZH || err.message !== CLOSED_EN) refused.push(`${w.name}: ${err.messageZh} / ${err.message}`);
    }
    expect(refused).toEqual([]);
    expect(await auditCount(f)).toBe(audits);
    expect(await f.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow()).toEqual(before);
    const alert = await f.db.selectFrom('alerts').select(['status', 'case_id']).where('case_id', '=', caseId).execute();
    expect(alert).toEqual([]);
  });

  it('reopening still works, and the case is writable again', async () => {
    const reopen = await f.as(duty, 'POST', `/api/cases/${caseId}/reopen`, { reason: '舆情反弹' });
    expect(reopen.status, await reopen.clone().text()).toBe(200);
    const patch = await f.as(duty, 'PATCH', `/api/cases/${caseId}`, { title: '重新打开后改的标题' });
    expect(patch.status).toBe(200);
    expect((await patch.json()).title).toBe('重新打开后改的标题');
    const attach = writes.find((w) => w.name === 'attach an alert')!;
    expect((await f.as(duty, 'POST', attach.path, attach.body)).status).toBe(200);
  });

  it('a closed case refuses the PATCH even when nothing would change', async () => {
    const id = await makeCase(f, { lead, clockStartedAt: new Date(NOW.getTime() - 5 * H), status: 'closed' });
    const c = await f.db.selectFrom('cases').select('title').where('id', '=', id).executeTakeFirstOrThrow();
    const res = await f.as(duty, 'PATCH', `/api/cases/${id}`, { title: c.title });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).messageZh).toBe(CLOSED_ZH);
  });
});
