import { type Kysely, sql } from 'kysely';

// Heightened periods (重点时段) also poll faster: while one is active every source's poll interval
// is multiplied by its poll_factor (default 0.5: twice as often). Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table heightened_periods
      add column poll_factor real not null default 0.5 check (poll_factor >= 0.1 and poll_factor <= 1);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table heightened_periods drop column poll_factor`.execute(db);
}
