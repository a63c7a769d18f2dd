import { createRoute } from '@hono/zod-openapi';
import type { PolicyRule } from '../../../core/workflow/types.js';
import { writeAudit } from '../../../db/repos/audit.js';
import { rearmObligations } from '../../../db/repos/escalations.js';
import { loadPolicies, replacePolicies } from '../../../db/repos/policies.js';
import { actorOf, requireRole } from '../../middleware/auth.js';
import { createRouter, errors, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { PolicyInput, PolicyView } from '../../../services/policies/schema.js';
import { getOriginWindows, OriginWindowsInput, OriginWindowsView, putOriginWindows } from '../../../services/policies/origin-windows.js';

// 回应时限策略: obligations, windows and escalation steps per level (and category). A change applies
// to cases opened (or re-levelled) afterwards; existing due times are never recomputed retroactively.

const tags = ['policies'];
const sec = { 401: errors[401], 403: errors[403] };

const get = createRoute({
  method: 'get',
  path: '/api/policies',
  tags,
  summary: '回应时限策略',
  middleware: [requireRole('admin', 'reviewer', 'leader')] as const,
  responses: { 200: json(PolicyView, 'The policy'), ...sec },
});
const put = createRoute({
  method: 'put',
  path: '/api/policies',
  tags,
  summary: '修改回应时限策略（整体替换；不追溯已有时限）',
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(PolicyInput) },
  responses: { 200: json(PolicyView, 'The new policy'), 400: errors[400], ...sec },
});

const getWindows = createRoute({
  method: 'get',
  path: '/api/policies/origin-windows',
  tags,
  summary: '热线、信箱来信的办理时限（工作日，按诉求类型）',
  middleware: [requireRole('admin', 'reviewer', 'leader', 'duty')] as const,
  responses: { 200: json(OriginWindowsView, 'Windows by origin'), ...sec },
});
const putWindows = createRoute({
  method: 'put',
  path: '/api/policies/origin-windows',
  tags,
  summary: '修改热线、信箱来信的办理时限（1–60 个工作日；不追溯已有时限）',
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(OriginWindowsInput) },
  responses: { 200: json(OriginWindowsView, 'The new windows'), 400: errors[400], ...sec },
});

export async function savePolicy(deps: ModuleDeps, rules: PolicyRule[], actor: ReturnType<typeof actorOf>): Promise<PolicyRule[]> {
  const before = await loadPolicies(deps.db);
  await deps.db.transaction().execute(async (trx) => {
    await replacePolicies(trx, rules, actor.id, deps.now());
    // Due times stay; the steps may have changed: the next sweep recomputes every open obligation.
    await rearmObligations(trx, deps.now());
    await writeAudit(trx, { actor, entity: 'policy', entityId: 'policy', action: 'policy.update', before, after: rules });
  });
  return loadPolicies(deps.db);
}

export function policiesRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(get, async (c) => c.json({ rules: await loadPolicies(deps.db) }, 200))
    .openapi(put, async (c) => c.json({ rules: await savePolicy(deps, c.req.valid('json').rules, actorOf(c)) }, 200))
    .openapi(getWindows, async (c) => c.json(await getOriginWindows(deps.db), 200))
    .openapi(putWindows, async (c) => c.json(await putOriginWindows(deps, c.req.valid('json'), actorOf(c)), 200));
}
