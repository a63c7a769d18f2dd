import { createRoute } from '@hono/zod-openapi';
import { createRouter, DeletedSchema, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { AllowlistCreate, AllowlistList, AllowlistEntry } from '../../../services/allowlist/schema.js';
import * as service from '../../../services/allowlist/service.js';
import { actorOf, requireRole } from '../../middleware/auth.js';

// Admin allow-list: host:port pairs the crawler may fetch even when they resolve to private addresses.

const read = requireRole('admin', 'duty');
const write = requireRole('admin');
const tags = ['allowlist'];

const list = createRoute({ method: 'get', path: '/api/allowlist', tags,
  middleware: [read], summary: '内网抓取白名单', responses: { 200: json(AllowlistList, 'Entries') } });
const create = createRoute({
  method: 'post',
  path: '/api/allowlist',
  tags,
  middleware: [write],
  request: { body: jsonBody(AllowlistCreate) },
  responses: { 201: json(AllowlistEntry, 'Created'), 400: errors[400], 409: errors[409] },
});
const remove = createRoute({
  method: 'delete',
  path: '/api/allowlist/{id}',
  tags,
  middleware: [write],
  request: { params: IntIdParams },
  responses: { 200: json(DeletedSchema, 'Deleted'), 404: errors[404] },
});

export function allowlistRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json({ entries: await service.listEntries(deps) }, 200))
    .openapi(create, async (c) => c.json(await service.addEntry(deps, c.req.valid('json'), actorOf(c)), 201))
    .openapi(remove, async (c) => {
      const { id } = c.req.valid('param');
      await service.removeEntry(deps, id, actorOf(c));
      return c.json({ id, deleted: true as const }, 200);
    });
}
