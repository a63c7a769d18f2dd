import * as repo from '../../../db/repos/sources.js';
import type { SourceUpdate } from '../../../db/schema.js';
import { conflict, fieldError, notFound } from '../../errors.js';
import type { ModuleDeps } from '../shared/deps.js';
import { presentFetch, presentSource } from './present.js';
import { SITE_NEEDS_SELECTORS, type SourceCreate, type SourcePatch, type SourceView } from './schema.js';
import { validateSourceUrl } from './url-check.js';

const sourceNotFound = () => notFound('Source', '监测源');

async function assertUrlFree(deps: ModuleDeps, url: string, exceptId?: number): Promise<void> {
  if (await repo.sourceUrlTaken(deps.db, url, exceptId)) {
    throw conflict('A source with this URL already exists', '已存在相同网址的监测源', { field: 'url' });
  }
}

export async function getSource(deps: ModuleDeps, id: number): Promise<SourceView> {
  const row = await repo.findSource(deps.db, id);
  if (!row) throw sourceNotFound();
  return presentSource(row, deps.now());
}

export async function listSources(deps: ModuleDeps): Promise<SourceView[]> {
  const now = deps.now();
  return (await repo.listSources(deps.db)).map((s) => presentSource(s, now));
}

export async function createSource(deps: ModuleDeps, input: SourceCreate): Promise<SourceView> {
  await validateSourceUrl(deps.db, input.url);
  await assertUrlFree(deps, input.url);
  const now = deps.now();
  const row = await repo.insertSource(deps.db, {
    name: input.name,
    url: input.url,
    kind: input.kind,
    media_type: input.mediaType,
    region: input.region,
    charset: input.charset,
    selectors: input.kind === 'site' && input.selectors ? JSON.stringify(input.selectors) : null,
    poll_interval_s: input.pollIntervalS,
    enabled: input.enabled,
    next_fetch_at: now,
    created_at: now,
    updated_at: now,
  });
  await deps.emit({ type: 'source.updated', sourceId: row.id });
  return getSource(deps, row.id);
}

export async function updateSource(deps: ModuleDeps, id: number, patch: SourcePatch): Promise<SourceView> {
  const existing = await repo.findSource(deps.db, id);
  if (!existing) throw sourceNotFound();
  const kind = patch.kind ?? existing.kind;
  const selectors = patch.selectors !== undefined ? patch.selectors : existing.selectors;
  if (kind === 'site' && !selectors) throw fieldError('selectors', SITE_NEEDS_SELECTORS.message, SITE_NEEDS_SELECTORS.messageZh);
  const urlChanged = patch.url !== undefined && patch.url !== existing.url;
  if (urlChanged) {
    await validateSourceUrl(deps.db, patch.url!);
    await assertUrlFree(deps, patch.url!, id);
  }
  const parsingChanged =
    kind !== existing.kind ||
    (patch.charset !== undefined && patch.charset !== existing.charset) ||
    (patch.selectors !== undefined && JSON.stringify(patch.selectors) !== JSON.stringify(existing.selectors));
  const set: SourceUpdate = {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.url !== undefined && { url: patch.url }),
    ...(patch.mediaType !== undefined && { media_type: patch.mediaType }),
    ...(patch.region !== undefined && { region: patch.region }),
    ...(patch.charset !== undefined && { charset: patch.charset }),
    ...(patch.pollIntervalS !== undefined && { poll_interval_s: patch.pollIntervalS }),
    ...(patch.enabled !== undefined && { enabled: patch.enabled }),
    kind,
    selectors: kind === 'site' && selectors ? JSON.stringify(selectors) : null,
  };
  await repo.updateSource(
    deps.db,
    id,
    { set, dueNow: patch.enabled !== undefined || urlChanged || parsingChanged, forgetValidators: urlChanged || parsingChanged },
    deps.now(),
  );
  await deps.emit({ type: 'source.updated', sourceId: id });
  return getSource(deps, id);
}

export async function deleteSource(deps: ModuleDeps, id: number): Promise<void> {
  if (!(await repo.deleteSource(deps.db, id))) throw sourceNotFound();
  await deps.emit({ type: 'source.updated', sourceId: id });
}

/** Makes the source due now; the scheduler enqueues it on its next tick. */
export async function fetchNow(deps: ModuleDeps, id: number): Promise<SourceView> {
  const row = await repo.updateSource(deps.db, id, { set: {}, dueNow: true, forgetValidators: false }, deps.now());
  if (!row) throw sourceNotFound();
  await deps.emit({ type: 'source.updated', sourceId: id });
  return getSource(deps, id);
}

export async function listFetches(deps: ModuleDeps, id: number, limit: number) {
  if (!(await repo.findSource(deps.db, id))) throw sourceNotFound();
  return (await repo.listFetches(deps.db, id, limit)).map(presentFetch);
}
