import { randomBytes } from 'node:crypto';
import type { Role } from '../../core/vocabulary.js';
import type { Db } from '../../db/client.js';
import { hashPassword } from '../../services/users/password.js';
import { SESSION_COOKIE, startSession } from '../../server/modules/auth/session.js';
import { testContext } from './factories.js';

// Users and signed-in sessions for tests.
//
//   const u = await createUser(db, { role: 'handler', departmentId: 2 });
//   const s = await signIn(app.request, u.username, u.password);          // through the app
//   const s = await signIn(`http://127.0.0.1:${port}`, u.username, u.password); // a real server
//   await app.request('/api/cases', { headers: s.headers() });
//   await fetch(`${base}/api/cases`, { method: 'POST', headers: s.headers({ 'content-type': 'application/json' }), body });
//
// `headers()` carries the session cookie and the CSRF token, so it works for GET and for
// POST/PUT/PATCH/DELETE alike. `sessionFor(db, user)` skips the login route (no argon2, no
// throttling) when a test only needs "signed in as X".

/** Default password of users made by createUser. */
export const TEST_PASSWORD = 'test-password-1';

export interface CreateUserOptions {
  role: Role;
  departmentId?: number | null;
  /** Default: `<role>_<random hex>`. */
  username?: string;
  /** Default: TEST_PASSWORD. */
  password?: string;
  displayName?: string;
  isDepartmentHead?: boolean;
  leaderRank?: 'in_charge' | 'principal' | null;
  disabled?: boolean;
}

export interface TestUser {
  id: number;
  username: string;
  /** The plain password, for signIn. */
  password: string;
  role: Role;
  departmentId: number | null;
}

/** Inserts a user (argon2id hash of the password) and returns it with its plain password. */
export async function createUser(db: Db, opts: CreateUserOptions): Promise<TestUser> {
  const username = opts.username ?? `${opts.role}_${randomBytes(4).toString('hex')}`;
  const password = opts.password ?? TEST_PASSWORD;
  const row = await testContext(db).newUser({ ...opts, username, passwordHash: await hashPassword(password) });
  return { id: row.id, username, password, role: opts.role, departmentId: opts.departmentId ?? null };
}

export interface SignedIn {
  /** `od_session=<token>`, for a Cookie header. */
  cookie: string;
  csrfToken: string;
  /** Cookie + X-CSRF-Token, plus any extra headers. */
  headers(extra?: Record<string, string>): Record<string, string>;
}

/** `app.request`, a fetch-like function taking a path, or a base URL (then global fetch is used). */
export type Fetcher = ((path: string, init?: RequestInit) => Response | Promise<Response>) | string;

function fetchVia(fetcher: Fetcher, path: string, init: RequestInit): Promise<Response> {
  if (typeof fetcher === 'string') return fetch(`${fetcher.replace(/\/+$/, '')}${path}`, init);
  return Promise.resolve(fetcher(path, init));
}

function signedIn(token: string, csrfToken: string): SignedIn {
  const cookie = `${SESSION_COOKIE}=${token}`;
  return { cookie, csrfToken, headers: (extra = {}) => ({ cookie, 'x-csrf-token': csrfToken, ...extra }) };
}

/** Signs in through POST /api/auth/login; throws with the server's answer when it fails. */
export async function signIn(fetcher: Fetcher, username: string, password: string): Promise<SignedIn> {
  const res = await fetchVia(fetcher, '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { csrfToken?: string };
  if (res.status !== 200 || !body.csrfToken) throw new Error(`signIn(${username}) failed: ${res.status} ${JSON.stringify(body)}`);
  const token = /(?:^|[;,]\s*)od_session=([^;,]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!token) throw new Error(`signIn(${username}): no ${SESSION_COOKIE} cookie in the response`);
  return signedIn(token, body.csrfToken);
}

/** A session for a user written straight to the database (no login route, no password check). */
export async function sessionFor(db: Db, user: { id: number }, now: Date = new Date()): Promise<SignedIn> {
  const s = await startSession(db, { SESSION_MAX_HOURS: 24 * 7 }, user.id, { now });
  return signedIn(s.token, s.csrfToken);
}
