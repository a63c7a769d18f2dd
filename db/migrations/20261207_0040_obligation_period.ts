import { type Kysely, sql } from 'kysely';

// 重点时段 on obligations: the heightened period that shortened an obligation's window when its due
// time was computed (its name and factor as they were then), so the case room shows the window that
// applies and why. Null: no period shortened it (the policy's or the origin's window as stored).
// A period edited or deleted later leaves the recorded due time and its reason as they are.
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table obligations
      add column period_name text,
      add column period_factor double precision,
      add constraint obligations_period_pair check ((period_name is null) = (period_factor is null)),
      add constraint obligations_period_factor check (period_factor is null or (period_factor > 0 and period_factor < 1));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table obligations
      drop constraint obligations_period_factor,
      drop constraint obligations_period_pair,
      drop column period_name,
      drop column period_factor;
  `.execute(db);
}
