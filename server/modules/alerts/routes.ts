import { createRoute, z } from '@hono/zod-openapi';
import { requireRole, actorOf } from '../../middleware/auth.js';
import { BigIdParams, createRouter, errors, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { AlertPage, AlertQuery, AlertView, BulkDismissInput, BulkDismissResult, DismissInput } from '../../../services/alerts/schema.js';
import * as service from '../../../services/alerts/service.js';
import { AttachInput } from '../../../services/cases/schema.js';
import { attachAlert } from '../../../services/cases/triage.js';

const read = requireRole('duty', 'reviewer', 'leader', 'admin');
const triage = requireRole('duty', 'admin');

const tags = ['alerts'];

const list = createRoute({
  method: 'get',
  path: '/api/alerts',
  tags,
  middleware: [read],
  summary: '预警队列（最近更新在前，游标分页）',
  request: { query: AlertQuery },
  responses: { 200: json(AlertPage, 'A page of alerts'), 400: errors[400] },
});
const get = createRoute({
  method: 'get',
  path: '/api/alerts/{id}',
  tags,
  middleware: [read],
  request: { params: BigIdParams },
  responses: { 200: json(AlertView, 'Alert'), 404: errors[404] },
});
const dismiss = createRoute({
  method: 'post',
  path: '/api/alerts/{id}/dismiss',
  tags,
  middleware: [triage],
  summary: '研判：排除预警',
  request: { params: BigIdParams, body: jsonBody(DismissInput) },
  responses: { 200: json(AlertView, 'Dismissed'), 400: errors[400], 404: errors[404], 409: errors[409] },
});

const dismissMany = createRoute({
  method: 'post',
  path: '/api/alerts/dismiss',
  tags,
  middleware: [triage],
  summary: '研判：批量排除预警（同一理由）',
  request: { body: jsonBody(BulkDismissInput) },
  responses: { 200: json(BulkDismissResult, 'Dismissed; alerts already triaged are listed as skipped'), 400: errors[400] },
});
const restore = createRoute({
  method: 'post',
  path: '/api/alerts/{id}/restore',
  tags,
  middleware: [triage],
  summary: '撤销排除：恢复为待研判',
  request: { params: BigIdParams },
  responses: { 200: json(AlertView, 'Restored'), 404: errors[404], 409: errors[409] },
});
const attach = createRoute({
  method: 'post',
  path: '/api/alerts/{id}/attach',
  tags,
  summary: '研判：并入已有事件',
  middleware: [triage],
  request: { params: BigIdParams, body: jsonBody(AttachInput) },
  responses: {
    200: json(z.object({ alertId: z.string(), storyId: z.string(), caseId: z.string(), evidenceAdded: z.number().int() }), 'Attached'),
    400: errors[400],
    404: errors[404],
    409: errors[409],
  },
});

export function alertsRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json(await service.listAlerts(deps, c.req.valid('query')), 200))
    .openapi(get, async (c) => c.json(await service.getAlert(deps, c.req.valid('param').id), 200))
    .openapi(dismiss, async (c) =>
      c.json(await service.dismissAlert(deps, c.req.valid('param').id, c.req.valid('json'), actorOf(c)), 200),
    )
    .openapi(dismissMany, async (c) => {
      const { ids, ...d } = c.req.valid('json');
      return c.json(await service.dismissAlerts(deps, ids, d, actorOf(c)), 200);
    })
    .openapi(restore, async (c) => c.json(await service.restoreAlert(deps, c.req.valid('param').id, actorOf(c)), 200))
    .openapi(attach, async (c) => c.json(await attachAlert(deps, c.req.valid('param').id, c.req.valid('json').caseId, actorOf(c)), 200));
}
