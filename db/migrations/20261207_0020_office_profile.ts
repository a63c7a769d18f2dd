import { type Kysely, sql } from 'kysely';

// The office profile (单位信息): one row naming the organ that issues the documents, its 版头 mark,
// the 期号 scheme per notice kind, 主送 / 抄送 / 印发机关, the signature, the 公开属性 and the office a
// 整改 report goes to. Issued notices take a 期号 from report_serials (one counter per kind and
// year, taken in the issuing transaction: never reused, never skipped). Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table office_profile (
      id smallint primary key default 1 check (id = 1),
      organ text not null,
      mark text not null,
      serial_formats jsonb not null,
      recipients text not null default '',
      copy_to text not null default '',
      printing_organ text not null,
      signature text not null,
      disclosure text not null default 'on_request' check (disclosure in ('public', 'on_request', 'not_public')),
      rectification_to text not null,
      updated_at timestamptz not null default now(),
      updated_by integer references users(id) on delete set null
    );
    insert into office_profile (organ, mark, serial_formats, printing_organ, signature, rectification_to)
    values (
      '政务舆情回应工作办公室',
      '政务舆情通报',
      '{"weekly": "〔{年}〕第{号}期", "monthly": "〔{年}〕第{号}期", "quarterly": "〔{年}〕第{号}期", "range": "〔{年}〕第{号}期"}',
      '政务舆情回应工作办公室',
      '政务舆情回应工作办公室',
      '政务舆情回应工作办公室'
    );
    create table report_serials (
      kind text not null,
      year integer not null,
      last_no integer not null check (last_no > 0),
      primary key (kind, year)
    );
    alter table reports
      add column serial_year integer,
      add column serial_no integer,
      add column serial_text text,
      add constraint reports_serial_unique unique (kind, serial_year, serial_no);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table reports drop constraint reports_serial_unique, drop column serial_year, drop column serial_no, drop column serial_text;
    drop table report_serials;
    drop table office_profile;
  `.execute(db);
}
