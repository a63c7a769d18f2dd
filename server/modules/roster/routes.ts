import { createRoute, z } from '@hono/zod-openapi';
import { listShifts } from '../../../db/repos/roster.js';
import { ANY_ROLE, actorOf, currentUser, requireRole } from '../../middleware/auth.js';
import { createRouter, DeletedSchema, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { FillInput, OnDutyView, RosterQuery, RosterSlotView, ShiftInput, ShiftView, SwapInput } from '../../../services/roster/schema.js';
import * as roster from '../../../services/roster/service.js';

// 值班表: the administrator manages shifts and the roster; everyone signed in sees who is on duty now.

const tags = ['roster'];
const sec = { 401: errors[401], 403: errors[403] };
const READERS = ['admin', 'duty', 'reviewer', 'leader'] as const;

const now = createRoute({
  method: 'get',
  path: '/api/roster/now',
  tags,
  summary: '当前值班人员',
  middleware: [requireRole(...ANY_ROLE)] as const,
  responses: { 200: json(OnDutyView, 'Who is on duty now'), ...sec },
});
const shifts = createRoute({
  method: 'get',
  path: '/api/roster/shifts',
  tags,
  summary: '班次列表',
  middleware: [requireRole(...READERS)] as const,
  responses: { 200: json(z.object({ shifts: z.array(ShiftView) }), 'Shifts'), ...sec },
});
const createShift = createRoute({
  method: 'post',
  path: '/api/roster/shifts',
  tags,
  summary: '新增班次',
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(ShiftInput) },
  responses: { 201: json(ShiftView, 'Created'), 400: errors[400], ...sec },
});
const updateShift = createRoute({
  method: 'patch',
  path: '/api/roster/shifts/{id}',
  tags,
  summary: '修改班次',
  middleware: [requireRole('admin')] as const,
  request: { params: IntIdParams, body: jsonBody(ShiftInput) },
  responses: { 200: json(ShiftView, 'Updated'), 400: errors[400], 404: errors[404], ...sec },
});
const deleteShift = createRoute({
  method: 'delete',
  path: '/api/roster/shifts/{id}',
  tags,
  summary: '删除班次（连同其排班）',
  middleware: [requireRole('admin')] as const,
  request: { params: IntIdParams },
  responses: { 200: json(DeletedSchema, 'Deleted'), 404: errors[404], ...sec },
});
const month = createRoute({
  method: 'get',
  path: '/api/roster',
  tags,
  summary: '某月值班表',
  middleware: [requireRole(...READERS)] as const,
  request: { query: RosterQuery },
  responses: { 200: json(z.object({ month: z.string(), slots: z.array(RosterSlotView) }), 'Roster of a month'), 400: errors[400], ...sec },
});
const fill = createRoute({
  method: 'post',
  path: '/api/roster/fill',
  tags,
  summary: '按周模板排满一个月（依工作日历，含节假日和调休）',
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(FillInput) },
  responses: { 200: json(z.object({ month: z.string(), rows: z.number().int(), replaced: z.number().int() }), 'Filled'), 400: errors[400], ...sec },
});
const swap = createRoute({
  method: 'post',
  path: '/api/roster/swap',
  tags,
  summary: '排班或调班（调换已排定的班次须填写原因）',
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(SwapInput) },
  responses: { 200: json(z.object({ day: z.string(), shiftId: z.number().int() }), 'Set'), 400: errors[400], ...sec },
});

export function rosterRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(now, async (c) => c.json(await roster.presentOnDuty(deps.db, currentUser(c).id, deps.now()), 200))
    .openapi(shifts, async (c) => c.json({ shifts: (await listShifts(deps.db)).map(roster.presentShift) }, 200))
    .openapi(createShift, async (c) => c.json(await roster.createShift(deps.db, actorOf(c), c.req.valid('json')), 201))
    .openapi(updateShift, async (c) => c.json(await roster.updateShift(deps.db, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(deleteShift, async (c) => {
      const { id } = c.req.valid('param');
      await roster.deleteShift(deps.db, actorOf(c), id);
      return c.json({ id, deleted: true as const }, 200);
    })
    .openapi(month, async (c) => {
      const m = c.req.valid('query').month;
      return c.json({ month: m, slots: await roster.rosterOfMonth(deps.db, m) }, 200);
    })
    .openapi(fill, async (c) => c.json(await roster.fillRosterMonth(deps.db, actorOf(c), c.req.valid('json'), deps.now()), 200))
    .openapi(swap, async (c) => {
      const e = await roster.swapShift(deps.db, actorOf(c), c.req.valid('json'), deps.now());
      return c.json({ day: e.day, shiftId: e.shiftId }, 200);
    });
}
