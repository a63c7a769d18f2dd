import { createRoute } from '@hono/zod-openapi';
import type { Selectable } from 'kysely';
import * as repo from '../../../db/repos/allowlist.js';
import type { FetchAllowlistTable } from '../../../db/schema.js';
import { conflict, notFound } from '../../errors.js';
import { createRouter, DeletedSchema, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../shared/deps.js';
import { iso } from '../shared/present.js';
import { AllowlistCreate, AllowlistList, AllowlistEntry } from './schema.js';
import { requireRole } from '../../middleware/auth.js';

// Admin allow-list: host:port pairs the crawler may fetch even when they resolve to private addresses.

const read = requireRole('admin', 'duty');
const write = requireRole('admin');
const tags = ['allowlist'];

function present(r: Selectable<FetchAllowlistTable>): AllowlistEntry {
  return { id: r.id, hostPort: r.host_port, note: r.note, createdAt: iso(r.created_at) };
}

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
    .openapi(list, async (c) => c.json({ entries: (await repo.listAllowlist(deps.db)).map(present) }, 200))
    .openapi(create, async (c) => {
      const { hostPort, note } = c.req.valid('json');
      const row = await repo.insertAllowlistEntry(deps.db, hostPort, note);
      if (!row) throw conflict(`${hostPort} is already allow-listed`, `${hostPort} 已在白名单中`);
      return c.json(present(row), 201);
    })
    .openapi(remove, async (c) => {
      const { id } = c.req.valid('param');
      if (!(await repo.deleteAllowlistEntry(deps.db, id))) throw notFound('Allow-list entry', '白名单条目');
      return c.json({ id, deleted: true as const }, 200);
    });
}
