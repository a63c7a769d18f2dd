import { createRoute } from '@hono/zod-openapi';
import { createRouter, DeletedSchema, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { FetchList, FetchQuery, SourceCreate, SourceList, SourcePatch, SourcePreviewInput, SourcePreviewResult, SourceView } from '../../../services/sources/schema.js';
import * as service from '../../../services/sources/service.js';
import { actorOf, currentUser, requireRole } from '../../middleware/auth.js';

const read = requireRole('admin', 'duty');
const write = requireRole('admin');
const tags = ['sources'];

const list = createRoute({ method: 'get', path: '/api/sources', tags,
  middleware: [read], summary: '监测源列表（含抓取健康状态）', responses: { 200: json(SourceList, 'Sources') } });
const create = createRoute({
  method: 'post',
  path: '/api/sources',
  tags,
  middleware: [write],
  summary: '新建监测源',
  request: { body: jsonBody(SourceCreate) },
  responses: { 201: json(SourceView, 'Created'), 400: errors[400], 409: errors[409] },
});
const preview = createRoute({
  method: 'post',
  path: '/api/sources/preview',
  tags,
  middleware: [write],
  summary: '试抓取：按表单内容抓取并解析一次，返回前 20 条（不写入任何数据）',
  request: { body: jsonBody(SourcePreviewInput) },
  responses: { 200: json(SourcePreviewResult, 'What the source yields now'), 400: errors[400] },
});
const get = createRoute({
  method: 'get',
  path: '/api/sources/{id}',
  tags,
  middleware: [read],
  request: { params: IntIdParams },
  responses: { 200: json(SourceView, 'Source'), 404: errors[404] },
});
const patch = createRoute({
  method: 'patch',
  path: '/api/sources/{id}',
  tags,
  middleware: [write],
  summary: '修改监测源（启停或改网址会立即排入抓取）',
  request: { params: IntIdParams, body: jsonBody(SourcePatch) },
  responses: { 200: json(SourceView, 'Updated'), 400: errors[400], 404: errors[404], 409: errors[409] },
});
const remove = createRoute({
  method: 'delete',
  path: '/api/sources/{id}',
  tags,
  middleware: [write],
  request: { params: IntIdParams },
  responses: { 200: json(DeletedSchema, 'Deleted'), 404: errors[404] },
});
const fetches = createRoute({
  method: 'get',
  path: '/api/sources/{id}/fetches',
  tags,
  middleware: [read],
  summary: '抓取记录（最新在前）',
  request: { params: IntIdParams, query: FetchQuery },
  responses: { 200: json(FetchList, 'Fetch history'), 404: errors[404] },
});
const fetchNow = createRoute({
  method: 'post',
  path: '/api/sources/{id}/fetch-now',
  tags,
  middleware: [write],
  summary: '立即抓取',
  request: { params: IntIdParams },
  responses: { 200: json(SourceView, 'Due now'), 404: errors[404] },
});

export function sourcesRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json({ sources: await service.listSources(deps, { revealHeaders: currentUser(c).role === 'admin' }) }, 200))
    .openapi(create, async (c) => c.json(await service.createSource(deps, c.req.valid('json'), actorOf(c)), 201))
    .openapi(preview, async (c) => c.json(await service.previewSourceFetch(deps, c.req.valid('json'), actorOf(c)), 200))
    .openapi(get, async (c) => c.json(await service.getSource(deps, c.req.valid('param').id, { revealHeaders: currentUser(c).role === 'admin' }), 200))
    .openapi(patch, async (c) => c.json(await service.updateSource(deps, c.req.valid('param').id, c.req.valid('json'), actorOf(c)), 200))
    .openapi(remove, async (c) => {
      const { id } = c.req.valid('param');
      await service.deleteSource(deps, id, actorOf(c));
      return c.json({ id, deleted: true as const }, 200);
    })
    .openapi(fetches, async (c) => {
      const { id } = c.req.valid('param');
      return c.json({ fetches: await service.listFetches(deps, id, c.req.valid('query').limit) }, 200);
    })
    .openapi(fetchNow, async (c) => c.json(await service.fetchNow(deps, c.req.valid('param').id, actorOf(c)), 200));
}
