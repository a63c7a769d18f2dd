import { createRoute } from '@hono/zod-openapi';
import { ROLES } from '../../../core/vocabulary.js';
import { actorOf, currentUser, requireRole } from '../../middleware/auth.js';
import { BigIdParams, createRouter, errors, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { CaseView, DeclineInput, LedgerPage, LedgerQuery, OpenCaseInput, OverruleDeclineInput, PatchCaseInput } from '../../../services/cases/schema.js';
import { declineCase, overruleDecline } from '../../../services/cases/decline.js';
import * as service from '../../../services/cases/service.js';
import { openCase } from '../../../services/cases/triage.js';
import { patchCase } from '../../../services/cases/update.js';

const tags = ['cases'];
const sec = { 401: errors[401], 403: errors[403] };

const open = createRoute({
  method: 'post',
  path: '/api/cases',
  tags,
  summary: '研判：转为事件并交办（由预警或手工登记）',
  middleware: [requireRole('duty', 'admin')] as const,
  request: { body: jsonBody(OpenCaseInput) },
  responses: { 201: json(CaseView, 'Opened'), 400: errors[400], 404: errors[404], 409: errors[409], ...sec },
});
const list = createRoute({
  method: 'get',
  path: '/api/cases',
  tags,
  summary: '回应台账（筛选、排序、游标分页、合计）',
  middleware: [requireRole(...ROLES)] as const,
  request: { query: LedgerQuery },
  responses: { 200: json(LedgerPage, 'A page of the ledger'), 400: errors[400], ...sec },
});
const get = createRoute({
  method: 'get',
  path: '/api/cases/{id}',
  tags,
  summary: '舆情事件详情（含时限、回应、反馈与时间线）',
  middleware: [requireRole(...ROLES)] as const,
  request: { params: BigIdParams },
  responses: { 200: json(CaseView, 'Case'), 404: errors[404], ...sec },
});
const patch = createRoute({
  method: 'patch',
  path: '/api/cases/{id}',
  tags,
  summary: '修改事件：标题、摘要、类别、级别（重算时限，须说明理由）、转办',
  middleware: [requireRole('duty', 'admin', 'reviewer')] as const,
  request: { params: BigIdParams, body: jsonBody(PatchCaseInput) },
  responses: { 200: json(CaseView, 'Updated'), 400: errors[400], 404: errors[404], 409: errors[409], ...sec },
});

const decline = createRoute({
  method: 'post',
  path: '/api/cases/{id}/decline',
  tags,
  summary: '退回交办（牵头单位经办人，须说明理由）',
  middleware: [requireRole('handler')] as const,
  request: { params: BigIdParams, body: jsonBody(DeclineInput) },
  responses: { 200: json(CaseView, 'Declined'), 400: errors[400], 404: errors[404], 409: errors[409], ...sec },
});
const overrule = createRoute({
  method: 'post',
  path: '/api/cases/{id}/decline/overrule',
  tags,
  summary: '不同意退回交办（牵头单位继续办理）',
  middleware: [requireRole('duty', 'admin', 'reviewer')] as const,
  request: { params: BigIdParams, body: jsonBody(OverruleDeclineInput) },
  responses: { 200: json(CaseView, 'Overruled'), 400: errors[400], 404: errors[404], 409: errors[409], ...sec },
});

export function casesRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(open, async (c) => {
      const id = await openCase(deps, c.req.valid('json'), actorOf(c));
      return c.json(await service.getCase(deps, id, currentUser(c)), 201);
    })
    .openapi(list, async (c) => c.json(await service.listCases(deps, c.req.valid('query'), currentUser(c)), 200))
    .openapi(get, async (c) => c.json(await service.getCase(deps, c.req.valid('param').id, currentUser(c)), 200))
    .openapi(patch, async (c) => {
      const { id } = c.req.valid('param');
      await patchCase(deps, id, c.req.valid('json'), actorOf(c));
      return c.json(await service.getCase(deps, id, currentUser(c)), 200);
    })
    .openapi(decline, async (c) => {
      const { id } = c.req.valid('param');
      await declineCase(deps, currentUser(c), actorOf(c), id, c.req.valid('json').reason);
      return c.json(await service.getCase(deps, id, currentUser(c)), 200);
    })
    .openapi(overrule, async (c) => {
      const { id } = c.req.valid('param');
      await overruleDecline(deps, actorOf(c), id, c.req.valid('json').reason);
      return c.json(await service.getCase(deps, id, currentUser(c)), 200);
    });
}
