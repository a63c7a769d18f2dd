// The response workflow's decisions, pure (time is an argument). Contract; implemented in the
// files named below.
export * from './types.js';
export { workCalendar, type WorkCalendar } from './calendar.js';
export { computeDueAt } from './deadlines.js';
export { DEFAULT_POLICY, policyFor, obligationsFor } from './policy.js';
export { stepFireAt, dueSteps, deferForQuietHours } from './escalation.js';
export { obligationView, type ObligationView } from './obligation.js';
export { caseTransition, CaseTransitionError, responseTransition, type CaseAction, type ResponseAction } from './state.js';
export { nextCaseNumber } from './numbers.js';
