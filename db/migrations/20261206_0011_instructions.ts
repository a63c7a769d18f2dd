import { type Kysely, sql } from 'kysely';

// 领导批示: a leader's instruction on a case, optionally with a time limit for the lead department's
// report on how it was handled (办理情况). The time limit is an obligation of the new kind
// `instruction_report`, so the sweep escalates it and the ledger counts it like any other.
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table obligations drop constraint obligations_kind_check;
    alter table obligations add constraint obligations_kind_check
      check (kind in ('response','report','info','press','update','referral','instruction_report'));

    create table instructions (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      author_id integer references users(id) on delete set null,
      author_name text not null default '',
      content text not null,
      report_within_hours integer check (report_within_hours between 1 and 720),
      obligation_id bigint references obligations(id) on delete set null,
      created_at timestamptz not null,
      reported_at timestamptz,
      reported_by integer references users(id) on delete set null,
      reporter_name text not null default '',
      report_content text not null default ''
    );
    create index instructions_case on instructions (case_id, created_at, id);
    -- The to-do list's "instructions awaiting a report" read.
    create index instructions_unreported on instructions (case_id) where reported_at is null;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table instructions;
    delete from obligations where kind = 'instruction_report';
    alter table obligations drop constraint obligations_kind_check;
    alter table obligations add constraint obligations_kind_check
      check (kind in ('response','report','info','press','update','referral'));
  `.execute(db);
}
