import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import * as repo from '../../db/repos/places.js';
import { fieldError } from '../../platform/errors.js';
import { caseFor, caseNotFound, type Who } from '../responses/guard.js';
import { refuseClosedCase } from '../shared/closed-case.js';
import type { ModuleDeps } from '../shared/deps.js';
import type { CasePlacesInput, CasePlacesView } from './schema.js';

// 地域 of a case set by hand (the case room's 地域 picker: 乡镇, then 村). A case registered by hand
// has no items, so no places; one whose items name the wrong place may be corrected. What is set
// here replaces the places of the items everywhere the case's 地域 is read (the case room, the
// ledger's column and 乡镇 filter, its exports, the statistics by 乡镇); clearing it (town null)
// goes back to the items' places, and so does a 乡镇 or 村 the 辖区 drops later (resolved when read:
// the case room says the hand-set 地域 is no longer of the 辖区; re-adding it brings it back). Duty officers, reviewers, admins and the case's own handlers;
// audited in the same transaction; refused on a closed case.

async function view(deps: ModuleDeps, caseId: string): Promise<CasePlacesView> {
  const [places, hand, towns] = await Promise.all([repo.casePlaces(deps.db, caseId), repo.caseHandPlaces(deps.db, caseId), repo.areaTowns(deps.db)]);
  // A hand-set 乡镇 / 村 the 辖区 no longer holds reads as never set (the items' places count); the
  // case room names it so it can be set again.
  if (hand.town !== null && !hand.held) {
    return { places, byHand: false, handRemoved: hand.label ?? hand.town, town: null, village: null, towns, villages: [] };
  }
  const [town, village] = await Promise.all([
    hand.town === null ? null : repo.findAreaPlace(deps.db, hand.town),
    hand.village === null ? null : repo.findAreaPlace(deps.db, hand.village),
  ]);
  return {
    places,
    byHand: hand.town !== null,
    handRemoved: null,
    town: town ? { code: town.code, name: town.name } : null,
    village: village ? { code: village.code, name: village.name } : null,
    towns,
    villages: hand.town === null ? [] : await repo.townVillages(deps.db, hand.town),
  };
}

export async function getCasePlaces(deps: ModuleDeps, who: Who, caseId: string): Promise<CasePlacesView> {
  const c = await caseFor(deps.db, caseId, who.user);
  return view(deps, c.id);
}

/** The 乡镇 and 村 of the input, checked against the gazetteer (400 when not of the area). */
async function checkInput(deps: ModuleDeps, input: CasePlacesInput): Promise<{ town: string | null; village: string | null }> {
  const village = input.village ?? null;
  if (input.town === null) {
    if (village !== null) throw fieldError('village', 'needs its town', '请先选择乡镇（街道）');
    return { town: null, village: null };
  }
  const town = await repo.findAreaPlace(deps.db, input.town);
  if (!town || town.kind !== 'town') throw fieldError('town', 'is not a town of the area', '不是本辖区的乡镇（街道）');
  if (village !== null) {
    const v = await repo.findAreaPlace(deps.db, village);
    if (!v || v.kind !== 'village' || v.parentCode !== town.code) throw fieldError('village', 'is not a village of that town', '不是所选乡镇（街道）的村（社区）');
  }
  return { town: town.code, village };
}

export async function setCasePlaces(deps: ModuleDeps, who: Who, caseId: string, input: CasePlacesInput): Promise<CasePlacesView> {
  const c = await caseFor(deps.db, caseId, who.user);
  const next = await checkInput(deps, input);
  const changed = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, c.id, who.user);
    if (!locked) throw caseNotFound();
    refuseClosedCase(locked);
    const hand = await repo.caseHandPlaces(trx, c.id);
    const before = { town: hand.town, village: hand.village };
    if (before.town === next.town && before.village === next.village) return false;
    const labelsBefore = await repo.casePlaces(trx, c.id);
    await repo.setCaseHandPlaces(trx, c.id, next.town, next.village);
    const labelsAfter = await repo.casePlaces(trx, c.id);
    await writeAudit(trx, {
      actor: who.actor,
      entity: 'case',
      entityId: c.id,
      caseId: c.id,
      action: 'case.places',
      before: { ...before, places: labelsBefore },
      after: { ...next, places: labelsAfter },
    });
    return true;
  });
  if (changed) await deps.emit({ type: 'case.updated', caseId: c.id });
  return view(deps, c.id);
}

/** A town's villages (the picker's second step). */
export async function listVillages(deps: ModuleDeps, town: string) {
  if (!(await repo.townExists(deps.db, town))) throw fieldError('town', 'is not a town of the area', '不是本辖区的乡镇（街道）');
  return { villages: await repo.townVillages(deps.db, town) };
}
