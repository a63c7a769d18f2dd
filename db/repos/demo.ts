import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { NewRule, NewSource } from '../schema.js';
import type { DepartmentKind, Role } from '../../core/vocabulary.js';

// The demo's statements: the seed of departments, rules, sources and users (each safe on every
// start, serialised by advisory locks), and what the demo history reads and adds.

export interface DemoMonitoring {
  departments: readonly { name: string; kind: DepartmentKind }[];
  /** The rules, given the ids of the departments by name. */
  rules: (departmentId: ReadonlyMap<string, number>) => NewRule[];
  sources: NewSource[];
  allowHostPorts: readonly string[];
}

/**
 * Inserts the demo's departments, rules, sources and allow-list entries unless sources exist.
 * A transaction-scoped advisory lock makes two processes take turns. Returns whether it seeded.
 */
export async function seedMonitoringOnce(db: Db, m: DemoMonitoring): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('opinion-desk:seed-demo'))`.execute(tx);
    const existing = await tx.selectFrom('sources').select('id').limit(1).executeTakeFirst();
    if (existing) return false;
    await tx
      .insertInto('departments')
      .values([...m.departments])
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const departments = await tx
      .selectFrom('departments')
      .select(['id', 'name'])
      .where('name', 'in', m.departments.map((d) => d.name))
      .execute();
    const rules = m.rules(new Map(departments.map((d) => [d.name, d.id])));
    if (rules.length > 0) await tx.insertInto('rules').values(rules).execute();
    if (m.sources.length > 0) await tx.insertInto('sources').values(m.sources).execute();
    if (m.allowHostPorts.length > 0)
      await tx
        .insertInto('fetch_allowlist')
        .values(m.allowHostPorts.map((host_port) => ({ host_port, note: '演示站点' })))
        .onConflict((oc) => oc.column('host_port').doNothing())
        .execute();
    return true;
  });
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where(sql<string>`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}

export interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  department: string;
  departmentKind: DepartmentKind;
  isDepartmentHead: boolean;
  leaderRank: 'in_charge' | 'principal' | null;
  passwordHash: string;
}

/** Inserts a demo user (and its department when missing) unless the username exists. Returns whether it inserted. */
export async function insertDemoUser(db: Db, u: DemoUser): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('opinion-desk:seed-demo-users'))`.execute(tx);
    await tx.insertInto('departments').values({ name: u.department, kind: u.departmentKind }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const dept = await tx.selectFrom('departments').select('id').where('name', '=', u.department).executeTakeFirstOrThrow();
    const inserted = await tx
      .insertInto('users')
      .values({
        username: u.username,
        display_name: u.displayName,
        role: u.role,
        department_id: dept.id,
        is_department_head: u.isDepartmentHead,
        leader_rank: u.leaderRank,
        password_hash: u.passwordHash,
      })
      .onConflict((oc) => oc.expression(sql`lower(username)`).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  });
}

/** Enabled users of a role (and department), in id order: the demo history's cast. */
export async function activeUsersOf(db: Db, where: { role: Role; departmentId?: number }) {
  let q = db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'department_id', 'is_department_head', 'leader_rank'])
    .where('role', '=', where.role)
    .where('disabled', '=', false);
  if (where.departmentId !== undefined) q = q.where('department_id', '=', where.departmentId);
  return q.orderBy('id').execute();
}

export async function departmentIdsByName(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('departments').select(['id', 'name']).execute();
  return new Map(rows.map((d) => [d.name, d.id]));
}

/** A handler account that cannot sign in (an author of the history only). */
export async function insertNoLoginHandler(db: Db, h: { username: string; displayName: string; departmentId: number; passwordHash: string }): Promise<void> {
  await db
    .insertInto('users')
    .values({ username: h.username, display_name: h.displayName, role: 'handler', department_id: h.departmentId, is_department_head: true, password_hash: h.passwordHash })
    .onConflict((oc) => oc.expression(sql`lower(username)`).doNothing())
    .execute();
}

/**
 * Runs `fn` holding a session-level advisory lock named `name` on one connection, when nobody else
 * holds it; returns `skipped` at once otherwise (a second process starting at the same time).
 */
export async function withTryLock<T>(db: Db, name: string, skipped: T, fn: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ got: boolean }>`select pg_try_advisory_lock(hashtext(${name})) as got`.execute(conn);
    if (!rows[0]?.got) return skipped;
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(conn);
    }
  });
}

export async function anyCaseExists(db: Db): Promise<boolean> {
  return (await db.selectFrom('cases').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Ids of the named users (those that exist). */
export async function userIdsByUsername(db: Db, usernames: readonly string[]): Promise<Map<string, number>> {
  if (usernames.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'username']).where('username', 'in', [...usernames]).execute();
  return new Map(rows.map((r) => [r.username, r.id]));
}
