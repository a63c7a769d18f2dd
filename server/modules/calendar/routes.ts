import { createRoute, z } from '@hono/zod-openapi';
import { workCalendar } from '../../../core/workflow/calendar.js';
import { writeAudit } from '../../../db/repos/audit.js';
import * as repo from '../../../db/repos/calendar.js';
import { fieldError } from '../../../platform/errors.js';
import { actorOf, requireRole } from '../../middleware/auth.js';
import { createRouter, errors, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';

// The working-day calendar: the package's holidays and 调休 days, plus admin overrides (a year the
// package lacks, a local holiday). GET a day → is it a workday, and why.

const tags = ['calendar'];
const sec = { 401: errors[401], 403: errors[403] };
const readers = ['admin', 'duty', 'reviewer', 'leader'] as const;

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .openapi({ param: { name: 'day', in: 'path' }, example: '2026-10-10' });
const DayParams = z.object({ day: Day });
const DayView = z.object({ day: z.string(), isWorkday: z.boolean(), note: z.string(), overridden: z.boolean() }).openapi('CalendarDay');
const OverrideInput = z.object({ isWorkday: z.boolean(), note: z.string().trim().max(200).default('') }).strict().openapi('CalendarOverrideInput');

function validDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) throw fieldError('day', 'is not a calendar date', '不是有效日期');
  return day;
}

const list = createRoute({
  method: 'get',
  path: '/api/calendar',
  tags,
  summary: '工作日历的人工调整（按年）',
  middleware: [requireRole(...readers)] as const,
  request: { query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }) },
  responses: { 200: json(z.object({ overrides: z.array(DayView) }), 'Overrides'), 400: errors[400], ...sec },
});
const get = createRoute({
  method: 'get',
  path: '/api/calendar/{day}',
  tags,
  summary: '某日是否工作日',
  middleware: [requireRole(...readers)] as const,
  request: { params: DayParams },
  responses: { 200: json(DayView, 'Day'), 400: errors[400], ...sec },
});
const put = createRoute({
  method: 'put',
  path: '/api/calendar/{day}',
  tags,
  summary: '设定某日为工作日或休息日（覆盖日历包）',
  middleware: [requireRole('admin')] as const,
  request: { params: DayParams, body: jsonBody(OverrideInput) },
  responses: { 200: json(DayView, 'Day'), 400: errors[400], ...sec },
});
const remove = createRoute({
  method: 'delete',
  path: '/api/calendar/{day}',
  tags,
  summary: '取消对某日的人工调整',
  middleware: [requireRole('admin')] as const,
  request: { params: DayParams },
  responses: { 200: json(DayView, 'Day'), 400: errors[400], ...sec },
});

async function dayView(deps: ModuleDeps, day: string) {
  const o = await repo.findCalendarOverride(deps.db, day);
  if (o) return { day, isWorkday: o.isWorkday, note: o.note, overridden: true };
  return { day, isWorkday: workCalendar().isWorkday(day), note: '', overridden: false };
}

export function calendarRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => {
      const rows = await repo.listCalendarOverrides(deps.db, c.req.valid('query').year);
      return c.json({ overrides: rows.map((o) => ({ ...o, overridden: true })) }, 200);
    })
    .openapi(get, async (c) => c.json(await dayView(deps, validDay(c.req.valid('param').day)), 200))
    .openapi(put, async (c) => {
      const day = validDay(c.req.valid('param').day);
      const { isWorkday, note } = c.req.valid('json');
      const actor = actorOf(c);
      await deps.db.transaction().execute(async (trx) => {
        const before = await repo.findCalendarOverride(trx, day);
        await repo.upsertCalendarOverride(trx, { day, isWorkday, note });
        await writeAudit(trx, { actor, entity: 'calendar', entityId: day, action: 'calendar.set', before: before ?? null, after: { day, isWorkday, note } });
      });
      return c.json(await dayView(deps, day), 200);
    })
    .openapi(remove, async (c) => {
      const day = validDay(c.req.valid('param').day);
      const actor = actorOf(c);
      await deps.db.transaction().execute(async (trx) => {
        const before = await repo.findCalendarOverride(trx, day);
        const removed = before !== undefined && (await repo.deleteCalendarOverride(trx, day));
        // Audited even when the day had no override (removed: false): the request is on record
        // without relying on the route backstop.
        await writeAudit(trx, { actor, entity: 'calendar', entityId: day, action: 'calendar.unset', before: removed ? before : null, after: { removed } });
      });
      return c.json(await dayView(deps, day), 200);
    });
}
