import { createRoute } from '@hono/zod-openapi';
import { actorOf, requireRole } from '../../middleware/auth.js';
import { createRouter, errors, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { OfficeProfileInput, OfficeProfileView } from '../../../services/office-profile/schema.js';
import * as service from '../../../services/office-profile/service.js';

// 单位信息: the organ, 版头, 期号 scheme, 主送 / 抄送 / 印发机关, 落款, 公开属性 and 整改 office every
// document is written with.

const tags = ['office-profile'];
const sec = { 401: errors[401], 403: errors[403] };

const get = createRoute({
  method: 'get',
  path: '/api/office-profile',
  tags,
  summary: '单位信息',
  middleware: [requireRole('reviewer', 'leader', 'admin')] as const,
  responses: { 200: json(OfficeProfileView, 'The office profile'), ...sec },
});
const put = createRoute({
  method: 'put',
  path: '/api/office-profile',
  tags,
  summary: '修改单位信息',
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(OfficeProfileInput) },
  responses: { 200: json(OfficeProfileView, 'Updated'), 400: errors[400], ...sec },
});

export function officeProfileRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(get, async (c) => c.json(await service.getOfficeProfile(deps), 200))
    .openapi(put, async (c) => c.json(await service.putOfficeProfile(deps, c.req.valid('json'), actorOf(c)), 200));
}
