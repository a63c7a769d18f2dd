import { randomBytes } from 'node:crypto';
import type { CaseOrigin, Category, CaseStatus, Level, ObligationKind, Role } from '../../core/vocabulary.js';
import type { Db } from '../../db/client.js';
import type { Alert, Department, Item, NewItem, Source, Story } from '../../db/schema.js';
import type { User } from '../../db/schema-auth.js';
import type { Case, Obligation } from '../../db/schema-workflow.js';

// Row factories bound to one test database (immich's `ctx.newUser()`): each inserts with Kysely
// and returns the row it wrote. Defaults make every row valid and unique, so a test names only
// what it is about.
//
//   const ctx = testContext(t.db);
//   const water = await ctx.newDepartment({ name: '市水务局' });
//   const handler = await ctx.newUser({ role: 'handler', departmentId: water.id });
//   const c = await ctx.newCase({ lead: water.id, clockStartedAt: NOW });   // owes a 48 h response

export const HOUR = 3_600_000;

const uniq = () => randomBytes(4).toString('hex');
// Case numbers and titles count per test file (each file has its own database).
let caseSeq = 0;

export interface UserInit {
  role: Role;
  departmentId?: number | null;
  username?: string;
  /** Default: the username. */
  displayName?: string;
  isDepartmentHead?: boolean;
  leaderRank?: 'in_charge' | 'principal' | null;
  email?: string | null;
  disabled?: boolean;
  /** Default: a hash no password matches (sign the user in with sessionFor). */
  passwordHash?: string;
}

export interface CaseInit {
  lead: number;
  co?: number[];
  level?: Level;
  category?: Category;
  status?: CaseStatus;
  clockStartedAt: Date;
  /** Default: clockStartedAt. */
  openedAt?: Date;
  title?: string;
  /** Where it came from (default: an alert) and the origin note (转办单位 …). */
  origin?: CaseOrigin;
  originNote?: string;
  /** Obligations to create: kind with hours after the clock's start (default: response 48 h; [] for none). */
  obligations?: { kind: ObligationKind; hours: number; seq?: number }[];
}

export interface ObligationInit {
  kind?: ObligationKind;
  startedAt: Date;
  hours: number;
  seq?: number;
}

export interface AlertInit {
  title: string;
  firstSeen: Date;
  /** One item per name, a minute apart; a source of that name is reused or created. */
  sources?: string[];
}

export interface TestContext {
  db: Db;
  newDepartment(init?: { name?: string }): Promise<Department>;
  /** A user; with no passwordHash it signs in only through sessionFor (test/helpers/auth.ts). */
  newUser(init: UserInit): Promise<User>;
  newSource(init?: { name?: string; url?: string }): Promise<Source>;
  newStory(init: { title: string; at: Date; itemCount?: number; sourceCount?: number }): Promise<Story>;
  newItem(sourceId: number, init: Partial<Omit<NewItem, 'source_id'>> & { title: string }): Promise<Item>;
  /** A story first seen at `firstSeen` with items from the named sources, and its 'new' alert. */
  newAlert(init: AlertInit): Promise<{ alert: Alert; story: Story }>;
  /** A case with its departments and obligations, as the cases service would have written it. */
  newCase(init: CaseInit): Promise<Case>;
  newObligation(caseId: string, init: ObligationInit): Promise<Obligation>;
  /** Two departments and one user per escalation target. */
  newOffice(): Promise<Office>;
}

export interface Office {
  dept: number;
  otherDept: number;
  handler: number;
  otherHandler: number;
  head: number;
  reviewer: number;
  leaderInCharge: number;
  principal: number;
  admin: number;
  duty: number;
}

export function testContext(db: Db): TestContext {
  const ctx: TestContext = {
    db,
    newDepartment: (init = {}) =>
      db
        .insertInto('departments')
        .values({ name: init.name ?? `部门${uniq()}` })
        .returningAll()
        .executeTakeFirstOrThrow(),

    newUser: (u) => {
      const username = u.username ?? `${u.role}_${uniq()}`;
      return db
        .insertInto('users')
        .values({
          username,
          display_name: u.displayName ?? username,
          role: u.role,
          department_id: u.departmentId ?? null,
          is_department_head: u.isDepartmentHead ?? false,
          leader_rank: u.leaderRank ?? null,
          email: u.email ?? null,
          disabled: u.disabled ?? false,
          password_hash: u.passwordHash ?? 'x',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    newSource: (init = {}) =>
      db
        .insertInto('sources')
        .values({ name: init.name ?? `源${uniq()}`, url: init.url ?? `https://example.com/${uniq()}.xml`, kind: 'feed' })
        .returningAll()
        .executeTakeFirstOrThrow(),

    newStory: (s) =>
      db
        .insertInto('stories')
        .values({
          title: s.title,
          simhash: '0',
          band0: 0,
          band1: 0,
          band2: 0,
          band3: 0,
          band4: 0,
          band5: 0,
          first_seen_at: s.at,
          last_seen_at: s.at,
          item_count: s.itemCount ?? 1,
          source_count: s.sourceCount ?? 1,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),

    newItem: (sourceId, init) => {
      const at = new Date('2026-11-20T08:00:00Z');
      return db
        .insertInto('items')
        .values({
          source_id: sourceId,
          url_key: `https://example.com/a/${uniq()}`,
          url: `https://example.com/a/${uniq()}`,
          published_at: at,
          fetched_at: at,
          simhash: '0',
          ...init,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    async newAlert({ title, firstSeen, sources = ['永济论坛'] }) {
      const story = await ctx.newStory({ title, at: firstSeen, itemCount: sources.length, sourceCount: new Set(sources).size });
      for (const [i, name] of sources.entries()) {
        const existing = await db.selectFrom('sources').select('id').where('name', '=', name).executeTakeFirst();
        const sourceId = existing?.id ?? (await ctx.newSource({ name })).id;
        const at = new Date(firstSeen.getTime() + i * 60_000);
        await ctx.newItem(sourceId, { title: `${title}（${i + 1}）`, text: `正文${i + 1}`, story_id: story.id, published_at: at, fetched_at: at });
      }
      const alert = await db
        .insertInto('alerts')
        .values({ story_id: story.id, created_at: firstSeen, updated_at: firstSeen })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { alert, story };
    },

    async newCase(c) {
      caseSeq += 1;
      const row = await db
        .insertInto('cases')
        .values({
          number: `YQ-2026-T${String(caseSeq).padStart(5, '0')}`,
          title: c.title ?? `测试事件${caseSeq}`,
          level: c.level ?? 'general',
          category: c.category ?? 'difficulty',
          status: c.status ?? 'open',
          lead_department_id: c.lead,
          clock_started_at: c.clockStartedAt,
          opened_at: c.openedAt ?? c.clockStartedAt,
          ...(c.origin ? { origin: c.origin, origin_note: c.originNote ?? '' } : {}),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await db
        .insertInto('case_departments')
        .values([
          { case_id: row.id, department_id: c.lead, role: 'lead' as const },
          ...(c.co ?? []).map((d) => ({ case_id: row.id, department_id: d, role: 'co' as const })),
        ])
        .execute();
      for (const o of c.obligations ?? [{ kind: 'response' as const, hours: 48 }]) {
        await ctx.newObligation(row.id, { kind: o.kind, hours: o.hours, seq: o.seq, startedAt: c.clockStartedAt });
      }
      return row;
    },

    newObligation: (caseId, o) =>
      db
        .insertInto('obligations')
        .values({
          case_id: caseId,
          kind: o.kind ?? 'response',
          seq: o.seq ?? 1,
          window_hours: o.hours,
          started_at: o.startedAt,
          due_at: new Date(o.startedAt.getTime() + o.hours * HOUR),
        })
        .returningAll()
        .executeTakeFirstOrThrow(),

    async newOffice() {
      const user = async (u: UserInit) => (await ctx.newUser(u)).id;
      const dept = (await ctx.newDepartment()).id;
      const otherDept = (await ctx.newDepartment()).id;
      return {
        dept,
        otherDept,
        handler: await user({ role: 'handler', departmentId: dept, email: 'handler@example.test' }),
        otherHandler: await user({ role: 'handler', departmentId: otherDept }),
        head: await user({ role: 'handler', departmentId: dept, isDepartmentHead: true }),
        reviewer: await user({ role: 'reviewer' }),
        leaderInCharge: await user({ role: 'leader', leaderRank: 'in_charge' }),
        principal: await user({ role: 'leader', leaderRank: 'principal' }),
        admin: await user({ role: 'admin' }),
        duty: await user({ role: 'duty' }),
      };
    },
  };
  return ctx;
}
