// cases.sweep: the job that fires every escalation step that is due. The logic and the wording
// live in services/escalations/sweep.ts (and core/notices.ts); this file is the job's edge.
export { SWEEP_BATCH, maxLeadHours, parseQuietHours, sweepDueSteps } from '../../services/escalations/sweep.js';
export type { SweepOptions, SweepResult } from '../../services/escalations/sweep.js';
