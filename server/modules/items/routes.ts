import { createRoute } from '@hono/zod-openapi';
import { createRouter, errors, json } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { searchItems } from '../../../services/items/service.js';
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
  return createRouter().openapi(list, async (c) => c.json(await searchItems(deps, c.req.valid('query')), 200));
}
