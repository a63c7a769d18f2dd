import { createRoute } from '@hono/zod-openapi';
import { RuleCache } from '../../../services/crawl/rules-cache.js';
import { ImportHistory, ImportPreview, ImportPreviewInput, ImportReport, ImportRunInput } from '../../../services/imports/schema.js';
import * as service from '../../../services/imports/service.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { actorOf, requireRole } from '../../middleware/auth.js';
import { createRouter, errors, json, jsonBody } from '../../openapi.js';

// 管理 → 导入: 12345 hotline and 领导信箱 exports (duty officers and admins).

const importers = requireRole('duty', 'admin');
const tags = ['imports'];
const sec = { 401: errors[401], 403: errors[403] };
const tooLarge = { ...errors[400], description: '文件超过 5 MB / file too large' };

const preview = createRoute({
  method: 'post',
  path: '/api/imports/preview',
  tags,
  summary: '预览工单导出文件（表头、列对应、前 5 行）',
  description: '.xlsx 或 .csv（UTF-8 有无 BOM、GBK 均可），base64 放在 JSON 中；不超过 5 MB、2000 行。不保存任何内容。',
  middleware: [importers] as const,
  request: { body: jsonBody(ImportPreviewInput) },
  responses: { 200: json(ImportPreview, 'Preview'), 400: errors[400], 413: tooLarge, ...sec },
});

const run = createRoute({
  method: 'post',
  path: '/api/imports',
  tags,
  summary: '导入 12345 / 领导信箱工单',
  description:
    '按列对应逐行导入：导入为事件（登记转办舆情，按策略生成时限并交办承办单位）或导入为待研判信息（与抓取的信息同一流程）。' +
    '按（来源，工单编号）去重：重复导入同一文件不产生任何新记录；不合格的行列出原因。',
  middleware: [importers] as const,
  request: { body: jsonBody(ImportRunInput) },
  responses: { 201: json(ImportReport, 'The import report'), 400: errors[400], 409: errors[409], 413: tooLarge, ...sec },
});

const history = createRoute({
  method: 'get',
  path: '/api/imports',
  tags,
  summary: '导入记录',
  middleware: [importers] as const,
  responses: { 200: json(ImportHistory, 'Imports, newest first'), ...sec },
});

export function importsRoutes(deps: ModuleDeps) {
  const rules = new RuleCache(deps.db, 0);
  return createRouter()
    .openapi(history, async (c) => c.json(await service.importHistory(deps), 200))
    .openapi(preview, async (c) => c.json(await service.previewImport(deps, c.req.valid('json'), actorOf(c)), 200))
    .openapi(run, async (c) => c.json(await service.runImport(deps, rules, c.req.valid('json'), actorOf(c)), 201));
}
