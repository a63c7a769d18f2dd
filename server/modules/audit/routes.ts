import { createRoute, z } from '@hono/zod-openapi';
import { listAuditPage } from '../../../db/repos/audit.js';
import { verifyAuditLog } from '../../../services/audit/anchors.js';
import { fieldError } from '../../../platform/errors.js';
import { requireRole } from '../../middleware/auth.js';
import { createRouter, errors, json } from '../../openapi.js';
import { presentAuditRow } from '../../../services/cases/present.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { BigId, Cursor, DateTime, Limit } from '../../../services/shared/schema.js';

// 责任追究: the append-only audit log, newest first, per case and per user. Cursor: the last row's id.

const AuditQuery = z.object({
  caseId: BigId.optional(),
  userId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  limit: Limit(100, 500),
  cursor: Cursor,
});

const AuditRow = z
  .object({
    id: z.string(),
    at: DateTime,
    actorId: z.number().int().nullable(),
    actorName: z.string(),
    ip: z.string(),
    entity: z.string(),
    entityId: z.string(),
    caseId: z.string().nullable(),
    action: z.string(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .openapi('AuditRow');

const list = createRoute({
  method: 'get',
  path: '/api/audit',
  tags: ['audit'],
  summary: '审计日志（按事件或人员）',
  middleware: [requireRole('admin', 'leader')] as const,
  request: { query: AuditQuery },
  responses: {
    200: json(z.object({ entries: z.array(AuditRow), nextCursor: z.string().nullable() }), 'Audit entries'),
    400: errors[400],
    401: errors[401],
    403: errors[403],
  },
});

const AuditVerifyView = z
  .object({
    ok: z.boolean(),
    rows: z.number().int(),
    firstBadId: z.string().nullable(),
    message: z.string(),
    messageZh: z.string(),
  })
  .openapi('AuditVerify');

const verify = createRoute({
  method: 'get',
  path: '/api/audit/verify',
  tags: ['audit'],
  summary: '校验审计日志哈希链（发现被篡改或删除的记录）',
  middleware: [requireRole('admin')] as const,
  responses: { 200: json(AuditVerifyView, 'Verification result'), 401: errors[401], 403: errors[403] },
});

function decodeAuditCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw fieldError('cursor', 'is not a cursor returned by this API', '无效（请使用上一页返回的 nextCursor）');
  return id;
}

export function auditRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(verify, async (c) => {
      // The chain with the key, then against the anchors outside the database (DATA_DIR).
      const r = await verifyAuditLog(deps.db, deps.config.DATA_DIR, deps.now());
      const message = r.ok ? `Audit chain intact: ${r.rows} rows verified, ${r.anchors} anchors agree` : `Audit chain broken: ${r.reason?.message ?? 'unknown'}`;
      const messageZh = r.ok ? `审计日志完整：已校验 ${r.rows} 条记录，与 ${r.anchors} 个锚点一致` : `审计日志校验失败：${r.reason?.messageZh ?? '原因不明'}`;
      return c.json({ ok: r.ok, rows: r.rows, firstBadId: r.firstBadId ?? null, message, messageZh }, 200);
    })
    .openapi(list, async (c) => {
    const q = c.req.valid('query');
    const after = decodeAuditCursor(q.cursor);
    const rows = await listAuditPage(deps.db, { caseId: q.caseId, userId: q.userId, beforeId: after, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const nextCursor = rows.length > q.limit ? Buffer.from(page[page.length - 1].id, 'utf8').toString('base64url') : null;
    return c.json({ entries: page.map((a) => ({ ...presentAuditRow(a), ip: a.ip, caseId: a.case_id })), nextCursor }, 200);
  });
}
