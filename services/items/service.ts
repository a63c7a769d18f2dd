import { listItems as listItemRows } from '../../db/repos/items.js';
import { checkTown } from '../places/area.js';
import { decodeCursor, paginate } from '../shared/cursor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { presentItem } from './present.js';
import type { ItemQuery } from './schema.js';

/** A keyset page of crawled items matching the search (newest fetched first). */
export async function searchItems(deps: ModuleDeps, q: ItemQuery) {
  const { cursor, limit, ...filter } = q;
  const rows = await listItemRows(deps.db, { ...filter, town: await checkTown(deps, filter.town), after: decodeCursor(cursor), limit: limit + 1 });
  const { page, nextCursor } = paginate(rows, limit, (r) => ({ at: r.fetched_key, id: r.id }));
  return { items: page.map(presentItem), nextCursor };
}
