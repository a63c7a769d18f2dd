import { sql } from 'kysely';
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

/** Appends many audit rows with one statement (writeAudit for a batch), inside the caller's transaction. */
export async function writeAuditMany(trx: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await sql`
    insert into audit_log (actor_id, actor_name, ip, entity, entity_id, case_id, action, before, after)
    select actor_id, actor_name, ip, entity, entity_id, case_id, action, before::jsonb, after::jsonb
    from unnest(
      ${entries.map((e) => e.actor?.id ?? null)}::int[],
      ${entries.map((e) => e.actor?.name ?? 'system')}::text[],
      ${entries.map((e) => e.actor?.ip ?? '')}::text[],
      ${entries.map((e) => e.entity)}::text[],
      ${entries.map((e) => String(e.entityId))}::text[],
      ${entries.map((e) => (e.caseId === undefined || e.caseId === null ? null : String(e.caseId)))}::bigint[],
      ${entries.map((e) => e.action)}::text[],
      ${entries.map((e) => (e.before === undefined ? null : JSON.stringify(e.before)))}::text[],
      ${entries.map((e) => (e.after === undefined ? null : JSON.stringify(e.after)))}::text[]
    ) as v(actor_id, actor_name, ip, entity, entity_id, case_id, action, before, after)`.execute(trx);
}
