import { createRoute } from '@hono/zod-openapi';
import { listItems } from '../../../db/repos/items.js';
import { createRouter, errors, json } from '../../openapi.js';
import { decodeCursor, paginate } from '../../../services/shared/cursor.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { presentItem } from '../../../services/items/present.js';
import { ItemPage, ItemQuery } from '../../../services/items/schema.js';
import { requireRole } from '../../middleware/auth.js';

const read = requireRole('duty', 'reviewer', 'leader', 'admin');

const list = createRoute({
  method: 'get',
  path: '/api/items',
  tags: ['items'],
  middleware: [read],
  summary: '信息检索（按抓取时间倒序，游标分页）',
  request: { query: ItemQuery },
  responses: { 200: json(ItemPage, 'A page of items'), 400: errors[400] },
});

export function itemsRoutes(deps: ModuleDeps) {
  return createRouter().openapi(list, async (c) => {
    const { cursor, limit, ...filter } = c.req.valid('query');
    const rows = await listItems(deps.db, { ...filter, after: decodeCursor(cursor), limit: limit + 1 });
    const { page, nextCursor } = paginate(rows, limit, (r) => ({ at: r.fetched_key, id: r.id }));
    return c.json({ items: page.map(presentItem), nextCursor }, 200);
  });
}
