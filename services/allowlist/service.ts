import type { Selectable } from 'kysely';
import { writeAudit } from '../../db/repos/audit.js';
import * as repo from '../../db/repos/allowlist.js';
import type { FetchAllowlistTable } from '../../db/schema.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { iso } from '../shared/present.js';
import type { AllowlistEntry } from './schema.js';

// The crawler's private-address allow-list. An entry widens what the server may connect to, so
// each addition and removal writes its audit row in the transaction of the change.

type Row = Selectable<FetchAllowlistTable>;

export function presentEntry(r: Row): AllowlistEntry {
  return { id: r.id, hostPort: r.host_port, note: r.note, createdAt: iso(r.created_at) };
}

const audited = (r: Row) => ({ hostPort: r.host_port, note: r.note });

export async function listEntries(deps: ModuleDeps): Promise<AllowlistEntry[]> {
  return (await repo.listAllowlist(deps.db)).map(presentEntry);
}

export async function addEntry(deps: ModuleDeps, input: { hostPort: string; note: string }, actor: Actor): Promise<AllowlistEntry> {
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await repo.insertAllowlistEntry(trx, input.hostPort, input.note);
    if (!inserted) throw conflict(`${input.hostPort} is already allow-listed`, `${input.hostPort} 已在白名单中`);
    await writeAudit(trx, { actor, entity: 'allowlist', entityId: inserted.id, action: 'allowlist.create', after: audited(inserted) });
    return inserted;
  });
  return presentEntry(row);
}

export async function removeEntry(deps: ModuleDeps, id: number, actor: Actor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const removed = await repo.deleteAllowlistEntry(trx, id);
    if (!removed) throw notFound('Allow-list entry', '白名单条目');
    await writeAudit(trx, { actor, entity: 'allowlist', entityId: id, action: 'allowlist.delete', before: audited(removed) });
  });
}
