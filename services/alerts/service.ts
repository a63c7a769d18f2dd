import type { AlertStatus, DismissReason } from '../../core/vocabulary.js';
import * as repo from '../../db/repos/alerts.js';
import { writeAudit, type AuditActor } from '../../db/repos/audit.js';
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

/** How many alerts await triage (the desk's counter; the alerts_status index answers it). */
export async function countNewAlerts(deps: ModuleDeps): Promise<number> {
  const r = await deps.db.selectFrom('alerts').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'new').executeTakeFirstOrThrow();
  return Number(r.n);
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

/** Triage: the alert is noise. Only a 'new' alert can be dismissed (409 otherwise). */
export async function dismissAlert(deps: ModuleDeps, id: string, reason: DismissReason, actor: AuditActor | null): Promise<AlertView> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.dismissAlert(trx, id, reason, deps.now()))) {
      const status = await repo.alertStatus(trx, id);
      if (status === undefined) throw alertNotFound();
      throw conflict(`Only a new alert can be dismissed; this one is ${status}`, '只有待研判的预警可以排除，该预警已处理', { status });
    }
    const caseId = (await trx.selectFrom('alerts').select('case_id').where('id', '=', id).executeTakeFirst())?.case_id ?? null;
    await writeAudit(trx, { actor, entity: 'alert', entityId: id, caseId, action: 'alert.dismiss', before: { status: 'new' }, after: { status: 'dismissed', reason } });
  });
  const view = await getAlert(deps, id);
  await deps.emit({ type: 'alert.updated', alertId: view.id, storyId: view.storyId });
  return view;
}
