import { departmentExists } from '../../db/repos/departments.js';
import { writeAudit } from '../../db/repos/audit.js';
import { deleteUserSessions } from '../../db/repos/sessions.js';
import { findUser, findUserByUsername, insertUser, listUsers, updateUser } from '../../db/repos/users.js';
import type { UsersTable } from '../../db/schema-auth.js';
import type { Updateable } from 'kysely';
import type { Role } from '../../core/vocabulary.js';
import { conflict, fieldError, notFound } from '../../platform/errors.js';
import type { Actor } from '../shared/actor.js';
import { hashPassword, passwordProblem } from './password.js';
import type { ModuleDeps } from '../shared/deps.js';
import { presentUser } from './present.js';
import type { UserCreate, UserPatch } from './schema.js';

// User administration. No hard delete: a user leaves by being disabled (their name stays on
// every audit row and case they touched). Disabling or resetting a password ends their sessions.

type Shape = { role: Role; departmentId: number | null; leaderRank: 'in_charge' | 'principal' | null };

async function checkShape(deps: ModuleDeps, s: Shape): Promise<void> {
  if (s.departmentId !== null && !(await departmentExists(deps.db, s.departmentId))) {
    throw fieldError('departmentId', 'does not exist', '所指部门不存在');
  }
  if (s.role === 'handler' && s.departmentId === null) {
    throw fieldError('departmentId', 'is required for a handler', '经办人必须属于一个部门');
  }
  if (s.leaderRank !== null && s.role !== 'leader') {
    throw fieldError('leaderRank', 'applies to leaders only', '仅领导可设置领导级别');
  }
}

/** A phone number as stored: empty (or none) is null. */
const phoneOrNull = (p: string | null | undefined): string | null => (p === undefined || p === null || p.trim() === '' ? null : p.trim());

type UserView = ReturnType<typeof presentUser>;

/**
 * The fields an update changed, before and after — what an audit reader needs, not the whole
 * user twice. updatedAt is left out (it changes on every update); a change that changes nothing
 * is still recorded, with empty objects.
 */
function changedFields(before: UserView, after: UserView): { before: Partial<UserView>; after: Partial<UserView> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof UserView)[]) {
    if (key === 'updatedAt') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b as Partial<UserView>, after: a as Partial<UserView> };
}

export async function listAll(deps: ModuleDeps) {
  return (await listUsers(deps.db)).map(presentUser);
}

export async function getOne(deps: ModuleDeps, id: number) {
  const u = await findUser(deps.db, id);
  if (!u) throw notFound('User', '用户');
  return presentUser(u);
}

export async function createUser(deps: ModuleDeps, input: UserCreate, actor: Actor) {
  const shape: Shape = { role: input.role, departmentId: input.departmentId ?? null, leaderRank: input.leaderRank ?? null };
  await checkShape(deps, shape);
  const problem = passwordProblem(input.username, input.password, deps.config);
  if (problem) throw fieldError('password', problem.message, problem.messageZh);
  if (await findUserByUsername(deps.db, input.username)) throw conflict('Username already taken', '用户名已被使用');
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    const row = await insertUser(trx, {
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      department_id: shape.departmentId,
      leader_rank: shape.leaderRank,
      email: input.email ?? null,
      phone: phoneOrNull(input.phone),
      is_department_head: input.isDepartmentHead ?? false,
      password_hash: passwordHash,
    });
    const view = presentUser(row);
    await writeAudit(trx, { actor, entity: 'user', entityId: row.id, action: 'create', after: view });
    return view;
  });
}

export async function patchUser(deps: ModuleDeps, id: number, input: UserPatch, actor: Actor) {
  const before = await findUser(deps.db, id);
  if (!before) throw notFound('User', '用户');
  const shape: Shape = {
    role: input.role ?? before.role,
    departmentId: input.departmentId !== undefined ? input.departmentId : before.department_id,
    leaderRank: input.leaderRank !== undefined ? input.leaderRank : before.leader_rank,
  };
  await checkShape(deps, shape);
  if (actor.id === id && (input.disabled === true || (input.role !== undefined && input.role !== 'admin'))) {
    throw conflict('You cannot disable or demote your own account', '不能停用自己的账户或取消自己的管理员角色');
  }
  const set: Updateable<UsersTable> = { updated_at: deps.now() };
  if (input.displayName !== undefined) set.display_name = input.displayName;
  if (input.role !== undefined) set.role = input.role;
  if (input.departmentId !== undefined) set.department_id = input.departmentId;
  if (input.email !== undefined) set.email = input.email;
  if (input.phone !== undefined) set.phone = phoneOrNull(input.phone);
  if (input.isDepartmentHead !== undefined) set.is_department_head = input.isDepartmentHead;
  if (input.leaderRank !== undefined) set.leader_rank = input.leaderRank;
  if (input.disabled !== undefined) set.disabled = input.disabled;
  if (input.password !== undefined) {
    const problem = passwordProblem(before.username, input.password, deps.config);
    if (problem) throw fieldError('password', problem.message, problem.messageZh);
    set.password_hash = await hashPassword(input.password);
    set.password_changed_at = deps.now();
    set.failed_logins = 0;
    set.locked_until = null;
  }
  return deps.db.transaction().execute(async (trx) => {
    const row = await updateUser(trx, id, set);
    if (!row) throw notFound('User', '用户');
    if (input.disabled === true || input.password !== undefined || (input.role !== undefined && input.role !== before.role)) {
      await deleteUserSessions(trx, id);
    }
    const view = presentUser(row);
    const action = input.password !== undefined ? 'update.password_reset' : 'update';
    const diff = changedFields(presentUser(before), view);
    await writeAudit(trx, { actor, entity: 'user', entityId: id, action, before: diff.before, after: diff.after });
    return view;
  });
}
