import { type Kysely, sql } from 'kysely';

// The ledger's usual filters (status, level) and its totals: an index so the count does not scan
// every case. Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index cases_status_level on cases (status, level, opened_at desc, id desc)`.execute(db);
}
