import type { Db } from '../client.js';

export interface AuditActor {
  id: number | null;
  name: string;
  ip: string;
}

export interface AuditEntry {
  actor: AuditActor | null;
  entity: string;
  entityId: string | number;
  caseId?: string | number | null;
  action: string;
  before?: unknown;
  after?: unknown;
}

/** Appends one audit row. Call it inside the transaction of the change it records. */
export async function writeAudit(trx: Db, e: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      actor_id: e.actor?.id ?? null,
      actor_name: e.actor?.name ?? 'system',
      ip: e.actor?.ip ?? '',
      entity: e.entity,
      entity_id: String(e.entityId),
      case_id: e.caseId === undefined || e.caseId === null ? null : String(e.caseId),
      action: e.action,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
    })
    .execute();
}
