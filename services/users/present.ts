import type { User } from '../../db/schema-auth.js';
import { iso } from '../shared/present.js';
import type { SessionUser } from '../shared/actor.js';

/** The admin view of a user (never the password hash). */
export function presentUser(u: User) {
  return {
    ...toSessionUser(u),
    email: u.email,
    phone: u.phone,
    disabled: u.disabled,
    lockedUntil: iso(u.locked_until),
    passwordChangedAt: iso(u.password_changed_at),
    createdAt: iso(u.created_at),
    updatedAt: iso(u.updated_at),
  };
}

/** The session's view of a user row. */
export function toSessionUser(u: User): SessionUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    departmentId: u.department_id,
    isDepartmentHead: u.is_department_head,
    leaderRank: u.leader_rank,
  };
}

