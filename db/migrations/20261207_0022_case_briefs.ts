import { type Kysely, sql } from 'kysely';

// 舆情快报 for one case: a document in 公文 form issued from the case room, numbered with its own
// 期号 scheme (the office profile's serial_formats gains "flash" where it has none; the counter is
// report_serials kind 'flash'). An issued brief never changes: the row holds the rendered .docx and
// the text it was rendered from, and an update is refused by a trigger. Issuing records a 上报
// (reports_up) whose id the brief keeps. Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update office_profile
      set serial_formats = serial_formats || '{"flash": "〔{年}〕快报第{号}期"}'::jsonb
      where not (serial_formats ? 'flash');
    create table case_briefs (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      kind text not null default 'flash' check (kind in ('flash')),
      title text not null,
      recipient text not null,
      content jsonb not null,
      serial_year integer not null,
      serial_no integer not null check (serial_no > 0),
      serial_text text not null,
      file bytea not null,
      file_name text not null,
      report_up_id bigint references reports_up(id) on delete set null,
      issued_by integer references users(id) on delete set null,
      issued_at timestamptz not null,
      constraint case_briefs_serial_unique unique (kind, serial_year, serial_no)
    );
    create index case_briefs_case on case_briefs (case_id, issued_at);
    create function case_briefs_frozen() returns trigger language plpgsql as $$
    begin
      raise exception 'an issued brief never changes (case_briefs %)', old.id;
    end $$;
    create trigger case_briefs_frozen before update on case_briefs
      for each row when (old.report_up_id is not distinct from new.report_up_id or new.report_up_id is not null)
      execute function case_briefs_frozen();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table case_briefs;
    drop function case_briefs_frozen();
    update office_profile set serial_formats = serial_formats - 'flash';
    delete from report_serials where kind = 'flash';
  `.execute(db);
}
