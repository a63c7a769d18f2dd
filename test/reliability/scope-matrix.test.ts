import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../core/vocabulary.js';
import { insertNotification } from '../../db/repos/notifications.js';
import { declaredRoutes, type DeclaredRoute } from '../../server/middleware/auth.js';
import type { AppEvent } from '../../platform/queues.js';
import { createUser, sessionFor, type SignedIn, type TestUser } from '../helpers/auth.js';
import { readSse } from '../helpers/sse.js';
import { unzip } from '../reports/helpers.js';
import { createApiFixture, makeCase, makeDepartment, type ApiFixture } from '../helpers/app.js';
import { recordFigure } from './figures.js';

// The role × route × department matrix, generated from the route table (declaredRoutes), the
// department dimension of test/api/route-matrix.test.ts. Handlers are the only department-scoped
// role (DESIGN.md: "sees only their department's cases"; checked below for the other roles). One
// case has a lead and a co-department and real sub-resources (a response, a feedback entry, an
// obligation, a report-up, a referral, a coordination, notifications about it). Then:
//   - every route a handler may call that takes a case or a case-owned id is tried by a handler of
//     another department and by a handler with no department: 404 NOT_FOUND (existence must not
//     leak) and not one row changed in any table; routes with a sub-resource id are also tried
//     with the outsider's OWN case id and the secret sub-resource id (a case-owned id must not be
//     reachable through another case);
//   - the lead and the co-department's handlers get past scoping (400 or 409 are fine);
//   - every route a handler may call without a path id (the ledger, its exports, notifications,
//     the event stream …) never shows the case to the outsiders, while the lead sees it there.
// A new handler route whose path ids the matrix cannot fill fails the discovery test, so routes
// added later are covered or noticed, never silently skipped.

const NOW = new Date('2026-11-25T08:00:00Z');
const TITLE = `保密测试事件-${randomBytes(4).toString('hex')}`;

type Member = 'outsider' | 'unassigned' | 'lead' | 'co';
/** Handlers that must not see the case: another department's, and one without any department. */
const OUTSIDERS = ['outsider', 'unassigned'] as const satisfies readonly Member[];
const INSIDERS = ['lead', 'co'] as const satisfies readonly Member[];
const MEMBERS: readonly Member[] = [...OUTSIDERS, ...INSIDERS];

let f: ApiFixture;
let routes: DeclaredRoute[];
const people = new Map<Member, { user: TestUser; session: SignedIn }>();
const depts = { lead: 0, co: 0, outsider: 0 };
let caseNumber = '';
/** Ids of the secret case and what belongs to it; ownCaseId is a case of the outsider's department. */
const ids = {
  caseId: '',
  ownCaseId: '',
  responseId: '',
  feedbackId: '',
  obligationId: '',
  reportUpId: '',
  briefId: '',
  referralId: '',
  coordinationId: '',
  instructionId: '',
  notificationOf: new Map<Member, string>(),
};

/**
 * How each path id is filled, by the collection segment in front of it (`/cases/:id` → cases).
 * owner 'case': the id of something belonging to the secret case; owner 'user': something a user
 * owns that is about the case (a notification), given to its owner, and to an outsider the lead's.
 * A handler route with an id of any other collection fails discovery: add it here.
 */
const PARAM_SOURCES: Record<string, { owner: 'case' | 'user'; id: (who: Member) => string }> = {
  cases: { owner: 'case', id: () => ids.caseId },
  responses: { owner: 'case', id: () => ids.responseId },
  feedback: { owner: 'case', id: () => ids.feedbackId },
  obligations: { owner: 'case', id: () => ids.obligationId },
  'reports-up': { owner: 'case', id: () => ids.reportUpId },
  briefs: { owner: 'case', id: () => ids.briefId },
  referrals: { owner: 'case', id: () => ids.referralId },
  coordinations: { owner: 'case', id: () => ids.coordinationId },
  instructions: { owner: 'case', id: () => ids.instructionId },
  notifications: { owner: 'user', id: (who) => ids.notificationOf.get(who === 'lead' || who === 'co' ? who : 'lead')! },
};

/**
 * Valid bodies, so an outsider's request passes validation and reaches the scoping check (a 400
 * would say nothing about scoping). Other writes get `{}`; an outsider's 400 is then reported
 * with a hint to add the route here.
 */
const BODIES: Record<string, unknown> = {
  'POST /api/cases/:id/responses': { body: '矩阵测试回应草稿' },
  'PATCH /api/cases/:id/responses/:rid': { body: '矩阵测试修改' },
  'POST /api/cases/:id/responses/:rid/publish': { channel: 'website' },
  'POST /api/cases/:id/feedback': { kind: 'reaction', body: '矩阵测试反馈' },
  'POST /api/cases/:id/close': { effectRating: 'good', conclusion: '矩阵测试结论' },
  'POST /api/cases/:id/coordinations': { content: '矩阵测试协调' },
  'POST /api/cases/:id/instructions/:iid/report': { content: '矩阵测试批示办理情况' },
  'POST /api/cases/:id/decline': { reason: '矩阵测试退回理由' },
  'POST /api/cases/:id/briefs': { recipient: '矩阵测试报送对象' },
  'POST /api/cases/:id/responses/:rid/submit': { secrecyConfirmed: true },
  'POST /api/cases/:id/responses/:rid/countersign': { decision: 'confirm' },
  'POST /api/cases/:id/verification': { result: 'true', note: '矩阵测试核实' },
  'POST /api/cases/:id/forward-replies': { content: '矩阵测试反馈' },
  'PUT /api/cases/:id/places': { town: null },
  'POST /api/cases/:id/callbacks': { callee: '矩阵测试诉求人', result: 'satisfied' },
};

/**
 * Lead-only actions (谁主管谁负责: the lead closes the case and coordinates the co-departments): a
 * co-department's handler sees the case, so the product answers 403 FORBIDDEN, not 404.
 */
const LEAD_ONLY = new Set(['POST /api/cases/:id/close', 'POST /api/cases/:id/coordinations', 'POST /api/cases/:id/instructions/:iid/report', 'POST /api/cases/:id/decline', 'POST /api/cases/:id/verification', 'POST /api/cases/:id/forward-replies', 'POST /api/cases/:id/callbacks']);

/** Writes on the caller's own account: not about cases, and calling them would end or change the session. */
const OWN_ACCOUNT = new Set(['POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/auth/password']);

/** Extra query strings per list route (crossed with the filters every list route is tried with). */
const EXTRA_QUERIES: Record<string, string[]> = { 'GET /api/cases/export': ['format=xlsx', 'format=csv'] };

const keyOf = (r: DeclaredRoute) => `${r.method} ${r.path}`;
const PARAM = /^:([A-Za-z0-9_]+)(\{[^}]*\})?$/;

interface Slot {
  index: number;
  collection: string;
}

/** The path's ids, each with the collection segment in front of it. */
function slotsOf(path: string): Slot[] {
  const segs = path.split('/');
  return segs.flatMap((s, index) => (PARAM.test(s) ? [{ index, collection: index > 0 && !PARAM.test(segs[index - 1]!) ? segs[index - 1]! : '' }] : []));
}

/** The path with every id filled for `who`; `base: 'own'` puts the outsider's own case in the case slot. */
function fill(route: DeclaredRoute, who: Member, base: 'secret' | 'own' = 'secret'): string {
  const segs = route.path.split('/');
  for (const s of slotsOf(route.path)) {
    segs[s.index] = s.collection === 'cases' && base === 'own' ? ids.ownCaseId : PARAM_SOURCES[s.collection]!.id(who);
  }
  return segs.join('/');
}

const handlerMayCall = (r: DeclaredRoute) => r.roles === 'public' || (Array.isArray(r.roles) && r.roles.includes('handler'));

interface Classified {
  /** Take a case or case-owned id. */
  caseRoutes: DeclaredRoute[];
  /** Take a user-owned id about the case (notifications). */
  ownedRoutes: DeclaredRoute[];
  /** GET without ids: lists, exports, the event stream. */
  listRoutes: DeclaredRoute[];
  /** Writes without ids (e.g. mark all read): an outsider's call must change nothing. */
  bareWrites: DeclaredRoute[];
  /** Ids the matrix cannot fill: discovery fails on these. */
  unfillable: string[];
}

function classify(all: DeclaredRoute[]): Classified {
  const out: Classified = { caseRoutes: [], ownedRoutes: [], listRoutes: [], bareWrites: [], unfillable: [] };
  for (const r of all.filter(handlerMayCall)) {
    const slots = slotsOf(r.path);
    const unknown = slots.filter((s) => !Object.hasOwn(PARAM_SOURCES, s.collection));
    if (unknown.length > 0) out.unfillable.push(`${keyOf(r)} (ids under: ${unknown.map((s) => s.collection || '(none)').join(', ')})`);
    else if (slots.some((s) => PARAM_SOURCES[s.collection]!.owner === 'case')) out.caseRoutes.push(r);
    else if (slots.length > 0) out.ownedRoutes.push(r);
    else if (r.method === 'GET') out.listRoutes.push(r);
    else if (!OWN_ACCOUNT.has(keyOf(r))) out.bareWrites.push(r);
  }
  // Reads first: the writes change the case (a submitted draft, …), which a 409 then reflects.
  const readsFirst = (a: DeclaredRoute, b: DeclaredRoute) => Number(a.method !== 'GET') - Number(b.method !== 'GET');
  out.caseRoutes.sort(readsFirst);
  return out;
}

let cls: Classified;

// ── what the matrix counts ────────────────────────────────────────────────────────────────────

const violations: string[] = [];
let requests = 0;
const phasesDone = new Set<string>();

async function send(who: Member, method: string, path: string, body?: unknown): Promise<Response> {
  requests += 1;
  return f.requestAs(people.get(who)!.session, method, path, body);
}

function bodyFor(route: DeclaredRoute): unknown {
  return route.method === 'GET' ? undefined : (BODIES[keyOf(route)] ?? {});
}

/** One md5 per table of every row, so "nothing changed" covers the whole database, and names the table when it did. */
async function snapshot(): Promise<Map<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
      -- every request touches its own session (last seen); the migration bookkeeping never changes
      and table_name not in ('sessions', 'kysely_migration', 'kysely_migration_lock')
    order by table_name`.execute(f.db);
  const parts = tables.rows.map(
    (t) => sql`select ${t.name}::text as name, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as sum from ${sql.table(t.name)} x`,
  );
  const rows = await sql<{ name: string; sum: string }>`${sql.join(parts, sql` union all `)}`.execute(f.db);
  return new Map(rows.rows.map((r) => [r.name, r.sum]));
}

async function maxAuditId(): Promise<string> {
  const r = await f.db.selectFrom('audit_log').select(sql<string>`coalesce(max(id), 0)::text`.as('id')).executeTakeFirstOrThrow();
  return r.id;
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([t, sum]) => before.get(t) !== sum).map(([t]) => t);
}

async function errorCode(res: Response): Promise<string | undefined> {
  const text = await res.text();
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** An outsider's request: 404 NOT_FOUND and no row changed anywhere. */
async function expectHidden(who: Member, label: string, method: string, path: string, body: unknown): Promise<void> {
  const before = await snapshot();
  const res = await send(who, method, path, body);
  const code = await errorCode(res);
  const changed = changedTables(before, await snapshot());
  if (res.status !== 404 || code !== 'NOT_FOUND') {
    const hint = res.status === 400 ? ' (validation ran first: give the matrix a valid body in BODIES)' : '';
    violations.push(`${label} as ${who} handler: ${res.status} ${code ?? ''}, expected 404 NOT_FOUND${hint}`);
  }
  if (changed.length > 0) violations.push(`${label} as ${who} handler changed rows in: ${changed.join(', ')}`);
}

/** A member's request: past scoping (not 401/403/404, not a server error); 403 where the action is the lead's alone. */
async function expectAdmitted(who: Member, route: DeclaredRoute, path: string): Promise<number> {
  const res = await send(who, route.method, path, bodyFor(route));
  const code = await errorCode(res);
  const leadOnly = who === 'co' && LEAD_ONLY.has(keyOf(route));
  const ok = leadOnly ? res.status === 403 && code === 'FORBIDDEN' : ![401, 403, 404].includes(res.status) && res.status < 500;
  if (!ok) violations.push(`${keyOf(route)} as ${who} handler: ${res.status} ${code ?? ''}, expected ${leadOnly ? '403 FORBIDDEN (lead only)' : 'to get past scoping'}`);
  return res.status;
}

// ── reading what a list route shows ───────────────────────────────────────────────────────────

/** Every text the body carries: JSON or CSV as is; zipped Office files (the XLSX export) by their XML parts. */
async function bodyText(res: Response): Promise<string> {
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > 4 && buf[0] === 0x50 && buf[1] === 0x4b) {
    const zip = await unzip(buf);
    const parts = await Promise.all(Object.values(zip.files).filter((e) => !e.dir && /\.(xml|rels)$/.test(e.name)).map((e) => e.async('string')));
    return parts.join('\n');
  }
  return buf.toString('utf8');
}

/**
 * Whether the text names the case: its unique title or number, or a JSON caseId of it. `echoed`
 * are the `name=value` filters the caller sent: a file may quote them back (the XLSX export's
 * 筛选条件 line), which is the caller's own search for the title, not the case showing.
 */
function mentionsCase(raw: string, echoed: readonly string[] = []): boolean {
  const text = echoed.reduce((t, e) => t.split(e).join(''), raw);
  if (text.includes(TITLE) || text.includes(caseNumber)) return true;
  let found = false;
  try {
    JSON.parse(text, (k, v: unknown) => {
      if ((k === 'caseId' || k === 'case_id') && String(v) === ids.caseId) found = true;
      return v;
    });
  } catch {
    // not JSON: the text search above is all there is
  }
  return found;
}

// ── event streams ─────────────────────────────────────────────────────────────────────────────

interface OpenStream {
  who: Member;
  key: string;
  events: AppEvent[];
  raw: string[];
  close(): Promise<void>;
}
const streams: OpenStream[] = [];

/** Keeps reading an SSE response, collecting its data lines. */
function follow(who: Member, key: string, res: Response): OpenStream {
  const s: OpenStream = { who, key, events: [], raw: [], close: async () => {} };
  const sse = readSse(res, (data) => {
    s.raw.push(data);
    s.events.push(JSON.parse(data) as AppEvent);
  });
  s.close = () => sse.cancel();
  return s;
}

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ── setup ─────────────────────────────────────────────────────────────────────────────────────

async function createdId(res: Response, what: string): Promise<string> {
  const body = (await res.json()) as { id?: string };
  if (res.status !== 201 || !body.id) throw new Error(`setup: ${what} answered ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

beforeAll(async () => {
  f = await createApiFixture('scope_matrix', { now: () => NOW });
  depts.lead = await makeDepartment(f, '矩阵住建局');
  depts.co = await makeDepartment(f, '矩阵城管局');
  depts.outsider = await makeDepartment(f, '矩阵教育局');
  const deptOf: Record<Member, number | null> = { lead: depts.lead, co: depts.co, outsider: depts.outsider, unassigned: null };
  for (const who of MEMBERS) {
    const user = await createUser(f.db, { role: 'handler', departmentId: deptOf[who] });
    people.set(who, { user, session: await sessionFor(f.db, user, NOW) });
  }
  const started = new Date(NOW.getTime() - 3_600_000);
  ids.caseId = await makeCase(f, { lead: depts.lead, co: [depts.co], clockStartedAt: started, title: TITLE });
  ids.ownCaseId = await makeCase(f, { lead: depts.outsider, clockStartedAt: started, title: '矩阵外单位自有事件' });
  caseNumber = (await f.db.selectFrom('cases').select('number').where('id', '=', ids.caseId).executeTakeFirstOrThrow()).number;
  ids.obligationId = (await f.db.selectFrom('obligations').select('id').where('case_id', '=', ids.caseId).executeTakeFirstOrThrow()).id;

  // The sub-resources through the API, as the people who would make them.
  const c = `/api/cases/${ids.caseId}`;
  const lead = people.get('lead')!.session;
  ids.responseId = await createdId(await f.requestAs(lead, 'POST', `${c}/responses`, { body: '初始回应草稿' }), 'draft');
  ids.feedbackId = await createdId(await f.requestAs(lead, 'POST', `${c}/feedback`, { kind: 'reaction', body: '初始反馈' }), 'feedback');
  // The lead's coordination notifies the co-department's handler: the co handler's notification.
  ids.coordinationId = await createdId(await f.requestAs(lead, 'POST', `${c}/coordinations`, { content: '初始协调' }), 'coordination');
  ids.reportUpId = await createdId(await f.request('POST', `${c}/reports-up`, { recipient: '县委办', content: '初始上报' }), 'report-up');
  ids.briefId = await createdId(await f.request('POST', `${c}/briefs`, { recipient: '县委办' }), 'brief');
  ids.referralId = await createdId(await f.request('POST', `${c}/referrals`, { target: 'public_security', recipient: '县公安局', content: '初始移交' }), 'referral');
  const leader = await sessionFor(f.db, await createUser(f.db, { role: 'leader' }), NOW);
  ids.instructionId = await createdId(await f.requestAs(leader, 'POST', `${c}/instructions`, { content: '初始批示', reportWithinHours: 4 }), 'instruction');
  const coNote = await f.db
    .selectFrom('notifications')
    .select(sql<string>`id::text`.as('id'))
    .where('user_id', '=', people.get('co')!.user.id)
    .where('case_id', '=', ids.caseId)
    .executeTakeFirstOrThrow();
  ids.notificationOf.set('co', coNote.id);
  // The sweep's reminder to the lead's handler, as the worker writes it.
  const leadNote = await insertNotification(
    f.db,
    { userId: people.get('lead')!.user.id, caseId: ids.caseId, kind: 'escalation', title: `【催办】${caseNumber} ${TITLE}`, body: '回应时限将至', urgent: false },
    NOW,
    NOW,
  );
  ids.notificationOf.set('lead', leadNote);

  routes = declaredRoutes(f.app);
  cls = classify(routes);

  // Event streams answer the list routes with text/event-stream: held open for the whole run, so
  // what the members do below (case.updated events) is what the outsiders' streams must not carry.
  for (const route of cls.listRoutes) {
    for (const who of MEMBERS) {
      const res = await send(who, 'GET', route.path);
      if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) streams.push(follow(who, keyOf(route), res));
      else await res.arrayBuffer();
    }
  }
  const streamKeys = new Set(streams.map((s) => s.key));
  cls.listRoutes = cls.listRoutes.filter((r) => !streamKeys.has(keyOf(r)));
  await until(() => f.events.size >= streams.length, 'the event streams to subscribe');
});

afterAll(async () => {
  for (const s of streams) await s.close();
  if (cls) {
    recordFigure({
      area: 'security',
      name: 'role × route × department matrix: case routes tried as an outsider / lead / co handler',
      value: violations.length,
      unit: 'violations',
      goal: '0',
      // A phase that stopped half-way has not shown 0.
      met: violations.length === 0 && phasesDone.size === 4,
      detail: {
        caseRoutes: cls.caseRoutes.length,
        userOwnedRoutes: cls.ownedRoutes.length,
        listRoutes: cls.listRoutes.length,
        streamRoutes: new Set(streams.map((s) => s.key)).size,
        bareWrites: cls.bareWrites.length,
        requests,
        phasesDone: [...phasesDone],
        violations: violations.slice(0, 20),
      },
    });
  }
  await f?.tdb.drop();
});

// ── the matrix ────────────────────────────────────────────────────────────────────────────────

describe('role × route × department matrix (handlers)', () => {
  it('discovers the case routes from the route table and can fill every id they take', () => {
    expect(cls.unfillable).toEqual([]);
    // The routes the hand-written scoping test names are all found (discovery is not vacuous).
    const found = new Set(cls.caseRoutes.map(keyOf));
    for (const key of ['GET /api/cases/:id', 'POST /api/cases/:id/responses', 'PATCH /api/cases/:id/responses/:rid', 'POST /api/cases/:id/feedback', 'GET /api/cases/:id/escalations']) {
      expect(found).toContain(key);
    }
    expect(cls.caseRoutes.length).toBeGreaterThanOrEqual(12);
    expect(cls.listRoutes.map(keyOf)).toEqual(expect.arrayContaining(['GET /api/cases', 'GET /api/cases/export', 'GET /api/notifications']));
    expect(streams.map((s) => s.key)).toContain('GET /api/events');
    phasesDone.add('discovery');
  });

  it('answers outsiders 404 NOT_FOUND with no row changed, and lets the lead and co-department handlers past scoping', async () => {
    const before = violations.length;
    for (const route of [...cls.caseRoutes, ...cls.ownedRoutes]) {
      const key = keyOf(route);
      for (const who of OUTSIDERS) await expectHidden(who, key, route.method, fill(route, who), bodyFor(route));
      // A case-owned id reached through a case the outsider may see must be just as unknown.
      const subIds = slotsOf(route.path).filter((s) => s.collection !== 'cases' && PARAM_SOURCES[s.collection]!.owner === 'case');
      if (slotsOf(route.path).some((s) => s.collection === 'cases') && subIds.length > 0) {
        await expectHidden('outsider', `${key} (own case, secret ${subIds.map((s) => s.collection).join(', ')} id)`, route.method, fill(route, 'outsider', 'own'), bodyFor(route));
      }
      for (const who of INSIDERS) await expectAdmitted(who, route, fill(route, who));
    }
    // Writes without ids, as an outsider (who owns nothing): nothing changes but the audit trail
    // of the call itself (every write is attributable), and that row does not name the case.
    for (const route of cls.bareWrites) {
      for (const who of OUTSIDERS) {
        const snap = await snapshot();
        const lastAudit = await maxAuditId();
        const res = await send(who, route.method, route.path, bodyFor(route));
        await res.arrayBuffer();
        const changed = changedTables(snap, await snapshot()).filter((t) => t !== 'audit_log' && t !== 'audit_chain_head');
        const audited = await f.db.selectFrom('audit_log').selectAll().where('id', '>', lastAudit).execute();
        const namesCase = audited.some((a) => mentionsCase(JSON.stringify(a)));
        if (res.status >= 500 || changed.length > 0 || namesCase) {
          violations.push(`${keyOf(route)} as ${who} handler: ${res.status}, changed ${changed.join(', ') || 'nothing'}${namesCase ? ', audited the case' : ''}`);
        }
      }
    }
    phasesDone.add('case routes');
    expect(violations.slice(before)).toEqual([]);
  }, 60_000);

  it('never lists the case to outsiders on the routes without an id (ledger, exports, notifications …), while the lead sees it there', async () => {
    const before = violations.length;
    const filters = ['', `q=${encodeURIComponent(TITLE)}`, `departmentId=${depts.lead}`, `departmentId=${depts.outsider}`, `caseId=${ids.caseId}`];
    const seenByLead = new Set<string>();
    for (const route of cls.listRoutes) {
      const key = keyOf(route);
      for (const extra of EXTRA_QUERIES[key] ?? ['']) {
        for (const filter of filters) {
          const query = [extra, filter].filter(Boolean).join('&');
          const path = query ? `${route.path}?${query}` : route.path;
          const label = query ? `${key}?${decodeURIComponent(query)}` : key;
          const echoed = [...new URLSearchParams(query)].map(([k, v]) => `${k}=${v}`);
          for (const who of MEMBERS) {
            const res = await send(who, 'GET', path);
            const text = await bodyText(res);
            if (res.status >= 500) violations.push(`${label} as ${who} handler: ${res.status}`);
            const seen = res.status === 200 && mentionsCase(text, echoed);
            if (seen && (OUTSIDERS as readonly Member[]).includes(who)) violations.push(`${label} as ${who} handler: shows the case (${res.status})`);
            if (seen && who === 'lead') seenByLead.add(extra ? `${key}?${extra}` : key);
          }
        }
      }
    }
    phasesDone.add('list routes');
    expect(violations.slice(before)).toEqual([]);
    // Controls: the text search finds the case where it is listed, so "not shown" above means something.
    expect([...seenByLead]).toEqual(
      expect.arrayContaining(['GET /api/cases', 'GET /api/cases/export?format=xlsx', 'GET /api/cases/export?format=csv', 'GET /api/notifications']),
    );
  }, 60_000);

  it("never carries the case's events on an outsider's event stream, while the members' streams do", async () => {
    const before = violations.length;
    // A marker per stream's user, published after everything above: once it arrives, every
    // earlier event has been through that stream's filter (one queue per stream, in order).
    const markers = new Map<Member, string>();
    for (const who of MEMBERS) {
      const marker = `marker-${who}`;
      markers.set(who, marker);
      f.events.publish({ type: 'notification.created', userId: people.get(who)!.user.id, notificationId: marker });
    }
    const hasMarker = (s: OpenStream) => s.events.some((e) => e.type === 'notification.created' && e.notificationId === markers.get(s.who));
    await until(() => streams.every(hasMarker), 'the marker on every stream');
    for (const s of streams) {
      const caseEvents = s.events.filter((e) => e.type === 'case.updated' && e.caseId === ids.caseId).length;
      const leaked = caseEvents > 0 || s.raw.some((line) => line.includes(TITLE) || line.includes(caseNumber));
      if ((OUTSIDERS as readonly Member[]).includes(s.who) && leaked) violations.push(`${s.key} as ${s.who} handler: carried ${caseEvents} event(s) of the case`);
      if ((INSIDERS as readonly Member[]).includes(s.who) && caseEvents === 0) violations.push(`${s.key} as ${s.who} handler: carried no event of the case (control)`);
    }
    phasesDone.add('event streams');
    expect(violations.slice(before)).toEqual([]);
  });
});

describe('the other roles', () => {
  it('are not department-scoped (DESIGN.md), so the matrix needs only the handler row', async () => {
    // A user of the outsider department in every other role sees the case and its ledger row; a
    // role answering 404 here would be department-scoped and belong in the matrix above.
    const scoped: string[] = [];
    for (const role of ROLES.filter((r): r is Exclude<Role, 'handler'> => r !== 'handler')) {
      const s = await sessionFor(f.db, await createUser(f.db, { role, departmentId: depts.outsider }), NOW);
      const one = await f.requestAs(s, 'GET', `/api/cases/${ids.caseId}`);
      await one.arrayBuffer();
      const ledger = await f.requestAs(s, 'GET', `/api/cases?q=${encodeURIComponent(TITLE)}`);
      const listed = ledger.status === 200 && mentionsCase(await ledger.text());
      requests += 2;
      if (one.status !== 200 || !listed) scoped.push(`${role}: case ${one.status}, ledger ${ledger.status}${listed ? '' : ' without the case'}`);
    }
    expect(scoped).toEqual([]);
  });
});
