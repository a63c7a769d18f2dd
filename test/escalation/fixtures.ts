import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { Category, Level } from '../../core/vocabulary.js';
import { HOUR, testContext, type ObligationInit, type UserInit } from '../helpers/factories.js';

// The escalation tests' database-first forms of the shared row factories (test/helpers/factories.ts):
// ids in, ids out; cases come without obligations, which the tests add one by one.

export { HOUR, type UserInit };

export async function makeDept(db: Db, name?: string): Promise<number> {
  return (await testContext(db).newDepartment({ name })).id;
}

export async function makeUser(db: Db, u: UserInit): Promise<number> {
  return (await testContext(db).newUser(u)).id;
}

export interface CaseInit {
  level?: Level;
  category?: Category;
  leadDepartmentId: number;
  coDepartmentIds?: number[];
  openedAt: Date;
  status?: 'open' | 'responded' | 'closed';
}

export async function makeCase(db: Db, c: CaseInit): Promise<string> {
  const { leadDepartmentId: lead, coDepartmentIds: co, openedAt, ...rest } = c;
  return (await testContext(db).newCase({ ...rest, lead, co, clockStartedAt: openedAt, obligations: [] })).id;
}

export async function makeObligation(db: Db, caseId: string, o: ObligationInit): Promise<string> {
  return (await testContext(db).newObligation(caseId, o)).id;
}

/** A department with one user per escalation target. */
export const makeOffice = (db: Db) => testContext(db).newOffice();

export async function fires(db: Db, obligationId: string): Promise<string[]> {
  const rows = await db.selectFrom('escalation_fires').select('step_id').where('obligation_id', '=', obligationId).orderBy('id').execute();
  return rows.map((r) => r.step_id);
}

export async function count(db: Db, q: ReturnType<typeof sql<{ n: string }>>): Promise<number> {
  const r = await q.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
