import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ROLES } from '../../../core/vocabulary.js';
import { visibleCase } from '../../../db/repos/case-access.js';
import type { Case } from '../../../db/schema-workflow.js';
import { notFound } from '../../../platform/errors.js';
import { InstructionInput, InstructionList, InstructionParams, InstructionReportInput, InstructionView } from '../../../services/instructions/schema.js';
import * as service from '../../../services/instructions/service.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { actorOf, currentUser, requireRole, type SessionUser } from '../../middleware/auth.js';
import { BigIdParams, createRouter, denied, errors, json, jsonBody } from '../../openapi.js';

// 领导批示: a leader's instruction on a case, and the lead department's report on how it was handled.

const tags = ['instructions'];

const list = createRoute({
  method: 'get',
  path: '/api/cases/{id}/instructions',
  tags,
  summary: '事件的领导批示及办理情况',
  middleware: [requireRole(...ROLES)] as const,
  request: { params: BigIdParams },
  responses: { 200: json(InstructionList, 'Instructions of the case, newest first'), ...denied, 404: errors[404] },
});
const create = createRoute({
  method: 'post',
  path: '/api/cases/{id}/instructions',
  tags,
  summary: '领导批示（可要求在 N 小时内报告办理情况；通知牵头单位经办人）',
  middleware: [requireRole('leader')] as const,
  request: { params: BigIdParams, body: jsonBody(InstructionInput) },
  responses: { 201: json(InstructionView, 'Instruction recorded'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});
const report = createRoute({
  method: 'post',
  path: '/api/cases/{id}/instructions/{iid}/report',
  tags,
  summary: '报告批示办理情况（牵头单位经办人；满足批示时限）',
  middleware: [requireRole('handler')] as const,
  request: { params: InstructionParams, body: jsonBody(InstructionReportInput) },
  responses: { 200: json(InstructionView, 'Report recorded'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});

async function caseFor(deps: ModuleDeps, c: Context, id: string): Promise<{ user: SessionUser; kase: Case }> {
  const user = currentUser(c);
  const kase = await visibleCase(deps.db, id, { id: user.id, role: user.role, departmentId: user.departmentId });
  if (!kase) throw notFound('Case', '舆情事件');
  return { user, kase };
}

export function instructionsRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => {
      const { kase } = await caseFor(deps, c, c.req.valid('param').id);
      return c.json(await service.listInstructions(deps, kase), 200);
    })
    .openapi(create, async (c) => {
      const { user, kase } = await caseFor(deps, c, c.req.valid('param').id);
      return c.json(await service.createInstruction(deps, user, actorOf(c), kase, c.req.valid('json')), 201);
    })
    .openapi(report, async (c) => {
      const p = c.req.valid('param');
      const { user, kase } = await caseFor(deps, c, p.id);
      return c.json(await service.reportInstruction(deps, user, actorOf(c), kase, p.iid, c.req.valid('json')), 200);
    });
}
