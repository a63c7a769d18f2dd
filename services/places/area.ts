import { type GazetteerPlace } from '../../core/places.js';
import { writeAudit } from '../../db/repos/audit.js';
import * as repo from '../../db/repos/places.js';
import { userName } from '../../db/repos/reports.js';
import { statsRange } from '../../core/stats.js';
import { fieldError } from '../../platform/errors.js';
import type { Db } from '../../db/client.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { rangeError } from '../stats/service.js';
import { backfillProgress } from './backfill.js';
import * as divisions from './divisions.js';
import type { AreaInput, AreaView, PlaceStatsView } from './schema.js';

// 管理 → 辖区: the office's own area. Saving it builds the gazetteer (area_places) from the county's
// 乡镇/街道 and 村/社区 in the administrative divisions plus the names the office adds by hand, the
// settings, the gazetteer and the audit row in one transaction. Items ingested from then on get
// their places from it (services/places/gazetteer.ts); items stored before get them from the
// back-fill the save starts (services/places/backfill.ts: the worker's places.backfill tick).

type BuiltPlace = GazetteerPlace & { byOffice: boolean };

/** The gazetteer of a county and the office's names; a name that cannot be placed is a 400. */
export async function buildGazetteer(countyCode: string | null, extras: AreaInput['extras']): Promise<BuiltPlace[]> {
  const places: BuiltPlace[] = countyCode ? (await divisions.countyPlaces(countyCode)).map((p) => ({ ...p, aliases: [...p.aliases], byOffice: false })) : [];
  const byCode = new Map(places.map((p) => [p.code, p]));
  const add = (p: BuiltPlace, i: number) => {
    if (byCode.has(p.code)) throw fieldError(`extras.${i}.name`, 'is listed twice', '重复添加');
    byCode.set(p.code, p);
    places.push(p);
  };
  // New town-level places first (a new village may belong to one), then new villages, then aliases.
  extras.forEach((e, i) => {
    if (e.aliasOf === null && e.townCode === null) add({ code: `x-${e.name}`, name: e.name, kind: 'town', parentCode: null, aliases: [], byOffice: true }, i);
  });
  extras.forEach((e, i) => {
    if (e.aliasOf !== null || e.townCode === null) return;
    if (byCode.get(e.townCode)?.kind !== 'town') throw fieldError(`extras.${i}.townCode`, 'is not a town of the area', '不是本辖区的乡镇（街道）');
    add({ code: `${e.townCode}-x-${e.name}`, name: e.name, kind: 'village', parentCode: e.townCode, aliases: [], byOffice: true }, i);
  });
  extras.forEach((e, i) => {
    if (e.aliasOf === null) return;
    const target = byCode.get(e.aliasOf);
    if (!target) throw fieldError(`extras.${i}.aliasOf`, 'is not a place of the area', '不是本辖区的地名');
    if (!target.aliases.includes(e.name) && target.name !== e.name) target.aliases = [...target.aliases, e.name];
  });
  return places;
}

async function present(deps: ModuleDeps, s: repo.AreaSettingsRow): Promise<AreaView> {
  const places = await repo.loadAreaPlaces(deps.db);
  const county = s.countyCode ? divisions.county(s.countyCode) : null;
  return {
    countyCode: s.countyCode,
    county,
    areaName: s.areaName || county?.name || '',
    extras: s.extras,
    towns: places.filter((p) => p.kind === 'town').length,
    villages: places.filter((p) => p.kind === 'village').length,
    places: places.map((p) => ({ ...p, aliases: [...p.aliases] })),
    updatedAt: s.updatedAt.toISOString(),
    updatedBy: await userName(deps.db, s.updatedBy),
    backfill: await backfillProgress(deps.db),
  };
}

/** The back-fill's progress alone (what 管理 → 辖区 re-reads while it runs): one row. */
export async function getBackfillProgress(deps: ModuleDeps) {
  return backfillProgress(deps.db);
}

export async function getArea(deps: ModuleDeps): Promise<AreaView> {
  return present(deps, await repo.getAreaSettings(deps.db));
}

export async function putArea(deps: ModuleDeps, input: AreaInput, actor: Actor): Promise<AreaView> {
  return present(deps, await saveArea(deps.db, input, actor, deps.now()));
}

/** Saves the area and rebuilds the gazetteer, audited, in one transaction (the admin's PUT, the demo's seed). */
export async function saveArea(db: Db, input: AreaInput, actor: Actor | null, at: Date): Promise<repo.AreaSettingsRow> {
  if (input.countyCode !== null && !divisions.county(input.countyCode)) throw fieldError('countyCode', 'is not a county of the administrative divisions', '不是行政区划中的区县');
  const places = await buildGazetteer(input.countyCode, input.extras);
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockAreaSettings(trx);
    await repo.replaceAreaPlaces(trx, places);
    const after = await repo.updateAreaSettings(trx, input, actor?.id ?? null, at);
    await repo.resetBackfillProgress(trx);
    const summary = (s: repo.AreaSettingsRow) => ({ countyCode: s.countyCode, areaName: s.areaName, extras: s.extras });
    await writeAudit(trx, {
      actor,
      entity: 'area',
      entityId: '1',
      action: 'area.update',
      before: summary(before),
      after: { ...summary(after), towns: places.filter((p) => p.kind === 'town').length, villages: places.filter((p) => p.kind === 'village').length },
    });
    return after;
  });
}

/** Provinces (no parent), a province's cities, or a city's counties. */
export function listDivisions(parent: string | undefined) {
  if (parent === undefined) return { divisions: divisions.provinces() };
  return { divisions: parent.length === 2 ? divisions.cities(parent) : divisions.counties(parent) };
}

export async function listTowns(deps: ModuleDeps) {
  return { towns: await repo.areaTowns(deps.db) };
}

/** A town filter's value: a town of the area, or a 400. */
export async function checkTown(deps: ModuleDeps, code: string | undefined, field = 'town'): Promise<string | undefined> {
  if (code === undefined) return undefined;
  if (!(await repo.townExists(deps.db, code))) throw fieldError(field, 'is not a town of the area', '不是本辖区的乡镇（街道）');
  return code;
}

/** Alerts and cases by 乡镇 in a period (the statistics screen). */
export async function placeStats(deps: ModuleDeps, q: { from?: string; to?: string }): Promise<PlaceStatsView> {
  const range = statsRange(q, deps.now());
  if ('error' in range) throw rangeError(range.error);
  return { range: { from: range.from.toISOString(), to: range.to.toISOString() }, towns: await repo.countsByTown(deps.db, range.from, range.to) };
}
