import { type Kysely, sql } from 'kysely';

// Integrity of the response record: who last edited a response (the drafter and the last editor
// never approve it), and 补录 — a publication or report upward recorded with a time typed in
// afterwards (more than a few minutes back) is marked, so the ledger, the timeline and the exports
// say so. Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table responses
      add column edited_by int references users (id) on delete set null,
      add column backfilled boolean not null default false;
    alter table reports_up
      add column backfilled boolean not null default false;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table reports_up drop column backfilled;
    alter table responses drop column backfilled, drop column edited_by;
  `.execute(db);
}
