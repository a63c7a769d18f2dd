import { createRoute } from '@hono/zod-openapi';
import { ROLES } from '../../../core/vocabulary.js';
import { CallbackInput, CallbacksView } from '../../../services/callbacks/schema.js';
import * as service from '../../../services/callbacks/service.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { requireRole, whoOf as who } from '../../middleware/auth.js';
import { BigIdParams, createRouter, denied, errors, json, jsonBody } from '../../openapi.js';

// 回访 of hotline / mailbox cases after the reply is published.

const tags = ['follow-up'];

const list = createRoute({
  method: 'get',
  path: '/api/cases/{id}/callbacks',
  tags,
  summary: '回访记录（热线、信箱来信）',
  middleware: [requireRole(...ROLES)] as const,
  request: { params: BigIdParams },
  responses: { 200: json(CallbacksView, 'Call-backs of the case'), ...denied, 404: errors[404] },
});
const record = createRoute({
  method: 'post',
  path: '/api/cases/{id}/callbacks',
  tags,
  summary: '登记回访（满意 / 基本满意 / 不满意；牵头单位经办人、值班员或审核人；可补录回访时间）',
  middleware: [requireRole('handler', 'duty', 'reviewer', 'admin')] as const,
  request: { params: BigIdParams, body: jsonBody(CallbackInput) },
  responses: { 201: json(CallbacksView, 'Call-back recorded'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});

export function callbacksRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json(await service.callbacksView(deps, who(c), c.req.valid('param').id), 200))
    .openapi(record, async (c) => c.json(await service.recordCallback(deps, who(c), c.req.valid('param').id, c.req.valid('json')), 201));
}
