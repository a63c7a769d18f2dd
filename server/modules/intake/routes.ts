import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../../../platform/errors.js';
import { RuleCache } from '../../../services/crawl/rules-cache.js';
import { submitItems } from '../../../services/intake/intake.js';
import { IntakeBatch, IntakeItem, IntakeResult, MAX_INTAKE_ITEMS } from '../../../services/intake/schema.js';
import { authenticateToken, TOKEN_REQUESTS_PER_MINUTE, type TokenCaller } from '../../../services/intake/tokens.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { clientIp } from '../../middleware/auth.js';
import { createRouter, errors, json, jsonBody } from '../../openapi.js';
import { SESSION_COOKIE } from '../auth/session.js';

// The intake API: other systems push items with an API token (管理 → 接口令牌). Token auth only:
// a request carrying the session cookie is refused (TOKEN_ROUTES in server/middleware/auth.ts).

const tags = ['intake'];
const callers = new WeakMap<Request, TokenCaller>();

function tokenAuth(deps: ModuleDeps): MiddlewareHandler {
  return async (c, next) => {
    if (getCookie(c, SESSION_COOKIE) !== undefined) {
      throw new AppError({ code: 'UNAUTHORIZED', message: 'This route takes an API token, not a session cookie', messageZh: '此接口只接受接口令牌，不接受登录会话' });
    }
    try {
      callers.set(c.req.raw, await authenticateToken(deps, c.req.header('authorization'), 'items:submit'));
    } catch (err) {
      const retry = err instanceof AppError && err.code === 'RATE_LIMITED' ? (err.details as { retryAfterS?: number } | undefined)?.retryAfterS : undefined;
      if (retry !== undefined) c.header('Retry-After', String(retry));
      throw err;
    }
    await next();
  };
}

const submitRoute = (deps: ModuleDeps) =>
  createRoute({
    method: 'post',
    path: '/api/intake/items',
    tags,
    summary: '接口推送条目（接口令牌）',
    description:
      `Authorization: Bearer <接口令牌>（权限 items:submit），不用登录会话、不用 CSRF 令牌。一次 1–${MAX_INTAKE_ITEMS} 条；` +
      `按（来源，externalId 或规范化网址）去重，重复推送不产生新条目。每条与抓取到的条目走同一流程（事件归并、监测方案、预警）。` +
      `每个令牌每分钟最多 ${TOKEN_REQUESTS_PER_MINUTE} 次请求（超出 429，带 Retry-After）。应答 207：逐条列出 accepted / duplicate / rejected（附原因）。`,
    security: [{ apiToken: [] }],
    middleware: [tokenAuth(deps)] as const,
    request: { body: jsonBody(IntakeBatch) },
    responses: {
      207: json(IntakeResult, '逐条结果 / per-item results'),
      400: errors[400],
      401: { ...errors[401], description: '令牌缺失、无效或已吊销，或带有登录会话 / missing, unknown or revoked token, or a session cookie' },
      403: { ...errors[403], description: '令牌没有 items:submit 权限 / the token lacks the scope' },
      429: errors[429],
    },
  });

export function intakeRoutes(deps: ModuleDeps) {
  // The rule set's version is checked on every batch: a rule saved a moment ago applies to the next push.
  const rules = new RuleCache(deps.db, 0);
  const router = createRouter();
  router.openAPIRegistry.register('IntakeItem', IntakeItem);
  router.openAPIRegistry.registerComponent('securitySchemes', 'apiToken', { type: 'http', scheme: 'bearer', description: '接口令牌（管理 → 接口令牌）' });
  return router.openapi(submitRoute(deps), async (c) => {
    const caller = callers.get(c.req.raw)!;
    const { items } = c.req.valid('json');
    const actor = { id: null, name: `接口令牌：${caller.name}`, ip: clientIp(c) };
    return c.json(await submitItems(deps, rules, caller, items, actor), 207);
  });
}
