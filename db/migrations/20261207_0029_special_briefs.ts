import { type Kysely, sql } from 'kysely';

// 舆情专报 beside the 舆情快报 (migration 0022): case_briefs holds both kinds; the 专报 has its own
// 期号 scheme (the office profile's serial_formats gains "special" where it has none; the counter is
// report_serials kind 'special'). Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update office_profile
      set serial_formats = serial_formats || '{"special": "〔{年}〕专报第{号}期"}'::jsonb
      where not (serial_formats ? 'special');
    alter table case_briefs drop constraint case_briefs_kind_check;
    alter table case_briefs add constraint case_briefs_kind_check check (kind in ('flash', 'special'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    delete from case_briefs where kind = 'special';
    alter table case_briefs drop constraint case_briefs_kind_check;
    alter table case_briefs add constraint case_briefs_kind_check check (kind in ('flash'));
    update office_profile set serial_formats = serial_formats - 'special';
    delete from report_serials where kind = 'special';
  `.execute(db);
}
