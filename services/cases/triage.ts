import { BUSINESS_UTC_OFFSET_MINUTES, CASE_ORIGIN_LABELS } from '../../core/vocabulary.js';
import { scheduleDue } from '../../core/workflow/deadlines.js';
import { nextCaseNumber } from '../../core/workflow/numbers.js';
import { nextStepAt } from '../../core/workflow/escalation.js';
import { policyFor } from '../../core/workflow/policy.js';
import { caseObligationSpecs } from '../../core/workflow/origin-windows.js';
import { loadOriginWindows } from '../../db/repos/origin-windows.js';
import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import * as repo from '../../db/repos/cases.js';
import { departmentNames } from '../../db/repos/departments.js';
import { insertObligations, obligationAudit } from '../../db/repos/obligations.js';
import { deadlineContext, loadPolicies } from '../../db/repos/policies.js';
import type { Db } from '../../db/client.js';
import { conflict, fieldError, notFound } from '../../platform/errors.js';
import { notifyAssignment } from '../notifications/handoffs.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import type { OpenCaseInput } from './schema.js';
import { refuseClosedCase } from '../shared/closed-case.js';

// Triage (研判): open a case from alerts or a hand-registered opinion; attach an alert to a case.

const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/** The calendar year in Asia/Shanghai of an instant (case numbers restart each year). */
export function businessYear(at: Date): number {
  return new Date(at.getTime() + BUSINESS_UTC_OFFSET_MINUTES * 60_000).getUTCFullYear();
}

/** 400 when a department does not exist. */
export async function assertDepartments(db: Db, field: string, ids: readonly number[]): Promise<void> {
  const names = await departmentNames(db, ids);
  const missing = ids.filter((id) => !names.has(id));
  if (missing.length > 0) throw fieldError(field, `refers to unknown department ${missing.join(', ')}`, `所指部门不存在（${missing.join('、')}）`);
}

interface Opening {
  clockStart: Date;
  title: string;
  storyIds: string[];
  alertIds: string[];
}

async function openingFromAlerts(trx: Db, ids: string[]): Promise<Opening> {
  const alerts = await repo.lockAlertsWithStories(trx, ids);
  const missing = ids.filter((id) => !alerts.some((a) => a.id === id));
  if (missing.length > 0) throw notFound(`Alert ${missing.join(', ')}`, `预警 ${missing.join('、')} `);
  const taken = alerts.filter((a) => a.status !== 'new');
  if (taken.length > 0) {
    throw conflict(
      `Only new alerts can be opened as a case; alert ${taken.map((a) => a.id).join(', ')} is already handled`,
      `只有待研判的预警可以转为事件并交办，预警 ${taken.map((a) => a.id).join('、')} 已处理`,
      { alerts: taken.map((a) => ({ id: a.id, status: a.status, caseId: a.case_id })) },
    );
  }
  const byFirstSeen = [...alerts].sort((a, b) => a.first_seen_at.getTime() - b.first_seen_at.getTime());
  return {
    clockStart: byFirstSeen[0].first_seen_at,
    title: byFirstSeen[0].title,
    storyIds: uniq(alerts.map((a) => a.story_id)),
    alertIds: alerts.map((a) => a.id),
  };
}

/** What opening a case needs read beforehand: the policy and the deadline context. */
export interface OpeningContext {
  rules: Awaited<ReturnType<typeof loadPolicies>>;
  ctx: Awaited<ReturnType<typeof deadlineContext>>;
  /** Windows by origin (hotline / mailbox). */
  originWindows: Awaited<ReturnType<typeof loadOriginWindows>>;
}

export async function openingContext(db: Db): Promise<OpeningContext> {
  const [rules, ctx, originWindows] = await Promise.all([loadPolicies(db), deadlineContext(db), loadOriginWindows(db)]);
  return { rules, ctx, originWindows };
}

/** What openCaseIn leaves to its caller to emit once the transaction has committed. */
export interface OpenedCase {
  caseId: string;
  alerts: { id: string; story_id: string }[];
  notices: Awaited<ReturnType<typeof notifyAssignment>>;
}

export async function emitOpened(deps: ModuleDeps, result: OpenedCase): Promise<void> {
  await deps.emit({ type: 'case.updated', caseId: result.caseId });
  for (const a of result.alerts) await deps.emit({ type: 'alert.updated', alertId: a.id, storyId: a.story_id });
  for (const ev of result.notices) await deps.emit(ev);
}

/** Opens a case in one transaction: number, rows, evidence, alerts, obligations, audit. Returns its id. */
export async function openCase(deps: ModuleDeps, input: OpenCaseInput, actor: Actor): Promise<string> {
  const lead = input.leadDepartmentId;
  const co = uniq(input.coDepartmentIds).filter((d) => d !== lead);
  await assertDepartments(deps.db, 'leadDepartmentId', [lead]);
  await assertDepartments(deps.db, 'coDepartmentIds', co);
  const opening = await openingContext(deps.db);
  const now = deps.now();
  const result = await deps.db.transaction().execute((trx) => openCaseIn(trx, opening, input, actor, now));
  await emitOpened(deps, result);
  return result.caseId;
}

/**
 * Opens a case inside the caller's transaction (departments already checked): number, rows,
 * evidence, alerts, obligations, audit rows and the 交办 notices. The caller emits the events
 * (emitOpened) after its commit. The 12345 import registers each row through this.
 */
export async function openCaseIn(trx: Db, opening0: OpeningContext, input: OpenCaseInput, actor: Actor, now: Date): Promise<OpenedCase> {
  const lead = input.leadDepartmentId;
  const co = uniq(input.coDepartmentIds).filter((d) => d !== lead);
  const { rules, ctx, originWindows } = opening0;
  const origin = input.manual ? input.manual.origin : 'alert';
  const requestType = input.manual?.requestType ?? null;
  // A hotline / mailbox case's reply is due in working days by its 诉求类型 (origin-windows.ts).
  const specs = caseObligationSpecs(rules, originWindows, { level: input.level, category: input.category, origin, requestType });
  const steps = policyFor(rules, input.level, input.category).escalationSteps;
  {
    const manual = input.manual;
    const opening: Opening = manual
      ? { clockStart: manual.receivedAt, title: manual.title, storyIds: [], alertIds: [] }
      : await openingFromAlerts(trx, uniq(input.alertIds ?? []));
    // The clock starts when the opinion was first seen, never later, and never in the future.
    const clockStart = opening.clockStart.getTime() > now.getTime() ? now : opening.clockStart;
    const year = businessYear(now);
    const number = nextCaseNumber(year, await repo.takeCaseSeq(trx, year));
    const c = await repo.insertCase(trx, {
      number,
      title: input.title ?? opening.title,
      summary: input.summary ?? '',
      level: input.level,
      category: input.category,
      origin: manual ? manual.origin : 'alert',
      originNote: manual ? manual.originNote : '',
      requestType,
      leadDepartmentId: lead,
      clockStartedAt: clockStart,
      openedAt: now,
      openedBy: actor.id,
    });
    await repo.setCaseDepartments(trx, c.id, lead, co);
    await repo.linkStories(trx, c.id, opening.storyIds);
    const evidence = manual
      ? (await repo.insertManualEvidence(
          trx,
          c.id,
          { title: manual.title, text: manual.text, url: manual.url, sourceName: manual.originNote || CASE_ORIGIN_LABELS[manual.origin], publishedAt: clockStart },
          now,
        ),
        1)
      : await repo.snapshotStoryItems(trx, c.id, opening.storyIds, now);
    await repo.markAlertsCase(trx, opening.alertIds, c.id, now);
    const obligations = await insertObligations(
      trx,
      c.id,
      specs.map((s) => {
        const { dueAt, period } = scheduleDue(clockStart, s.window, ctx);
        const first = nextStepAt({ startedAt: clockStart, dueAt, kind: s.kind, metAt: null }, steps, new Set());
        return { kind: s.kind, seq: 1, window: s.window, startedAt: clockStart, dueAt, nextStepAt: first, period };
      }),
      now,
    );

    await writeAudit(trx, {
      actor,
      entity: 'case',
      entityId: c.id,
      caseId: c.id,
      action: 'case.create',
      after: {
        number,
        title: c.title,
        level: c.level,
        category: c.category,
        origin: c.origin,
        originNote: c.origin_note,
        ...(requestType ? { requestType } : {}),
        leadDepartmentId: lead,
        coDepartmentIds: co,
        clockStartedAt: clockStart.toISOString(),
        alertIds: opening.alertIds,
        storyIds: opening.storyIds,
        evidenceItems: evidence,
      },
    });
    for (const alertId of opening.alertIds) {
      await writeAudit(trx, { actor, entity: 'alert', entityId: alertId, caseId: c.id, action: 'alert.open', before: { status: 'new' }, after: { status: 'case', caseId: c.id } });
    }
    for (const o of obligations) {
      await writeAudit(trx, { actor, entity: 'obligation', entityId: o.id, caseId: c.id, action: 'obligation.create', after: obligationAudit(o) });
    }
    // 交办: the lead and co-departments' handlers hear of it in the same transaction.
    const notices = await notifyAssignment(trx, c, null, { lead, co }, actor.id, now);
    return { caseId: c.id, alerts: await repo.alertStories(trx, opening.alertIds), notices };
  }
}

/** Attaches a new alert's story to an existing case: evidence added, alert → case, audited. */
export async function attachAlert(deps: ModuleDeps, alertId: string, caseId: string, actor: Actor) {
  const now = deps.now();
  const r = await deps.db.transaction().execute(async (trx) => {
    const [alert] = await repo.lockAlertsWithStories(trx, [alertId]);
    if (!alert) throw notFound('Alert', '预警');
    if (alert.status !== 'new') {
      throw conflict(`Only a new alert can be attached; this one is ${alert.status}`, '只有待研判的预警可以并入事件，该预警已处理', { status: alert.status });
    }
    const c = await lockCase(trx, caseId);
    if (!c) throw notFound('Case', '舆情事件');
    refuseClosedCase(c); // no evidence is added to a closed case until it is reopened
    await repo.linkStories(trx, c.id, [alert.story_id]);
    const added = await repo.snapshotStoryItems(trx, c.id, [alert.story_id], now);
    await repo.markAlertsCase(trx, [alert.id], c.id, now);
    await repo.updateCaseFields(trx, c.id, {}, now);
    await writeAudit(trx, {
      actor,
      entity: 'alert',
      entityId: alert.id,
      caseId: c.id,
      action: 'alert.attach',
      before: { status: alert.status, caseId: alert.case_id },
      after: { status: 'case', caseId: c.id, storyId: alert.story_id, evidenceAdded: added },
    });
    return { alertId: alert.id, storyId: alert.story_id, caseId: c.id, evidenceAdded: added };
  });
  await deps.emit({ type: 'alert.updated', alertId: r.alertId, storyId: r.storyId });
  await deps.emit({ type: 'case.updated', caseId: r.caseId });
  return r;
}
