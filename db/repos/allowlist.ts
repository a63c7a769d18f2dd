import type { Db } from '../client.js';

// The admin allow-list of host:port pairs that may resolve to private addresses.

export async function listAllowlist(db: Db) {
  return db.selectFrom('fetch_allowlist').selectAll().orderBy('id').execute();
}

export async function allowedHostPorts(db: Db): Promise<Set<string>> {
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

export async function deleteAllowlistEntry(db: Db, id: number): Promise<boolean> {
  const r = await db.deleteFrom('fetch_allowlist').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}
