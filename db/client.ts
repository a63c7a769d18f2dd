import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import { auditKeySetting } from '../core/audit-key.js';

export type Db = Kysely<DB>;

export interface DbOptions {
  /** Maximum connections in this process's pool. */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
  /**
   * The audit chain's HMAC key (platform/audit-key.ts resolves it), handed to every connection of
   * the pool as the session setting audit_chain.key; the chain trigger refuses to write an audit
   * row without it. Default: the AUDIT_KEY environment variable (tests and tools); none: the
   * connections can read but not write audit rows.
   */
  auditKey?: string;
}

export function createDb(connectionString: string, opts: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'opinion-desk',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // A dropped connection must not crash the process; the pool replaces it on next use.
  pool.on('error', () => {});
  // pg-pool listens for errors only on idle clients: a connection dropped (Postgres restarted)
  // while checked out between two statements, e.g. inside a transaction, would emit 'error' with
  // no listener and crash the process. Its next statement fails instead (the transaction rolls
  // back, the job retries) and the pool discards it on release.
  const auditKey = opts.auditKey ?? process.env.AUDIT_KEY;
  const keySetting = auditKey ? auditKeySetting(auditKey) : null;
  pool.on('connect', (client) => {
    client.on('error', () => {});
    // Queued before any query of the client's first user: every statement on it has the key.
    if (keySetting) client.query(`select set_config('audit_chain.key', $1, false)`, [keySetting]).catch(() => {});
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** One round trip to the database (the health check). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
