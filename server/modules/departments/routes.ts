import { createRoute, z } from '@hono/zod-openapi';
import { DEPARTMENT_KINDS } from '../../../core/vocabulary.js';
import { listDepartments } from '../../../db/repos/departments.js';
import { createRouter, json } from '../../openapi.js';
import type { ModuleDeps } from '../shared/deps.js';

// Departments: a read-only list for now (editing comes with users and roles).

const DepartmentView = z
  .object({ id: z.number().int(), name: z.string(), kind: z.enum(DEPARTMENT_KINDS), parentId: z.number().int().nullable() })
  .openapi('Department');

const list = createRoute({
  method: 'get',
  path: '/api/departments',
  tags: ['departments'],
  summary: '部门列表',
  responses: { 200: json(z.object({ departments: z.array(DepartmentView) }), 'Departments') },
});

export function departmentsRoutes(deps: ModuleDeps) {
  return createRouter().openapi(list, async (c) => {
    const rows = await listDepartments(deps.db);
    return c.json({ departments: rows.map((d) => ({ id: d.id, name: d.name, kind: d.kind, parentId: d.parent_id })) }, 200);
  });
}
