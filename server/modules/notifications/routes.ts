import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../../../core/vocabulary.js';
import { noticeLang } from '../../../core/notices.js';
import { actorOf, currentUser, requireRole } from '../../middleware/auth.js';
import { BigIdParams, createRouter, errors, json } from '../../openapi.js';
import { Cursor, DateTime, Limit } from '../../../services/shared/schema.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import * as service from '../../../services/notifications/service.js';

// The signed-in user's own notifications (催办、预警、超时通知), newest first, in the reader's language
// (?lang=zh|en, else Accept-Language, else Chinese). Other users' ids → 404.

const tags = ['notifications'];
const anyone = requireRole(...ROLES);

const NotificationView = z
  .object({
    id: z.string(),
    caseId: z.string().nullable(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    urgent: z.boolean(),
    createdAt: DateTime,
    readAt: DateTime.nullable(),
  })
  .openapi('Notification');
const NotificationPage = z
  .object({ items: z.array(NotificationView), nextCursor: z.string().nullable(), unreadCount: z.number().int() })
  .openapi('NotificationPage');
const Query = z.object({
  limit: Limit(50, 200),
  cursor: Cursor,
  unread: z.enum(['1', 'true', '0', 'false']).optional().openapi({ description: '只看未读' }),
  lang: z.enum(['zh', 'en']).optional().openapi({ description: '显示语言（默认按 Accept-Language，否则中文）' }),
});

const list = createRoute({
  method: 'get',
  path: '/api/notifications',
  tags,
  summary: '我的通知（最新在前，游标分页，含未读数）',
  middleware: [anyone] as const,
  request: { query: Query },
  responses: { 200: json(NotificationPage, 'My notifications'), 400: errors[400], 401: errors[401] },
});
const read = createRoute({
  method: 'post',
  path: '/api/notifications/{id}/read',
  tags,
  summary: '标记为已读',
  middleware: [anyone] as const,
  request: { params: BigIdParams },
  responses: { 200: json(z.object({ id: z.string(), unreadCount: z.number().int() }), 'Read'), 401: errors[401], 404: errors[404] },
});
const readAll = createRoute({
  method: 'post',
  path: '/api/notifications/read-all',
  tags,
  summary: '全部标记为已读',
  middleware: [anyone] as const,
  responses: { 200: json(z.object({ updated: z.number().int(), unreadCount: z.number().int() }), 'All read'), 401: errors[401] },
});

export function notificationsRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const lang = noticeLang(q.lang, c.req.header('accept-language'));
      return c.json(await service.listMine(deps, currentUser(c).id, { limit: q.limit, cursor: q.cursor, unreadOnly: q.unread === '1' || q.unread === 'true', lang }), 200);
    })
    .openapi(read, async (c) => c.json(await service.markOneRead(deps, currentUser(c).id, c.req.valid('param').id, actorOf(c)), 200))
    .openapi(readAll, async (c) => c.json(await service.markEveryRead(deps, currentUser(c).id, actorOf(c)), 200));
}
