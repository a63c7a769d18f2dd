import { type Kysely, sql } from 'kysely';

// Source providers: the office's RSSHub instance (one row: its base URL, admin-edited, audited),
// and JSON sources (kind 'json' with its request and mapping in json_config). Frozen in time
// (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table rsshub_settings (
      id smallint primary key default 1 check (id = 1),
      base_url text,
      updated_at timestamptz not null default now(),
      updated_by integer references users(id) on delete set null
    );
    insert into rsshub_settings (base_url) values (null);
    alter table sources drop constraint sources_kind_check;
    alter table sources add constraint sources_kind_check check (kind in ('feed', 'site', 'json'));
    alter table sources add column json_config jsonb;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table sources drop column json_config;
    alter table sources drop constraint sources_kind_check;
    alter table sources add constraint sources_kind_check check (kind in ('feed', 'site'));
    drop table rsshub_settings;
  `.execute(db);
}
