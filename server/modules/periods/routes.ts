import { createRoute, z } from '@hono/zod-openapi';
import { writeAudit } from '../../../db/repos/audit.js';
import * as repo from '../../../db/repos/periods.js';
import { notFound } from '../../../platform/errors.js';
import { actorOf, requireRole } from '../../middleware/auth.js';
import { createRouter, DeletedSchema, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { DateTime } from '../../../services/shared/schema.js';

// 重点时段 (heightened periods): windows of obligations starting inside one are shortened by its factor.
// A change applies to obligations computed afterwards; existing due times stay. While one is active,
// every source's poll interval is multiplied by its pollFactor (0.1–1, default 0.5), quiet hours are
// suspended and alert pushes have the shorter acknowledgement window.

const tags = ['periods'];
const sec = { 401: errors[401], 403: errors[403] };
const Time = z.iso.datetime({ offset: true }).transform((s) => new Date(s)).openapi({ type: 'string', format: 'date-time' });

const PeriodInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    startsAt: Time,
    endsAt: Time,
    factor: z.number().gt(0).lte(1),
    /** Poll-interval factor while active; omitted: 0.5 on create, unchanged on update. */
    pollFactor: z.number().min(0.1).max(1).optional(),
  })
  .strict()
  .refine((p) => p.endsAt.getTime() > p.startsAt.getTime(), { path: ['endsAt'], message: 'must be after startsAt', params: { messageZh: '必须晚于开始时间' } })
  .openapi('PeriodInput');

const PeriodView = z
  .object({ id: z.number().int(), name: z.string(), startsAt: DateTime, endsAt: DateTime, factor: z.number(), pollFactor: z.number(), createdAt: DateTime })
  .openapi('Period');

type Row = Awaited<ReturnType<typeof repo.listPeriods>>[number];
const present = (p: Row) => ({
  id: p.id,
  name: p.name,
  startsAt: p.starts_at.toISOString(),
  endsAt: p.ends_at.toISOString(),
  factor: p.factor,
  pollFactor: p.poll_factor,
  createdAt: p.created_at.toISOString(),
});
const audited = (p: Row) => ({ name: p.name, startsAt: p.starts_at.toISOString(), endsAt: p.ends_at.toISOString(), factor: p.factor, pollFactor: p.poll_factor });
const periodNotFound = () => notFound('Heightened period', '重点时段');

const list = createRoute({
  method: 'get',
  path: '/api/periods',
  tags,
  summary: '重点时段列表',
  middleware: [requireRole('admin', 'duty', 'reviewer', 'leader')] as const,
  responses: { 200: json(z.object({ periods: z.array(PeriodView) }), 'Periods'), ...sec },
});
const create = createRoute({
  method: 'post',
  path: '/api/periods',
  tags,
  summary: '新增重点时段',
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(PeriodInput) },
  responses: { 201: json(PeriodView, 'Created'), 400: errors[400], ...sec },
});
const update = createRoute({
  method: 'patch',
  path: '/api/periods/{id}',
  tags,
  summary: '修改重点时段',
  middleware: [requireRole('admin')] as const,
  request: { params: IntIdParams, body: jsonBody(PeriodInput) },
  responses: { 200: json(PeriodView, 'Updated'), 400: errors[400], 404: errors[404], ...sec },
});
const remove = createRoute({
  method: 'delete',
  path: '/api/periods/{id}',
  tags,
  summary: '删除重点时段',
  middleware: [requireRole('admin')] as const,
  request: { params: IntIdParams },
  responses: { 200: json(DeletedSchema, 'Deleted'), 404: errors[404], ...sec },
});

export function periodsRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json({ periods: (await repo.listPeriods(deps.db)).map(present) }, 200))
    .openapi(create, async (c) => {
      const actor = actorOf(c);
      const row = await deps.db.transaction().execute(async (trx) => {
        const p = await repo.insertPeriod(trx, c.req.valid('json'), actor.id);
        await writeAudit(trx, { actor, entity: 'period', entityId: p.id, action: 'period.create', after: audited(p) });
        return p;
      });
      return c.json(present(row), 201);
    })
    .openapi(update, async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid('param');
      const row = await deps.db.transaction().execute(async (trx) => {
        const before = await repo.findPeriod(trx, id);
        if (!before) throw periodNotFound();
        const p = await repo.updatePeriod(trx, id, c.req.valid('json'));
        if (!p) throw periodNotFound();
        await writeAudit(trx, { actor, entity: 'period', entityId: id, action: 'period.update', before: audited(before), after: audited(p) });
        return p;
      });
      return c.json(present(row), 200);
    })
    .openapi(remove, async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid('param');
      await deps.db.transaction().execute(async (trx) => {
        const before = await repo.findPeriod(trx, id);
        if (!before || !(await repo.deletePeriod(trx, id))) throw periodNotFound();
        await writeAudit(trx, { actor, entity: 'period', entityId: id, action: 'period.delete', before: audited(before) });
      });
      return c.json({ id, deleted: true as const }, 200);
    });
}
