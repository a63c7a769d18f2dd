import type { Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import { meetObligations } from '../../db/repos/obligations.js';
import { caseEscalationRecords } from '../../db/repos/escalations.js';
import { insertCoordination, insertReferral, insertReportUp } from '../../db/repos/escalations.js';
import { caseDepartmentIds } from '../../db/repos/cases.js';
import { notifyCoordination, notifyReferral, notifyReportUp } from '../notifications/handoffs.js';
import type { Case } from '../../db/schema-workflow.js';
import { REFERRAL_TARGET_LABELS, type ReferralTarget, type Role } from '../../core/vocabulary.js';
import type { AppEvent } from '../../platform/queues.js';
import { AppError, notFound } from '../../platform/errors.js';
import { refuseClosedCase } from '../shared/closed-case.js';
import { recordedTime } from '../shared/recorded-time.js';
import type { Actor, SessionUser } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';

// One transaction per record: lock the case, write the record, meet the obligation it satisfies,
// the audit row, the addressee's notification (services/notifications/handoffs.ts); events after commit.

const refuseClosed = refuseClosedCase;

async function emitAll(deps: ModuleDeps, events: AppEvent[]): Promise<void> {
  for (const ev of events) await deps.emit(ev);
}

export async function recordReportUp(deps: ModuleDeps, actor: Actor, role: Role, kase: Case, input: { recipient: string; content: string; reportedAt?: string }) {
  refuseClosed(kase);
  const now = deps.now();
  // 补录: never before the opinion was first seen; further back than the limit only a reviewer records it.
  const { at, backfilled } = recordedTime({
    field: 'reportedAt',
    label: '报告时间',
    typed: input.reportedAt,
    now,
    notBefore: [{ at: kase.clock_started_at, what: 'case_start' }],
    maxHours: deps.config.BACKFILL_MAX_HOURS,
    role,
  });
  const out = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, kase.id);
    if (!locked) throw notFound('Case', '舆情事件');
    refuseClosed(locked); // re-checked under the lock: a close may have committed since the read
    return reportUpLocked(trx, actor, locked, { recipient: input.recipient, content: input.content, at, backfilled }, now);
  });
  await emitAll(deps, [{ type: 'case.updated', caseId: kase.id }, ...out.notices]);
  return { ...presentReportUp(out.row), met: out.met };
}

/**
 * The 上报 itself, inside the caller's transaction on a case it has locked (and found open): the
 * record, the report obligation it meets, its audit row and the addressee's notification. Also
 * used by a 舆情快报, whose issue is a report up. The caller emits the events after commit.
 */
export async function reportUpLocked(trx: Db, actor: Actor, locked: Case, r: { recipient: string; content: string; at: Date; backfilled: boolean }, now: Date) {
  const row = await insertReportUp(trx, { caseId: locked.id, by: actor.id, at: r.at, backfilled: r.backfilled, recipient: r.recipient, content: r.content });
  const met = await meetObligations(trx, locked.id, ['report'], r.at, `report_up:${row.id}`);
  await writeAudit(trx, { actor, entity: 'report_up', entityId: row.id, caseId: locked.id, action: 'case.report_up', after: { ...row, met } });
  const notices = await notifyReportUp(trx, locked, { reporter: actor.name, recipient: r.recipient, content: r.content }, actor.id, now);
  return { row, met, notices };
}

export async function recordReferral(deps: ModuleDeps, actor: Actor, kase: Case, input: { target: ReferralTarget; recipient: string; content: string }) {
  refuseClosed(kase);
  const at = deps.now();
  const out = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, kase.id);
    if (!locked) throw notFound('Case', '舆情事件');
    refuseClosed(locked); // re-checked under the lock: a close may have committed since the read
    const row = await insertReferral(trx, { caseId: kase.id, target: input.target, by: actor.id, at, recipient: input.recipient, content: input.content });
    const met = await meetObligations(trx, kase.id, ['referral'], at, `referral:${row.id}`);
    await writeAudit(trx, {
      actor,
      entity: 'referral',
      entityId: row.id,
      caseId: kase.id,
      action: 'case.referral',
      after: { ...row, targetLabel: REFERRAL_TARGET_LABELS[input.target], met },
    });
    const notices = await notifyReferral(trx, locked, { referralTarget: input.target, recipient: input.recipient, content: input.content }, actor.id, at);
    return { row, met, notices };
  });
  await emitAll(deps, [{ type: 'case.updated', caseId: kase.id }, ...out.notices]);
  return { ...presentReferral(out.row), met: out.met };
}

export async function recordCoordination(deps: ModuleDeps, actor: Actor, user: SessionUser, kase: Case, content: string) {
  refuseClosed(kase);
  // A handler may coordinate only for the lead department (co-departments receive the note).
  if (user.role === 'handler' && user.departmentId !== kase.lead_department_id) {
    throw new AppError({ code: 'FORBIDDEN', message: 'Only the lead department coordinates', messageZh: '只有牵头单位可以发起协调' });
  }
  const now = deps.now();
  const events: AppEvent[] = [{ type: 'case.updated', caseId: kase.id }];
  const out = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, kase.id, { id: user.id, role: user.role, departmentId: user.departmentId });
    if (!locked) throw notFound('Case', '舆情事件');
    refuseClosed(locked); // re-checked under the lock: a close may have committed since the read
    const row = await insertCoordination(trx, { caseId: kase.id, fromDepartmentId: kase.lead_department_id, by: actor.id, at: now, content });
    const { co } = await caseDepartmentIds(trx, kase.id);
    const notices = await notifyCoordination(trx, locked, co, content, user.id, now);
    events.push(...notices);
    const recipients = notices.flatMap((ev) => (ev.type === 'notification.created' ? [{ id: ev.userId }] : []));
    await writeAudit(trx, { actor, entity: 'coordination', entityId: row.id, caseId: kase.id, action: 'case.coordination', after: { ...row, notified: recipients.map((r) => r.id) } });
    return { row, notified: recipients.map((r) => r.id) };
  });
  await emitAll(deps, events);
  return { ...presentCoordination(out.row), notified: out.notified };
}

export async function listEscalations(deps: ModuleDeps, caseId: string) {
  const { reports, referrals, coordinations, fires } = await caseEscalationRecords(deps.db, caseId);
  return {
    reportsUp: reports.map(presentReportUp),
    referrals: referrals.map(presentReferral),
    coordinations: coordinations.map(presentCoordination),
    fires: fires.map((f) => ({ obligationId: f.obligation_id, stepId: f.step_id, target: f.target, dueAt: f.due_at.toISOString(), firedAt: f.fired_at.toISOString() })),
  };
}

// One camelCase shape per record, for the write answers and the case's list alike.
type Row<T extends keyof DB> = Selectable<DB[T]>;

function presentReportUp(r: Row<'reports_up'>) {
  return {
    id: r.id,
    caseId: r.case_id,
    reportedBy: r.reported_by,
    reportedAt: r.reported_at.toISOString(),
    backfilled: r.backfilled,
    recipient: r.recipient,
    content: r.content,
  };
}

function presentReferral(r: Row<'referrals'>) {
  return {
    id: r.id,
    caseId: r.case_id,
    target: r.target,
    referredBy: r.referred_by,
    referredAt: r.referred_at.toISOString(),
    recipient: r.recipient,
    content: r.content,
  };
}

function presentCoordination(r: Row<'coordinations'>) {
  return {
    id: r.id,
    caseId: r.case_id,
    fromDepartmentId: r.from_department_id,
    authorId: r.author_id,
    createdAt: r.created_at.toISOString(),
    content: r.content,
  };
}
