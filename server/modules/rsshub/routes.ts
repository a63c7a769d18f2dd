import { createRoute } from '@hono/zod-openapi';
import { createRouter, errors, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { RsshubSettingsInput, RsshubTemplatesView } from '../../../services/sources/schema.js';
import * as service from '../../../services/sources/rsshub.js';
import { actorOf, requireRole } from '../../middleware/auth.js';

// RSSHub as a provider: its source templates and the office's instance (base URL).

const tags = ['sources'];

const templates = createRoute({
  method: 'get',
  path: '/api/rsshub/templates',
  tags,
  middleware: [requireRole('admin', 'duty')],
  summary: 'RSSHub 源模板和实例地址（填写模板参数即可新建订阅源）',
  responses: { 200: json(RsshubTemplatesView, 'Templates') },
});
const settings = createRoute({
  method: 'put',
  path: '/api/rsshub/settings',
  tags,
  middleware: [requireRole('admin')],
  summary: '设置 RSSHub 实例地址（内网地址可同时加入白名单；记审计）',
  request: { body: jsonBody(RsshubSettingsInput) },
  responses: { 200: json(RsshubTemplatesView, 'Saved'), 400: errors[400] },
});

export function rsshubRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(templates, async (c) => c.json(await service.rsshubTemplates(deps), 200))
    .openapi(settings, async (c) => c.json(await service.setRsshubBase(deps, c.req.valid('json'), actorOf(c)), 200));
}
