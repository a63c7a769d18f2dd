import { type Kysely, sql } from 'kysely';

// Users (one role, one department), server-side sessions, login throttling. Frozen (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table departments add column updated_at timestamptz not null default now();

    create table users (
      id serial primary key,
      username text not null,
      display_name text not null,
      role text not null check (role in ('duty','handler','reviewer','leader','admin')),
      department_id integer references departments(id),
      -- for escalation targets: the head of a department; a leader in charge or the principal leader
      is_department_head boolean not null default false,
      leader_rank text check (leader_rank in ('in_charge','principal')),
      email text,
      password_hash text not null,
      password_changed_at timestamptz not null default now(),
      failed_logins integer not null default 0,
      locked_until timestamptz,
      disabled boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index users_username on users (lower(username));
    create index users_department on users (department_id);

    -- The cookie carries a random token; only its SHA-256 is stored.
    create table sessions (
      id text primary key,
      user_id integer not null references users(id) on delete cascade,
      csrf_token text not null,
      ip text not null default '',
      user_agent text not null default '',
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index sessions_user on sessions (user_id);
    create index sessions_expires on sessions (expires_at);

    -- Failed logins per client address within a window (throttling), beside per-user lockout.
    create table login_throttle (
      ip text primary key,
      failures integer not null default 0,
      window_started_at timestamptz not null default now()
    );
  `.execute(db);
}
