import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, sessionFor, type SignedIn } from '../helpers/auth.js';
import { createApiFixture, errorOf, makeCase, makeDepartment, type ApiFixture } from '../helpers/app.js';

// Department scoping: a handler whose department is neither lead nor co-department of a case gets
// 404 (not 403) on every route that reads or changes that case, and the ledger never lists it.

const NOW = new Date('2026-11-25T08:00:00Z');
let f: ApiFixture;
let caseId: string;
let rid: string;
let outsider: SignedIn;
let insider: SignedIn;
let coHandler: SignedIn;
let deptOut: number;

beforeAll(async () => {
  f = await createApiFixture('review_scoping', { now: () => NOW });
  const lead = await makeDepartment(f, '住建局');
  const co = await makeDepartment(f, '城管局');
  deptOut = await makeDepartment(f, '教育局');
  caseId = await makeCase(f, { lead, co: [co], clockStartedAt: new Date(NOW.getTime() - 3_600_000), title: '秘密事件' });
  const r = await f.db
    .insertInto('responses')
    .values({ case_id: caseId, body: '草稿', drafted_by: null, drafted_at: NOW, created_at: NOW, updated_at: NOW })
    .returning('id')
    .executeTakeFirstOrThrow();
  rid = r.id;
  outsider = await sessionFor(f.db, await createUser(f.db, { role: 'handler', departmentId: deptOut }), NOW);
  insider = await sessionFor(f.db, await createUser(f.db, { role: 'handler', departmentId: lead }), NOW);
  coHandler = await sessionFor(f.db, await createUser(f.db, { role: 'handler', departmentId: co }), NOW);
});
afterAll(async () => {
  await f.tdb.drop();
});

const routes = (): [string, string, unknown?][] => [
  ['GET', `/api/cases/${caseId}`],
  ['GET', `/api/cases/${caseId}/responses`],
  ['POST', `/api/cases/${caseId}/responses`, { body: '回应' }],
  ['PATCH', `/api/cases/${caseId}/responses/${rid}`, { body: '改' }],
  ['POST', `/api/cases/${caseId}/responses/${rid}/submit`, { secrecyConfirmed: true }],
  ['POST', `/api/cases/${caseId}/responses/${rid}/publish`, { channel: 'website' }],
  ['GET', `/api/cases/${caseId}/feedback`],
  ['POST', `/api/cases/${caseId}/feedback`, { kind: 'reaction', body: '反应' }],
  ['GET', `/api/cases/${caseId}/heat`],
  ['POST', `/api/cases/${caseId}/close`, { effectRating: 'good', conclusion: '结论' }],
  ['POST', `/api/cases/${caseId}/coordinations`, { content: '协调' }],
  ['GET', `/api/cases/${caseId}/escalations`],
];

describe('a handler of another department', () => {
  it('gets 404 on every case route, and nothing changes', async () => {
    const auditBefore = await f.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    for (const [method, path, body] of routes()) {
      const res = await f.requestAs(outsider, method, path, body ?? (method === 'GET' ? undefined : {}));
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect((await errorOf(res)).code).toBe('NOT_FOUND');
    }
    const auditAfter = await f.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(auditAfter.n).toBe(auditBefore.n);
    const r = await f.db.selectFrom('responses').select(['body', 'status']).where('id', '=', rid).executeTakeFirstOrThrow();
    expect(r).toEqual({ body: '草稿', status: 'draft' });
  });

  it('does not see the case in the ledger, even when filtering by its department', async () => {
    for (const q of ['', '?q=秘密', `?departmentId=${deptOut}`]) {
      const res = await f.requestAs(outsider, 'GET', `/api/cases${q}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { cases: { id: string }[]; total: number };
      expect(body.cases).toEqual([]);
      expect(body.total).toBe(0);
    }
  });

  it('may not read statistics or the audit log (403: role, not case)', async () => {
    expect((await f.requestAs(outsider, 'GET', '/api/stats')).status).toBe(403);
    expect((await f.requestAs(outsider, 'GET', `/api/audit?caseId=${caseId}`)).status).toBe(403);
  });
});

describe('handlers of the lead and co-departments', () => {
  it('see the case and its parts', async () => {
    for (const who of [insider, coHandler]) {
      for (const [method, path] of routes().filter(([m]) => m === 'GET')) {
        expect([path, (await f.requestAs(who, method, path)).status]).toEqual([path, 200]);
      }
      const ledger = (await (await f.requestAs(who, 'GET', '/api/cases')).json()) as { total: number };
      expect(ledger.total).toBe(1);
    }
  });
});
