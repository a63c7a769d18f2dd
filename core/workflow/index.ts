// The response workflow's decisions, pure (time is an argument). Contract; implemented in the
// files named below.
export * from './types.js';
export { workCalendar, calendarYearsCovered, calendarYearsMissing, packageCoversYear, type WorkCalendar } from './calendar.js';
export { appliedPeriod, computeDueAt, effectiveWindow, heightenedFactor, nextRecurrence, scheduleDue } from './deadlines.js';
export { DEFAULT_POLICY, DEFAULT_FOLLOW_UP_HOURS, STEP_IDS, defaultEscalationSteps, policyFor, obligationsFor } from './policy.js';
export { stepFireAt, dueSteps, deferForQuietHours, isMetAt, type StepObligation } from './escalation.js';
export { kindsMetBy, obligationView, type ObligationView } from './obligation.js';
export {
  caseTransition,
  caseActionsAllowed,
  CaseTransitionError,
  responseTransition,
  responseActionsAllowed,
  CASE_ACTIONS,
  RESPONSE_ACTIONS,
  type CaseAction,
  type ResponseAction,
} from './state.js';
export { nextCaseNumber } from './numbers.js';
export {
  APPROVAL_STEP_KINDS,
  APPROVAL_STEP_LABELS,
  APPROVAL_STEP_LABELS_EN,
  approvalStepsFor,
  defaultApprovalSteps,
  mayTakeStep,
  nextApprovalStep,
  type ApprovalStepKind,
} from './approval.js';
export {
  VERIFICATION_RESULTS,
  VERIFICATION_LABELS,
  DEFAULT_FORWARD_FEEDBACK_DAYS,
  isForwarded,
  countersignRequired,
  defaultCountersign,
  forwardFeedbackWindow,
  afterConfirm,
  forwardingOffice,
  type VerificationResult,
} from './forwarding.js';
