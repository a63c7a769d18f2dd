import { createRoute } from '@hono/zod-openapi';
import { ROLES } from '../../../core/vocabulary.js';
import { requireRole } from '../../middleware/auth.js';
import { BigIdParams, createRouter, errors, json, jsonBody } from '../../openapi.js';
import { denied } from '../../openapi.js';
import { whoOf as who } from '../../middleware/auth.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { CaseResponseParams, CountersignInput, DraftInput, EditInput, PublishInput, PublishResult, ResponseList, ResponseView, ReturnInput, SubmitInput } from '../../../services/responses/schema.js';
import * as service from '../../../services/responses/service.js';

const tags = ['responses'];

const stepRoute = <A extends string>(action: A, summary: string, roles: Parameters<typeof requireRole>) =>
  createRoute({
    method: 'post',
    path: `/api/cases/{id}/responses/{rid}/${action}`,
    tags,
    summary,
    middleware: [requireRole(...roles)] as const,
    request: { params: CaseResponseParams },
    responses: { 200: json(ResponseView, 'The response after the step'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
  });

const list = createRoute({
  method: 'get',
  path: '/api/cases/{id}/responses',
  tags,
  summary: '事件的回应（草稿、审核、发布记录）',
  middleware: [requireRole(...ROLES)] as const,
  request: { params: BigIdParams },
  responses: { 200: json(ResponseList, 'Responses of the case'), ...denied, 404: errors[404] },
});
const create = createRoute({
  method: 'post',
  path: '/api/cases/{id}/responses',
  tags,
  summary: '起草回应（牵头/协办单位经办人、审核人）',
  middleware: [requireRole('handler', 'reviewer')] as const,
  request: { params: BigIdParams, body: jsonBody(DraftInput) },
  responses: { 201: json(ResponseView, 'Draft created'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});
const edit = createRoute({
  method: 'patch',
  path: '/api/cases/{id}/responses/{rid}',
  tags,
  summary: '修改回应草稿（经办人；仅草稿或已退回）',
  middleware: [requireRole('handler')] as const,
  request: { params: CaseResponseParams, body: jsonBody(EditInput) },
  responses: { 200: json(ResponseView, 'Edited'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});
const submit = createRoute({
  method: 'post',
  path: '/api/cases/{id}/responses/{rid}/submit',
  tags,
  summary: '提交审核（经办人）；须附保密审查确认 secrecyConfirmed: true，记录确认人和时间；转办舆情须先核实；需会签时先请协办单位会签',
  middleware: [requireRole('handler')] as const,
  request: { params: CaseResponseParams, body: { required: false, content: { 'application/json': { schema: SubmitInput } } } },
  responses: { 200: json(ResponseView, 'Submitted'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});
const countersign = createRoute({
  method: 'post',
  path: '/api/cases/{id}/responses/{rid}/countersign',
  tags,
  summary: '会签（被请求会签的协办单位经办人）：确认“内容准确一致”，或填写意见退回',
  middleware: [requireRole('handler')] as const,
  request: { params: CaseResponseParams, body: jsonBody(CountersignInput) },
  responses: { 200: json(ResponseView, 'The response after the sign-off'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});
const approve = stepRoute('approve', '审批通过（审批链当前步骤的审核人或分管 / 主要领导；末步通过后可发布）', ['reviewer', 'leader']);
const ret = createRoute({
  method: 'post',
  path: '/api/cases/{id}/responses/{rid}/return',
  tags,
  summary: '退回修改（审批链当前步骤的审核人或领导，须填写意见）',
  middleware: [requireRole('reviewer', 'leader')] as const,
  request: { params: CaseResponseParams, body: jsonBody(ReturnInput) },
  responses: { 200: json(ResponseView, 'Returned'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});
const publish = createRoute({
  method: 'post',
  path: '/api/cases/{id}/responses/{rid}/publish',
  tags,
  summary: '发布已审核的回应：履行回应时限，进入跟踪反馈期',
  middleware: [requireRole('handler', 'reviewer')] as const,
  request: { params: CaseResponseParams, body: jsonBody(PublishInput) },
  responses: { 200: json(PublishResult, 'Published'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});

export function responsesRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json(await service.listResponses(deps, who(c), c.req.valid('param').id), 200))
    .openapi(create, async (c) => c.json(await service.createResponse(deps, who(c), c.req.valid('param').id, c.req.valid('json').body), 201))
    .openapi(edit, async (c) => {
      const p = c.req.valid('param');
      return c.json(await service.editResponse(deps, who(c), p.id, p.rid, c.req.valid('json').body), 200);
    })
    .openapi(submit, async (c) => {
      const p = c.req.valid('param');
      const input = (c.req.valid('json') as { secrecyConfirmed?: boolean } | undefined) ?? {};
      return c.json(await service.submitResponse(deps, who(c), p.id, p.rid, input.secrecyConfirmed === true), 200);
    })
    .openapi(countersign, async (c) => {
      const p = c.req.valid('param');
      return c.json(await service.countersignResponse(deps, who(c), p.id, p.rid, c.req.valid('json')), 200);
    })
    .openapi(approve, async (c) => {
      const p = c.req.valid('param');
      return c.json(await service.approveResponse(deps, who(c), p.id, p.rid), 200);
    })
    .openapi(ret, async (c) => {
      const p = c.req.valid('param');
      return c.json(await service.returnResponse(deps, who(c), p.id, p.rid, c.req.valid('json').comment), 200);
    })
    .openapi(publish, async (c) => {
      const p = c.req.valid('param');
      return c.json(await service.publishResponse(deps, who(c), p.id, p.rid, c.req.valid('json')), 200);
    });
}
