import type { Db } from '../client.js';
import type { ImportMode, ImportOrigin, RefusedRowRecord } from '../schema-imports.js';

// Imports of 12345 / 领导信箱 exports: the import records, the 工单编号 taken per origin, the last
// mapping per origin, and the reserved token whose intake sources hold rows imported as items.

/** The reserved token (migration 0031, prefix 'import', revoked: it never authenticates). */
export async function importToken(db: Db): Promise<{ id: number; name: string }> {
  return db.selectFrom('api_tokens').select(['id', 'name']).where('token_prefix', '=', 'import').orderBy('id').limit(1).executeTakeFirstOrThrow();
}

/**
 * Takes a 工单编号 for this import; false when it is taken already. A concurrent import taking the
 * same number waits on the primary key until this transaction ends, then finds it taken.
 */
export async function takeTicket(trx: Db, v: { origin: ImportOrigin; ticketNo: string; importId: number; caseId?: string | null; itemKey?: string | null }): Promise<boolean> {
  const row = await trx
    .insertInto('import_tickets')
    .values({ origin: v.origin, ticket_no: v.ticketNo, import_id: v.importId, case_id: v.caseId ?? null, item_key: v.itemKey ?? null })
    .onConflict((oc) => oc.columns(['origin', 'ticket_no']).doNothing())
    .returning('ticket_no')
    .executeTakeFirst();
  return row !== undefined;
}

export async function setTicketCase(trx: Db, origin: ImportOrigin, ticketNo: string, caseId: string): Promise<void> {
  await trx.updateTable('import_tickets').set({ case_id: caseId }).where('origin', '=', origin).where('ticket_no', '=', ticketNo).execute();
}

export async function setTicketItem(trx: Db, origin: ImportOrigin, ticketNo: string, itemKey: string | null): Promise<void> {
  await trx.updateTable('import_tickets').set({ item_key: itemKey }).where('origin', '=', origin).where('ticket_no', '=', ticketNo).execute();
}

export async function releaseTicket(trx: Db, origin: ImportOrigin, ticketNo: string): Promise<void> {
  await trx.deleteFrom('import_tickets').where('origin', '=', origin).where('ticket_no', '=', ticketNo).execute();
}

export async function insertImport(
  trx: Db,
  v: { origin: ImportOrigin; mode: ImportMode; fileName: string; fileSha256: string; mapping: Record<string, number>; createdBy: number | null; createdAt: Date },
): Promise<number> {
  const row = await trx
    .insertInto('ticket_imports')
    .values({ origin: v.origin, mode: v.mode, file_name: v.fileName, file_sha256: v.fileSha256, mapping: JSON.stringify(v.mapping), refused_rows: '[]', created_by: v.createdBy, created_at: v.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishImport(trx: Db, id: number, c: { rowsTotal: number; imported: number; duplicates: number; refused: RefusedRowRecord[] }): Promise<void> {
  await trx
    .updateTable('ticket_imports')
    .set({ rows_total: c.rowsTotal, imported: c.imported, duplicates: c.duplicates, refused: c.refused.length, refused_rows: JSON.stringify(c.refused) })
    .where('id', '=', id)
    .execute();
}

export async function listImports(db: Db, limit: number) {
  return db
    .selectFrom('ticket_imports')
    .leftJoin('users', 'users.id', 'ticket_imports.created_by')
    .select([
      'ticket_imports.id',
      'ticket_imports.origin',
      'ticket_imports.mode',
      'ticket_imports.file_name',
      'ticket_imports.rows_total',
      'ticket_imports.imported',
      'ticket_imports.duplicates',
      'ticket_imports.refused',
      'ticket_imports.refused_rows',
      'ticket_imports.created_at',
      'users.display_name as created_by_name',
    ])
    .orderBy('ticket_imports.created_at', 'desc')
    .orderBy('ticket_imports.id', 'desc')
    .limit(limit)
    .execute();
}

export async function loadProfile(db: Db, origin: ImportOrigin) {
  return db.selectFrom('ticket_import_profiles').select(['headers', 'mapping']).where('origin', '=', origin).executeTakeFirst();
}

export async function saveProfile(trx: Db, origin: ImportOrigin, headers: string[], mapping: Record<string, number>, by: number | null, now: Date): Promise<void> {
  await trx
    .insertInto('ticket_import_profiles')
    .values({ origin, headers, mapping: JSON.stringify(mapping), updated_by: by, updated_at: now })
    .onConflict((oc) => oc.column('origin').doUpdateSet({ headers, mapping: JSON.stringify(mapping), updated_by: by, updated_at: now }))
    .execute();
}
