import { type Kysely, sql } from 'kysely';

// News search sources (kind 'search'): a search URL template with {query} (and {page}), the
// queries written by hand or generated from a monitoring rule, and results read as RSS or as an
// HTML list (search_config). Each query keeps its own health and backoff (source_queries), so a
// query that keeps failing waits without holding up the others. Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table sources drop constraint sources_kind_check;
    alter table sources add constraint sources_kind_check check (kind in ('feed', 'site', 'json', 'intake', 'search'));
    alter table sources add column search_config jsonb;
    create table source_queries (
      source_id integer not null references sources(id) on delete cascade,
      query text not null,
      status text not null default 'pending' check (status in ('pending', 'ok', 'empty', 'anti_bot', 'failing')),
      fetch_status text not null default 'pending',
      http_status integer,
      message text not null default '',
      consecutive_failures integer not null default 0,
      failure_score real not null default 0,
      items_seen integer not null default 0,
      last_fetch_at timestamptz,
      last_success_at timestamptz,
      next_due_at timestamptz not null default now(),
      primary key (source_id, query)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table source_queries;
    delete from sources where kind = 'search';
    alter table sources drop column search_config;
    alter table sources drop constraint sources_kind_check;
    alter table sources add constraint sources_kind_check check (kind in ('feed', 'site', 'json', 'intake'));
  `.execute(db);
}
