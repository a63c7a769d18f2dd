import { CaseTransitionError } from '../../../core/workflow/index.js';
import { visibleCase } from '../../../db/repos/case-access.js';
import type { Db } from '../../../db/client.js';
import type { Case } from '../../../db/schema-workflow.js';
import { AppError, conflict, notFound } from '../../errors.js';
import type { Context } from 'hono';
import { actorOf, currentUser, type Actor, type SessionUser } from '../../middleware/auth.js';
import { ErrorSchema } from '../../openapi.js';

// Shared by the responses and follow-up modules: the case as this user may see it, and the state
// machine's refusals as 409s.

export const caseNotFound = () => notFound('Case', '舆情事件');

/** The case, or 404 (also for a handler whose department is neither lead nor co-department). */
export async function caseFor(db: Db, caseId: string, user: SessionUser): Promise<Case> {
  const c = await visibleCase(db, caseId, { id: user.id, role: user.role, departmentId: user.departmentId });
  if (!c) throw caseNotFound();
  return c;
}

/** Runs a state-machine decision; its refusal becomes 409 CONFLICT (wrong state) or 403 FORBIDDEN (wrong role). */
export function decide<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CaseTransitionError) {
      if (err.reason === 'forbidden_role') throw new AppError({ code: 'FORBIDDEN', message: err.message, messageZh: err.messageZh });
      throw conflict(err.message, err.messageZh);
    }
    throw err;
  }
}

export const MAJOR_LEVELS: ReadonlySet<string> = new Set(['major', 'especially_major']);

/** Who is acting: the signed-in user (for rules) and the actor (for audit rows). */
export interface Who {
  user: SessionUser;
  actor: Actor;
}

export const who = (c: Context): Who => ({ user: currentUser(c), actor: actorOf(c) });

/** 401 / 403, documented beside each guarded route. */
export const denied = {
  401: { description: '未登录 / not signed in', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: '无权操作 / forbidden for this role', content: { 'application/json': { schema: ErrorSchema } } },
} as const;
