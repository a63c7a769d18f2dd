import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../core/vocabulary.js';
import { declaredRoutes, type DeclaredRoute } from '../../server/middleware/auth.js';
import { createUser, sessionFor, type TestUser } from '../helpers/auth.js';
import { createApiFixture, type ApiFixture } from './helpers.js';

// The role × route matrix, generated from the app itself: every registered /api route is tried by
// every role and by an anonymous caller. A role the route declares (requireRole) must get past
// authorisation (anything but 401/403: 200, 400 for the empty body, 404 for the made-up id …);
// any other role gets 403 and the anonymous caller 401. Routes added later are picked up here
// without touching this file.

let f: ApiFixture;
let routes: DeclaredRoute[];
const users = new Map<Role, TestUser>();

beforeAll(async () => {
  f = await createApiFixture('matrix');
  routes = declaredRoutes(f.app);
  for (const role of ROLES) users.set(role, await createUser(f.db, { role, departmentId: null }));
});
afterAll(async () => {
  await f.tdb.drop();
});

/** The declarations the product specification fixes for the monitoring and account routes. */
const SPEC: Record<string, readonly Role[] | 'public' | 'token'> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': ROLES,
  'GET /api/auth/me': ROLES,
  'POST /api/auth/password': ROLES,
  'GET /api/events': ROLES,
  'GET /api/departments': ROLES,
  'POST /api/departments': ['admin'],
  'PATCH /api/departments/:id': ['admin'],
  'DELETE /api/departments/:id': ['admin'],
  'GET /api/users': ['admin'],
  'POST /api/users': ['admin'],
  'GET /api/users/:id': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'GET /api/sources': ['admin', 'duty'],
  'POST /api/sources': ['admin'],
  'GET /api/sources/:id': ['admin', 'duty'],
  'PATCH /api/sources/:id': ['admin'],
  'DELETE /api/sources/:id': ['admin'],
  'GET /api/sources/:id/fetches': ['admin', 'duty'],
  'POST /api/sources/:id/fetch-now': ['admin'],
  'GET /api/rules': ['admin', 'duty'],
  'POST /api/rules': ['admin'],
  'POST /api/rules/test': ['admin'],
  'GET /api/rules/:id': ['admin', 'duty'],
  'PATCH /api/rules/:id': ['admin'],
  'DELETE /api/rules/:id': ['admin'],
  'GET /api/allowlist': ['admin', 'duty'],
  'POST /api/allowlist': ['admin'],
  'DELETE /api/allowlist/:id': ['admin'],
  'GET /api/api-tokens': ['admin'],
  'POST /api/api-tokens': ['admin'],
  'POST /api/api-tokens/:id/revoke': ['admin'],
  'POST /api/intake/items': 'token',
  'GET /api/rsshub/templates': ['admin', 'duty'],
  'PUT /api/rsshub/settings': ['admin'],
  'GET /api/items': ['duty', 'reviewer', 'leader', 'admin'],
  'GET /api/stories/:id': ['duty', 'reviewer', 'leader', 'admin'],
  'GET /api/alerts': ['duty', 'reviewer', 'leader', 'admin'],
  'GET /api/alerts/:id': ['duty', 'reviewer', 'leader', 'admin'],
  'POST /api/alerts/:id/dismiss': ['duty', 'admin'],
  'POST /api/alerts/dismiss': ['duty', 'admin'],
  'POST /api/alerts/:id/restore': ['duty', 'admin'],
};

const keyOf = (r: DeclaredRoute) => `${r.method} ${r.path}`;

async function call(route: DeclaredRoute, role: Role | null): Promise<number> {
  const path = route.path.replace(/:[A-Za-z0-9_]+(\{[^}]*\})?/g, '999999');
  const headers: Record<string, string> = role ? (await sessionFor(f.db, users.get(role)!)).headers() : {};
  const init: RequestInit = { method: route.method, headers };
  if (!['GET', 'HEAD'].includes(route.method)) {
    headers['content-type'] = 'application/json';
    init.body = '{}';
  }
  const res = await f.app.request(path, init);
  if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) await res.body?.cancel();
  else await res.arrayBuffer();
  return res.status;
}

describe('role × route matrix', () => {
  it('finds the routes, and every /api route declares its roles', () => {
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(SPEC).length);
    const undeclared = routes.filter((r) => r.roles === null).map(keyOf);
    expect(undeclared).toEqual([]);
  });

  it('declares the roles the specification gives', () => {
    const declared = new Map(routes.map((r) => [keyOf(r), r.roles === 'public' || r.roles === 'token' || r.roles === null ? r.roles : [...r.roles].sort()]));
    for (const [key, roles] of Object.entries(SPEC)) {
      expect({ key, roles: declared.get(key) }).toEqual({ key, roles: roles === 'public' || roles === 'token' ? roles : [...roles].sort() });
    }
  });

  it('answers every role (and an anonymous caller) exactly as declared', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      for (const role of [null, ...ROLES] as const) {
        const status = await call(route, role);
        // A token route (TOKEN_ROUTES) admits an API token only: no session of any role, and no caller without a token.
        const token = route.roles === 'token';
        const allowed = route.roles === 'public' || (role !== null && Array.isArray(route.roles) && route.roles.includes(role));
        const ok = token ? status === 401 : allowed ? status !== 401 && status !== 403 : status === (role === null ? 401 : 403);
        if (!ok) mismatches.push(`${keyOf(route)} as ${role ?? 'anonymous'}: ${status} (${allowed ? 'allowed' : 'refused'} by declaration)`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);
});
