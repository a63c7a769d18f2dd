import { type Kysely, sql } from 'kysely';

// 审批链 (issue 15 §2): a policy rule may name the approval steps a response needs (null: the
// level's default); a response keeps the chain it was submitted under and the step it waits at;
// every approve / return is one row of response_approvals. 保密审查: who confirmed it on submit, when.
// A response submitted before this migration waits at the reviewer's step only, as before.
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table policies add column approval_steps jsonb;
    alter table responses
      add column approval_chain text[] not null default '{reviewer}',
      add column approval_step integer not null default 0,
      add column secrecy_confirmed_by integer references users(id) on delete set null,
      add column secrecy_confirmed_at timestamptz;
    create table response_approvals (
      id bigserial primary key,
      response_id bigint not null references responses(id) on delete cascade,
      case_id bigint not null references cases(id) on delete cascade,
      step integer not null,
      step_kind text not null check (step_kind in ('reviewer', 'leader_in_charge', 'principal_leader')),
      decision text not null check (decision in ('approve', 'return')),
      comment text not null default '',
      decided_by integer references users(id) on delete set null,
      decided_at timestamptz not null
    );
    create index response_approvals_response on response_approvals (response_id, decided_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table response_approvals;
    alter table responses drop column approval_chain, drop column approval_step, drop column secrecy_confirmed_by, drop column secrecy_confirmed_at;
    alter table policies drop column approval_steps;
  `.execute(db);
}
