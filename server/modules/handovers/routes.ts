import { createRoute, z } from '@hono/zod-openapi';
import { actorOf, currentUser, requireRole } from '../../middleware/auth.js';
import { createRouter, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { HandoverAcceptInput, HandoverCurrentView, HandoverListQuery, HandoverSubmitInput, HandoverView } from '../../../services/handovers/schema.js';
import * as handovers from '../../../services/handovers/service.js';

// 交接班: the duty officer of a shift submits its handover, the next shift's officer accepts it;
// duty officers, leaders, reviewers and the administrator read past handovers (printable).

const tags = ['handovers'];
const sec = { 401: errors[401], 403: errors[403] };
const READERS = ['duty', 'admin', 'leader', 'reviewer'] as const;
const WRITERS = ['duty', 'admin'] as const;

const current = createRoute({
  method: 'get',
  path: '/api/handovers/current',
  tags,
  summary: '本班交接：本人的班次、预填内容、待我接班的记录',
  middleware: [requireRole(...WRITERS)] as const,
  responses: { 200: json(HandoverCurrentView, 'The handover of my shift'), ...sec },
});
const submit = createRoute({
  method: 'post',
  path: '/api/handovers',
  tags,
  summary: '提交本班交接班记录（每班一次）',
  middleware: [requireRole(...WRITERS)] as const,
  request: { body: jsonBody(HandoverSubmitInput) },
  responses: { 201: json(HandoverView, 'Submitted'), 400: errors[400], 409: errors[409], ...sec },
});
const accept = createRoute({
  method: 'post',
  path: '/api/handovers/{id}/accept',
  tags,
  summary: '确认接班',
  middleware: [requireRole(...WRITERS)] as const,
  request: { params: IntIdParams, body: jsonBody(HandoverAcceptInput) },
  responses: { 200: json(HandoverView, 'Accepted'), 400: errors[400], 404: errors[404], 409: errors[409], ...sec },
});
const list = createRoute({
  method: 'get',
  path: '/api/handovers',
  tags,
  summary: '某月的交接班记录',
  middleware: [requireRole(...READERS)] as const,
  request: { query: HandoverListQuery },
  responses: { 200: json(z.object({ month: z.string(), handovers: z.array(HandoverView) }), 'Handovers of a month'), 400: errors[400], ...sec },
});
const one = createRoute({
  method: 'get',
  path: '/api/handovers/{id}',
  tags,
  summary: '一份交接班记录',
  middleware: [requireRole(...READERS)] as const,
  request: { params: IntIdParams },
  responses: { 200: json(HandoverView, 'A handover'), 404: errors[404], ...sec },
});

export function handoversRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(current, async (c) => c.json(await handovers.currentHandover(deps.db, currentUser(c), deps.now()), 200))
    .openapi(submit, async (c) => c.json(await handovers.submitHandover(deps.db, currentUser(c), actorOf(c), c.req.valid('json'), deps.now(), deps.emit), 201))
    .openapi(accept, async (c) =>
      c.json(await handovers.acceptHandover(deps.db, currentUser(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'), deps.now(), deps.emit), 200),
    )
    .openapi(list, async (c) => {
      const month = c.req.valid('query').month;
      return c.json({ month, handovers: await handovers.handoversOfMonth(deps.db, month) }, 200);
    })
    .openapi(one, async (c) => c.json(await handovers.getHandover(deps.db, c.req.valid('param').id), 200));
}
