import { compileGazetteer, findPlaces, type CompiledGazetteer, type FoundPlaces } from '../../core/places.js';
import type { Db } from '../../db/client.js';
import { areaVersion, loadAreaPlaces } from '../../db/repos/places.js';

// The area's compiled gazetteer, shared by every ingest of this process: compiled again only when
// the area was saved since (one small read per batch tells). Crawled and submitted items both get
// their places here, in the ingest's transaction (services/crawl/ingest.ts).

let current: { version: string; compiled: CompiledGazetteer } | null = null;

export async function areaGazetteer(db: Db): Promise<CompiledGazetteer> {
  const version = await areaVersion(db);
  if (current?.version === version) return current.compiled;
  const compiled = compileGazetteer(await loadAreaPlaces(db));
  current = { version, compiled };
  return compiled;
}

/** The places named by each item's title and text. */
export async function placesOfItems(db: Db, items: readonly { title: string; text: string }[]): Promise<FoundPlaces[]> {
  if (items.length === 0) return [];
  const g = await areaGazetteer(db);
  if (g.byCode.size === 0) return items.map(() => ({ towns: [], villages: [] }));
  return items.map((it) => findPlaces(g, `${it.title}\n${it.text}`));
}
