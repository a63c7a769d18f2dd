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

/** Who is acting: the signed-in user (for rules) and the actor (for audit rows). */
export interface Who {
  user: SessionUser;
  actor: Actor;
}

/** The actor of a user acting outside a request (jobs, the demo's history): no client address. */
export function actorOfUser(user: Pick<SessionUser, 'id' | 'displayName' | 'username'>, ip = ''): Actor {
  return { id: user.id, name: user.displayName || user.username, ip };
}
