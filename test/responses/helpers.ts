import type { Category, Level, Role } from '../../core/vocabulary.js';
import { startSession } from '../../server/modules/auth/session.js';
import { createApiFixture, type ApiFixture } from '../api/helpers.js';

// Fixture of the response, follow-up and stats tests: the real app (which loads the session and
// checks CSRF itself) on a fresh database with a fixed clock, signed-in users of each role (a real
// session row, cookie and CSRF token), and cases,
// departments and obligations written straight with Kysely (no dependence on POST /api/cases).

export const H = 3_600_000;

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

let seq = 0;

export async function makeUser(f: Fixture, role: Role, departmentId: number | null = null, name?: string): Promise<TestUser> {
  seq += 1;
  const username = `${role}_${seq}_${Math.random().toString(36).slice(2, 8)}`;
  const u = await f.db
    .insertInto('users')
    .values({ username, display_name: name ?? username, role, department_id: departmentId, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const s = await startSession(f.db, { SESSION_MAX_HOURS: 12 }, u.id, { now: f.now });
  return { id: u.id, role, departmentId, headers: { cookie: `od_session=${s.token}`, 'x-csrf-token': s.csrfToken } };
}

export async function makeDepartment(f: ApiFixture, name: string): Promise<number> {
  return (await f.db.insertInto('departments').values({ name }).returning('id').executeTakeFirstOrThrow()).id;
}

export interface CaseSpec {
  lead: number;
  co?: number[];
  level?: Level;
  category?: Category;
  clockStartedAt: Date;
  openedAt?: Date;
  title?: string;
  /** Obligations to create: kind with hours after the clock's start (default: response 48 h). */
  obligations?: { kind: 'response' | 'report' | 'info' | 'press' | 'update' | 'referral'; hours: number; seq?: number }[];
}

/** A case row with its departments and obligations, as the cases module would have written it. */
export async function makeCase(f: ApiFixture, spec: CaseSpec): Promise<string> {
  seq += 1;
  const c = await f.db
    .insertInto('cases')
    .values({
      number: `YQ-2026-T${String(seq).padStart(5, '0')}`,
      title: spec.title ?? `测试事件${seq}`,
      level: spec.level ?? 'general',
      category: spec.category ?? 'difficulty',
      lead_department_id: spec.lead,
      clock_started_at: spec.clockStartedAt,
      opened_at: spec.openedAt ?? spec.clockStartedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await f.db
    .insertInto('case_departments')
    .values([{ case_id: c.id, department_id: spec.lead, role: 'lead' }, ...(spec.co ?? []).map((d) => ({ case_id: c.id, department_id: d, role: 'co' as const }))])
    .execute();
  const obs = spec.obligations ?? [{ kind: 'response' as const, hours: 48 }];
  if (obs.length > 0) {
    await f.db
      .insertInto('obligations')
      .values(
        obs.map((o) => ({
          case_id: c.id,
          kind: o.kind,
          seq: o.seq ?? 1,
          window_hours: o.hours,
          started_at: spec.clockStartedAt,
          due_at: new Date(spec.clockStartedAt.getTime() + o.hours * H),
        })),
      )
      .execute();
  }
  return c.id;
}

export async function auditActions(f: ApiFixture, caseId: string): Promise<string[]> {
  const rows = await f.db.selectFrom('audit_log').select('action').where('case_id', '=', caseId).orderBy('id').execute();
  return rows.map((r) => r.action);
}

export async function obligationsOf(f: ApiFixture, caseId: string) {
  return f.db.selectFrom('obligations').selectAll().where('case_id', '=', caseId).orderBy('kind').orderBy('seq').execute();
}
