import type { Db } from '../client.js';

// The admin allow-list of host:port pairs that may resolve to private addresses.

export async function listAllowlist(db: Db) {
  return db.selectFrom('fetch_allowlist').selectAll().orderBy('id').execute();
}

/** The allowed host:port pairs, lower-cased (the crawler, the URL check and webhooks ask this). */
export async function loadAllowlist(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('fetch_allowlist').select('host_port').execute();
  return new Set(rows.map((r) => r.host_port.toLowerCase()));
}

export async function insertAllowlistEntry(db: Db, hostPort: string, note: string) {
  return db
    .insertInto('fetch_allowlist')
    .values({ host_port: hostPort, note })
    .onConflict((oc) => oc.column('host_port').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the entry; returns the removed row (undefined when there was none). */
export async function deleteAllowlistEntry(db: Db, id: number) {
  return db.deleteFrom('fetch_allowlist').where('id', '=', id).returningAll().executeTakeFirst();
}
