import { type Kysely, sql } from 'kysely';

// The duty roster (值班表) and alert pushes with acknowledgement.
// - duty_shifts: the office's shifts as Beijing wall-clock minutes; end <= start means the shift
//   ends the next day (夜班 17:30–08:30). Seeded with 白班 and 夜班.
// - duty_roster: who is on each shift of each day (primary duty officer, backup, leader on duty).
// - users.phone: where SMS pushes go.
// - alert_push_settings: the office-wide default push policy (one row); rules.push_policy
//   overrides it per rule (null: the default).
// - alert_pushes: one per pushed alert; Postgres holds the next re-push step and its due time,
//   the sweep takes due rows with `for update skip locked`; alert_push_fires records each step
//   once (primary key), so a re-push is sent exactly once however often the sweep runs.
// - notification_channels.kind gains 'sms' (a generic HTTP SMS gateway).
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table users add column phone text;

    create table duty_shifts (
      id serial primary key,
      name text not null,
      start_minute integer not null check (start_minute between 0 and 1439),
      end_minute integer not null check (end_minute between 0 and 1439),
      position integer not null default 0,
      created_at timestamptz not null default now()
    );
    insert into duty_shifts (name, start_minute, end_minute, position) values ('白班', 510, 1050, 1), ('夜班', 1050, 510, 2);

    create table duty_roster (
      day date not null,
      shift_id integer not null references duty_shifts(id) on delete cascade,
      primary_user_id integer not null references users(id),
      backup_user_id integer references users(id),
      leader_user_id integer references users(id),
      note text not null default '',
      updated_at timestamptz not null default now(),
      primary key (day, shift_id)
    );

    create table alert_push_settings (
      id integer primary key default 1 check (id = 1),
      policy jsonb not null,
      updated_by integer references users(id) on delete set null,
      updated_at timestamptz not null default now()
    );

    alter table rules add column push_policy jsonb;

    alter table notification_channels drop constraint if exists notification_channels_kind_check;
    alter table notification_channels add constraint notification_channels_kind_check check (kind in ('email','webhook','sms'));

    create table alert_pushes (
      id bigserial primary key,
      alert_id bigint not null unique references alerts(id) on delete cascade,
      rule_id integer references rules(id) on delete set null,
      text text not null,
      ack_window_s integer not null check (ack_window_s > 0),
      group_channel_id integer references notification_channels(id) on delete set null,
      pushed_at timestamptz not null,
      recipient_ids integer[] not null default '{}',
      next_step text check (next_step in ('backup','leader')),
      next_due_at timestamptz,
      acknowledged_at timestamptz,
      acknowledged_by integer references users(id) on delete set null,
      acknowledged_via text check (acknowledged_via in ('opened','triaged'))
    );
    create index alert_pushes_due on alert_pushes (next_due_at) where acknowledged_at is null and next_step is not null;

    create table alert_push_fires (
      push_id bigint not null references alert_pushes(id) on delete cascade,
      step text not null check (step in ('initial','backup','leader')),
      fired_at timestamptz not null,
      recipient_ids integer[] not null default '{}',
      primary key (push_id, step)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table alert_push_fires;
    drop table alert_pushes;
    alter table notification_channels drop constraint notification_channels_kind_check;
    alter table notification_channels add constraint notification_channels_kind_check check (kind in ('email','webhook'));
    alter table rules drop column push_policy;
    drop table alert_push_settings;
    drop table duty_roster;
    drop table duty_shifts;
    alter table users drop column phone;
  `.execute(db);
}
