import { type Kysely, sql } from 'kysely';

// 地域, continued (migrations 0034, 0038).
// - cases.place_label: the 地域 a 乡镇 / 村 set by hand read as when it was set (城关镇东关村). A hand-set
//   place the 辖区 no longer holds is ignored when the case's 地域 is read (the items' places count
//   instead; nothing is lost if the place comes back), and the case room names it from this label.
// - place_backfill_progress (one row): the back-fill's figures for 管理 → 辖区 (已补充 N / M 条)
//   kept as the work advances, so reading them is one row, not a count over every item. A save sets
//   version, total (the items stored before it: all of them are of an older version) and done = 0;
//   each batch adds its items to done in its own transaction. Existing data: total is every item,
//   done the items already of the current version.
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table cases add column place_label text;
    update cases c set place_label = nullif(array_to_string(place_labels(array[c.place_town], case when c.place_village is null then '{}'::text[] else array[c.place_village] end), '、'), '')
      where c.place_town is not null;
    create table place_backfill_progress (
      id smallint primary key default 1 check (id = 1),
      version integer not null,
      total integer not null check (total >= 0),
      done integer not null check (done >= 0)
    );
    insert into place_backfill_progress (version, total, done)
      select s.version, (select count(*) from items), (select count(*) from items where places_version >= s.version)
      from area_settings s where s.id = 1;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table place_backfill_progress;
    alter table cases drop column place_label;
  `.execute(db);
}
