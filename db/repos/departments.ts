import { sql } from 'kysely';
import type { DepartmentKind } from '../../core/vocabulary.js';
import type { Db } from '../client.js';

export async function listDepartments(db: Db) {
  return db.selectFrom('departments').selectAll().orderBy('id').execute();
}

export async function departmentExists(db: Db, id: number): Promise<boolean> {
  return (await db.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function departmentNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('departments').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function findDepartment(db: Db, id: number) {
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertDepartment(db: Db, v: { name: string; kind: DepartmentKind; parent_id: number | null }) {
  return db.insertInto('departments').values(v).returningAll().executeTakeFirstOrThrow();
}

export async function updateDepartment(db: Db, id: number, v: { name?: string; kind?: DepartmentKind; parent_id?: number | null; updated_at: Date }) {
  return db.updateTable('departments').set(v).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteDepartment(db: Db, id: number): Promise<void> {
  await db.deleteFrom('departments').where('id', '=', id).execute();
}

/** The ids of a department's ancestors, nearest first (stops at a cycle). */
export async function ancestorIds(db: Db, id: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from departments where id = ${id}
      union all
      select d.id, d.parent_id, up.depth + 1 from departments d join up on d.id = up.parent_id where up.depth < 100
    )
    select id from up where depth > 0 order by depth`.execute(db);
  return rows.rows.map((r) => r.id);
}

/** What still refers to a department: child departments, users, monitoring rules, cases. */
export async function departmentUsage(db: Db, id: number): Promise<{ children: number; users: number; rules: number; cases: number }> {
  const r = await sql<{ children: string; users: string; rules: string; cases: string }>`
    select
      (select count(*) from departments where parent_id = ${id}) as children,
      (select count(*) from users where department_id = ${id}) as users,
      (select count(*) from rules where suggested_department_id = ${id}) as rules,
      (select count(*) from case_departments where department_id = ${id})
        + (select count(*) from cases where lead_department_id = ${id}) as cases`.execute(db);
  const row = r.rows[0]!;
  return { children: Number(row.children), users: Number(row.users), rules: Number(row.rules), cases: Number(row.cases) };
}
