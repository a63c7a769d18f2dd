import { type Kysely, sql } from 'kysely';

// 会签 and forwarded opinions (issue 15 §2).
// - policies: whether co-departments sign off (会签) before the reviewer (null: the default — on for
//   较大 and above) and the working days a forwarding office waits for feedback (null: 2).
// - responses: the co-departments asked to sign off when it was submitted, and those still to sign.
// - response_countersigns: every sign-off (confirm 内容准确一致 / return with a comment).
// - cases: the 核实 result of a forwarded opinion (属实 / 部分属实 / 不属实), by whom, when.
// - obligations: the new kind forward_feedback (向转办单位反馈办理情况), created at publication.
// - forward_replies: the replies recorded to the forwarding office (meet forward_feedback).
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table policies
      add column countersign boolean,
      add column forward_feedback_days numeric check (forward_feedback_days > 0 and forward_feedback_days <= 30);

    alter table responses
      add column countersign_departments integer[] not null default '{}',
      add column countersign_pending integer[] not null default '{}';

    create table response_countersigns (
      id bigserial primary key,
      response_id bigint not null references responses(id) on delete cascade,
      case_id bigint not null references cases(id) on delete cascade,
      department_id integer references departments(id) on delete set null,
      decision text not null check (decision in ('confirm', 'return')),
      comment text not null default '',
      decided_by integer references users(id) on delete set null,
      decided_at timestamptz not null
    );
    create index response_countersigns_case on response_countersigns (case_id, decided_at, id);

    alter table cases
      add column verification text check (verification in ('true', 'partly_true', 'untrue')),
      add column verification_note text not null default '',
      add column verified_by integer references users(id) on delete set null,
      add column verified_at timestamptz;

    alter table obligations drop constraint obligations_kind_check;
    alter table obligations add constraint obligations_kind_check
      check (kind in ('response','report','info','press','update','referral','instruction_report','forward_feedback'));

    create table forward_replies (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      obligation_id bigint references obligations(id) on delete set null,
      recipient text not null,
      content text not null,
      replied_at timestamptz not null,
      backfilled boolean not null default false,
      recorded_by integer references users(id) on delete set null,
      recorded_at timestamptz not null
    );
    create index forward_replies_case on forward_replies (case_id, replied_at, id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table forward_replies;
    delete from obligations where kind = 'forward_feedback';
    alter table obligations drop constraint obligations_kind_check;
    alter table obligations add constraint obligations_kind_check
      check (kind in ('response','report','info','press','update','referral','instruction_report'));
    alter table cases drop column verification, drop column verification_note, drop column verified_by, drop column verified_at;
    drop table response_countersigns;
    alter table responses drop column countersign_departments, drop column countersign_pending;
    alter table policies drop column countersign, drop column forward_feedback_days;
  `.execute(db);
}
