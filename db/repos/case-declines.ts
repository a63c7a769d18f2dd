import { sql } from 'kysely';
import type { Db } from '../client.js';

// 退回交办 records: one open decline per case at most (a partial unique index).

export interface DeclineRow {
  id: string;
  case_id: string;
  department_id: number;
  department_name: string;
  declined_by: number | null;
  declined_by_name: string | null;
  reason: string;
  declined_at: Date;
}

export async function openDecline(db: Db, caseId: string): Promise<DeclineRow | undefined> {
  const r = await sql<DeclineRow>`
    select d.id::text as id, d.case_id::text as case_id, d.department_id, dep.name as department_name, d.declined_by,
      u.display_name as declined_by_name, d.reason, d.declined_at
    from case_declines d join departments dep on dep.id = d.department_id left join users u on u.id = d.declined_by
    where d.case_id = ${caseId} and d.resolved_at is null`.execute(db);
  return r.rows[0];
}

/** Records a decline; null when the case has one open already. */
export async function insertDecline(trx: Db, d: { caseId: string; departmentId: number; userId: number | null; reason: string }, now: Date): Promise<string | null> {
  const r = await sql<{ id: string }>`
    insert into case_declines (case_id, department_id, declined_by, reason, declined_at)
    values (${d.caseId}, ${d.departmentId}, ${d.userId}, ${d.reason}, ${now})
    on conflict (case_id) where resolved_at is null do nothing
    returning id::text as id`.execute(trx);
  return r.rows[0]?.id ?? null;
}

/** Resolves the case's open decline (reassigned or overruled); returns its id, or null if none was open. */
export async function resolveDecline(trx: Db, caseId: string, resolution: 'reassigned' | 'overruled', userId: number | null, note: string, now: Date): Promise<string | null> {
  const r = await sql<{ id: string }>`
    update case_declines set resolution = ${resolution}, resolved_by = ${userId}, resolved_at = ${now}, resolution_note = ${note}
    where case_id = ${caseId} and resolved_at is null
    returning id::text as id`.execute(trx);
  return r.rows[0]?.id ?? null;
}

/** Open declines of the cases a duty officer sees (all cases), oldest first: the duty officers' to-do. */
export async function openDeclines(db: Db, limit: number) {
  const r = await sql<{ case_id: string; case_number: string; case_title: string; department_name: string; reason: string; declined_at: Date }>`
    select c.id::text as case_id, c.number as case_number, c.title as case_title, dep.name as department_name, d.reason, d.declined_at
    from case_declines d join cases c on c.id = d.case_id join departments dep on dep.id = d.department_id
    where d.resolved_at is null and c.status <> 'closed'
    order by d.declined_at limit ${limit}`.execute(db);
  return r.rows;
}
