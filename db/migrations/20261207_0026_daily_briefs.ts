import { type Kysely, sql } from 'kysely';

// 舆情日报 (daily brief): one row per working day (unique day), made by the reports.daily job at
// the configured hour (08:00 Asia/Shanghai by default) and never changed after. Numbered with its own
// 期号 scheme: the office profile's serial_formats gains "daily" where it has none; the counter is
// report_serials kind 'daily'. Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update office_profile
      set serial_formats = serial_formats || '{"daily": "〔{年}〕日报第{号}期"}'::jsonb
      where not (serial_formats ? 'daily');
    create table daily_briefs (
      id bigserial primary key,
      day date not null unique,
      since timestamptz not null,
      title text not null,
      figures jsonb not null,
      serial_year integer not null,
      serial_no integer not null check (serial_no > 0),
      serial_text text not null,
      file bytea not null,
      file_name text not null,
      generated_at timestamptz not null,
      constraint daily_briefs_serial_unique unique (serial_year, serial_no)
    );
    create function daily_briefs_frozen() returns trigger language plpgsql as $$
    begin
      raise exception 'a daily brief never changes (daily_briefs %)', old.id;
    end $$;
    create trigger daily_briefs_frozen before update on daily_briefs
      for each row execute function daily_briefs_frozen();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table daily_briefs;
    drop function daily_briefs_frozen();
    update office_profile set serial_formats = serial_formats - 'daily';
    delete from report_serials where kind = 'daily';
  `.execute(db);
}
