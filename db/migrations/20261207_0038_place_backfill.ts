import { type Kysely, sql } from 'kysely';

// 地域, continued (migration 0034). Back-fill: each item records the area version its places were
// found with (places_version); saving the 辖区 bumps the version, so the items of an older version
// are the back-fill's work (services/places/backfill.ts), recent first, batch by batch, resumable.
// New items take the version current in their transaction (the ingest holds the area row FOR
// SHARE while it finds places, so a save waits for it). Editable 地域 on a case: a 乡镇 (and
// optionally a 村) set by hand replaces the places derived from the case's items; null: derived.
// Frozen in time (Kysely<any>).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function area_places_version() returns integer language sql stable as $$
      select coalesce((select version from area_settings where id = 1), 0)
    $$;
    alter table items add column places_version integer not null default 0;
    alter table items alter column places_version set default area_places_version();
    create index items_places_version on items (places_version);
    alter table cases
      add column place_town text,
      add column place_village text,
      add constraint cases_place_village_needs_town check (place_village is null or place_town is not null);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table cases drop constraint cases_place_village_needs_town, drop column place_town, drop column place_village;
    drop index items_places_version;
    alter table items drop column places_version;
    drop function area_places_version();
  `.execute(db);
}
