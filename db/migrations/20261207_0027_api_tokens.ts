import { type Kysely, sql } from 'kysely';

// API tokens (管理 → 接口令牌) and the intake API's sources. A token is stored as the sha256 of its
// secret (shown once), with its scopes, last use and revocation, and a fixed one-minute window
// counting its requests (the per-token rate limit, shared by every server process). Items pushed
// through the intake API hang off a source of kind 'intake' per token and source name, which the
// crawl scheduler never fetches. Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table api_tokens (
      id serial primary key,
      name text not null check (length(name) between 1 and 100),
      token_hash text not null unique,
      token_prefix text not null,
      scopes text[] not null check (scopes <@ array['items:submit', 'items:read']::text[] and cardinality(scopes) > 0),
      created_by integer references users(id) on delete set null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      revoked_by integer references users(id) on delete set null,
      window_start timestamptz,
      window_count integer not null default 0
    );
    alter table sources drop constraint sources_kind_check;
    alter table sources add constraint sources_kind_check check (kind in ('feed', 'site', 'json', 'intake'));
    alter table sources add column intake_token_id integer references api_tokens(id) on delete restrict;
    alter table sources add constraint sources_intake_token check ((kind = 'intake') = (intake_token_id is not null));
    create unique index sources_intake_name on sources (intake_token_id, name) where kind = 'intake';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    delete from sources where kind = 'intake';
    drop index sources_intake_name;
    alter table sources drop constraint sources_intake_token;
    alter table sources drop column intake_token_id;
    alter table sources drop constraint sources_kind_check;
    alter table sources add constraint sources_kind_check check (kind in ('feed', 'site', 'json'));
    drop table api_tokens;
  `.execute(db);
}
