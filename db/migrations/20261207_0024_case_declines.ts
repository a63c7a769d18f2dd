import { type Kysely, sql } from 'kysely';

// 退回交办: a lead department declines an assignment with a reason; the duty officer reassigns it
// (改派) or overrules the decline. One open decline per case at a time (resolved_at null).
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table case_declines (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      department_id integer not null references departments(id),
      declined_by integer references users(id) on delete set null,
      reason text not null,
      declined_at timestamptz not null,
      resolution text check (resolution in ('reassigned', 'overruled')),
      resolved_by integer references users(id) on delete set null,
      resolved_at timestamptz,
      resolution_note text not null default ''
    );
    create unique index case_declines_one_open on case_declines (case_id) where resolved_at is null;
    create index case_declines_case on case_declines (case_id, declined_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table case_declines;`.execute(db);
}
