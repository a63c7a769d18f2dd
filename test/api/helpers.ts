import { randomBytes } from 'node:crypto';
import { createApp, type AppDeps } from '../../server/app.js';
import { loadConfig } from '../../platform/config.js';
import { EventHub } from '../../platform/events.js';
import { createLogger } from '../../platform/logger.js';
import type { Db } from '../../db/client.js';
import type { NewItem } from '../../db/schema.js';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { createUser, sessionFor, type SignedIn, type TestUser } from '../helpers/auth.js';

// Route-test fixture: a fresh database, the real app, a signed-in admin, row factories that
// insert with Kysely. `request` goes as the admin (cookie + CSRF token) unless told otherwise:
// `requestAs(null, …)` is anonymous, `requestAs(session, …)` any other session (test/helpers/auth.ts).

export interface ApiFixture {
  tdb: TestDb;
  db: Db;
  events: EventHub;
  app: ReturnType<typeof createApp>;
  /** The default caller of `request`. */
  admin: TestUser;
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

const uniq = () => randomBytes(4).toString('hex');

export async function makeSource(db: Db, over: { name?: string; url?: string } = {}): Promise<number> {
  const r = await db
    .insertInto('sources')
    .values({ name: over.name ?? `源${uniq()}`, url: over.url ?? `https://example.com/${uniq()}.xml`, kind: 'feed' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function makeStory(db: Db, title: string, at: Date, over: { itemCount?: number; sourceCount?: number } = {}): Promise<string> {
  const r = await db
    .insertInto('stories')
    .values({
      title,
      simhash: '0',
      band0: 0,
      band1: 0,
      band2: 0,
      band3: 0,
      band4: 0,
      band5: 0,
      first_seen_at: at,
      last_seen_at: at,
      item_count: over.itemCount ?? 1,
      source_count: over.sourceCount ?? 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function makeItem(
  db: Db,
  sourceId: number,
  over: Partial<Omit<NewItem, 'source_id'>> & { title: string },
): Promise<string> {
  const at = new Date('2026-11-20T08:00:00Z');
  const r = await db
    .insertInto('items')
    .values({
      source_id: sourceId,
      url_key: `https://example.com/a/${uniq()}`,
      url: `https://example.com/a/${uniq()}`,
      published_at: at,
      fetched_at: at,
      simhash: '0',
      ...over,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
