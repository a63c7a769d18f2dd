import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import * as repo from '../../db/repos/case-declines.js';
import { departmentNames } from '../../db/repos/departments.js';
import { AppError, conflict } from '../../platform/errors.js';
import type { AppEvent } from '../../platform/queues.js';
import { notifyDeclineOverruled, notifyDeclined } from '../notifications/handoffs.js';
import { caseFor, caseNotFound } from '../responses/guard.js';
import type { Actor, SessionUser } from '../shared/actor.js';
import { refuseClosedCase } from '../shared/closed-case.js';
import type { ModuleDeps } from '../shared/deps.js';

// 退回交办 and 改派. The lead department's handler may decline an assignment that is not theirs,
// with the reason; the duty officer who opened the case is asked to reassign it (改派: PATCH the
// lead department, which resolves the decline — services/cases/update.ts) or to overrule the decline
// (不同意退回), which tells the department to go on. Each is audited and notified in its transaction.

export interface DeclineView {
  department: { id: number; name: string };
  by: string | null;
  reason: string;
  at: string;
}

export function presentDecline(d: repo.DeclineRow | undefined): DeclineView | null {
  if (!d) return null;
  return {
    department: { id: d.department_id, name: d.department_name },
    by: d.declined_by_name,
    reason: d.reason,
    at: d.declined_at.toISOString(),
  };
}

async function emitAll(deps: ModuleDeps, caseId: string, events: readonly AppEvent[]) {
  await deps.emit({ type: 'case.updated', caseId });
  for (const ev of events) await deps.emit(ev);
}

export async function declineCase(deps: ModuleDeps, user: SessionUser, actor: Actor, caseId: string, reason: string): Promise<void> {
  await caseFor(deps.db, caseId, user); // 404 for a case the handler does not see
  const now = deps.now();
  const events = await deps.db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, caseId);
    if (!c) throw caseNotFound();
    if (user.departmentId !== c.lead_department_id)
      throw new AppError({ code: 'FORBIDDEN', message: 'Only the lead department declines an assignment', messageZh: '只有牵头单位可以退回交办' });
    refuseClosedCase(c);
    if (c.status !== 'open') throw conflict('A case with a published response cannot be declined', '已发布回应的事件不能退回交办');
    const id = await repo.insertDecline(trx, { caseId: c.id, departmentId: c.lead_department_id, userId: user.id, reason }, now);
    if (id === null) throw conflict('The assignment was already declined and waits for reassignment', '该事件已退回交办，正等待改派');
    const department = (await departmentNames(trx, [c.lead_department_id])).get(c.lead_department_id) ?? '';
    await writeAudit(trx, { actor, entity: 'case', entityId: c.id, caseId: c.id, action: 'case.decline', after: { declineId: id, departmentId: c.lead_department_id, reason } });
    return notifyDeclined(trx, c, { department, reason }, user.id, now);
  });
  await emitAll(deps, caseId, events);
}

export async function overruleDecline(deps: ModuleDeps, actor: Actor, caseId: string, reason: string): Promise<void> {
  const now = deps.now();
  const events = await deps.db.transaction().execute(async (trx) => {
    const c = /^\d{1,18}$/.test(caseId) ? await lockCase(trx, caseId) : undefined;
    if (!c) throw caseNotFound();
    refuseClosedCase(c);
    const id = await repo.resolveDecline(trx, c.id, 'overruled', actor.id, reason, now);
    if (id === null) throw conflict('The case has no decline to overrule', '该事件没有待处理的退回交办');
    await writeAudit(trx, { actor, entity: 'case', entityId: c.id, caseId: c.id, action: 'case.decline_overrule', after: { declineId: id, reason } });
    return notifyDeclineOverruled(trx, c, reason, actor.id, now);
  });
  await emitAll(deps, caseId, events);
}
