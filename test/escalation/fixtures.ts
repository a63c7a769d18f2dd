import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { Category, Level, ObligationKind, Role } from '../../core/vocabulary.js';

// Row factories for the escalation tests: cases and obligations are inserted directly with Kysely.

const uniq = () => randomBytes(4).toString('hex');
export const HOUR = 3_600_000;

export async function makeDept(db: Db, name = `部门${uniq()}`): Promise<number> {
  const r = await db.insertInto('departments').values({ name }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export interface UserInit {
  role: Role;
  departmentId?: number | null;
  isDepartmentHead?: boolean;
  leaderRank?: 'in_charge' | 'principal' | null;
  email?: string | null;
  username?: string;
}

export async function makeUser(db: Db, u: UserInit): Promise<number> {
  const username = u.username ?? `${u.role}-${uniq()}`;
  const r = await db
    .insertInto('users')
    .values({
      username,
      display_name: username,
      role: u.role,
      department_id: u.departmentId ?? null,
      is_department_head: u.isDepartmentHead ?? false,
      leader_rank: u.leaderRank ?? null,
      email: u.email ?? null,
      password_hash: 'x',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return (r as { id: number }).id;
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
  const r = await db
    .insertInto('cases')
    .values({
      number: `YQ-T-${uniq()}`,
      title: `测试事件 ${uniq()}`,
      level: c.level ?? 'general',
      category: c.category ?? 'difficulty',
      status: c.status ?? 'open',
      lead_department_id: c.leadDepartmentId,
      clock_started_at: c.openedAt,
      opened_at: c.openedAt,
    })
    .returning(sql<string>`id::text`.as('id'))
    .executeTakeFirstOrThrow();
  await db
    .insertInto('case_departments')
    .values([
      { case_id: r.id, department_id: c.leadDepartmentId, role: 'lead' as const },
      ...(c.coDepartmentIds ?? []).map((d) => ({ case_id: r.id, department_id: d, role: 'co' as const })),
    ])
    .execute();
  return r.id;
}

export async function makeObligation(db: Db, caseId: string, o: { kind?: ObligationKind; startedAt: Date; hours: number; seq?: number }): Promise<string> {
  const r = await db
    .insertInto('obligations')
    .values({
      case_id: caseId,
      kind: o.kind ?? 'response',
      seq: o.seq ?? 1,
      window_hours: o.hours,
      started_at: o.startedAt,
      due_at: new Date(o.startedAt.getTime() + o.hours * HOUR),
    })
    .returning(sql<string>`id::text`.as('id'))
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function fires(db: Db, obligationId: string): Promise<string[]> {
  const rows = await db.selectFrom('escalation_fires').select('step_id').where('obligation_id', '=', obligationId).orderBy('id').execute();
  return rows.map((r) => r.step_id);
}

export async function count(db: Db, q: ReturnType<typeof sql<{ n: string }>>): Promise<number> {
  const r = await q.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** A department with one user per escalation target. */
export async function makeOffice(db: Db) {
  const dept = await makeDept(db);
  const otherDept = await makeDept(db);
  return {
    dept,
    otherDept,
    handler: await makeUser(db, { role: 'handler', departmentId: dept, email: 'handler@example.test' }),
    otherHandler: await makeUser(db, { role: 'handler', departmentId: otherDept }),
    head: await makeUser(db, { role: 'handler', departmentId: dept, isDepartmentHead: true }),
    reviewer: await makeUser(db, { role: 'reviewer' }),
    leaderInCharge: await makeUser(db, { role: 'leader', leaderRank: 'in_charge' }),
    principal: await makeUser(db, { role: 'leader', leaderRank: 'principal' }),
    admin: await makeUser(db, { role: 'admin' }),
    duty: await makeUser(db, { role: 'duty' }),
  };
}
