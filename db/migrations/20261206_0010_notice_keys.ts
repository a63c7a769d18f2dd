import { type Kysely, sql } from 'kysely';

// Notifications stored as a message key and its parameters (core/notices.ts), rendered when read
// in the reader's language. `kind` stays the coarse kind (breach, escalation, coordination, …);
// `key` and `params` are null on rows written before: those keep their stored title and body.
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table notifications add column key text;
    alter table notifications add column params jsonb;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table notifications drop column params;
    alter table notifications drop column key;
  `.execute(db);
}
