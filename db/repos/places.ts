import { sql, type ColumnType, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../client.js';
import type { GazetteerPlace, PlaceKind } from '../../core/places.js';

// The office's area (area_settings, one row) and its gazetteer (area_places), migration 0034; the
// places of items, alerts and cases read as codes and as labels (place_labels(): 龙山镇石桥村).

/** A name the office adds by hand: an alias of a place, a new village-level place of a town, or a new town-level place. */
export interface AreaExtra {
  name: string;
  /** The town a new place belongs to (null: the new place is town-level itself). */
  townCode: string | null;
  /** The place this name is another name of (null: a new place). */
  aliasOf: string | null;
}

interface AreaSettingsTable {
  id: ColumnType<number, never, never>;
  county_code: string | null;
  area_name: string;
  extras: ColumnType<AreaExtra[], string, string>;
  version: ColumnType<number, never, number>;
  updated_at: Date;
  updated_by: number | null;
}

interface AreaPlacesTable {
  code: string;
  name: string;
  kind: PlaceKind;
  parent_code: string | null;
  aliases: string[];
  by_office: boolean;
}

const placesDb = (db: Db) => db.withTables<{ area_settings: AreaSettingsTable; area_places: AreaPlacesTable }>();

export interface AreaSettingsRow {
  countyCode: string | null;
  areaName: string;
  extras: AreaExtra[];
  updatedAt: Date;
  updatedBy: number | null;
}

const COLUMNS = ['county_code', 'area_name', 'extras', 'updated_at', 'updated_by'] as const;
const fromRow = (r: { county_code: string | null; area_name: string; extras: AreaExtra[]; updated_at: Date; updated_by: number | null }): AreaSettingsRow => ({
  countyCode: r.county_code,
  areaName: r.area_name,
  extras: r.extras,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export async function getAreaSettings(db: Db): Promise<AreaSettingsRow> {
  return fromRow(await placesDb(db).selectFrom('area_settings').select(COLUMNS).where('id', '=', 1).executeTakeFirstOrThrow());
}

export async function lockAreaSettings(trx: Db): Promise<AreaSettingsRow> {
  return fromRow(await placesDb(trx).selectFrom('area_settings').select(COLUMNS).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow());
}

export async function updateAreaSettings(trx: Db, s: Pick<AreaSettingsRow, 'countyCode' | 'areaName' | 'extras'>, by: number | null, at: Date): Promise<AreaSettingsRow> {
  const r = await placesDb(trx)
    .updateTable('area_settings')
    .set((eb) => ({ county_code: s.countyCode, area_name: s.areaName, extras: JSON.stringify(s.extras), version: eb('version', '+', 1), updated_at: at, updated_by: by }))
    .where('id', '=', 1)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return fromRow(r);
}

/** The database and when its area was last saved: the gazetteer's version (a cache compiles it again when this changes). */
export async function areaVersion(db: Db): Promise<string> {
  // FOR SHARE: inside an ingest's transaction a save waits until its items, stamped with this
  // version (items.places_version), are committed (migration 0038).
  const r = await sql<{ v: string }>`select current_database() || ':' || version as v from area_settings where id = 1 for share`.execute(db);
  return r.rows[0]?.v ?? '0';
}

/** Replaces the gazetteer (towns first; a village's parent is checked at commit). */
export async function replaceAreaPlaces(trx: Db, places: readonly (GazetteerPlace & { byOffice: boolean })[]): Promise<void> {
  await placesDb(trx).deleteFrom('area_places').execute();
  const CHUNK = 2000;
  for (let i = 0; i < places.length; i += CHUNK) {
    await placesDb(trx)
      .insertInto('area_places')
      .values(places.slice(i, i + CHUNK).map((p) => ({ code: p.code, name: p.name, kind: p.kind, parent_code: p.parentCode, aliases: [...p.aliases], by_office: p.byOffice })))
      .execute();
  }
}

export async function loadAreaPlaces(db: Db): Promise<(GazetteerPlace & { byOffice: boolean })[]> {
  const rows = await placesDb(db).selectFrom('area_places').selectAll().orderBy('kind').orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, kind: r.kind, parentCode: r.parent_code, aliases: r.aliases, byOffice: r.by_office }));
}

/** The towns of the area (the 乡镇 pickers), in code order. */
export async function areaTowns(db: Db): Promise<{ code: string; name: string }[]> {
  return placesDb(db).selectFrom('area_places').select(['code', 'name']).where('kind', '=', 'town').orderBy('code').execute();
}

export async function townExists(db: Db, code: string): Promise<boolean> {
  return !!(await placesDb(db).selectFrom('area_places').select('code').where('code', '=', code).where('kind', '=', 'town').executeTakeFirst());
}

// Places of items, stories (alerts) and cases. A story's places are those of its items; a case's
// those of the items of its stories and of its evidence.

/** Items naming a town (the GIN index on place_towns). */
export const itemNamesTown = (town: string): Expression<SqlBool> => sql<SqlBool>`items.place_towns @> array[${town}]::text[]`;

/** Place labels of a set of item rows (a subquery with place_towns and place_villages). */
const labelsOver = (rows: ReturnType<typeof sql>) =>
  sql<string[]>`(select place_labels(coalesce(array_agg(distinct t) filter (where t is not null), '{}'), coalesce(array_agg(distinct v) filter (where v is not null), '{}'))
     from (select unnest(r.place_towns) as t, null::text as v from ${rows} r union all select null, unnest(r.place_villages) from ${rows} r) x)`;

const storyItems = (storyIdColumn: string) => sql`(select pi.place_towns, pi.place_villages from items pi where pi.story_id = ${sql.ref(storyIdColumn)})`;

/** The items of a case (its stories' items and its evidence items). */
const caseItems = (caseIdColumn: string) => sql`(
  select pi.place_towns, pi.place_villages from case_stories pcs join items pi on pi.story_id = pcs.story_id where pcs.case_id = ${sql.ref(caseIdColumn)}
  union all
  select pi.place_towns, pi.place_villages from case_items pci join items pi on pi.id = pci.item_id where pci.case_id = ${sql.ref(caseIdColumn)})`;

/** A story's (an alert's) place labels, over a story id column. */
export const storyPlaceLabels = (storyIdColumn: string) => labelsOver(storyItems(storyIdColumn));

/** A 乡镇 (and 村) set by hand on the case (migration 0038) as place_labels() reads them. */
const handLabels = (alias: string) =>
  sql<string[]>`place_labels(array[${sql.ref(`${alias}.place_town`)}], case when ${sql.ref(`${alias}.place_village`)} is null then '{}'::text[] else array[${sql.ref(`${alias}.place_village`)}] end)`;

/**
 * True when the case's 乡镇 (and 村) set by hand are places of the 辖区 now (the village one of that
 * town). A hand-set place the 辖区 no longer holds is ignored, read as if never set (the items'
 * places count): resolved when read, so nothing is lost if the place is added again.
 */
const handHeld = (alias: string) => {
  const town = sql.ref(`${alias}.place_town`);
  const village = sql.ref(`${alias}.place_village`);
  return sql<SqlBool>`(${town} is not null
     and exists (select 1 from area_places ht where ht.code = ${town} and ht.kind = 'town')
     and (${village} is null or exists (select 1 from area_places hv where hv.code = ${village} and hv.kind = 'village' and hv.parent_code = ${town})))`;
};

/** A case's place labels, over a case id column: those set by hand on the case (if still of the 辖区), else those of its items. */
export const casePlaceLabels = (caseIdColumn: string) =>
  sql<string[]>`(select case when ${handHeld('hc')} then ${handLabels('hc')} else ${labelsOver(caseItems('hc.id'))} end
     from cases hc where hc.id = ${sql.ref(caseIdColumn)})`;

/** An item's place labels. */
export const itemPlaceLabels = () => sql<string[]>`place_labels(items.place_towns, items.place_villages)`;

/** Cases in the town: set by hand to it, or (none set by hand that the 辖区 still holds) one of whose items names it. */
export const caseNamesTown = (caseIdColumn: string, town: string) =>
  sql<SqlBool>`exists (select 1 from cases hc where hc.id = ${sql.ref(caseIdColumn)} and case when ${handHeld('hc')} then hc.place_town = ${town}
     else exists (select 1 from ${caseItems('hc.id')} ci where ci.place_towns @> array[${town}]::text[]) end)`;

/**
 * Alerts raised and cases opened in [from, to) per town of the area: an alert or case counts once
 * for each town its items name; a case whose 乡镇 was set by hand counts for that town only (while
 * the 辖区 holds it: else for its items' towns).
 */
export async function countsByTown(db: Db, from: Date, to: Date): Promise<{ code: string; name: string; alerts: number; cases: number }[]> {
  const r = await sql<{ code: string; name: string; alerts: number; cases: number }>`
    select t.code, t.name,
      (select count(*)::int from alerts a
        where a.created_at >= ${from} and a.created_at < ${to}
          and exists (select 1 from items i where i.story_id = a.story_id and i.place_towns @> array[t.code])) as alerts,
      (select count(*)::int from cases c
        where c.opened_at >= ${from} and c.opened_at < ${to}
          and case when ${handHeld('c')} then c.place_town = t.code
                   else exists (select 1 from ${caseItems('c.id')} ci where ci.place_towns @> array[t.code]) end) as cases
    from area_places t where t.kind = 'town'
    order by t.code`.execute(db);
  return r.rows;
}

/** A case's 地域 (the case room). */
export async function casePlaces(db: Db, caseId: string): Promise<string[]> {
  const r = await sql<{ places: string[] }>`select ${casePlaceLabels('c.id')} as places from cases c where c.id = ${caseId}`.execute(db);
  return r.rows[0]?.places ?? [];
}

/**
 * The 乡镇 / 村 set by hand on a case (null: its places are its items'), the 地域 they read as when
 * set, and whether the 辖区 still holds them (false: ignored, the items' places count).
 */
export async function caseHandPlaces(db: Db, caseId: string): Promise<{ town: string | null; village: string | null; label: string | null; held: boolean }> {
  const r = await sql<{ town: string | null; village: string | null; label: string | null; held: boolean }>`
    select c.place_town as town, c.place_village as village, c.place_label as label, ${handHeld('c')} as held
    from cases c where c.id = ${caseId}`.execute(db);
  return r.rows[0] ?? { town: null, village: null, label: null, held: false };
}

/**
 * Sets (or, with null, clears) the case's 乡镇 / 村 by hand, with the 地域 they read as now (kept to
 * name them should the 辖区 drop them later); the caller holds the case's row lock.
 */
export async function setCaseHandPlaces(trx: Db, caseId: string, town: string | null, village: string | null): Promise<void> {
  const villages = village === null ? sql`'{}'::text[]` : sql`array[${village}]::text[]`;
  const label = town === null ? sql`null` : sql`nullif(array_to_string(place_labels(array[${town}]::text[], ${villages}), '、'), '')`;
  await sql`update cases set place_town = ${town}, place_village = ${village}, place_label = ${label} where id = ${caseId}`.execute(trx);
}

/** A place of the gazetteer (a town or village), or undefined. */
export async function findAreaPlace(db: Db, code: string): Promise<{ code: string; name: string; kind: PlaceKind; parentCode: string | null } | undefined> {
  const r = await placesDb(db).selectFrom('area_places').select(['code', 'name', 'kind', 'parent_code']).where('code', '=', code).executeTakeFirst();
  return r && { code: r.code, name: r.name, kind: r.kind, parentCode: r.parent_code };
}

/** A town's villages (the case room's picker), in code order. */
export async function townVillages(db: Db, town: string): Promise<{ code: string; name: string }[]> {
  return placesDb(db).selectFrom('area_places').select(['code', 'name']).where('kind', '=', 'village').where('parent_code', '=', town).orderBy('code').execute();
}

// Back-fill (services/places/backfill.ts): items whose places were found with an older area
// version than the current one (items.places_version, migration 0038), recent first.

/** The area's version (a plain integer; bumped by every save). FOR SHARE: a save waits for the caller's transaction. */
export async function lockedAreaVersion(trx: Db): Promise<number> {
  const r = await sql<{ version: number }>`select version from area_settings where id = 1 for share`.execute(trx);
  return r.rows[0]?.version ?? 0;
}

/** Up to `limit` items of an older area version, newest first, below `belowId` if given; rows another back-fill holds are skipped. */
export async function staleItems(trx: Db, version: number, limit: number, belowId: string | null): Promise<{ id: string; title: string; text: string }[]> {
  const r = await sql<{ id: string; title: string; text: string }>`
    select id::text as id, title, text from items
    where places_version < ${version} ${belowId === null ? sql`` : sql`and id < ${belowId}::bigint`}
    order by id desc limit ${limit}
    for update skip locked`.execute(trx);
  return r.rows;
}

/** Writes the places found again and stamps the items with the version they were found with. */
export async function updateItemPlaces(trx: Db, version: number, rows: readonly { id: string; towns: string[]; villages: string[] }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update items set place_towns = array(select jsonb_array_elements_text(u.towns::jsonb)),
                     place_villages = array(select jsonb_array_elements_text(u.villages::jsonb)),
                     places_version = ${version}
    from unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => JSON.stringify(r.towns))}::text[], ${rows.map((r) => JSON.stringify(r.villages))}::text[]) as u(id, towns, villages)
    where items.id = u.id`.execute(trx);
}

// Progress (migration 0039): one row, kept as the work advances, so 管理 → 辖区 reads it without
// counting items. Lock order: area_settings (FOR SHARE in a batch, FOR UPDATE in a save) before
// this row, so batches and saves never wait on each other in a circle.

/** How far the back-fill is: of the items stored before the last save (total), those found again (done). One row. */
export async function backfillProgress(db: Db): Promise<{ version: number; done: number; total: number }> {
  const r = await sql<{ version: number; done: number; total: number }>`select version, done, total from place_backfill_progress where id = 1`.execute(db);
  return r.rows[0] ?? { version: 0, done: 0, total: 0 };
}

/**
 * A save (in its transaction, after bumping the version, holding the area row so no batch or ingest
 * is half-way): every item stored until now is of an older version, all of them the work. The one
 * count over the items, once per save.
 */
export async function resetBackfillProgress(trx: Db): Promise<void> {
  await sql`
    insert into place_backfill_progress (id, version, total, done)
    select 1, s.version, (select count(*)::int from items where places_version < s.version), 0 from area_settings s where s.id = 1
    on conflict (id) do update set version = excluded.version, total = excluded.total, done = 0`.execute(trx);
}

/**
 * A batch (in its transaction) found the places of `count` items again for `version`. A save since
 * (another version) leaves the row alone. An item of an older version that committed after the save
 * counted the items is work too: total grows with it rather than done passing it.
 */
export async function addBackfillDone(trx: Db, version: number, count: number): Promise<void> {
  if (count === 0) return;
  await sql`
    update place_backfill_progress set done = done + ${count}, total = greatest(total, done + ${count})
    where id = 1 and version = ${version}`.execute(trx);
}

/**
 * At the end of a pass with nothing of an older version left: done = total (items counted at the save
 * but gone since would otherwise keep the line running). One statement, so a save committed meanwhile
 * (another version) is left alone.
 */
export async function settleBackfillProgress(db: Db): Promise<void> {
  await sql`
    update place_backfill_progress p set done = p.total
    where p.id = 1 and p.done < p.total
      and p.version = (select version from area_settings where id = 1)
      and not exists (select 1 from items where places_version < p.version)`.execute(db);
}

/**
 * True when some item of an older area version is not being worked on by another run now (its row
 * not locked): the end of a pass is "finished" when what is left is only another run's current batch.
 */
export async function backfillPendingUnlocked(db: Db): Promise<boolean> {
  const r = await sql<{ id: string }>`
    select i.id from items i where i.places_version < (select version from area_settings where id = 1)
    limit 1 for key share of i skip locked`.execute(db);
  return r.rows.length > 0;
}

/** True when some item's places are of an older area version (an index look-up). */
export async function backfillPending(db: Db): Promise<boolean> {
  const r = await sql<{ pending: boolean }>`select exists (select 1 from items where places_version < (select version from area_settings where id = 1)) as pending`.execute(db);
  return r.rows[0]?.pending ?? false;
}
