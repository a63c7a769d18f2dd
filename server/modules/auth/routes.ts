import { createRoute } from '@hono/zod-openapi';
import { actorOf, ANY_ROLE, clientIp, currentUser, requireRole } from '../../middleware/auth.js';
import { createRouter, errors, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { LoginInput, OkView, PasswordChangedView, PasswordChangeInput, SessionView } from './schema.js';
import * as service from './service.js';
import { clearSessionCookie, setSessionCookie } from './session.js';

const tags = ['auth'];
const signedIn = requireRole(...ANY_ROLE);

const login = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags,
  summary: '登录（设置 od_session Cookie，返回 CSRF 令牌）',
  request: { body: jsonBody(LoginInput) },
  responses: { 200: json(SessionView, 'Signed in'), 400: errors[400], 401: errors[401], 403: errors[403] },
});
const logout = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags,
  summary: '退出登录',
  middleware: [signedIn],
  responses: { 200: json(OkView, 'Signed out'), 401: errors[401] },
});
const me = createRoute({
  method: 'get',
  path: '/api/auth/me',
  tags,
  summary: '当前用户与 CSRF 令牌',
  middleware: [signedIn],
  responses: { 200: json(SessionView, 'Current session'), 401: errors[401] },
});
const password = createRoute({
  method: 'post',
  path: '/api/auth/password',
  tags,
  summary: '修改密码（注销本人全部会话，并换发新会话 Cookie 与 CSRF 令牌）',
  middleware: [signedIn],
  request: { body: jsonBody(PasswordChangeInput) },
  responses: { 200: json(PasswordChangedView, 'Changed; a fresh session replaces the current one'), 400: errors[400], 401: errors[401] },
});

export function authRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(login, async (c) => {
      // No session fixation: a session the client came with ends as the new one starts.
      const previous = c.get('session');
      const r = await service.login(deps, c.req.valid('json'), { ip: clientIp(c), userAgent: c.req.header('user-agent') ?? '' }, previous?.id);
      setSessionCookie(c, r.token, deps.config.SESSION_MAX_HOURS * 3600);
      return c.json({ user: r.user, csrfToken: r.csrfToken }, 200);
    })
    .openapi(logout, async (c) => {
      await service.logout(deps.db, c.get('session')!.id, actorOf(c));
      // Its live-event streams end now, not at their next session check.
      await deps.emit({ type: 'session.revoked', userId: currentUser(c).id });
      clearSessionCookie(c);
      return c.json({ ok: true as const }, 200);
    })
    .openapi(me, (c) => c.json({ user: currentUser(c), csrfToken: c.get('session')!.csrfToken }, 200))
    .openapi(password, async (c) => {
      const client = { ip: clientIp(c), userAgent: c.req.header('user-agent') ?? '' };
      const fresh = await service.changePassword(deps, currentUser(c), c.get('session')!.id, c.req.valid('json'), actorOf(c), client);
      await deps.emit({ type: 'session.revoked', userId: currentUser(c).id });
      setSessionCookie(c, fresh.token, deps.config.SESSION_MAX_HOURS * 3600);
      return c.json({ ok: true as const, csrfToken: fresh.csrfToken }, 200);
    });
}
