import type { Role } from '../../core/vocabulary.js';
import { createUser, sessionFor } from '../helpers/auth.js';
import { createApiFixture, makeItem, makeSource, makeStory, type ApiFixture } from '../api/helpers.js';

// Case tests: the real app with signed-in users of each role (a real session row and cookie, and
// the CSRF token on writes), departments, and alerts on stories with items.

export interface CaseFixture extends ApiFixture {
  now: Date;
  as(user: TestUser, method: string, path: string, body?: unknown): Promise<Response>;
}

export interface TestUser {
  id: number;
  role: Role;
  departmentId: number | null;
  headers: Record<string, string>;
}

export async function createCaseFixture(label: string, now: Date): Promise<CaseFixture> {
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

/** A user of this role signed in (shared helpers: a real session row, cookie and CSRF token). */
export async function makeUser(f: CaseFixture, role: Role, departmentId: number | null = null, displayName?: string): Promise<TestUser> {
  const u = await createUser(f.db, { role, departmentId, displayName });
  const s = await sessionFor(f.db, u, f.now);
  return { id: u.id, role, departmentId, headers: s.headers() };
}

export async function makeDepartment(f: ApiFixture, name: string): Promise<number> {
  return (await f.db.insertInto('departments').values({ name }).returning('id').executeTakeFirstOrThrow()).id;
}

/** A story first seen at `firstSeen` with items from the named sources, and its 'new' alert. */
export async function makeAlert(f: ApiFixture, title: string, firstSeen: Date, sources: string[] = ['永济论坛']): Promise<{ alertId: string; storyId: string }> {
  const storyId = await makeStory(f.db, title, firstSeen, { itemCount: sources.length, sourceCount: new Set(sources).size });
  for (const [i, name] of sources.entries()) {
    const existing = await f.db.selectFrom('sources').select('id').where('name', '=', name).executeTakeFirst();
    const src = existing?.id ?? (await makeSource(f.db, { name }));
    const at = new Date(firstSeen.getTime() + i * 60_000);
    await makeItem(f.db, src, { title: `${title}（${i + 1}）`, text: `正文${i + 1}`, story_id: storyId, published_at: at, fetched_at: at });
  }
  const r = await f.db.insertInto('alerts').values({ story_id: storyId, created_at: firstSeen, updated_at: firstSeen }).returning('id').executeTakeFirstOrThrow();
  return { alertId: r.id, storyId };
}

export async function auditCount(f: ApiFixture, where: { caseId?: string; action?: string } = {}): Promise<number> {
  let q = f.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n'));
  if (where.caseId) q = q.where('case_id', '=', where.caseId);
  if (where.action) q = q.where('action', '=', where.action);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
