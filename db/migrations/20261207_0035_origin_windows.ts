import { type Kysely, sql } from 'kysely';

// Windows by origin and 回访 (issue 13 §4).
// - cases.request_type: 诉求类型 of a hotline / mailbox case (咨询 / 投诉 / 求助 / 建议 / 需调查核实 / 其他).
// - origin_windows: per origin (hotline, mailbox) the reply window in working days, and per 诉求类型
//   overrides (jsonb {requestType: days}); part of the admin-editable policy. No row: the defaults
//   (core/workflow/origin-windows.ts).
// - case_callbacks: every 回访 recorded (who called whom, when, 满意 / 基本满意 / 不满意, note).
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table cases
      add column request_type text check (request_type in ('consultation', 'complaint', 'help', 'suggestion', 'investigation', 'other'));

    create table origin_windows (
      origin text primary key check (origin in ('hotline', 'mailbox')),
      enabled boolean not null default true,
      default_days integer not null check (default_days between 1 and 60),
      by_request_type jsonb not null default '{}',
      updated_by integer references users(id) on delete set null,
      updated_at timestamptz not null default now()
    );

    create table case_callbacks (
      id bigserial primary key,
      case_id bigint not null references cases(id) on delete cascade,
      caller text not null,
      callee text not null default '',
      called_at timestamptz not null,
      backfilled boolean not null default false,
      result text not null check (result in ('satisfied', 'basically_satisfied', 'dissatisfied')),
      note text not null default '',
      recorded_by integer references users(id) on delete set null,
      recorded_at timestamptz not null
    );
    create index case_callbacks_case on case_callbacks (case_id, called_at, id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table case_callbacks;
    drop table origin_windows;
    alter table cases drop column request_type;
  `.execute(db);
}
