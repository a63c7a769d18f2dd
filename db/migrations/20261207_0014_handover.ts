import { type Kysely, sql } from 'kysely';

// 交接班 (shift handover): one record per rostered shift (day, shift). The outgoing duty officer
// submits it (notes plus what the product pre-filled at that moment, kept as a snapshot); the
// incoming officer accepts it. A record may also be created by the sweep before anyone submitted
// it: 30 minutes into the next shift, an unsubmitted or unaccepted handover notifies the leader on
// duty, exactly once (leader_notified_at).
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table duty_handovers (
      id serial primary key,
      day date not null,
      shift_id integer not null references duty_shifts(id) on delete cascade,
      shift_name text not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      from_user_id integer references users(id),
      to_user_id integer references users(id),
      next_day date,
      next_shift_id integer references duty_shifts(id) on delete set null,
      next_starts_at timestamptz,
      next_leader_user_id integer references users(id),
      notes text not null default '',
      snapshot jsonb not null default '{}'::jsonb,
      submitted_at timestamptz,
      accepted_at timestamptz,
      accepted_by integer references users(id),
      accept_note text not null default '',
      leader_notified_at timestamptz,
      created_at timestamptz not null default now(),
      unique (day, shift_id),
      check (accepted_at is null or submitted_at is not null)
    );
    create index duty_handovers_to_accept on duty_handovers (to_user_id) where accepted_at is null and submitted_at is not null;
    create index duty_handovers_starts on duty_handovers (starts_at desc);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table duty_handovers;`.execute(db);
}
