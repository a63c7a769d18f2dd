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
