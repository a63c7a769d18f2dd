import { createRoute } from '@hono/zod-openapi';
import { createRouter, DeletedSchema, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { RuleCreate, RuleList, RulePatch, RuleTestInput, RuleTestResult, RuleView } from '../../../services/rules/schema.js';
import * as service from '../../../services/rules/service.js';
import { actorOf, requireRole } from '../../middleware/auth.js';

// Monitoring rules (监测方案). Workers notice edits by polling the rule-set version; nothing is published.

const read = requireRole('admin', 'duty');
const write = requireRole('admin');
const tags = ['rules'];

const list = createRoute({ method: 'get', path: '/api/rules', tags,
  middleware: [read], summary: '监测方案列表', responses: { 200: json(RuleList, 'Rules') } });
const create = createRoute({
  method: 'post',
  path: '/api/rules',
  tags,
  middleware: [write],
  summary: '新建监测方案',
  request: { body: jsonBody(RuleCreate) },
  responses: { 201: json(RuleView, 'Created'), 400: errors[400] },
});
const test = createRoute({
  method: 'post',
  path: '/api/rules/test',
  tags,
  middleware: [write],
  summary: '试运行：用表达式匹配最近的信息（不写入）',
  request: { body: jsonBody(RuleTestInput) },
  responses: { 200: json(RuleTestResult, 'Dry-run result'), 400: errors[400] },
});
const get = createRoute({
  method: 'get',
  path: '/api/rules/{id}',
  tags,
  middleware: [read],
  request: { params: IntIdParams },
  responses: { 200: json(RuleView, 'Rule'), 404: errors[404] },
});
const patch = createRoute({
  method: 'patch',
  path: '/api/rules/{id}',
  tags,
  middleware: [write],
  request: { params: IntIdParams, body: jsonBody(RulePatch) },
  responses: { 200: json(RuleView, 'Updated'), 400: errors[400], 404: errors[404] },
});
const remove = createRoute({
  method: 'delete',
  path: '/api/rules/{id}',
  tags,
  middleware: [write],
  request: { params: IntIdParams },
  responses: { 200: json(DeletedSchema, 'Deleted'), 404: errors[404] },
});

export function rulesRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json({ rules: await service.listRules(deps) }, 200))
    .openapi(create, async (c) => c.json(await service.createRule(deps, c.req.valid('json'), actorOf(c)), 201))
    .openapi(test, async (c) => c.json(await service.testRule(deps, c.req.valid('json'), actorOf(c)), 200))
    .openapi(get, async (c) => c.json(await service.getRule(deps, c.req.valid('param').id), 200))
    .openapi(patch, async (c) => c.json(await service.updateRule(deps, c.req.valid('param').id, c.req.valid('json'), actorOf(c)), 200))
    .openapi(remove, async (c) => {
      const { id } = c.req.valid('param');
      await service.deleteRule(deps, id, actorOf(c));
      return c.json({ id, deleted: true as const }, 200);
    });
}
