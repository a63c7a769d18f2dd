import { createRoute } from '@hono/zod-openapi';
import { actorOf, requireRole } from '../../middleware/auth.js';
import { createRouter, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { UserCreate, UserList, UserPatch, UserView } from '../../../services/users/schema.js';
import * as service from '../../../services/users/service.js';

const tags = ['users'];
const admin = requireRole('admin');

const list = createRoute({ method: 'get', path: '/api/users', tags, summary: '用户列表', middleware: [admin], responses: { 200: json(UserList, 'Users') } });
const create = createRoute({
  method: 'post',
  path: '/api/users',
  tags,
  summary: '新建用户',
  middleware: [admin],
  request: { body: jsonBody(UserCreate) },
  responses: { 201: json(UserView, 'Created'), 400: errors[400], 409: errors[409] },
});
const get = createRoute({
  method: 'get',
  path: '/api/users/{id}',
  tags,
  middleware: [admin],
  request: { params: IntIdParams },
  responses: { 200: json(UserView, 'User'), 404: errors[404] },
});
const patch = createRoute({
  method: 'patch',
  path: '/api/users/{id}',
  tags,
  summary: '修改用户（角色、部门、停用、重置密码；不可删除）',
  middleware: [admin],
  request: { params: IntIdParams, body: jsonBody(UserPatch) },
  responses: { 200: json(UserView, 'Updated'), 400: errors[400], 404: errors[404], 409: errors[409] },
});

export function usersRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json({ users: await service.listAll(deps) }, 200))
    .openapi(create, async (c) => c.json(await service.createUser(deps, c.req.valid('json'), actorOf(c)), 201))
    .openapi(get, async (c) => c.json(await service.getOne(deps, c.req.valid('param').id), 200))
    .openapi(patch, async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const user = await service.patchUser(deps, id, input, actorOf(c));
      // Disabling, a password reset and a role change end the user's sessions: their live-event
      // streams end now, not at their next session check.
      if (input.disabled === true || input.password !== undefined || input.role !== undefined) await deps.emit({ type: 'session.revoked', userId: id });
      return c.json(user, 200);
    });
}
