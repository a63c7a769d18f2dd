import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { REFERRAL_TARGETS, ROLES } from '../../../core/vocabulary.js';
import { visibleCase } from '../../../db/repos/case-access.js';
import type { Case } from '../../../db/schema-workflow.js';
import { actorOf, currentUser, requireRole, type SessionUser } from '../../middleware/auth.js';
import { notFound } from '../../../platform/errors.js';
import { BigIdParams, createRouter, errors, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { DateTime } from '../../../services/shared/schema.js';
import * as service from '../../../services/escalations/service.js';

// Typed escalation paths: 上报 (report upward), 移交 (refer to public security / the cyberspace
// office), 协调 (the lead department's note to its co-departments). Each leaves a record with time,
// person, recipient and content, and an audit row, in one transaction.

const tags = ['escalations'];

const ReportUpInput = z
  .object({
    recipient: z.string().trim().min(1).max(200).openapi({ example: '县委办、市政府办公室' }),
    content: z.string().trim().min(1).max(20_000),
    reportedAt: z.iso.datetime({ offset: true }).optional().openapi({ description: '实际报告时间（默认：现在）；补录最多 24 小时前（BACKFILL_MAX_HOURS），更早须由审核人补录' }),
  })
  .strict()
  .openapi('ReportUpInput');
const ReferralInput = z
  .object({
    target: z.enum(REFERRAL_TARGETS).openapi({ description: 'public_security 公安机关 / cyberspace 网信部门' }),
    recipient: z.string().trim().min(1).max(200),
    content: z.string().trim().min(1).max(20_000),
  })
  .strict()
  .openapi('ReferralInput');
const CoordinationInput = z.object({ content: z.string().trim().min(1).max(20_000) }).strict().openapi('CoordinationInput');
const Met = z.array(z.object({ id: z.string(), kind: z.string(), onTime: z.boolean() }));
const ReportUpView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    reportedBy: z.number().int().nullable(),
    reportedAt: DateTime,
    /** 补录: the report time was typed in afterwards. */
    backfilled: z.boolean(),
    recipient: z.string(),
    content: z.string(),
    met: Met.optional(),
  })
  .openapi('ReportUp');
const ReferralView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    target: z.enum(REFERRAL_TARGETS),
    referredBy: z.number().int().nullable(),
    referredAt: DateTime,
    recipient: z.string(),
    content: z.string(),
    met: Met.optional(),
  })
  .openapi('Referral');
const CoordinationView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    fromDepartmentId: z.number().int().nullable(),
    authorId: z.number().int().nullable(),
    createdAt: DateTime,
    content: z.string(),
    notified: z.array(z.number().int()).optional(),
  })
  .openapi('Coordination');
const FireView = z.object({ obligationId: z.string(), stepId: z.string(), target: z.string(), dueAt: DateTime, firedAt: DateTime });
const EscalationsView = z
  .object({ reportsUp: z.array(ReportUpView), referrals: z.array(ReferralView), coordinations: z.array(CoordinationView), fires: z.array(FireView) })
  .openapi('CaseEscalations');

const write = { 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] };

const reportUp = createRoute({
  method: 'post',
  path: '/api/cases/{id}/reports-up',
  tags,
  summary: '上报（向领导和上级报告）：满足“报告”时限',
  middleware: [requireRole('duty', 'reviewer', 'leader', 'admin')] as const,
  request: { params: BigIdParams, body: jsonBody(ReportUpInput) },
  responses: { 201: json(ReportUpView, 'Recorded'), ...write },
});
const referral = createRoute({
  method: 'post',
  path: '/api/cases/{id}/referrals',
  tags,
  summary: '移交公安机关、网信部门：满足“移交”时限',
  middleware: [requireRole('duty', 'reviewer', 'admin')] as const,
  request: { params: BigIdParams, body: jsonBody(ReferralInput) },
  responses: { 201: json(ReferralView, 'Recorded'), ...write },
});
const coordination = createRoute({
  method: 'post',
  path: '/api/cases/{id}/coordinations',
  tags,
  summary: '协调：牵头单位致协办单位的说明（通知协办单位经办人）',
  middleware: [requireRole('handler', 'reviewer', 'admin')] as const,
  request: { params: BigIdParams, body: jsonBody(CoordinationInput) },
  responses: { 201: json(CoordinationView, 'Recorded'), ...write },
});
const list = createRoute({
  method: 'get',
  path: '/api/cases/{id}/escalations',
  tags,
  summary: '事件的上报、移交、协调记录与已触发的催办步骤',
  middleware: [requireRole(...ROLES)] as const,
  request: { params: BigIdParams },
  responses: { 200: json(EscalationsView, 'Escalation records'), 401: errors[401], 403: errors[403], 404: errors[404] },
});

async function caseFor(deps: ModuleDeps, c: Context, id: string): Promise<{ user: SessionUser; kase: Case }> {
  const user = currentUser(c);
  const kase = await visibleCase(deps.db, id, { id: user.id, role: user.role, departmentId: user.departmentId });
  if (!kase) throw notFound('Case', '舆情事件');
  return { user, kase };
}

export function escalationsRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(reportUp, async (c) => {
      const { user, kase } = await caseFor(deps, c, c.req.valid('param').id);
      return c.json(await service.recordReportUp(deps, actorOf(c), user.role, kase, c.req.valid('json')), 201);
    })
    .openapi(referral, async (c) => {
      const { kase } = await caseFor(deps, c, c.req.valid('param').id);
      return c.json(await service.recordReferral(deps, actorOf(c), kase, c.req.valid('json')), 201);
    })
    .openapi(coordination, async (c) => {
      const { user, kase } = await caseFor(deps, c, c.req.valid('param').id);
      return c.json(await service.recordCoordination(deps, actorOf(c), user, kase, c.req.valid('json').content), 201);
    })
    .openapi(list, async (c) => {
      const { kase } = await caseFor(deps, c, c.req.valid('param').id);
      return c.json(await service.listEscalations(deps, kase.id), 200);
    });
}
