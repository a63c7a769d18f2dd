import { alertStatus } from '../../../db/repos/alerts.js';
import { createRoute, z } from '@hono/zod-openapi';
import { writeAudit } from '../../../db/repos/audit.js';
import { loadPushDefault, savePushDefault } from '../../../db/repos/alert-pushes.js';
import { findChannel } from '../../../db/repos/notifications.js';
import { fieldError, notFound } from '../../../platform/errors.js';
import { actorOf, currentUser, requireRole } from '../../middleware/auth.js';
import { BigIdParams, createRouter, errors, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { acknowledgeAlert } from '../../../services/alerts/push.js';
import { PushPolicySchema } from '../../../services/alerts/push-schema.js';

// Alert pushes: the office-wide default push policy (admin) and the acknowledgement of a pushed
// alert (a duty officer opened it: the desk calls this when it shows an alert).

const tags = ['alert pushes'];
const sec = { 401: errors[401], 403: errors[403] };

const getPolicy = createRoute({
  method: 'get',
  path: '/api/push-policy',
  tags,
  summary: '预警推送默认策略',
  middleware: [requireRole('admin')] as const,
  responses: { 200: json(PushPolicySchema, 'The default push policy'), ...sec },
});
const putPolicy = createRoute({
  method: 'put',
  path: '/api/push-policy',
  tags,
  summary: '修改预警推送默认策略',
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(PushPolicySchema) },
  responses: { 200: json(PushPolicySchema, 'Saved'), 400: errors[400], ...sec },
});
const ack = createRoute({
  method: 'post',
  path: '/api/alerts/{id}/acknowledge',
  tags,
  summary: '确认已收到预警推送（打开预警即确认）',
  middleware: [requireRole('duty', 'admin')] as const,
  request: { params: BigIdParams },
  responses: { 200: json(z.object({ acknowledged: z.boolean() }), 'Acknowledged now (false: already, or never pushed)'), 404: errors[404], ...sec },
});

export function pushRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(getPolicy, async (c) => c.json(await loadPushDefault(deps.db), 200))
    .openapi(putPolicy, async (c) => {
      const policy = c.req.valid('json');
      if (policy.groupChannelId !== null && !(await findChannel(deps.db, policy.groupChannelId))) throw fieldError('groupChannelId', 'is not a channel', '通知渠道不存在');
      const actor = actorOf(c);
      await deps.db.transaction().execute(async (trx) => {
        const before = await loadPushDefault(trx);
        await savePushDefault(trx, policy, actor.id, deps.now());
        await writeAudit(trx, { actor, entity: 'push_policy', entityId: 1, action: 'push_policy.update', before, after: policy });
      });
      return c.json(policy, 200);
    })
    .openapi(ack, async (c) => {
      const { id } = c.req.valid('param');
      if ((await alertStatus(deps.db, id)) === undefined) throw notFound('Alert', '预警');
      const u = currentUser(c);
      const actor = actorOf(c);
      return c.json({ acknowledged: await acknowledgeAlert(deps.db, id, { id: u.id, name: actor.name, ip: actor.ip }, 'opened', deps.now()) }, 200);
    });
}
