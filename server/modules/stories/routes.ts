import { createRoute } from '@hono/zod-openapi';
import { BigIdParams, createRouter, errors, json } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { StoryView } from '../../../services/stories/schema.js';
import { getStory } from '../../../services/stories/service.js';
import { requireRole } from '../../middleware/auth.js';

const read = requireRole('duty', 'reviewer', 'leader', 'admin');

const get = createRoute({
  method: 'get',
  path: '/api/stories/{id}',
  tags: ['stories'],
  middleware: [read],
  summary: '同题聚合：热度、信息（最新在前，最多 200 条）与预警',
  request: { params: BigIdParams },
  responses: { 200: json(StoryView, 'Story'), 404: errors[404] },
});

export function storiesRoutes(deps: ModuleDeps) {
  return createRouter().openapi(get, async (c) => c.json(await getStory(deps, c.req.valid('param').id), 200));
}
