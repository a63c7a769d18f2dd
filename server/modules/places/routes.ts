import { createRoute } from '@hono/zod-openapi';
import { actorOf, ANY_ROLE, requireRole, whoOf } from '../../middleware/auth.js';
import { BigIdParams, createRouter, denied, errors, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { StatsQuery } from '../../../services/stats/schema.js';
import { AreaInput, AreaView, BackfillProgress, CasePlacesInput, CasePlacesView, DivisionList, DivisionQuery, PlaceStatsView, TownList, VillageList, VillageQuery } from '../../../services/places/schema.js';
import * as service from '../../../services/places/area.js';
import * as casePlaces from '../../../services/places/case-places.js';

// 地域: the office's area (管理 → 辖区) and its gazetteer, the 乡镇 of the pickers, and alerts and
// cases by 乡镇 for the statistics screen.

const tags = ['places'];

const getArea = createRoute({
  method: 'get',
  path: '/api/area',
  tags,
  summary: '辖区设置（区县与单位添加的地名）',
  middleware: [requireRole('admin')] as const,
  responses: { 200: json(AreaView, 'The office area'), ...denied },
});
const putArea = createRoute({
  method: 'put',
  path: '/api/area',
  tags,
  summary: '修改辖区：重建辖区地名表（乡镇/街道、村/社区）',
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(AreaInput) },
  responses: { 200: json(AreaView, 'Saved; the gazetteer rebuilt'), 400: errors[400], ...denied },
});
const backfill = createRoute({
  method: 'get',
  path: '/api/area/backfill',
  tags,
  summary: '已有信息补充地域的进度（已补充 N / M 条；保存辖区后逐批进行时轮询）',
  middleware: [requireRole('admin')] as const,
  responses: { 200: json(BackfillProgress, 'The back-fill progress'), ...denied },
});
const divisions = createRoute({
  method: 'get',
  path: '/api/area/divisions',
  tags,
  summary: '行政区划：省、市、区县（选择辖区用）',
  middleware: [requireRole('admin')] as const,
  request: { query: DivisionQuery },
  responses: { 200: json(DivisionList, 'Divisions'), 400: errors[400], ...denied },
});
const towns = createRoute({
  method: 'get',
  path: '/api/area/towns',
  tags,
  summary: '辖区乡镇（街道）列表（筛选用）',
  middleware: [requireRole(...ANY_ROLE)] as const,
  responses: { 200: json(TownList, 'Towns of the area'), ...denied },
});
const placeStats = createRoute({
  method: 'get',
  path: '/api/stats/places',
  tags: ['stats'],
  summary: '统计：各乡镇（街道）的预警数与事件数',
  middleware: [requireRole('leader', 'reviewer', 'admin', 'duty')] as const,
  request: { query: StatsQuery },
  responses: { 200: json(PlaceStatsView, 'Alerts and cases by town'), 400: errors[400], ...denied },
});

const villages = createRoute({
  method: 'get',
  path: '/api/area/villages',
  tags,
  summary: '某乡镇（街道）的村（社区）列表（选择地域用）',
  middleware: [requireRole(...ANY_ROLE)] as const,
  request: { query: VillageQuery },
  responses: { 200: json(VillageList, 'Villages of the town'), 400: errors[400], ...denied },
});
const getCasePlaces = createRoute({
  method: 'get',
  path: '/api/cases/{id}/places',
  tags,
  summary: '事件的地域（手工设置的乡镇/村，或事件信息中提到的）与可选地名',
  middleware: [requireRole(...ANY_ROLE)] as const,
  request: { params: BigIdParams },
  responses: { 200: json(CasePlacesView, 'The case 地域'), ...denied, 404: errors[404] },
});
const putCasePlaces = createRoute({
  method: 'put',
  path: '/api/cases/{id}/places',
  tags,
  summary: '设置或更正事件的地域（乡镇，可选村）；town 为 null 时恢复按事件信息',
  middleware: [requireRole('duty', 'handler', 'reviewer', 'admin')] as const,
  request: { params: BigIdParams, body: jsonBody(CasePlacesInput) },
  responses: { 200: json(CasePlacesView, 'Saved'), 400: errors[400], ...denied, 404: errors[404], 409: errors[409] },
});

export function placesRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(getArea, async (c) => c.json(await service.getArea(deps), 200))
    .openapi(putArea, async (c) => c.json(await service.putArea(deps, c.req.valid('json'), actorOf(c)), 200))
    .openapi(backfill, async (c) => c.json(await service.getBackfillProgress(deps), 200))
    .openapi(divisions, async (c) => c.json(service.listDivisions(c.req.valid('query').parent), 200))
    .openapi(towns, async (c) => c.json(await service.listTowns(deps), 200))
    .openapi(placeStats, async (c) => c.json(await service.placeStats(deps, c.req.valid('query')), 200))
    .openapi(villages, async (c) => c.json(await casePlaces.listVillages(deps, c.req.valid('query').town), 200))
    .openapi(getCasePlaces, async (c) => c.json(await casePlaces.getCasePlaces(deps, whoOf(c), c.req.valid('param').id), 200))
    .openapi(putCasePlaces, async (c) => c.json(await casePlaces.setCasePlaces(deps, whoOf(c), c.req.valid('param').id, c.req.valid('json')), 200));
}
