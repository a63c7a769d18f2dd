import { createRoute, z } from '@hono/zod-openapi';
import { fieldError } from '../../../platform/errors.js';
import { actorOf, currentUser, requireRole } from '../../middleware/auth.js';
import { createRouter, DeletedSchema, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { ChannelCreate, ChannelPatch, ChannelView, TestInput, TestResult } from '../../../services/channels/schema.js';
import * as service from '../../../services/channels/service.js';

// Notification channels (admin): e-mail over SMTP and webhooks (plain JSON, WeCom robot, DingTalk
// robot), with delivery counts and recent failures; POST …/test sends a test message now.

const tags = ['notification-channels'];
const admin = requireRole('admin');

const list = createRoute({
  method: 'get',
  path: '/api/notification-channels',
  tags,
  summary: '通知渠道（邮件、Webhook），含投递统计与最近失败',
  middleware: [admin] as const,
  responses: { 200: json(z.object({ items: z.array(ChannelView) }), 'Channels'), 401: errors[401], 403: errors[403] },
});
const create = createRoute({
  method: 'post',
  path: '/api/notification-channels',
  tags,
  summary: '新建通知渠道',
  middleware: [admin] as const,
  request: { body: jsonBody(ChannelCreate) },
  responses: { 201: json(ChannelView, 'Created'), 400: errors[400], 401: errors[401], 403: errors[403] },
});
const get = createRoute({
  method: 'get',
  path: '/api/notification-channels/{id}',
  tags,
  middleware: [admin] as const,
  request: { params: IntIdParams },
  responses: { 200: json(ChannelView, 'Channel'), 401: errors[401], 403: errors[403], 404: errors[404] },
});
const patch = createRoute({
  method: 'patch',
  path: '/api/notification-channels/{id}',
  tags,
  summary: '修改通知渠道（启停、名称、配置）',
  middleware: [admin] as const,
  request: { params: IntIdParams, body: jsonBody(ChannelPatch) },
  responses: { 200: json(ChannelView, 'Updated'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
});
const del = createRoute({
  method: 'delete',
  path: '/api/notification-channels/{id}',
  tags,
  middleware: [admin] as const,
  request: { params: IntIdParams },
  responses: { 200: json(DeletedSchema, 'Deleted'), 401: errors[401], 403: errors[403], 404: errors[404] },
});
const test = createRoute({
  method: 'post',
  path: '/api/notification-channels/{id}/test',
  tags,
  summary: '立即发送一条测试消息并返回结果',
  middleware: [admin] as const,
  request: { params: IntIdParams, body: { required: false, content: { 'application/json': { schema: TestInput } } } },
  responses: { 200: json(TestResult, 'Result of the test send'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
});

export function channelsRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json({ items: await service.listAll(deps) }, 200))
    .openapi(create, async (c) => c.json(await service.create(deps, c.req.valid('json'), actorOf(c)), 201))
    .openapi(get, async (c) => c.json(await service.getOne(deps, c.req.valid('param').id), 200))
    .openapi(patch, async (c) => c.json(await service.patch(deps, c.req.valid('param').id, c.req.valid('json'), actorOf(c)), 200))
    .openapi(del, async (c) => {
      const id = c.req.valid('param').id;
      await service.remove(deps, id, actorOf(c));
      return c.json({ id, deleted: true as const }, 200);
    })
    .openapi(test, async (c) => {
      let input: { to?: string; phone?: string } = {};
      if ((c.req.header('content-type') ?? '').includes('json')) {
        const parsed = TestInput.safeParse(await c.req.json().catch(() => ({})));
        if (!parsed.success) {
          if (parsed.error.issues.some((i) => i.path[0] === 'phone')) {
            throw fieldError('phone', 'is not a mainland mobile number (11 digits starting with 13–19)', '不是有效的手机号（11 位，以 13–19 开头）');
          }
          throw fieldError('to', 'is not an e-mail address', '不是有效的邮箱地址');
        }
        input = parsed.data;
      }
      return c.json(await service.sendTest(deps, c.req.valid('param').id, currentUser(c), input, actorOf(c)), 200);
    });
}
