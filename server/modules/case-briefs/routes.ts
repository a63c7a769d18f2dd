import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ROLES } from '../../../core/vocabulary.js';
import { visibleCase } from '../../../db/repos/case-access.js';
import type { Case } from '../../../db/schema-workflow.js';
import { notFound } from '../../../platform/errors.js';
import * as service from '../../../services/case-briefs/service.js';
import { BriefInput, BriefKindQuery, CaseBriefDraft, CaseBriefIssued, CaseBriefList } from '../../../services/case-briefs/schema.js';
import { attachment } from '../../../services/reports/present.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { actorOf, currentUser, requireRole } from '../../middleware/auth.js';
import { BigIdParams, createRouter, DOCX, docxFile, errors, json, jsonBody } from '../../openapi.js';

// 舆情快报 and 舆情专报 of a case: the text as it would be issued now (to edit), issue one (it is the
// case's 上报), list them, download one. Issued briefs never change. Who may report up may issue one; whoever sees the case sees and downloads its briefs.

const tags = ['case-briefs'];
const BriefParams = BigIdParams.extend({
  briefId: z
    .string()
    .refine((s) => /^[1-9][0-9]{0,17}$/.test(s), { message: 'must be a positive integer id', params: { messageZh: '必须是正整数编号' } })
    .openapi({ param: { name: 'briefId', in: 'path' }, example: '1' }),
});

const issue = createRoute({
  method: 'post',
  path: '/api/cases/{id}/briefs',
  tags,
  summary: '生成并报送舆情快报或舆情专报（公文格式 .docx，记一次上报，满足“报告”时限）',
  middleware: [requireRole('duty', 'reviewer', 'leader', 'admin')] as const,
  request: { params: BigIdParams, body: jsonBody(BriefInput) },
  responses: { 201: json(CaseBriefIssued, 'Issued'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
});
const draft = createRoute({
  method: 'get',
  path: '/api/cases/{id}/briefs/draft',
  tags,
  summary: '舆情快报或舆情专报正文草稿（按事件当前情况生成，供修改后报送）',
  middleware: [requireRole('duty', 'reviewer', 'leader', 'admin')] as const,
  request: { params: BigIdParams, query: BriefKindQuery },
  responses: { 200: json(CaseBriefDraft, 'The text a brief issued now would have'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
});
const list = createRoute({
  method: 'get',
  path: '/api/cases/{id}/briefs',
  tags,
  summary: '事件的舆情快报和舆情专报',
  middleware: [requireRole(...ROLES)] as const,
  request: { params: BigIdParams },
  responses: { 200: json(CaseBriefList, 'Briefs of the case'), 401: errors[401], 403: errors[403], 404: errors[404] },
});
const file = createRoute({
  method: 'get',
  path: '/api/cases/{id}/briefs/{briefId}/file',
  tags,
  summary: '下载舆情快报或舆情专报（Word .docx）',
  middleware: [requireRole(...ROLES)] as const,
  request: { params: BriefParams },
  responses: {
    200: docxFile(),
    401: errors[401],
    403: errors[403],
    404: errors[404],
  },
});

async function caseFor(deps: ModuleDeps, c: Context, id: string): Promise<Case> {
  const user = currentUser(c);
  const kase = await visibleCase(deps.db, id, { id: user.id, role: user.role, departmentId: user.departmentId });
  if (!kase) throw notFound('Case', '舆情事件');
  return kase;
}

export function caseBriefsRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(issue, async (c) => {
      const kase = await caseFor(deps, c, c.req.valid('param').id);
      return c.json(await service.issueBrief(deps, actorOf(c), kase, c.req.valid('json')), 201);
    })
    .openapi(draft, async (c) => {
      const kase = await caseFor(deps, c, c.req.valid('param').id);
      return c.json(await service.draftBrief(deps, kase, c.req.valid('query').kind), 200);
    })
    .openapi(list, async (c) => {
      const kase = await caseFor(deps, c, c.req.valid('param').id);
      return c.json(await service.listBriefs(deps, kase.id), 200);
    })
    .openapi(file, async (c) => {
      const { id, briefId } = c.req.valid('param');
      const kase = await caseFor(deps, c, id);
      const f = await service.briefFile(deps, kase.id, briefId);
      return c.body(new Uint8Array(f.file), 200, { 'content-type': DOCX, 'content-disposition': attachment(f.fileName, `brief-${briefId}.docx`), 'cache-control': 'no-store' });
    });
}
