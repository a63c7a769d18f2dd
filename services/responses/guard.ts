import { CaseTransitionError } from '../../core/workflow/index.js';
import { visibleCase } from '../../db/repos/case-access.js';
import type { Db } from '../../db/client.js';
import type { Case } from '../../db/schema-workflow.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import type { SessionUser, Who } from '../shared/actor.js';

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

export type { Who } from '../shared/actor.js';
