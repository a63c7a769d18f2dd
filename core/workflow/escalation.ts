import type { EscalationStep, QuietHours } from './types.js';
export interface StepObligation {
  startedAt: Date;
  dueAt: Date;
  kind: import('../vocabulary.js').ObligationKind;
  /** Met obligations escalate no further. */
  metAt: Date | null;
}
/** When a step is due for an obligation. */
export function stepFireAt(ob: StepObligation, step: EscalationStep): Date {
  throw new Error('not implemented');
}
/**
 * Steps due now for an obligation, not yet fired, applicable to its kind, honouring
 * onlyWithoutDraft; ordered by fire time.
 */
export function dueSteps(
  ob: StepObligation,
  steps: readonly EscalationStep[],
  fired: ReadonlySet<string>,
  now: Date,
  ctx: { hasDraft: boolean },
): EscalationStep[] {
  throw new Error('not implemented');
}
/** A non-urgent notification at `at` inside quiet hours (Asia/Shanghai) moves to their end. */
export function deferForQuietHours(at: Date, quiet: QuietHours | null, urgent: boolean): Date {
  throw new Error('not implemented');
}
