import { createRoute } from '@hono/zod-openapi';
import { ROLES } from '../../../core/vocabulary.js';
import { ForwardingView, ForwardReplyInput, VerificationInput } from '../../../services/forwarding/schema.js';
import * as service from '../../../services/forwarding/service.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { requireRole, whoOf as who } from '../../middleware/auth.js';
import { BigIdParams, createRouter, denied, errors, json, jsonBody } from '../../openapi.js';

// Forwarded opinions (网信办 / 政府办转办): the 核实 result and the replies to the forwarding office.

const tags = ['forwarding'];

const get = createRoute({
  method: 'get',
  path: '/api/cases/{id}/forwarding',
  tags,
  summary: '转办舆情：核实结果、向转办单位反馈的时限和反馈记录',
  middleware: [requireRole(...ROLES)] as const,
  request: { params: BigIdParams },
  responses: { 200: json(ForwardingView, 'The forwarding of the case'), ...denied, 404: errors[404] },
});
const verify = createRoute({
  method: 'post',
  path: '/api/cases/{id}/verification',
  tags,
  summary: '登记核实结果（属实 / 部分属实 / 不属实；牵头单位经办人或审核人）；转办舆情须先核实再起草回应',
  middleware: [requireRole('handler', 'reviewer')] as const,
  request: { params: BigIdParams, body: jsonBody(VerificationInput) },
  responses: { 200: json(ForwardingView, 'Verification recorded'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});
const reply = createRoute({
  method: 'post',
  path: '/api/cases/{id}/forward-replies',
  tags,
  summary: '登记向转办单位反馈办理情况（满足“向转办单位反馈办理情况”时限；可补录反馈时间）',
  middleware: [requireRole('handler', 'reviewer')] as const,
  request: { params: BigIdParams, body: jsonBody(ForwardReplyInput) },
  responses: { 201: json(ForwardingView, 'Reply recorded'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});

export function forwardingRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(get, async (c) => c.json(await service.forwardingView(deps, who(c), c.req.valid('param').id), 200))
    .openapi(verify, async (c) => c.json(await service.recordVerification(deps, who(c), c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(reply, async (c) => c.json(await service.recordForwardReply(deps, who(c), c.req.valid('param').id, c.req.valid('json')), 201));
}
