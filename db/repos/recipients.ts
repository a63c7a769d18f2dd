import type { Db } from '../client.js';

// Who a hand-off notice goes to: active users by department and role (services/notifications).

/** Active handlers of these departments, by id. */
export async function departmentHandlerIds(db: Db, departmentIds: readonly number[]): Promise<{ id: number; departmentId: number }[]> {
  if (departmentIds.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'department_id'])
    .where('disabled', '=', false)
    .where('role', '=', 'handler')
    .where('department_id', 'in', [...departmentIds])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, departmentId: r.department_id! }));
}

/** Active users of a role (leaders optionally of one rank), by id. */
export async function roleUserIds(db: Db, role: 'reviewer' | 'leader' | 'duty' | 'admin', leaderRank?: 'in_charge' | 'principal'): Promise<number[]> {
  let q = db.selectFrom('users').select('id').where('disabled', '=', false).where('role', '=', role);
  if (leaderRank) q = q.where('leader_rank', '=', leaderRank);
  return (await q.orderBy('id').execute()).map((r) => r.id);
}

/** Whether a user exists and is active. */
export async function activeUserIds(db: Db, ids: readonly (number | null)[]): Promise<number[]> {
  const wanted = ids.filter((x): x is number => x !== null);
  if (wanted.length === 0) return [];
  return (await db.selectFrom('users').select('id').where('disabled', '=', false).where('id', 'in', wanted).orderBy('id').execute()).map((r) => r.id);
}
