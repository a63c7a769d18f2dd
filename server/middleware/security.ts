import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Db } from '../../db/client.js';
import { auditScope, writeAudit } from '../../db/repos/audit.js';
import { AppError, fieldError } from '../../platform/errors.js';
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

/** C0 control characters but tab, newline and carriage return: PostgreSQL refuses NUL in text. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

function controlCharacter(field: string): AppError {
  return fieldError(field, 'must not contain NUL or other control characters', '不能包含空字符（NUL）或其他控制字符');
}

/**
 * A UTF-16 surrogate without its pair (JSON's "\ud800"): text columns would store U+FFFD, but
 * jsonb — the audit row's before / after — refuses it, and the request failed with 500.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function loneSurrogate(field: string): AppError {
  return fieldError(field, 'is not valid Unicode (an unpaired surrogate)', '包含无效的字符编码（不成对的代理项）');
}

/** The dotted path of the first string (or key) in a JSON value for which `bad` holds. */
function stringIn(value: unknown, path: string, bad: (s: string) => boolean): string | null {
  if (typeof value === 'string') return bad(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = stringIn(value[i], path ? `${path}.${i}` : String(i), bad);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (bad(key)) return here;
      const found = stringIn(v, here, bad);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * Input with NUL or another C0 control character (tab, newline and carriage return allowed) in the
 * path, a query parameter or any JSON string is refused with 400 on every /api route, before any
 * handler or query runs: Postgres cannot store NUL in text, and a search for one answered 500.
 * Likewise a JSON string with an unpaired UTF-16 surrogate (jsonb refuses it).
 * A body that is not JSON is left to the route's own validation.
 */
export function refuseControlCharacters(): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    let path = url.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {
      // malformed escapes: the router answers for those
    }
    if (CONTROL.test(path)) throw controlCharacter('path');
    for (const [key, value] of url.searchParams) {
      if (CONTROL.test(key) || CONTROL.test(value)) throw controlCharacter(CONTROL.test(key) ? 'query' : key);
    }
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (UNSAFE_METHODS.has(c.req.method) && type === 'application/json') {
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        body = undefined;
      }
      const field = stringIn(body, '', (s) => CONTROL.test(s));
      if (field !== null) throw controlCharacter(field || 'body');
      const unpaired = stringIn(body, '', (s) => LONE_SURROGATE.test(s));
      if (unpaired !== null) throw loneSurrogate(unpaired || 'body');
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
