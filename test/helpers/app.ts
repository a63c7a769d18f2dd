import type { Role } from '../../core/vocabulary.js';
import type { Db } from '../../db/client.js';
import { createApp, type AppDeps } from '../../server/app.js';
import { loadConfig } from '../../platform/config.js';
import { EventHub } from '../../platform/events.js';
import { createLogger } from '../../platform/logger.js';
import { createUser, sessionFor, type SignedIn, type TestUser as CreatedUser } from './auth.js';
import { createTestDb, testPrefix, type TestDb } from './db.js';
import { HOUR, testContext, type CaseInit, type TestContext } from './factories.js';

// Route-test fixtures: a fresh database, the real app, a signed-in admin and the row factories of
// test/helpers/factories.ts bound to the database (`f.newCase(…)`). `request` goes as the admin
// (cookie + CSRF token) unless told otherwise: `requestAs(null, …)` is anonymous,
// `requestAs(session, …)` any other session (test/helpers/auth.ts). `createFixture` adds a fixed
// clock and users of each role signed in at it (`makeUser`, then `f.as(user, …)`).

export const H = HOUR;

export interface ApiFixture extends TestContext {
  tdb: TestDb;
  db: Db;
  events: EventHub;
  app: ReturnType<typeof createApp>;
  /** The default caller of `request`. */
  admin: CreatedUser;
  adminSession: SignedIn;
  /** As the admin; `headers` are added to (and override) the admin's. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** As `who` (null: no session at all). */
  requestAs(who: SignedIn | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

export async function createApiFixture(label: string, extra: Partial<AppDeps> = {}): Promise<ApiFixture> {
  const tdb = await createTestDb(label);
  const events = new EventHub();
  // The tests stand in for a reverse proxy, setting X-Forwarded-For to vary client addresses.
  const config = loadConfig({ QUEUE_PREFIX: testPrefix(label), TRUST_PROXY: '1' });
  const app = createApp({ db: tdb.db, config, logger: createLogger('silent', 'test'), redis: null, events, ...extra });
  const admin = await createUser(tdb.db, { role: 'admin', username: 'fixture_admin' });
  const adminSession = await sessionFor(tdb.db, admin, extra.now?.());
  const requestAs: ApiFixture['requestAs'] = async (who, method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: who ? who.headers(headers) : { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    return app.request(path, init);
  };
  return {
    ...testContext(tdb.db),
    tdb,
    db: tdb.db,
    events,
    app,
    admin,
    adminSession,
    requestAs,
    request: (method, path, body, headers) => requestAs(adminSession, method, path, body, headers),
  };
}

export interface ErrorJson {
  error: { code: string; message: string; messageZh: string; requestId: string; details?: any };
}

export async function errorOf(res: Response): Promise<ErrorJson['error']> {
  const body = (await res.json()) as ErrorJson;
  return body.error;
}

/** A user signed in at the fixture's clock (a real session row, cookie and CSRF token). */
export interface TestUser {
  id: number;
  role: Role;
  departmentId: number | null;
  headers: Record<string, string>;
}

export interface Fixture extends ApiFixture {
  now: Date;
  as(user: TestUser, method: string, path: string, body?: unknown): Promise<Response>;
}

/** The route-test fixture with the app's clock fixed at `now`. */
export async function createFixture(label: string, now: Date): Promise<Fixture> {
  const f = await createApiFixture(label, { now: () => now });
  return {
    ...f,
    now,
    async as(user, method, path, body) {
      const init: RequestInit = { method, headers: { ...user.headers } };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
      return f.app.request(path, init);
    },
  };
}

/** A user of this role, signed in at the fixture's clock. */
export async function makeUser(f: Fixture, role: Role, departmentId: number | null = null, displayName?: string): Promise<TestUser> {
  const u = await f.newUser({ role, departmentId, displayName });
  const s = await sessionFor(f.db, u, f.now);
  return { id: u.id, role, departmentId, headers: s.headers() };
}

export async function makeDepartment(f: ApiFixture, name: string): Promise<number> {
  return (await f.newDepartment({ name })).id;
}

/** A case with its departments and obligations (default: a 48 h response), as the cases service writes it. */
export async function makeCase(f: ApiFixture, init: CaseInit): Promise<string> {
  return (await f.newCase(init)).id;
}

/** A story first seen at `firstSeen` with items from the named sources, and its 'new' alert. */
export async function makeAlert(f: ApiFixture, title: string, firstSeen: Date, sources?: string[]): Promise<{ alertId: string; storyId: string }> {
  const { alert, story } = await f.newAlert({ title, firstSeen, sources });
  return { alertId: alert.id, storyId: story.id };
}

export async function auditCount(f: ApiFixture, where: { caseId?: string; action?: string } = {}): Promise<number> {
  let q = f.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n'));
  if (where.caseId) q = q.where('case_id', '=', where.caseId);
  if (where.action) q = q.where('action', '=', where.action);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function auditActions(f: ApiFixture, caseId: string): Promise<string[]> {
  const rows = await f.db.selectFrom('audit_log').select('action').where('case_id', '=', caseId).orderBy('id').execute();
  return rows.map((r) => r.action);
}

export async function obligationsOf(f: ApiFixture, caseId: string) {
  return f.db.selectFrom('obligations').selectAll().where('case_id', '=', caseId).orderBy('kind').orderBy('seq').execute();
}
