import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import type { Config } from '../platform/config.js';
import { handleError, notFoundResponse, payloadTooLarge } from '../platform/errors.js';
import { csrfProtection } from './middleware/auth.js';
import { auditTrail, jsonOnly, refuseControlCharacters, securityHeaders } from './middleware/security.js';
import { createEmitter, type EventHub } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import { alertsRoutes } from './modules/alerts/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { calendarRoutes } from './modules/calendar/routes.js';
import { casesRoutes } from './modules/cases/routes.js';
import { allowlistRoutes } from './modules/allowlist/routes.js';
import { apiTokensRoutes } from './modules/api-tokens/routes.js';
import { importsRoutes } from './modules/imports/routes.js';
import { intakeRoutes } from './modules/intake/routes.js';
import { authRoutes } from './modules/auth/routes.js';
import { sessionMiddleware } from './modules/auth/session.js';
import { departmentsRoutes } from './modules/departments/routes.js';
import { eventsRoutes, type LiveEventOptions } from './modules/events/routes.js';
import { exportsRoutes } from './modules/exports/routes.js';
import { channelsRoutes } from './modules/channels/routes.js';
import { escalationsRoutes } from './modules/escalations/routes.js';
import { caseBriefsRoutes } from './modules/case-briefs/routes.js';
import { instructionsRoutes } from './modules/instructions/routes.js';
import { forwardingRoutes } from './modules/forwarding/routes.js';
import { callbacksRoutes } from './modules/callbacks/routes.js';
import { todosRoutes } from './modules/todos/routes.js';
import { notificationsRoutes } from './modules/notifications/routes.js';
import { followupRoutes } from './modules/followup/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { itemsRoutes } from './modules/items/routes.js';
import { periodsRoutes } from './modules/periods/routes.js';
import { officeProfileRoutes } from './modules/office-profile/routes.js';
import { placesRoutes } from './modules/places/routes.js';
import { policiesRoutes } from './modules/policies/routes.js';
import { responsesRoutes } from './modules/responses/routes.js';
import { rosterRoutes } from './modules/roster/routes.js';
import { handoversRoutes } from './modules/handovers/routes.js';
import { pushRoutes } from './modules/roster/push-routes.js';
import { rulesRoutes } from './modules/rules/routes.js';
import type { ModuleDeps } from '../services/shared/deps.js';
import { statsRoutes } from './modules/stats/routes.js';
import { reportsRoutes } from './modules/reports/routes.js';
import { sourcesRoutes } from './modules/sources/routes.js';
import { rsshubRoutes } from './modules/rsshub/routes.js';
import { storiesRoutes } from './modules/stories/routes.js';
import { usersRoutes } from './modules/users/routes.js';
import { webRoutes } from './modules/web/routes.js';
import { createRouter, openApiConfig, type AppEnv } from './openapi.js';

// The HTTP API. Each module is a chain of typed routes (createRoute + zod) mounted here; the
// route definitions are the place to add a per-route role middleware later (createRoute's
// `middleware` field), so authorisation stays visible next to each route.

export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  redis?: Redis | null;
  events: EventHub;
  now?: () => Date;
  /** Directory of the built dashboard; when absent, GET / shows a placeholder page. */
  webDir?: string | null;
  /** Live-event stream limits (server/modules/events/routes.ts LIVE_EVENT_DEFAULTS when absent). */
  liveEvents?: Partial<LiveEventOptions>;
}

/** Largest request body the API reads (JSON bodies here are a few KB; the biggest free text is 50,000 characters). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Request bodies of POST /api/intake/items. */
export const MAX_INTAKE_BODY_BYTES = 16 * 1024 * 1024;
/** Request bodies of the 12345 import (a file of at most 5 MB, base64 inside JSON). */
export const MAX_IMPORT_BODY_BYTES = 8 * 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request id (x-request-id in and out) and one log line per request. */
function requestContext(logger: Logger, trustProxy: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('trustProxy', trustProxy);
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    const status = c.res.status;
    const line = {
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
    };
    const err = c.get('error');
    if (err !== undefined) logger.error({ ...line, err }, 'Request failed');
    else logger.info(line, 'Request');
  };
}

export function createApp(deps: AppDeps) {
  const redis = deps.redis ?? null;
  const m: ModuleDeps = {
    db: deps.db,
    config: deps.config,
    logger: deps.logger,
    redis,
    events: deps.events,
    now: deps.now ?? (() => new Date()),
    emit: createEmitter(deps.events, redis, deps.config.QUEUE_PREFIX, deps.logger),
  };
  const app = createRouter();
  app.use('*', requestContext(deps.logger, deps.config.TRUST_PROXY));
  // CSP, frame-ancestors, nosniff, Referrer-Policy, HSTS on HTTPS: every response (SECURITY.md).
  app.use('*', securityHeaders());
  // Who is calling (session cookie → user), then CSRF for state-changing requests; each route's
  // requireRole(...) decides who may call it (see server/middleware/auth.ts).
  // Bodies over the limit are refused (413, the usual error shape) before anything reads them.
  // The intake API's batches (up to 500 items) may be larger.
  const defaultLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => handleError(payloadTooLarge(MAX_BODY_BYTES), c) });
  const intakeLimit = bodyLimit({ maxSize: MAX_INTAKE_BODY_BYTES, onError: (c) => handleError(payloadTooLarge(MAX_INTAKE_BODY_BYTES), c) });
  const importLimit = bodyLimit({ maxSize: MAX_IMPORT_BODY_BYTES, onError: (c) => handleError(payloadTooLarge(MAX_IMPORT_BODY_BYTES), c) });
  const limitOf = (path: string) => (path === '/api/intake/items' ? intakeLimit : path === '/api/imports' || path === '/api/imports/preview' ? importLimit : defaultLimit);
  app.use('/api/*', (c, next) => limitOf(c.req.path)(c, next));
  app.use('/api/*', sessionMiddleware(m));
  app.use('/api/*', csrfProtection());
  // State-changing requests take JSON only (no form or text/plain bodies: CSRF vectors); any of
  // them that succeeds without an audit row of its own gets one from the backstop.
  app.use('/api/*', jsonOnly());
  // NUL and other control characters in a path, query or JSON string: 400 before any handler.
  app.use('/api/*', refuseControlCharacters());
  app.use('/api/*', auditTrail(deps.db, deps.logger));
  app.onError(handleError);
  app.notFound(notFoundResponse);
  const routes = app
    .route('/', healthRoutes(m))
    .route('/', authRoutes(m))
    .route('/', usersRoutes(m))
    .route('/', sourcesRoutes(m))
    .route('/', rsshubRoutes(m))
    .route('/', allowlistRoutes(m))
    .route('/', apiTokensRoutes(m))
    .route('/', intakeRoutes(m))
    .route('/', importsRoutes(m))
    .route('/', rulesRoutes(m))
    .route('/', itemsRoutes(m))
    .route('/', storiesRoutes(m))
    .route('/', alertsRoutes(m))
    // Before casesRoutes: GET /api/cases/export must not be read as /api/cases/{id}.
    .route('/', exportsRoutes(m))
    .route('/', casesRoutes(m))
    .route('/', responsesRoutes(m))
    .route('/', followupRoutes(m))
    .route('/', statsRoutes(m))
    .route('/', reportsRoutes(m))
    .route('/', officeProfileRoutes(m))
    .route('/', placesRoutes(m))
    .route('/', policiesRoutes(m))
    .route('/', periodsRoutes(m))
    .route('/', calendarRoutes(m))
    .route('/', rosterRoutes(m))
    .route('/', handoversRoutes(m))
    .route('/', pushRoutes(m))
    .route('/', auditRoutes(m))
    .route('/', departmentsRoutes(m))
    .route('/', notificationsRoutes(m))
    .route('/', channelsRoutes(m))
    .route('/', escalationsRoutes(m))
    .route('/', caseBriefsRoutes(m))
    .route('/', instructionsRoutes(m))
    .route('/', forwardingRoutes(m))
    .route('/', callbacksRoutes(m))
    .route('/', todosRoutes(m))
    .route('/', eventsRoutes(m, deps.liveEvents))
    .doc31('/api/openapi.json', openApiConfig())
    .route('/', webRoutes(deps.webDir));
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
