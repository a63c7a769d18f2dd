import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../../../core/vocabulary.js';
import { listNotifications, unreadCount } from '../../../db/repos/notifications.js';
import { actorOf, currentUser, requireRole } from '../../middleware/auth.js';
import { BigIdParams, createRouter, errors, json } from '../../openapi.js';
import { decodeCursor, paginate } from '../../../services/shared/cursor.js';
import { Cursor, DateTime, Limit } from '../../../services/shared/schema.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import * as service from '../../../services/notifications/service.js';

// The signed-in user's own notifications (催办、预警、超时通知), newest first. Other users' ids → 404.

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
      const user = currentUser(c);
      const q = c.req.valid('query');
      const rows = await listNotifications(deps.db, user.id, q.limit, decodeCursor(q.cursor), q.unread === '1' || q.unread === 'true');
      const { page, nextCursor } = paginate(rows, q.limit, (r) => ({ at: r.key_at, id: r.id }));
      return c.json(
        {
          items: page.map((r) => ({
            id: r.id,
            caseId: r.case_id,
            kind: r.kind,
            title: r.title,
            body: r.body,
            urgent: r.urgent,
            createdAt: r.created_at.toISOString(),
            readAt: r.read_at ? r.read_at.toISOString() : null,
          })),
          nextCursor,
          unreadCount: await unreadCount(deps.db, user.id),
        },
        200,
      );
    })
    .openapi(read, async (c) => c.json(await service.markOneRead(deps, currentUser(c).id, c.req.valid('param').id, actorOf(c)), 200))
    .openapi(readAll, async (c) => c.json(await service.markEveryRead(deps, currentUser(c).id, actorOf(c)), 200));
}
