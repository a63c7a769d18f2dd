import { createRoute } from '@hono/zod-openapi';
import { ROLES } from '../../../core/vocabulary.js';
import { TodoList } from '../../../services/todos/schema.js';
import { listTodos } from '../../../services/todos/service.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { currentUser, requireRole } from '../../middleware/auth.js';
import { createRouter, denied, json } from '../../openapi.js';

// 我的待办: what waits for the signed-in user, most urgent first.

const list = createRoute({
  method: 'get',
  path: '/api/todos',
  tags: ['todos'],
  summary: '我的待办（按紧急程度：已超时在前，其次按时限）',
  middleware: [requireRole(...ROLES)] as const,
  responses: { 200: json(TodoList, 'To-dos of the signed-in user'), ...denied },
});

export function todosRoutes(deps: ModuleDeps) {
  return createRouter().openapi(list, async (c) => c.json(await listTodos(deps, currentUser(c)), 200));
}
