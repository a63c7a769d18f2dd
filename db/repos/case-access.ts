import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.js';
import type { Case } from '../schema-workflow.js';
import type { Role } from '../../core/vocabulary.js';

export interface Viewer {
  id: number;
  role: Role;
  departmentId: number | null;
}

/**
 * The one visibility rule, as a condition on the cases row aliased `alias`: handlers see a case
 * only where their department is lead or co-department; every other role sees all. Used by the
 * case reads (visibleCase, the case page) and the ledger, so they can never disagree.
 */
export function viewerSeesCase(viewer: Pick<Viewer, 'role' | 'departmentId'>, alias: string): RawBuilder<boolean> {
  if (viewer.role !== 'handler') return sql<boolean>`true`;
  return sql<boolean>`exists (select 1 from case_departments vcd where vcd.case_id = ${sql.ref(`${alias}.id`)} and vcd.department_id = ${viewer.departmentId ?? -1})`;
}

/**
 * The case if this user may see it (viewerSeesCase; others get undefined → 404, so existence
 * does not leak).
 */
export async function visibleCase(db: Db, caseId: string, viewer: Viewer): Promise<Case | undefined> {
  if (!/^\d{1,18}$/.test(caseId)) return undefined;
  return db.selectFrom('cases').selectAll('cases').where('cases.id', '=', caseId).where(viewerSeesCase(viewer, 'cases')).executeTakeFirst();
}

/**
 * Locks the case row for the rest of the transaction (serialises changes to one case). FOR NO KEY
 * UPDATE, not FOR UPDATE: changes never touch a case's key, and the weaker lock lets the foreign-key
 * checks of rows that merely point at the case (the sweep's notifications, audit rows) through
 * instead of making them wait — a sweep holding an obligation of this case and waiting for the
 * case, while this transaction waits for the obligation, would be a deadlock. With a
 * viewer, a handler must (still) belong to a lead or co-department once the lock is held: a
 * reassignment committed while the request was on its way is seen here.
 */
export async function lockCase(trx: Db, caseId: string, viewer?: Viewer): Promise<Case | undefined> {
  const c = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).forNoKeyUpdate().executeTakeFirst();
  if (!c || !viewer || viewer.role !== 'handler') return c;
  const member = await trx
    .selectFrom('case_departments')
    .select('department_id')
    .where('case_id', '=', caseId)
    .where('department_id', '=', viewer.departmentId ?? -1)
    .executeTakeFirst();
  return member ? c : undefined;
}
