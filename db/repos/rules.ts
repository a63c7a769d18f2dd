import type { Db } from '../client.js';
import type { NewRule, RulesTable } from '../schema.js';
import type { Updateable } from 'kysely';

// Admin reads and edits of monitoring rules. Workers notice edits through rulesVersion (updated_at).

function withDepartment(db: Db) {
  return db
    .selectFrom('rules')
    .leftJoin('departments', 'departments.id', 'rules.suggested_department_id')
    .selectAll('rules')
    .select('departments.name as department_name');
}

export async function listRules(db: Db) {
  return withDepartment(db).orderBy('rules.id').execute();
}

export async function findRule(db: Db, id: number) {
  return withDepartment(db).where('rules.id', '=', id).executeTakeFirst();
}

export async function insertRule(db: Db, values: NewRule): Promise<number> {
  const r = await db.insertInto('rules').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateRule(db: Db, id: number, set: Updateable<RulesTable>, now: Date): Promise<boolean> {
  const r = await db.updateTable('rules').set({ ...set, updated_at: now }).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function deleteRule(db: Db, id: number): Promise<boolean> {
  const r = await db.deleteFrom('rules').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function ruleNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('rules').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
