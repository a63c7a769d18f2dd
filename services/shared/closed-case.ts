import type { CaseStatus } from '../../core/vocabulary.js';
import { conflict, type AppError } from '../../platform/errors.js';

// 办结 means read-only: every case-scoped write (the case's fields, attaching alerts, responses and
// their review, feedback, reports up, referrals, coordination, instructions, closing again) calls
// this under the case's row lock, so a close committed meanwhile is seen. Reopening is the way back.

export const caseClosed = (): AppError =>
  conflict('The case is closed; reopen it before changing anything on it', '事件已办结，如需修改请先重新打开', { status: 'closed' });

/** 409 when the case is closed (事件已办结，如需修改请先重新打开). */
export function refuseClosedCase(c: { status: CaseStatus }): void {
  if (c.status === 'closed') throw caseClosed();
}
