import { createRoute } from '@hono/zod-openapi';
import { ROLES } from '../../../core/vocabulary.js';
import { requireRole } from '../../middleware/auth.js';
import { BigIdParams, createRouter, errors, json, jsonBody } from '../../openapi.js';
import { denied } from '../../openapi.js';
import { whoOf as who } from '../../middleware/auth.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { CaseStateView, CloseInput, FeedbackInput, FeedbackList, FeedbackView, HeatView, ReopenInput } from '../../../services/followup/schema.js';
import * as service from '../../../services/followup/service.js';

const tags = ['follow-up'];

const listFeedback = createRoute({
  method: 'get',
  path: '/api/cases/{id}/feedback',
  tags,
  summary: '跟踪反馈记录',
  middleware: [requireRole(...ROLES)] as const,
  request: { params: BigIdParams },
  responses: { 200: json(FeedbackList, 'Feedback entries'), ...denied, 404: errors[404] },
});
const addFeedback = createRoute({
  method: 'post',
  path: '/api/cases/{id}/feedback',
  tags,
  summary: '添加跟踪反馈（舆论反应、后续处置、新发布信息）',
  middleware: [requireRole('handler', 'reviewer', 'admin')] as const,
  request: { params: BigIdParams, body: jsonBody(FeedbackInput) },
  responses: { 201: json(FeedbackView, 'Added'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});
const heat = createRoute({
  method: 'get',
  path: '/api/cases/{id}/heat',
  tags,
  summary: '回应前后热度对比（每小时信息量、新增来源）',
  middleware: [requireRole(...ROLES)] as const,
  request: { params: BigIdParams },
  responses: { 200: json(HeatView, 'Heat before vs after the first publication'), ...denied, 404: errors[404] },
});
const close = createRoute({
  method: 'post',
  path: '/api/cases/{id}/close',
  tags,
  summary: '办结（牵头单位经办人、审核人、管理员），记录回应效果',
  middleware: [requireRole('handler', 'reviewer', 'admin')] as const,
  request: { params: BigIdParams, body: jsonBody(CloseInput) },
  responses: { 200: json(CaseStateView, 'Closed'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});
const reopen = createRoute({
  method: 'post',
  path: '/api/cases/{id}/reopen',
  tags,
  summary: '重新打开已办结的事件（值班员、审核人、管理员）',
  middleware: [requireRole('duty', 'reviewer', 'admin')] as const,
  request: { params: BigIdParams, body: jsonBody(ReopenInput) },
  responses: { 200: json(CaseStateView, 'Reopened'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});

export function followupRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(listFeedback, async (c) => c.json(await service.listFeedback(deps, who(c), c.req.valid('param').id), 200))
    .openapi(addFeedback, async (c) => c.json(await service.addFeedback(deps, who(c), c.req.valid('param').id, c.req.valid('json')), 201))
    .openapi(heat, async (c) => c.json(await service.caseHeat(deps, who(c), c.req.valid('param').id), 200))
    .openapi(close, async (c) => c.json(await service.closeCase(deps, who(c), c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(reopen, async (c) => c.json(await service.reopenCase(deps, who(c), c.req.valid('param').id, c.req.valid('json').reason), 200));
}
