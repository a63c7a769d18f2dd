import { sql } from 'kysely';
import type { Db } from '../client.js';
import { DEFAULT_POLICY } from '../../core/workflow/policy.js';
import { workCalendar, type WorkCalendar } from '../../core/workflow/calendar.js';
import { listCalendarOverrides } from './calendar.js';
import { listPeriodWindows } from './periods.js';
import type { EscalationStep, HeightenedPeriod, ObligationSpec, PolicyRule } from '../../core/workflow/types.js';

// The response policy (per level and category) and the deadline context built from it, the calendar
// (calendar.ts) and the heightened periods (periods.ts): the inputs of every deadline computation.
// Policy rows are seeded from DEFAULT_POLICY when empty.

interface PolicyRow {
  level: PolicyRule['level'];
  category: PolicyRule['category'];
  obligations: unknown;
  escalation_steps: unknown;
  follow_up_hours: number;
  approval_steps: unknown;
  countersign: boolean | null;
  forward_feedback_days: string | null;
}

function toRule(r: PolicyRow): PolicyRule {
  return {
    level: r.level,
    category: r.category,
    obligations: r.obligations as ObligationSpec[],
    escalationSteps: r.escalation_steps as EscalationStep[],
    followUpHours: r.follow_up_hours,
    // A rule stored without approval steps takes its level's default chain (core/workflow/approval.ts).
    ...(Array.isArray(r.approval_steps) && r.approval_steps.length > 0 ? { approvalSteps: r.approval_steps as NonNullable<PolicyRule['approvalSteps']> } : {}),
    // 会签 and the forwarding office's feedback window: absent = the defaults (core/workflow/forwarding.ts).
    ...(r.countersign !== null ? { countersign: r.countersign } : {}),
    ...(r.forward_feedback_days !== null ? { forwardFeedbackDays: Number(r.forward_feedback_days) } : {}),
  };
}

function toRow(r: PolicyRule, updatedBy: number | null) {
  return {
    level: r.level,
    category: r.category,
    obligations: JSON.stringify(r.obligations),
    escalation_steps: JSON.stringify(r.escalationSteps),
    follow_up_hours: r.followUpHours,
    approval_steps: r.approvalSteps && r.approvalSteps.length > 0 ? JSON.stringify(r.approvalSteps) : null,
    countersign: r.countersign ?? null,
    forward_feedback_days: r.forwardFeedbackDays ?? null,
    updated_by: updatedBy,
  };
}

async function readPolicies(db: Db): Promise<PolicyRule[]> {
  const rows = await db
    .selectFrom('policies')
    .select(['level', 'category', 'obligations', 'escalation_steps', 'follow_up_hours', 'approval_steps', 'countersign', 'forward_feedback_days'])
    .orderBy('level')
    .orderBy(sql`coalesce(category, '')`)
    .execute();
  return rows.map(toRule);
}

/**
 * The policy rules; when the table is empty, the defaults are stored first (idempotent: two
 * processes seeding at once both end with the one set of default rows).
 */
export async function loadPolicies(db: Db): Promise<PolicyRule[]> {
  const rules = await readPolicies(db);
  if (rules.length > 0 || DEFAULT_POLICY.length === 0) return rules;
  await db
    .insertInto('policies')
    .values(DEFAULT_POLICY.map((r) => toRow(r, null)))
    .onConflict((oc) => oc.doNothing())
    .execute();
  return readPolicies(db);
}

/** Replaces the whole policy (in the caller's transaction). Existing obligations keep their due times. */
export async function replacePolicies(trx: Db, rules: readonly PolicyRule[], updatedBy: number | null, now: Date): Promise<void> {
  await trx.deleteFrom('policies').execute();
  if (rules.length === 0) return;
  await trx
    .insertInto('policies')
    .values(rules.map((r) => ({ ...toRow(r, updatedBy), updated_at: now })))
    .execute();
}

// ── What computeDueAt needs ────────────────────────────────────────────────────────────────────

export interface DeadlineContext {
  calendar: WorkCalendar;
  periods: HeightenedPeriod[];
}

/** The working-day calendar (package data + admin overrides) and every heightened period. */
export async function deadlineContext(db: Db): Promise<DeadlineContext> {
  const [overrides, periods] = await Promise.all([
    listCalendarOverrides(db),
    listPeriodWindows(db),
  ]);
  return {
    calendar: workCalendar(new Map(overrides.map((o) => [o.day, o.isWorkday]))),
    periods,
  };
}
