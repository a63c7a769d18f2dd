import { DISCLOSURE_LABELS, type OfficeProfile } from '../../core/reports/office.js';
import { writeAudit } from '../../db/repos/audit.js';
import * as repo from '../../db/repos/office-profile.js';
import { userName } from '../../db/repos/reports.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import type { OfficeProfileInput, OfficeProfileView } from './schema.js';

// The office profile (单位信息): read by reviewers, leaders and admins; written by an admin, the
// change and its audit row in one transaction. Every document is rendered with it (an issued
// notice keeps the profile it was issued under).

const profileOf = (p: repo.OfficeProfileRow): OfficeProfile => ({
  organ: p.organ,
  mark: p.mark,
  serialFormats: p.serialFormats,
  recipients: p.recipients,
  copyTo: p.copyTo,
  printingOrgan: p.printingOrgan,
  signature: p.signature,
  disclosure: p.disclosure,
  rectificationTo: p.rectificationTo,
});

async function present(deps: ModuleDeps, p: repo.OfficeProfileRow): Promise<OfficeProfileView> {
  return { ...profileOf(p), disclosureLabel: DISCLOSURE_LABELS[p.disclosure], updatedAt: p.updatedAt.toISOString(), updatedBy: await userName(deps.db, p.updatedBy) };
}

export async function getOfficeProfile(deps: ModuleDeps): Promise<OfficeProfileView> {
  return present(deps, await repo.getOfficeProfile(deps.db));
}

export async function putOfficeProfile(deps: ModuleDeps, input: OfficeProfileInput, actor: Actor): Promise<OfficeProfileView> {
  const row = await deps.db.transaction().execute(async (trx) => {
    const before = await repo.lockOfficeProfile(trx);
    // A profile written without the 快报 scheme keeps the one it had.
    const serialFormats = { ...input.serialFormats, flash: input.serialFormats.flash ?? before.serialFormats.flash, daily: input.serialFormats.daily ?? before.serialFormats.daily, special: input.serialFormats.special ?? before.serialFormats.special };
    const after = await repo.updateOfficeProfile(trx, { ...input, serialFormats }, actor.id, deps.now());
    await writeAudit(trx, { actor, entity: 'office_profile', entityId: '1', action: 'office_profile.update', before: profileOf(before), after: profileOf(after) });
    return after;
  });
  return present(deps, row);
}
