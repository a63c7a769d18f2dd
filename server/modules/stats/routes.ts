import { createRoute } from '@hono/zod-openapi';
import { requireRole } from '../../middleware/auth.js';
import { createRouter, errors, json } from '../../openapi.js';
import { denied } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { StatsQuery, StatsView } from '../../../services/stats/schema.js';
import { stats } from '../../../services/stats/service.js';

const get = createRoute({
  method: 'get',
  path: '/api/stats',
  tags: ['stats'],
  summary: '统计：分类计数、按时回应率、回应用时中位数与 90% 事件回应用时、超时清单、每日趋势、部门排名',
  middleware: [requireRole('leader', 'reviewer', 'admin', 'duty')] as const,
  request: { query: StatsQuery },
  responses: { 200: json(StatsView, 'Statistics of the range'), 400: errors[400], ...denied },
});

export function statsRoutes(deps: ModuleDeps) {
  return createRouter().openapi(get, async (c) => c.json(await stats(deps, c.req.valid('query')), 200));
}
