import { createRoute } from '@hono/zod-openapi';
import { createRouter, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { ApiTokenCreate, ApiTokenCreated, ApiTokenList, ApiTokenView } from '../../../services/intake/schema.js';
import * as service from '../../../services/intake/tokens.js';
import { actorOf, requireRole } from '../../middleware/auth.js';

// 管理 → 接口令牌: API tokens for the intake API (admin only; creation and revocation audited).

const admin = requireRole('admin');
const tags = ['api tokens'];
const sec = { 401: errors[401], 403: errors[403] };

const list = createRoute({ method: 'get', path: '/api/api-tokens', tags, summary: '接口令牌列表', middleware: [admin] as const, responses: { 200: json(ApiTokenList, 'Tokens'), ...sec } });
const create = createRoute({
  method: 'post',
  path: '/api/api-tokens',
  tags,
  summary: '创建接口令牌（明文只返回这一次）',
  middleware: [admin] as const,
  request: { body: jsonBody(ApiTokenCreate) },
  responses: { 201: json(ApiTokenCreated, 'Created; the secret is shown once'), 400: errors[400], ...sec },
});
const revoke = createRoute({
  method: 'post',
  path: '/api/api-tokens/{id}/revoke',
  tags,
  summary: '吊销接口令牌',
  middleware: [admin] as const,
  request: { params: IntIdParams },
  responses: { 200: json(ApiTokenView, 'Revoked'), 404: errors[404], ...sec },
});

export function apiTokensRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json({ tokens: await service.listTokens(deps) }, 200))
    .openapi(create, async (c) => c.json(await service.createToken(deps, c.req.valid('json'), actorOf(c)), 201))
    .openapi(revoke, async (c) => c.json(await service.revokeToken(deps, c.req.valid('param').id, actorOf(c)), 200));
}
