import type { Context, MiddlewareHandler } from 'hono';
import type { Role } from '../../core/vocabulary.js';

/** The signed-in user, as routes and services see it. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  isDepartmentHead: boolean;
  leaderRank: 'in_charge' | 'principal' | null;
}

/** Who did it, for audit rows. */
export interface Actor {
  id: number | null;
  name: string;
  ip: string;
}

/** The signed-in user; AppError UNAUTHORIZED (401) when there is none. */
export function currentUser(c: Context): SessionUser {
  throw new Error('not implemented');
}

export function actorOf(c: Context): Actor {
  throw new Error('not implemented');
}

/** Route guard: signed in, and one of these roles (403 otherwise). */
export function requireRole(...roles: Role[]): MiddlewareHandler {
  throw new Error('not implemented');
}
