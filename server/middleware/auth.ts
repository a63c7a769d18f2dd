import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { ROLES, type Role } from '../../core/vocabulary.js';
import { AppError } from '../../platform/errors.js';

// Who is calling, and may they. The session middleware (server/modules/auth/session.ts) puts the
// signed-in user on the context; routes declare their roles with `requireRole(...)` in their
// createRoute `middleware`, and that declaration is what `declaredRoutes(app)` enumerates for the
// role × route matrix test. The CSRF middleware guards every state-changing /api request.

export type { Actor, SessionUser } from '../../services/shared/actor.js';
import type { Actor, SessionUser, Who } from '../../services/shared/actor.js';

export function unauthorized(): AppError {
  return new AppError({ code: 'UNAUTHORIZED', message: 'Sign-in required', messageZh: '请先登录' });
}

export function forbidden(): AppError {
  return new AppError({ code: 'FORBIDDEN', message: 'Your role may not do this', messageZh: '无权执行此操作' });
}

function userOf(c: Context): SessionUser | undefined {
  return c.get('user') as SessionUser | undefined;
}

/** The signed-in user; AppError UNAUTHORIZED (401) when there is none. */
export function currentUser(c: Context): SessionUser {
  const user = userOf(c);
  if (!user) throw unauthorized();
  return user;
}

/** The client's address: the first hop of X-Forwarded-For, else the socket's peer address. */
export function clientIp(c: Context): string {
  // X-Forwarded-For is only believed behind a proxy the admin declared (TRUST_PROXY): anyone
  // talking to the server directly could otherwise forge it and dodge the per-address throttle.
  if (c.get('trustProxy') === true) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded.slice(0, 100);
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? '';
}

export function actorOf(c: Context): Actor {
  const user = userOf(c);
  return { id: user?.id ?? null, name: user ? user.displayName || user.username : 'anonymous', ip: clientIp(c) };
}

/** Marks a guard middleware with the roles it admits (read back by declaredRoutes). */
export const ROLES_KEY = Symbol.for('opinion-desk.requireRole');
type Guard = MiddlewareHandler & { [ROLES_KEY]?: readonly Role[] };

/** Route guard: signed in (401 otherwise), and one of these roles (403 otherwise). */
export function requireRole(...roles: Role[]): MiddlewareHandler {
  if (roles.length === 0) throw new Error('requireRole needs at least one role (use ANY_ROLE for every signed-in user)');
  const allowed = new Set<Role>(roles);
  const guard: Guard = async (c, next) => {
    const user = currentUser(c);
    if (!allowed.has(user.role)) throw forbidden();
    await next();
  };
  guard[ROLES_KEY] = [...allowed];
  return guard;
}

/** Every role: for routes any signed-in user may call (`requireRole(...ANY_ROLE)`). */
export const ANY_ROLE: readonly Role[] = ROLES;

/** Routes callable without a session. Everything else under /api must declare its roles. */
export const PUBLIC_ROUTES: readonly string[] = ['GET /api/health', 'GET /api/openapi.json', 'POST /api/auth/login'];

/**
 * Routes an API token authorises (`Authorization: Bearer …`, server/modules/intake), never a
 * session: a request carrying the session cookie is refused with 401, so no CSRF token is needed
 * (the CSRF check still stops a cookie-bearing request before the route).
 */
export const TOKEN_ROUTES: readonly string[] = ['POST /api/intake/items'];

export interface DeclaredRoute {
  method: string;
  /** Hono path syntax (`/api/sources/:id`). */
  path: string;
  /** The roles admitted; 'public' for PUBLIC_ROUTES, 'token' for TOKEN_ROUTES; null when the route declares nothing (a bug). */
  roles: readonly Role[] | 'public' | 'token' | null;
}

interface RouteLike {
  method: string;
  path: string;
  handler: unknown;
}

function guardRoles(handler: unknown): readonly Role[] | undefined {
  if (typeof handler !== 'function') return undefined;
  const own = (handler as Guard)[ROLES_KEY];
  if (own) return own;
  // Sub-apps with their own error handler wrap each handler; the original sits under this symbol.
  for (const sym of Object.getOwnPropertySymbols(handler)) {
    const inner = (handler as unknown as Record<symbol, unknown>)[sym];
    if (typeof inner === 'function' && (inner as Guard)[ROLES_KEY]) return (inner as Guard)[ROLES_KEY];
  }
  return undefined;
}

/** Every /api route of an app with the roles it declares (from its requireRole guard). */
export function declaredRoutes(app: { routes: readonly RouteLike[] }): DeclaredRoute[] {
  const byKey = new Map<string, DeclaredRoute>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || !(r.path === '/api' || r.path.startsWith('/api/'))) continue;
    const key = `${r.method} ${r.path}`;
    const fixed = PUBLIC_ROUTES.includes(key) ? 'public' : TOKEN_ROUTES.includes(key) ? 'token' : null;
    const entry = byKey.get(key) ?? { method: r.method, path: r.path, roles: fixed };
    const roles = guardRoles(r.handler);
    if (roles && entry.roles !== 'public' && entry.roles !== 'token') entry.roles = roles;
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function csrfFailure(): AppError {
  return new AppError({ code: 'FORBIDDEN', message: 'Security check failed (CSRF); reload the page and try again', messageZh: '安全校验失败，请刷新页面后重试' });
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * CSRF defence for state-changing /api requests: an Origin header, when present, must name this
 * host (login included); with a session, the session's CSRF token must come back in X-CSRF-Token.
 * Requests without a session carry no authority and fall through to the route's 401.
 */
export function csrfProtection(): MiddlewareHandler {
  return async (c, next) => {
    if (!UNSAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const host = c.req.header('host') ?? new URL(c.req.url).host;
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = null;
      }
      if (originHost === null || originHost.toLowerCase() !== host.toLowerCase()) throw csrfFailure();
    }
    const session = c.get('session') as { csrfToken: string } | undefined;
    if (session && !(c.req.method === 'POST' && c.req.path === '/api/auth/login')) {
      const sent = c.req.header('x-csrf-token') ?? '';
      if (!sameToken(sent, session.csrfToken)) throw csrfFailure();
    }
    await next();
  };
}

/** Who is acting in this request: the signed-in user (401 without one) and the actor for audit rows. */
export const whoOf = (c: Context): Who => ({ user: currentUser(c), actor: actorOf(c) });
