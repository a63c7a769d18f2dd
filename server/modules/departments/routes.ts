import { createRoute } from '@hono/zod-openapi';
import { actorOf, ANY_ROLE, requireRole } from '../../middleware/auth.js';
import { createRouter, DeletedSchema, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { DepartmentCreate, DepartmentList, DepartmentPatch, DepartmentView } from '../../../services/departments/schema.js';
import * as service from '../../../services/departments/service.js';

// Departments: every signed-in user reads the list; admins edit the tree.

const tags = ['departments'];
const admin = requireRole('admin');

const list = createRoute({
  method: 'get',
  path: '/api/departments',
  tags,
  summary: '部门列表',
  middleware: [requireRole(...ANY_ROLE)],
  responses: { 200: json(DepartmentList, 'Departments') },
});
const create = createRoute({
  method: 'post',
  path: '/api/departments',
  tags,
  summary: '新建部门',
  middleware: [admin],
  request: { body: jsonBody(DepartmentCreate) },
  responses: { 201: json(DepartmentView, 'Created'), 400: errors[400], 409: errors[409] },
});
const patch = createRoute({
  method: 'patch',
  path: '/api/departments/{id}',
  tags,
  summary: '修改部门（名称、类型、上级）',
  middleware: [admin],
  request: { params: IntIdParams, body: jsonBody(DepartmentPatch) },
  responses: { 200: json(DepartmentView, 'Updated'), 400: errors[400], 404: errors[404], 409: errors[409] },
});
const remove = createRoute({
  method: 'delete',
  path: '/api/departments/{id}',
  tags,
  summary: '删除部门（仍被使用时拒绝）',
  middleware: [admin],
  request: { params: IntIdParams },
  responses: { 200: json(DeletedSchema, 'Deleted'), 404: errors[404], 409: errors[409] },
});

export function departmentsRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json({ departments: await service.listAll(deps) }, 200))
    .openapi(create, async (c) => c.json(await service.create(deps, c.req.valid('json'), actorOf(c)), 201))
    .openapi(patch, async (c) => c.json(await service.patch(deps, c.req.valid('param').id, c.req.valid('json'), actorOf(c)), 200))
    .openapi(remove, async (c) => {
      const { id } = c.req.valid('param');
      await service.remove(deps, id, actorOf(c));
      return c.json({ id, deleted: true as const }, 200);
    });
}
