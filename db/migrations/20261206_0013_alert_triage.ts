import { type Kysely, sql } from 'kysely';

// Triage that holds up for a whole shift: a dismissal records who dismissed and an optional note,
// and can be undone (restored to 待研判). Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table alerts
      add column dismissed_by int references users (id) on delete set null,
      add column dismiss_note text not null default '' check (char_length(dismiss_note) <= 500);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table alerts drop column dismiss_note, drop column dismissed_by`.execute(db);
}
