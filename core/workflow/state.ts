import type { CaseStatus, ResponseStatus, Role } from '../vocabulary.js';
export type CaseAction = 'publish' | 'close' | 'reopen' | 'change_level' | 'reassign' | 'add_feedback';
export type ResponseAction = 'edit' | 'submit' | 'approve' | 'return' | 'publish';
export class CaseTransitionError extends Error {
  constructor(
    public readonly messageZh: string,
    messageEn: string,
  ) {
    super(messageEn);
  }
}
/** Next case status for an action, or CaseTransitionError. */
export function caseTransition(status: CaseStatus, action: CaseAction): CaseStatus {
  throw new Error('not implemented');
}
/** Next response status for an action by a role, or CaseTransitionError (e.g. only a reviewer approves). */
export function responseTransition(status: ResponseStatus, action: ResponseAction, role: Role): ResponseStatus {
  throw new Error('not implemented');
}
