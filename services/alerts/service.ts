import type { AlertStatus, DismissReason } from '../../core/vocabulary.js';
import type { Db } from '../../db/client.js';
import * as repo from '../../db/repos/alerts.js';
import { lockAuditChainHead, writeAudit, type AuditActor } from '../../db/repos/audit.js';
import { departmentNames } from '../../db/repos/departments.js';
import { ruleNames } from '../../db/repos/rules.js';
import { conflict, notFound } from '../../platform/errors.js';
import { decodeCursor, paginate } from '../shared/cursor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { presentAlert } from './present.js';
import type { AlertView } from './schema.js';

const alertNotFound = () => notFound('Alert', '预警');

/** Presents alert rows with the names of their rules and suggested departments (two queries in all). */
export async function presentAlerts(deps: ModuleDeps, rows: repo.AlertRow[]): Promise<AlertView[]> {
  const [rules, departments] = await Promise.all([
    ruleNames(deps.db, rows.flatMap((r) => r.rule_ids)),
    departmentNames(deps.db, rows.flatMap((r) => (r.suggested_department_id === null ? [] : [r.suggested_department_id]))),
  ]);
  return rows.map((r) => presentAlert(r, { rules, departments }));
}

/** How many alerts await triage (the desk's counter). */
export async function countNewAlerts(deps: ModuleDeps): Promise<number> {
  return repo.countNewAlerts(deps.db);
}

export async function listAlerts(deps: ModuleDeps, q: { status?: AlertStatus; limit: number; cursor?: string }) {
  const [rows, newCount] = await Promise.all([
    repo.listAlerts(deps.db, { status: q.status, after: decodeCursor(q.cursor), limit: q.limit + 1 }),
    countNewAlerts(deps),
  ]);
  const { page, nextCursor } = paginate(rows, q.limit, (r) => ({ at: r.updated_key, id: r.id }));
  return { alerts: await presentAlerts(deps, page), nextCursor, newCount };
}

export async function getAlert(deps: ModuleDeps, id: string): Promise<AlertView> {
  const row = await repo.findAlert(deps.db, id);
  if (!row) throw alertNotFound();
  return (await presentAlerts(deps, [row]))[0];
}

/** What a dismissal records besides its reason. */
export interface Dismissal {
  reason: DismissReason;
  note?: string;
}

async function dismissOne(trx: Db, id: string, d: Dismissal, now: Date, actor: AuditActor | null): Promise<AlertStatus | 'dismissed_now' | undefined> {
  const note = d.note ?? '';
  if (!(await repo.dismissAlert(trx, id, d.reason, now, { userId: actor?.id ?? null, note }))) return repo.alertStatus(trx, id);
  const caseId = await repo.alertCaseId(trx, id);
  await writeAudit(trx, { actor, entity: 'alert', entityId: id, caseId, action: 'alert.dismiss', before: { status: 'new' }, after: { status: 'dismissed', reason: d.reason, note } });
  return 'dismissed_now';
}

/** Triage: the alert is noise. Only a 'new' alert can be dismissed (409 otherwise). */
export async function dismissAlert(deps: ModuleDeps, id: string, d: Dismissal, actor: AuditActor | null): Promise<AlertView> {
  await deps.db.transaction().execute(async (trx) => {
    const outcome = await dismissOne(trx, id, d, deps.now(), actor);
    if (outcome === undefined) throw alertNotFound();
    if (outcome !== 'dismissed_now') throw conflict(`Only a new alert can be dismissed; this one is ${outcome}`, '只有待研判的预警可以排除，该预警已处理', { status: outcome });
  });
  const view = await getAlert(deps, id);
  await deps.emit({ type: 'alert.updated', alertId: view.id, storyId: view.storyId });
  return view;
}

/**
 * Bulk triage: dismisses every listed alert that is still new, with one reason, in one transaction
 * (an audit row each). Alerts already triaged by someone else, or unknown, are reported, not failed.
 */
export async function dismissAlerts(deps: ModuleDeps, ids: readonly string[], d: Dismissal, actor: AuditActor | null) {
  const unique = [...new Set(ids)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const dismissed: string[] = [];
  const skipped: { id: string; status: AlertStatus | 'not_found' }[] = [];
  await deps.db.transaction().execute(async (trx) => {
    // Lock order: the audit chain head first (every audited transaction takes it), then the alerts
    // in id order — two officers' overlapping batches queue instead of deadlocking.
    await lockAuditChainHead(trx);
    const now = deps.now();
    for (const id of unique) {
      const outcome = await dismissOne(trx, id, d, now, actor);
      if (outcome === 'dismissed_now') dismissed.push(id);
      else skipped.push({ id, status: outcome ?? 'not_found' });
    }
  });
  const views = dismissed.length === 0 ? [] : await presentAlerts(deps, await repo.findAlerts(deps.db, dismissed));
  for (const v of views) await deps.emit({ type: 'alert.updated', alertId: v.id, storyId: v.storyId });
  return { dismissed: views, skipped };
}

/** Undo a dismissal (撤销 / 恢复为待研判): the alert is new again; audited. 409 unless it is dismissed. */
export async function restoreAlert(deps: ModuleDeps, id: string, actor: AuditActor | null): Promise<AlertView> {
  await deps.db.transaction().execute(async (trx) => {
    const before = await repo.restoreAlert(trx, id, deps.now());
    if (!before) {
      const status = await repo.alertStatus(trx, id);
      if (status === undefined) throw alertNotFound();
      throw conflict(`Only a dismissed alert can be restored; this one is ${status}`, '只有已排除的预警可以恢复为待研判', { status });
    }
    await writeAudit(trx, {
      actor,
      entity: 'alert',
      entityId: id,
      caseId: before.case_id,
      action: 'alert.restore',
      before: { status: 'dismissed', reason: before.dismiss_reason, note: before.dismiss_note },
      after: { status: 'new' },
    });
  });
  const view = await getAlert(deps, id);
  await deps.emit({ type: 'alert.updated', alertId: view.id, storyId: view.storyId });
  return view;
}
