import type { ColumnType } from 'kysely';
import type { Db } from '../client.js';

// The office's RSSHub instance (one row, migration 0021): the base URL its source templates
// compose feed URLs on, or null when none is set.

interface RsshubSettingsTable {
  id: ColumnType<number, never, never>;
  base_url: string | null;
  updated_at: Date;
  updated_by: number | null;
}

const settingsDb = (db: Db) => db.withTables<{ rsshub_settings: RsshubSettingsTable }>();

export interface RsshubSettingsRow {
  baseUrl: string | null;
  updatedAt: Date;
  updatedBy: number | null;
}

export async function loadRsshubSettings(db: Db): Promise<RsshubSettingsRow> {
  const r = await settingsDb(db).selectFrom('rsshub_settings').select(['base_url', 'updated_at', 'updated_by']).executeTakeFirstOrThrow();
  return { baseUrl: r.base_url, updatedAt: r.updated_at, updatedBy: r.updated_by };
}

/** Locks the row for an edit (the audited "before" is the row the edit replaces). */
export async function lockRsshubSettings(db: Db): Promise<RsshubSettingsRow> {
  const r = await settingsDb(db).selectFrom('rsshub_settings').select(['base_url', 'updated_at', 'updated_by']).forUpdate().executeTakeFirstOrThrow();
  return { baseUrl: r.base_url, updatedAt: r.updated_at, updatedBy: r.updated_by };
}

export async function saveRsshubBase(db: Db, baseUrl: string | null, userId: number | null, now: Date): Promise<void> {
  await settingsDb(db).updateTable('rsshub_settings').set({ base_url: baseUrl, updated_at: now, updated_by: userId }).execute();
}
