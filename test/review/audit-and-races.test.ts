import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, sessionFor, type SignedIn, type TestUser } from '../helpers/auth.js';
import type { Db } from '../../db/client.js';
import { createApiFixture, makeCase, makeDepartment, type ApiFixture } from '../helpers/app.js';

// Accountability: every state change of a case made through the API leaves an audit row naming the
// caller; and decisions taken on a case read before its lock are re-checked under the lock.

const NOW = new Date('2026-11-25T08:00:00Z');
const H = 3_600_000;
let f: ApiFixture;
let lead: number;
let co: number;
const users: Record<string, { user: TestUser; s: SignedIn }> = {};

beforeAll(async () => {
  f = await createApiFixture('review_audit', { now: () => NOW });
  lead = await makeDepartment(f, '水务局');
  co = await makeDepartment(f, '住建局');
  for (const [k, role, dept] of [
    ['handler', 'handler', lead],
    ['coHandler', 'handler', co],
    ['reviewer', 'reviewer', null],
    ['duty', 'duty', null],
  ] as const) {
    const user = await createUser(f.db, { role, departmentId: dept });
    users[k] = { user, s: await sessionFor(f.db, user, NOW) };
  }
  for (const [k, rank] of [['inCharge', 'in_charge'], ['principal', 'principal']] as const) {
    const user = await createUser(f.db, { role: 'leader', leaderRank: rank });
    users[k] = { user, s: await sessionFor(f.db, user, NOW) };
  }
});
afterAll(async () => {
  await f.tdb.drop();
});

async function auditRows(caseId: string) {
  return f.db.selectFrom('audit_log').select(['action', 'actor_id']).where('case_id', '=', caseId).orderBy('id').execute();
}

describe('every state change through the API is audited, attributed to the caller', () => {
  it('walks a case from draft to close and reopen', async () => {
    const caseId = await makeCase(f, { lead, co: [co], clockStartedAt: new Date(NOW.getTime() - 2 * H), level: 'major', obligations: [{ kind: 'report', hours: 1 }, { kind: 'response', hours: 48 }] });
    const base = `/api/cases/${caseId}`;
    let rid = '';
    const steps: [keyof typeof users, string, string, unknown, string][] = [
      ['duty', 'PATCH', base, { title: '新标题' }, 'case.update'],
      ['handler', 'POST', `${base}/responses`, { body: '草稿' }, 'response.draft'],
      ['handler', 'PATCH', `${base}/responses/:rid`, { body: '改稿' }, 'response.edit'],
      ['handler', 'POST', `${base}/responses/:rid/submit`, { secrecyConfirmed: true }, 'response.submit'],
      ['coHandler', 'POST', `${base}/responses/:rid/countersign`, { decision: 'confirm' }, 'response.countersign'],
      ['reviewer', 'POST', `${base}/responses/:rid/return`, { comment: '补充' }, 'response.return'],
      ['handler', 'PATCH', `${base}/responses/:rid`, { body: '再改' }, 'response.edit'],
      ['handler', 'POST', `${base}/responses/:rid/submit`, { secrecyConfirmed: true }, 'response.submit'],
      ['coHandler', 'POST', `${base}/responses/:rid/countersign`, { decision: 'confirm' }, 'response.countersign'],
      ['reviewer', 'POST', `${base}/responses/:rid/approve`, undefined, 'response.approve'],
      // 审批链 of a 重大 case: the leader in charge, then the principal leader.
      ['inCharge', 'POST', `${base}/responses/:rid/approve`, undefined, 'response.approve'],
      ['principal', 'POST', `${base}/responses/:rid/approve`, undefined, 'response.approve'],
      ['handler', 'POST', `${base}/responses/:rid/publish`, { channel: 'website' }, 'response.publish'],
      ['duty', 'POST', `${base}/reports-up`, { recipient: '县委办', content: '报告' }, 'case.report_up'],
      ['duty', 'POST', `${base}/referrals`, { target: 'cyberspace', recipient: '网信办', content: '移交' }, 'case.referral'],
      ['handler', 'POST', `${base}/coordinations`, { content: '请配合' }, 'case.coordination'],
      ['coHandler', 'POST', `${base}/feedback`, { kind: 'reaction', body: '反应平稳' }, 'feedback.add'],
      ['handler', 'POST', `${base}/close`, { effectRating: 'good', conclusion: '办结' }, 'case.close'],
      ['duty', 'POST', `${base}/reopen`, { reason: '新情况' }, 'case.reopen'],
    ];
    for (const [who, method, path, body, action] of steps) {
      const before = (await auditRows(caseId)).length;
      const res = await f.requestAs(users[who].s, method, path.replace(':rid', rid), body);
      expect(res.status, `${method} ${path} → ${res.status} ${await res.clone().text()}`).toBeLessThan(300);
      if (action === 'response.draft') rid = ((await res.json()) as { id: string }).id;
      const rows = (await auditRows(caseId)).slice(before);
      expect(rows.map((r) => r.action)).toContain(action);
      expect(rows.every((r) => r.actor_id === users[who].user.id)).toBe(true);
    }
  });
});

/** Holds the case row locked while `during` runs, so a request reads the case, then waits on the lock. */
async function withCaseLocked(caseId: string, during: () => Promise<void>, change: (trx: Db) => Promise<unknown>) {
  let release!: () => void;
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const held = f.db.transaction().execute(async (trx) => {
    await trx.selectFrom('cases').select('id').where('id', '=', caseId).forUpdate().execute();
    locked();
    await new Promise<void>((r) => (release = r));
    await change(trx);
  });
  await isLocked;
  const req = during();
  await new Promise((r) => setTimeout(r, 300));
  release();
  await held;
  await req;
}

describe('checks repeated under the case lock', () => {
  it('a report-up racing a close is refused (409), not recorded on the closed case', async () => {
    const caseId = await makeCase(f, { lead, clockStartedAt: new Date(NOW.getTime() - H), obligations: [{ kind: 'report', hours: 1 }] });
    let res!: Response;
    await withCaseLocked(
      caseId,
      async () => {
        res = await f.requestAs(users.duty.s, 'POST', `/api/cases/${caseId}/reports-up`, { recipient: '县委办', content: '报告' });
      },
      (trx) => trx.updateTable('cases').set({ status: 'closed', closed_at: NOW }).where('id', '=', caseId).execute(),
    );
    expect(res.status).toBe(409);
    expect(await f.db.selectFrom('reports_up').select('id').where('case_id', '=', caseId).execute()).toEqual([]);
  });

  it('a close by a handler whose department stopped being the lead meanwhile is refused (403)', async () => {
    const caseId = await makeCase(f, { lead, co: [co], clockStartedAt: new Date(NOW.getTime() - H) });
    await f.db.updateTable('cases').set({ status: 'responded', responded_at: NOW }).where('id', '=', caseId).execute();
    let res!: Response;
    await withCaseLocked(
      caseId,
      async () => {
        res = await f.requestAs(users.handler.s, 'POST', `/api/cases/${caseId}/close`, { effectRating: 'good', conclusion: '办结' });
      },
      async (trx) => {
        await trx.updateTable('cases').set({ lead_department_id: co }).where('id', '=', caseId).execute();
        await trx.deleteFrom('case_departments').where('case_id', '=', caseId).execute();
        await trx.insertInto('case_departments').values([{ case_id: caseId, department_id: co, role: 'lead' }, { case_id: caseId, department_id: lead, role: 'co' }]).execute();
      },
    );
    expect(res.status).toBe(403);
    const c = await f.db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(c.status).toBe('responded');
  });

  it.each([
    ['drafting a response', (caseId: string) => ['POST', `/api/cases/${caseId}/responses`, { body: '回应草稿' }] as const],
    ['adding feedback', (caseId: string) => ['POST', `/api/cases/${caseId}/feedback`, { kind: 'reaction', body: '反应平稳' }] as const],
  ])('%s by a co-department handler removed from the case meanwhile is refused (404) and writes nothing', async (_label, request) => {
    const caseId = await makeCase(f, { lead, co: [co], clockStartedAt: new Date(NOW.getTime() - H) });
    const auditBefore = (await auditRows(caseId)).length;
    let res!: Response;
    const [method, path, body] = request(caseId);
    await withCaseLocked(
      caseId,
      async () => {
        res = await f.requestAs(users.coHandler.s, method, path, body);
      },
      (trx) => trx.deleteFrom('case_departments').where('case_id', '=', caseId).where('department_id', '=', co).execute(),
    );
    expect(res.status).toBe(404);
    expect(await f.db.selectFrom('responses').select('id').where('case_id', '=', caseId).execute()).toEqual([]);
    expect(await f.db.selectFrom('feedback').select('id').where('case_id', '=', caseId).execute()).toEqual([]);
    expect((await auditRows(caseId)).length).toBe(auditBefore);
  });
});
