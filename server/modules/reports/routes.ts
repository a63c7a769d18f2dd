import { createRoute, z } from '@hono/zod-openapi';
import { actorOf, requireRole } from '../../middleware/auth.js';
import { BigIdParams, createRouter, DOCX, docxFile, errors, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { attachment } from '../../../services/reports/present.js';
import { MonthlyInput, PatchReportInput, QuarterlyInput, ReportListQuery, ReportPage, ReportView, WeeklyInput } from '../../../services/reports/schema.js';
import * as service from '../../../services/reports/service.js';
import * as daily from '../../../services/reports/daily.js';
import { DailyBriefList } from '../../../services/reports/schema.js';

const tags = ['reports'];
const sec = { 401: errors[401], 403: errors[403] };
/** Who reads and generates notices; who edits and issues them. */
const readers = requireRole('reviewer', 'leader', 'admin');
const editors = requireRole('reviewer', 'admin');
const issuers = requireRole('reviewer', 'leader', 'admin');
const made = { 201: json(ReportView, 'Generated'), 200: json(ReportView, 'Already generated for this period: the existing notice'), 400: errors[400], ...sec };

const weekly = createRoute({
  method: 'post',
  path: '/api/reports/weekly',
  tags,
  summary: '生成周通报（指定 ISO 周，或任意日期区间）；同一期只生成一次',
  middleware: [readers] as const,
  request: { body: jsonBody(WeeklyInput) },
  responses: made,
});
const monthly = createRoute({
  method: 'post',
  path: '/api/reports/monthly',
  tags,
  summary: '生成月度通报',
  middleware: [readers] as const,
  request: { body: jsonBody(MonthlyInput) },
  responses: made,
});
const quarterly = createRoute({
  method: 'post',
  path: '/api/reports/quarterly',
  tags,
  summary: '生成季度通报',
  middleware: [readers] as const,
  request: { body: jsonBody(QuarterlyInput) },
  responses: made,
});
const list = createRoute({
  method: 'get',
  path: '/api/reports',
  tags,
  summary: '通报列表（按期次倒序）',
  middleware: [readers] as const,
  request: { query: ReportListQuery },
  responses: { 200: json(ReportPage, 'A page of notices'), 400: errors[400], ...sec },
});
const get = createRoute({
  method: 'get',
  path: '/api/reports/{id}',
  tags,
  summary: '通报详情（含生成时的统计数字）',
  middleware: [readers] as const,
  request: { params: BigIdParams },
  responses: { 200: json(ReportView, 'Notice'), 404: errors[404], ...sec },
});
const patch = createRoute({
  method: 'patch',
  path: '/api/reports/{id}',
  tags,
  summary: '修改草稿的文字部分（经验做法、下一步工作要求）；数字不可改；已印发的返回 409',
  middleware: [editors] as const,
  request: { params: BigIdParams, body: jsonBody(PatchReportInput) },
  responses: { 200: json(ReportView, 'Updated'), 400: errors[400], 404: errors[404], 409: errors[409], ...sec },
});
const issue = createRoute({
  method: 'post',
  path: '/api/reports/{id}/issue',
  tags,
  summary: '印发通报（此后不可修改）',
  middleware: [issuers] as const,
  request: { params: BigIdParams },
  responses: { 200: json(ReportView, 'Issued'), 404: errors[404], 409: errors[409], ...sec },
});
const file = createRoute({
  method: 'get',
  path: '/api/reports/{id}/file',
  tags,
  summary: '下载通报（Word .docx）',
  middleware: [readers] as const,
  request: { params: BigIdParams },
  responses: {
    200: docxFile(),
    404: errors[404],
    ...sec,
  },
});

const dailyList = createRoute({
  method: 'get',
  path: '/api/daily-briefs',
  tags,
  summary: '舆情日报列表（按日期倒序，最近 60 期）',
  middleware: [readers] as const,
  responses: { 200: json(DailyBriefList, 'The newest daily briefs'), ...sec },
});
const dailyFile = createRoute({
  method: 'get',
  path: '/api/daily-briefs/{id}/file',
  tags,
  summary: '下载舆情日报（Word .docx）',
  middleware: [readers] as const,
  request: { params: BigIdParams },
  responses: {
    200: docxFile(),
    404: errors[404],
    ...sec,
  },
});


export function reportsRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(weekly, async (c) => {
      const r = await service.generate(deps, service.weeklyPeriod(c.req.valid('json')), actorOf(c));
      return c.json(r.report, r.created ? 201 : 200);
    })
    .openapi(monthly, async (c) => {
      const r = await service.generate(deps, service.monthlyPeriod(c.req.valid('json').month), actorOf(c));
      return c.json(r.report, r.created ? 201 : 200);
    })
    .openapi(quarterly, async (c) => {
      const r = await service.generate(deps, service.quarterlyPeriod(c.req.valid('json').quarter), actorOf(c));
      return c.json(r.report, r.created ? 201 : 200);
    })
    .openapi(list, async (c) => c.json(await service.listReports(deps, c.req.valid('query')), 200))
    .openapi(get, async (c) => c.json(await service.getReport(deps, c.req.valid('param').id), 200))
    .openapi(patch, async (c) => c.json(await service.patchReport(deps, c.req.valid('param').id, c.req.valid('json'), actorOf(c)), 200))
    .openapi(issue, async (c) => c.json(await service.issueReport(deps, c.req.valid('param').id, actorOf(c)), 200))
    .openapi(file, async (c) => {
      const f = await service.reportFile(deps, c.req.valid('param').id);
      return c.body(new Uint8Array(f.file), 200, { 'content-type': DOCX, 'content-disposition': attachment(f.fileName, `report-${c.req.valid('param').id}.docx`) });
    })
    .openapi(dailyList, async (c) => c.json(await daily.listDailyBriefs(deps.db), 200))
    .openapi(dailyFile, async (c) => {
      const f = await daily.dailyBriefFile(deps.db, c.req.valid('param').id);
      return c.body(new Uint8Array(f.file), 200, { 'content-type': DOCX, 'content-disposition': attachment(f.fileName, `daily-brief-${c.req.valid('param').id}.docx`) });
    });
}
