import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Db } from '../../db/client.js';
import { auditScope, writeAudit } from '../../db/repos/audit.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { actorOf } from './auth.js';

// Response headers, the JSON-only rule for state-changing requests, and the audit backstop.
// See SECURITY.md for what each control is for and how to change it.

/**
 * Content-Security-Policy of every response. The dashboard is a Vite build: one module script and
 * stylesheets from /assets, a data: favicon, inline style attributes (React `style`, charts); no
 * inline script, no eval, nothing from another origin, never framed.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** True when the client reached us over TLS (directly, or through a proxy declared with TRUST_PROXY). */
export function isHttpsRequest(c: Context): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (c.get('trustProxy') !== true) return false;
  return c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/** Security headers on every response (API, dashboard, errors); HSTS only on HTTPS requests. */
export function securityHeaders(): MiddlewareHandler {
  const base = secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: false,
    removePoweredBy: true,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
  });
  return async (c, next) => {
    await base(c, next);
    if (isHttpsRequest(c)) c.res.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function unsupportedMediaType(): AppError {
  return new AppError({
    code: 'VALIDATION',
    status: 415,
    message: 'Unsupported media type: state-changing requests take application/json',
    messageZh: '不支持的请求内容类型：修改类请求只接受 application/json',
  });
}

/**
 * State-changing /api requests carry JSON or nothing: text/plain, form-urlencoded and multipart —
 * what a cross-site form can send without a CORS preflight — are refused with 415 before any
 * handler runs (CSRF defence in depth next to the token check).
 */
export function jsonOnly(): MiddlewareHandler {
  return async (c, next) => {
    if (!UNSAFE_METHODS.has(c.req.method)) return next();
    const type = c.req.header('content-type');
    const length = c.req.header('content-length');
    const hasBody = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
    if (type !== undefined) {
      const mime = type.split(';')[0]!.trim().toLowerCase();
      if (mime !== 'application/json') throw unsupportedMediaType();
    } else if (hasBody) {
      throw unsupportedMediaType();
    }
    await next();
  };
}

function routePattern(c: Context): string {
  const matched = c.req.matchedRoutes.filter((r) => r.method !== 'ALL' && r.method === c.req.method);
  return matched[matched.length - 1]?.path ?? c.req.path;
}

/**
 * The audit backstop: a state-changing /api request that succeeded and wrote no audit row of its
 * own (the services write theirs, in the transaction of the change) gets one here, naming the
 * route, the caller and the target. So every change through the API is attributable, including
 * routes added later.
 */
export function auditTrail(db: Db, logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    if (!UNSAFE_METHODS.has(c.req.method)) return next();
    const scope = { written: 0 };
    await auditScope.run(scope, next);
    const status = c.res.status;
    if (status < 200 || status >= 300 || scope.written > 0) return;
    const pattern = routePattern(c);
    const segments = c.req.path.split('/').filter(Boolean);
    const entity = segments[1] ?? 'api';
    let entityId = segments.slice(2).find((s) => /^[0-9]+$/.test(s) || /^\d{4}-\d{2}-\d{2}$/.test(s)) ?? '';
    if (entityId === '' && (c.res.headers.get('content-type') ?? '').includes('application/json')) {
      try {
        const body = (await c.res.clone().json()) as { id?: unknown };
        if (typeof body.id === 'number' || typeof body.id === 'string') entityId = String(body.id);
      } catch {
        // not JSON after all: no id
      }
    }
    try {
      await writeAudit(db, {
        actor: actorOf(c),
        entity,
        entityId,
        action: `${c.req.method} ${pattern}`,
        after: { route: `${c.req.method} ${pattern}`, path: c.req.path, status },
      });
    } catch (err) {
      logger.error({ err, path: c.req.path }, 'Audit backstop row could not be written');
    }
  };
}
