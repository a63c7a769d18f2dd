import type { Db } from '../client.js';
import type { NewRule, Rule, RulesTable } from '../schema.js';
import { sql, type Updateable } from 'kysely';

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

/**
 * The rule row, locked until the transaction ends (its state before an audited edit). FOR NO KEY
 * UPDATE, the lock the UPDATE takes anyway: it does not wait for foreign-key checks of rows
 * referring to the rule.
 */
export async function lockRule(db: Db, id: number): Promise<Rule | undefined> {
  return db.selectFrom('rules').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirst();
}

export async function insertRule(db: Db, values: NewRule): Promise<Rule> {
  return db.insertInto('rules').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Updates the rule; returns the new row (undefined when there is no such rule). */
export async function updateRule(db: Db, id: number, set: Updateable<RulesTable>, now: Date): Promise<Rule | undefined> {
  return db.updateTable('rules').set({ ...set, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Deletes the rule; returns the removed row (undefined when there was none). */
export async function deleteRule(db: Db, id: number): Promise<Rule | undefined> {
  return db.deleteFrom('rules').where('id', '=', id).returningAll().executeTakeFirst();
}

export async function ruleNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('rules').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Version of the enabled rule set: changes whenever a rule is added, edited or removed. */
export async function rulesVersion(db: Db): Promise<string> {
  const r = await sql<{ v: string }>`
    select count(*)::text || ':' || coalesce(max(extract(epoch from updated_at))::text, '0') || ':' || coalesce(sum(id)::text, '0') as v
    from rules where enabled`.execute(db);
  return r.rows[0]?.v ?? '';
}

export async function loadEnabledRules(db: Db) {
  return db.selectFrom('rules').selectAll().where('enabled', '=', true).orderBy('id').execute();
}
