import type { User } from '../../../db/schema-auth.js';
import { iso } from '../shared/present.js';
import { toSessionUser } from '../auth/service.js';

/** The admin view of a user (never the password hash). */
export function presentUser(u: User) {
  return {
    ...toSessionUser(u),
    email: u.email,
    disabled: u.disabled,
    lockedUntil: iso(u.locked_until),
    passwordChangedAt: iso(u.password_changed_at),
    createdAt: iso(u.created_at),
    updatedAt: iso(u.updated_at),
  };
}
