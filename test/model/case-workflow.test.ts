import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../api/helpers.js';
import { createUser, sessionFor, type SignedIn, type TestUser } from '../helpers/auth.js';

// Model-based test of the case state machine (issue #3 §8): random sequences of calls through the
// real app (real sessions, CSRF, Postgres, an injected clock we advance) against a small reference
// model of the case status, its responses and its obligations. After every command:
//   - the case status (always open | responded | closed) and each response's status match the model;
//   - the obligations (kind, seq, status, metAt, metBy) match the model exactly: nothing lost, nothing
//     met without the event that meets it, met ones keep metAt / dueAt / onTime forever;
//   - every kind the policy requires for the current level and category has an open or met obligation;
//   - a refused command answers 4xx (never 5xx) and changes nothing (case view, responses, audit);
//   - a successful state change adds at least one audit row (GET /api/audit?caseId= as admin).

type Level = 'general' | 'significant' | 'major' | 'especially_major';
type Category = 'difficulty' | 'rumour' | 'emergency';
type CaseStatus = 'open' | 'responded' | 'closed';
type ResponseStatus = 'draft' | 'submitted' | 'returned' | 'approved' | 'published';
type Kind = 'response' | 'report' | 'info' | 'press' | 'update' | 'referral';
type Channel = 'website' | 'new_media' | 'press_conference' | 'reply';

const H = 3_600_000;
const BASE = new Date('2026-11-24T08:00:00Z');
const MAJOR = new Set<Level>(['major', 'especially_major']);
const NO_RESPONSE = '999999999';

/** Major levels, and an emergency (突发事件) at any level, take the major track. */
const majorTrack = (level: Level, category: Category) => MAJOR.has(level) || category === 'emergency';

/** The policy of the issue (defaults): 48 h response; major track: report, info, press, update; rumour adds a referral. */
function required(level: Level, category: Category): Kind[] {
  const base: Kind[] = majorTrack(level, category) ? ['report', 'info', 'press', 'update'] : ['response'];
  return category === 'rumour' ? [...base, 'referral'] : base;
}

/** What a publication meets (of the open obligations the case has). */
function metByPublication(channel: Channel): Kind[] {
  return ['response', 'info', ...(channel === 'press_conference' ? (['press'] as const) : []), 'update'];
}

interface ModelObligation {
  kind: Kind;
  seq: number;
  status: 'open' | 'met' | 'cancelled';
  metAt: string | null;
  metBy: string | null;
}

interface Model {
  level: Level;
  category: Category;
  status: CaseStatus;
  /** true: lead is department A (the handler's); false: department B. */
  leadIsA: boolean;
  responses: { id: string; status: ResponseStatus }[];
  obligations: ModelObligation[];
}

type Cmd =
  | { t: 'level'; level: Level; reason: boolean }
  | { t: 'reassign'; toA: boolean }
  | { t: 'draft' }
  | { t: 'edit'; pick: number }
  | { t: 'submit'; pick: number }
  | { t: 'return'; pick: number }
  | { t: 'approve'; pick: number }
  | { t: 'publish'; pick: number; channel: Channel; byReviewer: boolean }
  | { t: 'feedback' }
  | { t: 'reportUp' }
  | { t: 'refer' }
  | { t: 'close'; byHandler: boolean }
  | { t: 'reopen' }
  | { t: 'advance'; hours: number }
  /** The natural next step of the lifecycle, resolved against the model when it runs (keeps runs deep). */
  | { t: 'progress'; channel: Channel; byReviewer: boolean; close: boolean; returnIt: boolean };

type Concrete = Exclude<Cmd, { t: 'progress' }>;

interface ObligationView {
  id: string;
  kind: Kind;
  seq: number;
  status: 'open' | 'met' | 'cancelled';
  dueAt: string;
  metAt: string | null;
  metBy: string | null;
  onTime: boolean | null;
}
interface CaseView {
  id: string;
  status: string;
  level: Level;
  category: Category;
  leadDepartment: { id: number };
  obligations: ObligationView[];
}

const levelArb = fc.constantFrom<Level>('general', 'significant', 'major', 'especially_major');
const pick = fc.nat({ max: 7 });
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('level' as const), level: levelArb, reason: fc.integer({ min: 0, max: 4 }).map((n) => n > 0) }), weight: 4 },
  fc.record({ t: fc.constant('reassign' as const), toA: fc.boolean() }),
  { arbitrary: fc.constant<Cmd>({ t: 'draft' }), weight: 3 },
  fc.record({ t: fc.constant('edit' as const), pick }),
  { arbitrary: fc.record({ t: fc.constant('submit' as const), pick }), weight: 3 },
  fc.record({ t: fc.constant('return' as const), pick }),
  { arbitrary: fc.record({ t: fc.constant('approve' as const), pick }), weight: 3 },
  {
    arbitrary: fc.record({ t: fc.constant('publish' as const), pick, channel: fc.constantFrom<Channel>('website', 'new_media', 'press_conference', 'reply'), byReviewer: fc.boolean() }),
    weight: 3,
  },
  fc.constant<Cmd>({ t: 'feedback' }),
  fc.constant<Cmd>({ t: 'reportUp' }),
  fc.constant<Cmd>({ t: 'refer' }),
  { arbitrary: fc.record({ t: fc.constant('close' as const), byHandler: fc.boolean() }), weight: 2 },
  fc.constant<Cmd>({ t: 'reopen' }),
  { arbitrary: fc.record({ t: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 30 }) }), weight: 2 },
  {
    arbitrary: fc.record({
      t: fc.constant('progress' as const),
      channel: fc.constantFrom<Channel>('website', 'new_media', 'press_conference', 'reply'),
      byReviewer: fc.boolean(),
      close: fc.boolean(),
      returnIt: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    }),
    weight: 12,
  },
);

/** The concrete command a 'progress' stands for in this state. */
function resolve(m: Model, cmd: Cmd): Concrete {
  if (cmd.t !== 'progress') return cmd;
  if (m.status === 'closed') return { t: 'reopen' };
  const i = m.responses.findIndex((r) => r.status !== 'published');
  const r = m.responses[i];
  if (r?.status === 'draft' || r?.status === 'returned') return { t: 'submit', pick: i };
  if (r?.status === 'submitted') return cmd.returnIt ? { t: 'return', pick: i } : { t: 'approve', pick: i };
  if (r?.status === 'approved') return { t: 'publish', pick: i, channel: cmd.channel, byReviewer: cmd.byReviewer };
  if (m.status === 'responded' && cmd.close) return { t: 'close', byHandler: !cmd.byReviewer };
  return { t: 'draft' };
}
const openArb = fc.record({
  level: levelArb,
  category: fc.constantFrom<Category>('difficulty', 'rumour', 'emergency'),
  hoursAgo: fc.integer({ min: 0, max: 60 }),
});

let clock = BASE;
let f: ApiFixture;
let deptA: number;
let deptB: number;
const users = {} as Record<'duty' | 'handler' | 'reviewer' | 'admin', TestUser>;
const sessions = {} as Record<keyof typeof users, SignedIn>;
let caseSeq = 0;

/** Fresh sessions at the current clock (idle sessions end after 8 h, and the test moves time). */
async function refreshSessions(): Promise<void> {
  for (const k of Object.keys(users) as (keyof typeof users)[]) sessions[k] = await sessionFor(f.db, users[k], clock);
}

const call = (who: keyof typeof users, method: string, path: string, body?: unknown) => f.requestAs(sessions[who], method, path, body);

async function getJson<T>(path: string): Promise<T> {
  const res = await call('admin', 'GET', path);
  expect(res.status, `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}

async function auditCount(caseId: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const q: string = `/api/audit?caseId=${caseId}&limit=500${cursor ? `&cursor=${cursor}` : ''}`;
    const page: { entries: unknown[]; nextCursor: string | null } = await getJson(q);
    n += page.entries.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

interface Snapshot {
  view: CaseView;
  responses: { id: string; status: ResponseStatus }[];
  raw: string;
  audits: number;
}

async function snapshot(caseId: string): Promise<Snapshot> {
  const view = await getJson<CaseView>(`/api/cases/${caseId}`);
  const list = await getJson<{ responses: { id: string; status: ResponseStatus }[] }>(`/api/cases/${caseId}/responses`);
  return { view, responses: list.responses, raw: JSON.stringify([view, list]), audits: await auditCount(caseId) };
}

const key = (o: { kind: string; seq: number }) => `${o.kind}#${o.seq}`;
const sortObs = <T extends { kind: string; seq: number }>(xs: T[]): T[] => [...xs].sort((a, b) => key(a).localeCompare(key(b)));

/** Everything that must hold after every command, whatever it was. */
function checkAgainstModel(m: Model, s: Snapshot, history: Map<string, { metAt: string; dueAt: string; onTime: boolean | null }>, trace: string): void {
  const { view } = s;
  expect(['open', 'responded', 'closed'], trace).toContain(view.status);
  expect(view.status, `${trace}: case status`).toBe(m.status);
  expect(view.level, `${trace}: level`).toBe(m.level);
  expect(view.leadDepartment.id, `${trace}: lead department`).toBe(m.leadIsA ? deptA : deptB);

  // Responses: same ids, same statuses.
  const got = Object.fromEntries(s.responses.map((r) => [r.id, r.status]));
  const want = Object.fromEntries(m.responses.map((r) => [r.id, r.status]));
  expect(got, `${trace}: responses`).toEqual(want);

  // Obligations: exactly the model's (kind, seq, status, metAt, metBy).
  const shape = (o: ModelObligation | ObligationView) => ({ kind: o.kind, seq: o.seq, status: o.status, metAt: o.metAt, metBy: o.metBy });
  expect(sortObs(view.obligations).map(shape), `${trace}: obligations`).toEqual(sortObs(m.obligations).map(shape));

  // None lost: every kind the policy requires for the current level/category is open or met.
  for (const kind of required(m.level, m.category)) {
    expect(
      view.obligations.some((o) => o.kind === kind && o.status !== 'cancelled'),
      `${trace}: required obligation ${kind} (${m.level}/${m.category}) is missing`,
    ).toBe(true);
  }

  for (const o of view.obligations) {
    if (o.status === 'met') {
      expect(o.metAt, `${trace}: ${key(o)} met without metAt`).not.toBeNull();
      expect(o.onTime, `${trace}: ${key(o)} met without onTime`).toBe(Date.parse(o.metAt!) <= Date.parse(o.dueAt));
      const seen = history.get(o.id);
      if (seen) expect({ metAt: o.metAt, dueAt: o.dueAt, onTime: o.onTime }, `${trace}: ${key(o)} changed after it was met`).toEqual(seen);
      else history.set(o.id, { metAt: o.metAt!, dueAt: o.dueAt, onTime: o.onTime });
    } else {
      expect(o.metAt, `${trace}: ${key(o)} ${o.status} with a metAt`).toBeNull();
      expect(history.has(o.id), `${trace}: ${key(o)} was met and is now ${o.status}`).toBe(false);
    }
  }
}

/** The model's obligations after a level change (recompute from the same start). */
function recompute(m: Model, level: Level): void {
  const kinds = new Set(required(level, m.category));
  for (const o of m.obligations) if (o.status === 'open' && !kinds.has(o.kind)) o.status = 'cancelled';
  const live = new Set(m.obligations.filter((o) => o.status !== 'cancelled').map((o) => o.kind));
  for (const kind of kinds) {
    if (live.has(kind)) continue;
    const seq = Math.max(0, ...m.obligations.filter((o) => o.kind === kind).map((o) => o.seq)) + 1;
    m.obligations.push({ kind, seq, status: 'open', metAt: null, metBy: null });
  }
  m.level = level;
}

function meet(m: Model, kinds: readonly Kind[], at: string, by: string): void {
  for (const o of m.obligations) {
    if (o.status === 'open' && kinds.includes(o.kind)) Object.assign(o, { status: 'met', metAt: at, metBy: by });
  }
}

interface Expect {
  status: number;
  /** Applies the change to the model (success only); gets the response body. */
  apply?: (body: any) => void;
  /** A success that changes nothing (no audit row required, snapshot unchanged). */
  noop?: boolean;
}

/** Runs one command: predicts the outcome from the model, sends it, checks the answer and the audit. */
async function step(caseId: string, m: Model, cmd: Concrete, trace: string): Promise<void> {
  if (cmd.t === 'advance') {
    clock = new Date(clock.getTime() + cmd.hours * H);
    await refreshSessions();
    return;
  }
  const nowIso = clock.toISOString();
  const r = 'pick' in cmd && m.responses.length > 0 ? m.responses[cmd.pick % m.responses.length] : undefined;
  const rid = r?.id ?? NO_RESPONSE;
  const rBase = `/api/cases/${caseId}/responses`;
  const visible = m.leadIsA; // the handler belongs to department A and the case has no co-departments
  let who: keyof typeof users;
  let method = 'POST';
  let path: string;
  let body: unknown;
  let ex: Expect;

  const responseStep = (from: ResponseStatus[], to: ResponseStatus, handlerStep: boolean): Expect => {
    if (handlerStep && !visible) return { status: 404 };
    if (!r) return { status: 404 };
    // A closed case's responses are history until it is reopened.
    if (m.status === 'closed') return { status: 409 };
    if (!from.includes(r.status)) return { status: 409 };
    return { status: 200, apply: () => void (r.status = to) };
  };

  switch (cmd.t) {
    case 'level':
      who = 'duty';
      method = 'PATCH';
      path = `/api/cases/${caseId}`;
      body = cmd.reason ? { level: cmd.level, reason: '事态变化，调整级别' } : { level: cmd.level };
      if (cmd.level === m.level) ex = { status: 200, noop: true };
      else if (!cmd.reason) ex = { status: 400 };
      else if (m.status === 'closed') ex = { status: 409 };
      else ex = { status: 200, apply: () => recompute(m, cmd.level) };
      break;
    case 'reassign':
      who = 'admin';
      method = 'PATCH';
      path = `/api/cases/${caseId}`;
      body = { leadDepartmentId: cmd.toA ? deptA : deptB };
      if (cmd.toA === m.leadIsA) ex = { status: 200, noop: true };
      else if (m.status === 'closed') ex = { status: 409 };
      else ex = { status: 200, apply: () => void (m.leadIsA = cmd.toA) };
      break;
    case 'draft':
      who = 'handler';
      path = rBase;
      body = { body: '经核实，已责成有关单位限期整改。' };
      if (!visible) ex = { status: 404 };
      else if (m.status === 'closed') ex = { status: 409 };
      else ex = { status: 201, apply: (b: { id: string }) => void m.responses.push({ id: b.id, status: 'draft' }) };
      break;
    case 'edit':
      who = 'handler';
      method = 'PATCH';
      path = `${rBase}/${rid}`;
      body = { body: '修改稿' };
      ex = responseStep(['draft', 'returned'], 'draft', true);
      break;
    case 'submit':
      who = 'handler';
      path = `${rBase}/${rid}/submit`;
      ex = responseStep(['draft', 'returned'], 'submitted', true);
      break;
    case 'return':
      who = 'reviewer';
      path = `${rBase}/${rid}/return`;
      body = { comment: '请补充具体时间' };
      ex = responseStep(['submitted'], 'returned', false);
      break;
    case 'approve':
      who = 'reviewer';
      path = `${rBase}/${rid}/approve`;
      ex = responseStep(['submitted'], 'approved', false);
      break;
    case 'publish':
      who = cmd.byReviewer ? 'reviewer' : 'handler';
      path = `${rBase}/${rid}/publish`;
      body = { channel: cmd.channel };
      if (!cmd.byReviewer && !visible) ex = { status: 404 };
      else if (!r) ex = { status: 404 };
      else if (r.status !== 'approved' || m.status === 'closed') ex = { status: 409 };
      else
        ex = {
          status: 200,
          apply: () => {
            r.status = 'published';
            m.status = 'responded';
            meet(m, metByPublication(cmd.channel), nowIso, `response:${r.id}`);
            if (majorTrack(m.level, m.category)) {
              const seq = Math.max(0, ...m.obligations.filter((o) => o.kind === 'update').map((o) => o.seq)) + 1;
              m.obligations.push({ kind: 'update', seq, status: 'open', metAt: null, metBy: null });
            }
          },
        };
      break;
    case 'feedback':
      who = 'handler';
      path = `/api/cases/${caseId}/feedback`;
      body = { kind: 'reaction', body: '网民评论趋于理性' };
      if (!visible) ex = { status: 404 };
      else if (m.status === 'closed') ex = { status: 409 };
      else ex = { status: 201 };
      break;
    case 'reportUp':
      who = 'duty';
      path = `/api/cases/${caseId}/reports-up`;
      body = { recipient: '县委办', content: '已电话报告' };
      ex = m.status === 'closed' ? { status: 409 } : { status: 201, apply: (b: { id: string }) => meet(m, ['report'], nowIso, `report_up:${b.id}`) };
      break;
    case 'refer':
      who = 'duty';
      path = `/api/cases/${caseId}/referrals`;
      body = { target: 'public_security', recipient: '县公安局', content: '线索移交' };
      ex = m.status === 'closed' ? { status: 409 } : { status: 201, apply: (b: { id: string }) => meet(m, ['referral'], nowIso, `referral:${b.id}`) };
      break;
    case 'close':
      who = cmd.byHandler ? 'handler' : 'reviewer';
      path = `/api/cases/${caseId}/close`;
      body = { effectRating: 'good', conclusion: '舆情平息' };
      if (cmd.byHandler && !visible) ex = { status: 404 };
      else if (m.status !== 'responded') ex = { status: 409 };
      else
        ex = {
          status: 200,
          apply: () => {
            m.status = 'closed';
            for (const o of m.obligations) if (o.status === 'open' && o.kind === 'update') o.status = 'cancelled';
          },
        };
      break;
    case 'reopen':
      who = 'duty';
      path = `/api/cases/${caseId}/reopen`;
      body = { reason: '舆情反弹' };
      ex =
        m.status !== 'closed'
          ? { status: 409 }
          : {
              status: 200,
              apply: () => {
                m.status = 'open';
                // A reopened major case owes updates again: closing cancelled the open one.
                if (majorTrack(m.level, m.category) && !m.obligations.some((o) => o.kind === 'update' && o.status === 'open')) {
                  const seq = Math.max(0, ...m.obligations.filter((o) => o.kind === 'update').map((o) => o.seq)) + 1;
                  m.obligations.push({ kind: 'update', seq, status: 'open', metAt: null, metBy: null });
                }
              },
            };
      break;
  }

  const before = await snapshot(caseId);
  const res = await call(who, method, path, body);
  const text = await res.text();
  const what = `${trace} → ${method} ${path} as ${who}: ${res.status} ${text.slice(0, 300)}`;
  expect(res.status, `${what}: never 5xx`).toBeLessThan(500);
  expect(res.status, `${what}: model expected ${ex.status}`).toBe(ex.status);
  const after = await snapshot(caseId);
  if (res.status >= 400 || ex.noop) {
    expect(after.raw, `${what}: a refused or no-op command changed the case`).toBe(before.raw);
    expect(after.audits, `${what}: a refused or no-op command wrote audit rows`).toBe(before.audits);
  } else {
    ex.apply?.(JSON.parse(text));
    expect(after.audits, `${what}: a successful change wrote no audit row`).toBeGreaterThan(before.audits);
  }
}

beforeAll(async () => {
  f = await createApiFixture('model_case', { now: () => clock });
  deptA = (await f.db.insertInto('departments').values({ name: '市水务局' }).returning('id').executeTakeFirstOrThrow()).id;
  deptB = (await f.db.insertInto('departments').values({ name: '市住建局' }).returning('id').executeTakeFirstOrThrow()).id;
  users.duty = await createUser(f.db, { role: 'duty' });
  users.handler = await createUser(f.db, { role: 'handler', departmentId: deptA });
  users.reviewer = await createUser(f.db, { role: 'reviewer' });
  users.admin = await createUser(f.db, { role: 'admin' });
});
afterAll(async () => {
  await f?.tdb.drop();
});

describe('case workflow: model-based (fast-check)', () => {
  it('no sequence of calls reaches an invalid state, loses an obligation, or changes state without an audit row', async () => {
    await fc.assert(
      fc.asyncProperty(openArb, fc.array(cmdArb, { minLength: 4, maxLength: 15, size: 'max' }), async (open, cmds) => {
        clock = BASE;
        await refreshSessions();
        caseSeq += 1;
        const receivedAt = new Date(clock.getTime() - open.hoursAgo * H).toISOString();
        const res = await call('duty', 'POST', '/api/cases', {
          level: open.level,
          category: open.category,
          leadDepartmentId: deptA,
          coDepartmentIds: [],
          manual: { origin: 'hotline', title: `模型测试事件${caseSeq}`, receivedAt },
        });
        expect(res.status, await res.clone().text()).toBe(201);
        const c = (await res.json()) as CaseView;
        const m: Model = {
          level: open.level,
          category: open.category,
          status: 'open',
          leadIsA: true,
          responses: [],
          obligations: required(open.level, open.category).map((kind) => ({ kind, seq: 1, status: 'open' as const, metAt: null, metBy: null })),
        };
        const history = new Map<string, { metAt: string; dueAt: string; onTime: boolean | null }>();
        let trace = `open ${open.level}/${open.category} -${open.hoursAgo}h`;
        checkAgainstModel(m, await snapshot(c.id), history, trace);
        expect(await auditCount(c.id), 'opening a case is audited').toBeGreaterThan(0);
        for (const [i, cmd] of cmds.entries()) {
          const concrete = resolve(m, cmd);
          trace = `${trace}; #${i} ${JSON.stringify(concrete)}`;
          await step(c.id, m, concrete, trace);
          checkAgainstModel(m, await snapshot(c.id), history, trace);
        }
      }),
      { numRuns: 25 },
    );
  }, 180_000);
});
