import { EVENT_OBLIGATION_KINDS, type Category, type Level, type ObligationKind } from '../../core/vocabulary.js';
import { scheduleDue } from '../../core/workflow/deadlines.js';
import { nextStepAt } from '../../core/workflow/escalation.js';
import { obligationsFor, policyFor } from '../../core/workflow/policy.js';
import { caseObligationSpecs, isWindowOrigin, REQUEST_TYPE_LABELS, REQUEST_TYPE_REASON_MAX, type OriginWindow, type RequestType } from '../../core/workflow/origin-windows.js';
import { loadOriginWindows } from '../../db/repos/origin-windows.js';
import { caseTransition, CaseTransitionError, type CaseAction } from '../../core/workflow/state.js';
import type { CaseStatus } from '../../core/vocabulary.js';
import type { ObligationSpec } from '../../core/workflow/types.js';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../../db/repos/audit.js';
import { firedSteps } from '../../db/repos/escalations.js';
import { lockCase } from '../../db/repos/case-access.js';
import * as repo from '../../db/repos/cases.js';
import { resolveDecline } from '../../db/repos/case-declines.js';
import { cancelObligation, caseObligations, insertObligations, obligationAudit, rescheduleObligation } from '../../db/repos/obligations.js';
import { deadlineContext, loadPolicies, type DeadlineContext } from '../../db/repos/policies.js';
import type { Case } from '../../db/schema-workflow.js';
import { conflict, fieldError } from '../../platform/errors.js';
import { notifyAssignment } from '../notifications/handoffs.js';
import type { AppEvent } from '../../platform/queues.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import type { PatchCaseInput } from './schema.js';
import { caseNotFound } from './service.js';
import { refuseClosedCase } from '../shared/closed-case.js';
import { assertDepartments } from './triage.js';

// PATCH /api/cases/{id}: text fields, level / category (recomputing open obligations, with a
// reason), and the departments (转办). One transaction, one audit row per change.

function allow(status: CaseStatus, action: CaseAction): void {
  try {
    caseTransition(status, action);
  } catch (e) {
    if (e instanceof CaseTransitionError) throw conflict(e.message, e.messageZh, { status, action });
    throw e;
  }
}

export async function patchCase(deps: ModuleDeps, id: string, input: PatchCaseInput, actor: Actor): Promise<void> {
  const now = deps.now();
  if (input.leadDepartmentId !== undefined) await assertDepartments(deps.db, 'leadDepartmentId', [input.leadDepartmentId]);
  if (input.coDepartmentIds !== undefined) await assertDepartments(deps.db, 'coDepartmentIds', input.coDepartmentIds);
  const [rules, ctx, originWindows] = await Promise.all([loadPolicies(deps.db), deadlineContext(deps.db), loadOriginWindows(deps.db)]);

  const notices: AppEvent[] = [];
  const caseId = await deps.db.transaction().execute(async (trx) => {
    const c = /^\d{1,18}$/.test(id) ? await lockCase(trx, id) : undefined;
    if (!c) throw caseNotFound();
    refuseClosedCase(c); // 办结: read-only until reopened, even a title
    const levelChanged = input.level !== undefined && input.level !== c.level;
    const categoryChanged = input.category !== undefined && input.category !== c.category;
    if (levelChanged && !input.reason) throw fieldError('reason', 'is required when the level changes', '调整级别时必须填写理由');
    if (levelChanged || categoryChanged) allow(c.status, 'change_level');
    const requestTypeChanged = input.requestType !== undefined && input.requestType !== c.request_type;
    if (requestTypeChanged && !isWindowOrigin(c.origin)) {
      throw fieldError('requestType', 'is for hotline and mailbox cases only', '诉求类型仅适用于热线和信箱来信');
    }
    // A new 诉求类型 moves the reply deadline: like a change of level, it is made with a reason (kept in
    // the audit row and the recomputed obligation's note), here a short one.
    if (requestTypeChanged && !(input.reason && [...input.reason].length <= REQUEST_TYPE_REASON_MAX)) {
      throw fieldError(
        'reason',
        `is required when the request type changes (1–${REQUEST_TYPE_REASON_MAX} characters)`,
        `调整诉求类型时必须填写原因（1–${REQUEST_TYPE_REASON_MAX} 字）`,
        { max: REQUEST_TYPE_REASON_MAX },
      );
    }

    const set: Parameters<typeof repo.updateCaseFields>[2] = {};
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const change = <K extends 'title' | 'summary' | 'level' | 'category'>(k: K, v: Case[K] | undefined) => {
      if (v === undefined || v === c[k]) return;
      (set as Record<string, unknown>)[k] = v;
      before[k] = c[k];
      after[k] = v;
    };
    change('title', input.title);
    change('summary', input.summary);
    change('level', input.level);
    change('category', input.category);
    if (requestTypeChanged) {
      set.request_type = input.requestType ?? null;
      before.requestType = c.request_type;
      after.requestType = input.requestType ?? null;
    }

    const departments = await reassignment(trx, c, input);
    if (departments) {
      allow(c.status, 'reassign');
      set.lead_department_id = departments.lead;
      set.assigned_at = now;
      before.departments = departments.before;
      after.departments = { leadDepartmentId: departments.lead, coDepartmentIds: departments.co };
    }
    if (Object.keys(after).length === 0) return c.id;

    await repo.updateCaseFields(trx, c.id, set, now);
    if (departments) await repo.setCaseDepartments(trx, c.id, departments.lead, departments.co);
    // 改派: a new lead department resolves the previous one's 退回交办.
    if (departments && departments.lead !== departments.before.leadDepartmentId) {
      const resolved = await resolveDecline(trx, c.id, 'reassigned', actor.id, input.reason ?? '', now);
      if (resolved) after.declineResolved = resolved;
    }
    if (input.reason) after.reason = input.reason;
    const action = levelChanged ? 'case.change_level' : departments ? 'case.reassign' : 'case.update';
    await writeAudit(trx, { actor, entity: 'case', entityId: c.id, caseId: c.id, action, before, after });
    if (levelChanged || categoryChanged || requestTypeChanged) {
      const requestType = requestTypeChanged ? (input.requestType ?? null) : c.request_type;
      const typed = requestTypeChanged && !levelChanged ? `诉求类型调整为${requestType ? REQUEST_TYPE_LABELS[requestType] : '未指定'}：` : '';
      const reason = `${typed}${input.reason ?? ''}`;
      const windows = { originWindows, origin: c.origin, requestType };
      await recomputeObligations(trx, c, input.level ?? c.level, input.category ?? c.category, rules, ctx, reason, actor, now, windows);
    }
    if (departments) {
      // 转办: the departments given the case (or a new role on it) and those taken off it hear of it.
      const before = { lead: departments.before.leadDepartmentId, co: departments.before.coDepartmentIds };
      const kase = { ...c, level: input.level ?? c.level, title: input.title ?? c.title, lead_department_id: departments.lead };
      notices.push(...(await notifyAssignment(trx, kase, before, departments, actor.id, now)));
    }
    return c.id;
  });
  await deps.emit({ type: 'case.updated', caseId });
  for (const ev of notices) await deps.emit(ev);
}

async function reassignment(trx: Db, c: Case, input: PatchCaseInput) {
  if (input.leadDepartmentId === undefined && input.coDepartmentIds === undefined) return null;
  const current = await repo.caseDepartmentIds(trx, c.id);
  const lead = input.leadDepartmentId ?? current.lead;
  const co = [...new Set(input.coDepartmentIds ?? current.co)].filter((d) => d !== lead).sort((a, b) => a - b);
  if (lead === current.lead && co.join(',') === current.co.join(',')) return null;
  return { lead, co, before: { leadDepartmentId: current.lead, coDepartmentIds: current.co } };
}

/**
 * Open obligations follow the new policy from the same start: kinds still required get their new
 * due time; kinds no longer required are cancelled; newly required kinds are created. Met and
 * cancelled obligations are history and stay as they are. The reason goes to each note and audit row.
 */
async function recomputeObligations(
  trx: Db,
  c: Case,
  level: Level,
  category: Category,
  rules: Parameters<typeof obligationsFor>[0],
  ctx: DeadlineContext,
  reason: string,
  actor: Actor,
  now: Date,
  windows: { originWindows: readonly OriginWindow[]; origin: Case['origin']; requestType: RequestType | null },
): Promise<void> {
  // The policy's obligations, a hotline / mailbox case's reply in its working-day window (origin-windows.ts).
  const specs = new Map<ObligationKind, ObligationSpec>(
    caseObligationSpecs(rules, windows.originWindows, { level, category, origin: windows.origin, requestType: windows.requestType }).map((s) => [s.kind, s]),
  );
  const steps = policyFor(rules, level, category).escalationSteps;
  // A 批示's report obligation is not the policy's: re-levelling neither reschedules nor cancels it.
  const existing = (await caseObligations(trx, c.id)).filter((o) => !EVENT_OBLIGATION_KINDS.includes(o.kind));
  const fired = await firedSteps(trx, existing.filter((x) => x.status === 'open').map((x) => x.id));
  // Steps already fired stay fired; a draft is not looked up (early is safe: the sweep corrects it).
  const next = (startedAt: Date, dueAt: Date, kind: ObligationKind, id?: string) =>
    nextStepAt({ startedAt, dueAt, kind, metAt: null }, steps, (id && fired.get(id)) || new Set());
  const audit = (entityId: string, action: string, b: unknown, a: unknown) =>
    writeAudit(trx, { actor, entity: 'obligation', entityId, caseId: c.id, action, before: b, after: a });
  // A recurrence (an update started after the clock's start: at a publication or a reopening) runs
  // for the repeat interval, not the first occurrence's window (deadlines.ts nextRecurrence).
  const windowOf = (o: (typeof existing)[number], spec: ObligationSpec) =>
    spec.repeatEveryHours !== undefined && o.started_at.getTime() > c.clock_started_at.getTime()
      ? { hours: spec.repeatEveryHours, unit: spec.window.unit }
      : spec.window;
  for (const o of existing.filter((x) => x.status === 'open')) {
    const spec = specs.get(o.kind);
    const window = spec ? windowOf(o, spec) : undefined;
    const updated = window
      ? await (async () => {
          const { dueAt, period } = scheduleDue(o.started_at, window, ctx);
          return rescheduleObligation(trx, o.id, { window, dueAt, period, nextStepAt: next(o.started_at, dueAt, o.kind, o.id) }, reason, now);
        })()
      : await cancelObligation(trx, o.id, reason, now);
    await audit(o.id, spec ? 'obligation.recompute' : 'obligation.cancel', obligationAudit(o), { ...obligationAudit(updated), reason });
  }
  const live = new Set(existing.filter((x) => x.status !== 'cancelled').map((x) => x.kind));
  const fresh = [...specs.values()].filter((s) => !live.has(s.kind));
  const created = await insertObligations(
    trx,
    c.id,
    fresh.map((s) => {
      const { dueAt, period } = scheduleDue(c.clock_started_at, s.window, ctx);
      return {
        period,
        kind: s.kind,
        seq: Math.max(0, ...existing.filter((x) => x.kind === s.kind).map((x) => x.seq)) + 1,
        window: s.window,
        startedAt: c.clock_started_at,
        dueAt,
        nextStepAt: next(c.clock_started_at, dueAt, s.kind),
        note: reason,
      };
    }),
    now,
  );
  for (const o of created) await audit(o.id, 'obligation.create', undefined, { ...obligationAudit(o), reason });
}
