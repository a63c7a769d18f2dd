import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { auditCount, createFixture, errorOf, H, makeCase, makeDepartment, makeUser, obligationsOf, type Fixture, type TestUser } from '../helpers/app.js';

// Issue 15 §1 hole 4: a typed publication or report time cannot be earlier than what it follows
// (the approval, the case's first sighting), is at most 24 h back unless a reviewer records it, not
// in the future beyond a small clock skew, and a back-dated one is marked 补录 in the case's
// records, timeline, ledger and exports.

const NOW = new Date('2026-12-06T10:00:00Z');
const ago = (h: number) => new Date(NOW.getTime() - h * H);

let f: Fixture;
let dept: number;
let handler: TestUser;
let reviewer: TestUser;
let duty: TestUser;
let leader: TestUser;

beforeAll(async () => {
  f = await createFixture('integrity-backdated', NOW);
  dept = await makeDepartment(f, '市住建局');
  handler = await makeUser(f, 'handler', dept, '经办人');
  reviewer = await makeUser(f, 'reviewer', null, '审核人');
  duty = await makeUser(f, 'duty', null, '值班员');
  leader = await makeUser(f, 'leader', null, '领导');
});
afterAll(async () => {
  await f.tdb.drop();
});

const base = (caseId: string) => `/api/cases/${caseId}/responses`;

/** A case first seen 6 days ago with an approved response; `approvedAt` moves the approval back (it happened then). */
async function approvedResponse(approvedAt?: Date): Promise<{ caseId: string; rid: string }> {
  const caseId = await makeCase(f, { lead: dept, clockStartedAt: ago(6 * 24) });
  const d = await f.as(handler, 'POST', base(caseId), { body: '经核实，已责成施工单位停止夜间施工。' });
  const rid = (await d.json()).id as string;
  expect((await f.as(handler, 'POST', `${base(caseId)}/${rid}/submit`, { secrecyConfirmed: true })).status).toBe(200);
  expect((await f.as(reviewer, 'POST', `${base(caseId)}/${rid}/approve`)).status).toBe(200);
  if (approvedAt) await f.db.updateTable('responses').set({ reviewed_at: approvedAt, submitted_at: approvedAt }).where('id', '=', rid).execute();
  return { caseId, rid };
}

const publish = (who: TestUser, caseId: string, rid: string, publishedAt?: Date) =>
  f.as(who, 'POST', `${base(caseId)}/${rid}/publish`, { channel: 'website', ...(publishedAt ? { publishedAt: publishedAt.toISOString() } : {}) });

describe('back-dated publication', () => {
  it('a publication time before the approval is refused (400, zh/en), and nothing is recorded', async () => {
    const { caseId, rid } = await approvedResponse();
    const audits = await auditCount(f, { caseId });
    const res = await publish(handler, caseId, rid, ago(5 * 24));
    expect(res.status).toBe(400);
    const err = await errorOf(res);
    expect(err.messageZh).toContain('发布时间不能早于审核通过时间');
    expect(err.message).toContain('before the response was approved');
    expect(await auditCount(f, { caseId })).toBe(audits);
    const [ob] = await obligationsOf(f, caseId);
    expect(ob).toMatchObject({ status: 'open', met_at: null });
  });

  it('within 24 h and after the approval it is recorded, marked 补录 in the response, the timeline, the ledger and the export', async () => {
    const { caseId, rid } = await approvedResponse(ago(30));
    const res = await publish(handler, caseId, rid, ago(3));
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json();
    expect(body.response).toMatchObject({ status: 'published', publishedAt: ago(3).toISOString(), backfilled: true });
    expect(body.case.respondedAt).toBe(ago(3).toISOString());

    const audit = await f.db.selectFrom('audit_log').select('after').where('case_id', '=', caseId).where('action', '=', 'response.publish').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ publishedAt: ago(3).toISOString(), backfilled: true });

    const view = await (await f.as(handler, 'GET', `/api/cases/${caseId}`)).json();
    expect(view.timeline.find((e: { action: string }) => e.action === 'response.publish').after).toMatchObject({ backfilled: true });

    const ledger = await (await f.as(leader, 'GET', '/api/cases?limit=100')).json();
    const row = ledger.cases.find((c: { id: string }) => c.id === caseId);
    expect(row).toMatchObject({ respondedAt: ago(3).toISOString(), respondedBackfilled: true });

    const csv = await (await f.as(leader, 'GET', '/api/cases/export?format=csv')).text();
    const line = csv.split('\r\n').find((l) => l.includes(view.title));
    expect(line).toContain('网站发布（补录）');
  });

  it('a publication without a typed time is not a 补录', async () => {
    const { caseId, rid } = await approvedResponse();
    const res = await publish(handler, caseId, rid);
    expect(res.status).toBe(200);
    expect((await res.json()).response).toMatchObject({ publishedAt: NOW.toISOString(), backfilled: false });
    const ledger = await (await f.as(leader, 'GET', '/api/cases?limit=100')).json();
    expect(ledger.cases.find((c: { id: string }) => c.id === caseId)).toMatchObject({ respondedBackfilled: false });
  });

  it('more than 24 h back: the handler is told a reviewer must record it; a reviewer may', async () => {
    const { caseId, rid } = await approvedResponse(ago(40));
    const audits = await auditCount(f, { caseId });
    const res = await publish(handler, caseId, rid, ago(26));
    expect(res.status).toBe(403);
    const err = await errorOf(res);
    expect(err.messageZh).toContain('须由审核人');
    expect(err.messageZh).toContain('24');
    expect(err.message).toContain('reviewer');
    expect(await auditCount(f, { caseId })).toBe(audits);

    const ok = await publish(reviewer, caseId, rid, ago(26));
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect((await ok.json()).response).toMatchObject({ publishedAt: ago(26).toISOString(), backfilled: true, publishedBy: { id: reviewer.id } });
  });

  it('a time a minute ahead (clock skew) is taken as now; further in the future is refused', async () => {
    const a = await approvedResponse();
    const ahead = await publish(handler, a.caseId, a.rid, new Date(NOW.getTime() + 60_000));
    expect(ahead.status).toBe(200);
    expect((await ahead.json()).response).toMatchObject({ publishedAt: NOW.toISOString(), backfilled: false });

    const b = await approvedResponse();
    const future = await publish(handler, b.caseId, b.rid, new Date(NOW.getTime() + 10 * 60_000));
    expect(future.status).toBe(400);
    expect((await errorOf(future)).messageZh).toContain('不能晚于当前时间');
  });

  it('the limit is configurable (BACKFILL_MAX_HOURS, default 24)', () => {
    expect(loadConfig({}).BACKFILL_MAX_HOURS).toBe(24);
    expect(loadConfig({ BACKFILL_MAX_HOURS: '6' }).BACKFILL_MAX_HOURS).toBe(6);
  });
});

describe('back-dated report upward (reportedAt)', () => {
  it('within 24 h it is recorded and marked 补录; further back only a reviewer records it; never before the case', async () => {
    const caseId = await makeCase(f, { lead: dept, clockStartedAt: ago(48), obligations: [{ kind: 'report', hours: 1 }] });
    const url = `/api/cases/${caseId}/reports-up`;

    const old = await f.as(duty, 'POST', url, { recipient: '县委办', content: '已电话报告', reportedAt: ago(30).toISOString() });
    expect(old.status).toBe(403);
    expect((await errorOf(old)).messageZh).toContain('须由审核人');

    const early = await f.as(reviewer, 'POST', url, { recipient: '县委办', content: '已电话报告', reportedAt: ago(49).toISOString() });
    expect(early.status).toBe(400);
    expect((await errorOf(early)).messageZh).toContain('早于事件发现时间');

    const byReviewer = await f.as(reviewer, 'POST', url, { recipient: '县委办', content: '已电话报告', reportedAt: ago(30).toISOString() });
    expect(byReviewer.status, await byReviewer.clone().text()).toBe(201);
    expect(await byReviewer.json()).toMatchObject({ reportedAt: ago(30).toISOString(), backfilled: true });

    const recent = await f.as(duty, 'POST', url, { recipient: '市政府办', content: '书面报告', reportedAt: ago(2).toISOString() });
    expect(recent.status).toBe(201);
    expect(await recent.json()).toMatchObject({ backfilled: true });

    const now = await f.as(duty, 'POST', url, { recipient: '市政府办', content: '续报' });
    expect(await now.json()).toMatchObject({ reportedAt: NOW.toISOString(), backfilled: false });

    const list = await (await f.as(duty, 'GET', `/api/cases/${caseId}/escalations`)).json();
    expect(list.reportsUp.map((r: { backfilled: boolean }) => r.backfilled)).toEqual([true, true, false]);
    const audit = await f.db.selectFrom('audit_log').select('after').where('case_id', '=', caseId).where('action', '=', 'case.report_up').orderBy('id').execute();
    expect(audit.map((a) => (a.after as { backfilled: boolean }).backfilled)).toEqual([true, true, false]);
  });
});
