import { type Kysely, sql } from 'kysely';

// Imports of 12345 hotline and 领导信箱 exports (工单). Each import is kept (who, when, the file's
// name and digest, the mapping, the counts and the refused rows with their reasons); each
// 工单编号 is taken once per origin (import_tickets' primary key), so re-importing a file — or
// two people importing it at the same moment — registers nothing twice. The last mapping per
// origin is remembered (ticket_import_profiles). Rows imported as items for triage go through
// the intake pipeline on an intake source of a reserved, never-usable token (prefix 'import').
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ticket_imports (
      id serial primary key,
      origin text not null check (origin in ('hotline', 'mailbox')),
      mode text not null check (mode in ('case', 'item')),
      file_name text not null,
      file_sha256 text not null,
      mapping jsonb not null,
      rows_total integer not null default 0,
      imported integer not null default 0,
      duplicates integer not null default 0,
      refused integer not null default 0,
      refused_rows jsonb not null default '[]',
      created_by integer references users(id) on delete set null,
      created_at timestamptz not null default now()
    );
    create index ticket_imports_created on ticket_imports (created_at desc);
    create table import_tickets (
      origin text not null check (origin in ('hotline', 'mailbox')),
      ticket_no text not null check (length(ticket_no) between 1 and 100),
      import_id integer references ticket_imports(id) on delete set null,
      case_id bigint references cases(id) on delete set null,
      item_key text,
      created_at timestamptz not null default now(),
      primary key (origin, ticket_no)
    );
    create table ticket_import_profiles (
      origin text primary key check (origin in ('hotline', 'mailbox')),
      headers text[] not null,
      mapping jsonb not null,
      updated_by integer references users(id) on delete set null,
      updated_at timestamptz not null default now()
    );
    insert into api_tokens (name, token_hash, token_prefix, scopes, revoked_at)
      values ('工单导入（系统保留，不能用于接口推送）', 'import:' || md5(random()::text || clock_timestamp()::text), 'import', array['items:submit'], now());
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    delete from sources where intake_token_id in (select id from api_tokens where token_prefix = 'import');
    delete from api_tokens where token_prefix = 'import';
    drop table ticket_import_profiles;
    drop table import_tickets;
    drop table ticket_imports;
  `.execute(db);
}
