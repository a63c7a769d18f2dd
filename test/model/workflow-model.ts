import fc from 'fast-check';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { workCalendar } from '../../core/workflow/calendar.js';
import { DEFAULT_POLICY } from '../../core/workflow/policy.js';
import type { ObligationSpec, PolicyRule, Window } from '../../core/workflow/types.js';
import { createApiFixture, type ApiFixture } from '../api/helpers.js';
import { createUser, sessionFor, type SignedIn, type TestUser } from '../helpers/auth.js';

// Model-based test of the case state machine (issue #3 §8), shared by test/model/case-workflow.test.ts
// (a quick run) and test/reliability/model-workflow.test.ts (the scaled run): random sequences of
// calls through the real app (real sessions, CSRF, Postgres, an injected clock we advance) against a
// small reference model of the case status, its responses and its obligations. After every command:
//   - the case status (always open | responded | closed) and each response's status match the model;
//   - the obligations (kind, seq, status, metAt, metBy, dueAt) match the model exactly: nothing lost,
//     nothing met without the event that meets it, met ones keep metAt / dueAt / onTime forever;
//   - due times are the model's own computation: natural hours, or working days on the Chinese
//     calendar (holidays, 调休), shortened by the heightened period containing the obligation's start;
//   - every kind the policy requires for the current level and category has an open or met obligation;
//   - a refused command answers 4xx (never 5xx) and changes nothing (case view, responses, audit);
//   - a successful state change adds at least one audit row (GET /api/audit?caseId= as admin);
//   - a policy change (admin, PUT /api/policies) is audited and never moves an existing due time;
//     later level changes and recurring updates follow the new windows;
//   - 会签: with a co-department (department C) on a 较大-or-above case, a submitted response waits
//     for C's handler (confirm / return) before any approval step; the lead's handler cannot sign;
//   - a forwarded opinion (网信办转办) is verified (核实) before any draft; its first publication
//     owes 向转办单位反馈办理情况 2 working days later, met by a reply to the forwarding office.

export type Level = 'general' | 'significant' | 'major' | 'especially_major';
export type Category = 'difficulty' | 'rumour' | 'emergency';
type CaseStatus = 'open' | 'responded' | 'closed';
type ResponseStatus = 'draft' | 'submitted' | 'returned' | 'approved' | 'published';
type Kind = 'response' | 'report' | 'info' | 'press' | 'update' | 'referral' | 'forward_feedback';
type Channel = 'website' | 'new_media' | 'press_conference' | 'reply';

const H = 3_600_000;
const DAY = 24 * H;
const SHANGHAI = 8 * H;
const MAJOR = new Set<Level>(['major', 'especially_major']);
const NO_RESPONSE = '999999999';

/** Major levels (any category, 突发事件 included) take the major track (国办发〔2016〕61号). */
const majorTrack = (level: Level, _category: Category) => MAJOR.has(level);

/**
 * The policy of the issue (defaults): 48 h response; major track: report, info, press, update; a
 * general or significant emergency: report upward and the 48 h response; rumour adds a referral.
 */
function required(level: Level, category: Category): Kind[] {
  const base: Kind[] = majorTrack(level, category) ? ['report', 'info', 'press', 'update'] : category === 'emergency' ? ['report', 'response'] : ['response'];
  return category === 'rumour' ? [...base, 'referral'] : base;
}

/** What a publication meets (of the open obligations the case has). */
function metByPublication(channel: Channel): Kind[] {
  return ['response', 'info', ...(channel === 'press_conference' ? (['press'] as const) : []), 'update'];
}

// ── Policies the admin switches between (same kinds as the defaults; windows and units differ) ──

/** Windows per kind; `updateEvery`: how soon the next recurring update is due (default: the update's window). */
type Windows = Partial<Record<Kind, Window>> & { updateEvery?: number };
const nat = (hours: number): Window => ({ hours, unit: 'natural' });
const wd = (days: number): Window => ({ hours: days * 24, unit: 'working_days' });

/** Named window sets; 'default' is DEFAULT_POLICY. A recurring update repeats after its own window. */
export const POLICY_VARIANTS: Record<string, Windows> = {
  default: {},
  workdays: { response: wd(2), report: nat(1), info: nat(3), press: wd(1), update: nat(24), referral: nat(12) },
  tight: { response: nat(24), info: nat(2), press: nat(12), update: nat(12), referral: wd(1) },
  halfday: { response: wd(0.5), press: wd(1.5), update: wd(1), referral: nat(36) },
  /** Updates every 8 h after the first (due 24 h after the clock's start). */
  recurring: { update: nat(24), updateEvery: 8 },
};

function policyOf(variant: string): PolicyRule[] {
  const w = POLICY_VARIANTS[variant];
  return DEFAULT_POLICY.map((r) => ({
    ...r,
    obligations: r.obligations.map((o): ObligationSpec => {
      const window = w[o.kind as Kind] ?? o.window;
      return { kind: o.kind, window: { ...window }, ...(o.repeatEveryHours ? { repeatEveryHours: w.updateEvery ?? window.hours } : {}) };
    }),
  }));
}

function specOf(policy: PolicyRule[], level: Level, category: Category, kind: Kind): ObligationSpec | undefined {
  const rule = policy.find((r) => r.level === level && r.category === category) ?? policy.find((r) => r.level === level && r.category === null);
  return rule?.obligations.find((o) => o.kind === kind);
}

// ── The model's own due-time arithmetic (the calendar's data is the only thing shared) ─────────

export interface Period {
  startsAt: Date;
  endsAt: Date;
  factor: number;
}

const calendar = workCalendar();
const ymdOf = (dayIndex: number) => new Date(dayIndex * DAY).toISOString().slice(0, 10);
const isWorkday = (dayIndex: number) => calendar.isWorkday(ymdOf(dayIndex));

/** Due time of a window starting at `start` (ms): DESIGN.md's rules, written out independently of core/workflow/deadlines.ts. */
export function modelDue(start: number, window: Window, periods: readonly Period[]): number {
  let factor = 1;
  for (const p of periods) if (p.startsAt.getTime() <= start && start < p.endsAt.getTime()) factor = Math.min(factor, p.factor);
  const hours = window.hours * factor;
  if (window.unit === 'natural') return start + Math.round(hours * H);
  const days = hours / 24;
  const whole = Math.floor(days + 1e-9);
  const rest = Math.max(0, Math.round((days - whole) * DAY));
  // Shanghai wall time: a day index and the time into it.
  let day = Math.floor((start + SHANGHAI) / DAY);
  let ms = start + SHANGHAI - day * DAY;
  if (!isWorkday(day)) {
    do day++;
    while (!isWorkday(day));
    ms = 0;
  }
  for (let i = 0; i < whole; i++) {
    do day++;
    while (!isWorkday(day));
  }
  return day * DAY + ms - SHANGHAI + rest;
}

// ── Model state and commands ──────────────────────────────────────────────────────────────────

interface ModelObligation {
  kind: Kind;
  seq: number;
  status: 'open' | 'met' | 'cancelled';
  metAt: string | null;
  metBy: string | null;
  startedAt: number;
  dueAt: string;
  /** A recurrence (started when the previous update was met, or at a reopening): its window is the repeat interval. */
  recurring?: boolean;
}

interface Model {
  level: Level;
  category: Category;
  status: CaseStatus;
  /** When the case's clock started (receivedAt). */
  clockStart: number;
  /** true: lead is department A (the handler's); false: department B. */
  leadIsA: boolean;
  /** chain: the approval steps fixed at submission (审批链); step: the one a submitted response waits at; cs: 会签 pending. */
  responses: { id: string; status: ResponseStatus; chain: Approver[]; step: number; cs: boolean }[];
  obligations: ModelObligation[];
  /** Forwarded by the cyberspace office (网信办转办), and whether its 核实 is recorded. */
  forwarded: boolean;
  verified: boolean;
  /** Department C is a co-department (its handler signs off when the level asks 会签). */
  co: boolean;
}

/** 会签 by default: on for 较大 and above when the case has co-departments (no variant changes it). */
const countersignAsked = (m: Model) => m.co && m.level !== 'general';
/** 向转办单位反馈办理情况: 2 working days after the publication (no variant changes it). */
const FEEDBACK_WINDOW: Window = { hours: 48, unit: 'working_days' };

/** 审批链: the people of each approval step, and the default chain of a level (no variant names its own steps). */
type Approver = 'reviewer' | 'leaderInCharge' | 'principal';
const APPROVERS: readonly Approver[] = ['reviewer', 'leaderInCharge', 'principal'];
const STEP_KIND: Record<Approver, string> = { reviewer: 'reviewer', leaderInCharge: 'leader_in_charge', principal: 'principal_leader' };
function chainOf(level: Level): Approver[] {
  if (level === 'general') return ['reviewer'];
  if (level === 'significant') return ['reviewer', 'leaderInCharge'];
  return ['reviewer', 'leaderInCharge', 'principal'];
}

export type Cmd =
  | { t: 'level'; level: Level; reason: boolean }
  | { t: 'reassign'; toA: boolean }
  | { t: 'draft' }
  | { t: 'edit'; pick: number }
  | { t: 'submit'; pick: number }
  /** by: who tries the step (index into APPROVERS); only the step's people may (else 403). */
  | { t: 'return'; pick: number; by: number }
  | { t: 'approve'; pick: number; by: number }
  | { t: 'publish'; pick: number; channel: Channel; byReviewer: boolean }
  | { t: 'feedback' }
  | { t: 'reportUp' }
  | { t: 'refer' }
  | { t: 'close'; byHandler: boolean }
  | { t: 'reopen' }
  | { t: 'advance'; hours: number }
  /** 核实 of a forwarded opinion (result: index into 属实 / 部分属实 / 不属实). */
  | { t: 'verify'; result: number }
  /** 会签 by the co-department's handler (asLead: the lead's handler tries, and may not). */
  | { t: 'countersign'; pick: number; confirm: boolean; asLead: boolean }
  /** A reply recorded to the forwarding office. */
  | { t: 'forwardReply' }
  /** The admin replaces the policy with a named variant (asAdmin false: a duty officer tries; broken: an invalid policy). */
  | { t: 'policy'; variant: string; asAdmin: boolean; broken: boolean }
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

/** Commands; with policies, the admin also switches the policy now and then. */
export function commandArb(opts: { policies: boolean }): fc.Arbitrary<Cmd> {
  const arbs: fc.WeightedArbitrary<Cmd>[] = [
    { arbitrary: fc.record({ t: fc.constant('level' as const), level: levelArb, reason: fc.integer({ min: 0, max: 4 }).map((n) => n > 0) }), weight: 4 },
    { arbitrary: fc.record({ t: fc.constant('reassign' as const), toA: fc.boolean() }), weight: 1 },
    { arbitrary: fc.constant<Cmd>({ t: 'draft' }), weight: 3 },
    { arbitrary: fc.record({ t: fc.constant('edit' as const), pick }), weight: 1 },
    { arbitrary: fc.record({ t: fc.constant('submit' as const), pick }), weight: 3 },
    { arbitrary: fc.record({ t: fc.constant('return' as const), pick, by: fc.nat({ max: 2 }) }), weight: 1 },
    { arbitrary: fc.record({ t: fc.constant('approve' as const), pick, by: fc.nat({ max: 2 }) }), weight: 3 },
    {
      arbitrary: fc.record({ t: fc.constant('publish' as const), pick, channel: fc.constantFrom<Channel>('website', 'new_media', 'press_conference', 'reply'), byReviewer: fc.boolean() }),
      weight: 3,
    },
    { arbitrary: fc.constant<Cmd>({ t: 'feedback' }), weight: 1 },
    { arbitrary: fc.constant<Cmd>({ t: 'reportUp' }), weight: 1 },
    { arbitrary: fc.constant<Cmd>({ t: 'refer' }), weight: 1 },
    { arbitrary: fc.record({ t: fc.constant('close' as const), byHandler: fc.boolean() }), weight: 2 },
    { arbitrary: fc.constant<Cmd>({ t: 'reopen' }), weight: 1 },
    { arbitrary: fc.record({ t: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 30 }) }), weight: 2 },
    { arbitrary: fc.record({ t: fc.constant('verify' as const), result: fc.nat({ max: 2 }) }), weight: 1 },
    { arbitrary: fc.record({ t: fc.constant('countersign' as const), pick, confirm: fc.integer({ min: 0, max: 3 }).map((n) => n > 0), asLead: fc.integer({ min: 0, max: 4 }).map((n) => n === 0) }), weight: 2 },
    { arbitrary: fc.constant<Cmd>({ t: 'forwardReply' }), weight: 1 },
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
  ];
  if (opts.policies) {
    arbs.push({
      arbitrary: fc.record({
        t: fc.constant('policy' as const),
        variant: fc.constantFrom(...Object.keys(POLICY_VARIANTS)),
        asAdmin: fc.integer({ min: 0, max: 5 }).map((n) => n > 0),
        broken: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
      }),
      weight: 2,
    });
  }
  return fc.oneof(...arbs);
}

export const openArb = fc.record({
  level: levelArb,
  category: fc.constantFrom<Category>('difficulty', 'rumour', 'emergency'),
  hoursAgo: fc.integer({ min: 0, max: 60 }),
  forwarded: fc.boolean(),
  co: fc.boolean(),
});
/** With policies: the policy in force when the case opens (each sequence starts from it, so runs replay alone). */
export function openArbWithPolicy() {
  return fc.record({
    level: levelArb,
    category: fc.constantFrom<Category>('difficulty', 'rumour', 'emergency'),
    hoursAgo: fc.integer({ min: 0, max: 60 }),
    policy: fc.constantFrom(...Object.keys(POLICY_VARIANTS)),
    forwarded: fc.boolean(),
    co: fc.boolean(),
  });
}
/** forwarded: registered as 网信办转办 (else an opinion of another origin: the policy's windows, not a hotline's); co: department C is a co-department. */
export type Open = { level: Level; category: Category; hoursAgo: number; policy?: string; forwarded?: boolean; co?: boolean };

/** The concrete command a 'progress' stands for in this state. */
function resolve(m: Model, cmd: Cmd): Concrete {
  if (cmd.t !== 'progress') return cmd;
  if (m.status === 'closed') return { t: 'reopen' };
  const i = m.responses.findIndex((r) => r.status !== 'published');
  const r = m.responses[i];
  if (!r && m.forwarded && !m.verified) return { t: 'verify', result: 0 };
  if (r?.status === 'draft' || r?.status === 'returned') return { t: 'submit', pick: i };
  if (r?.status === 'submitted' && r.cs) return { t: 'countersign', pick: i, confirm: !cmd.returnIt, asLead: false };
  if (r?.status === 'submitted') {
    // The person of the step the response waits at.
    const by = APPROVERS.indexOf(r.chain[r.step] ?? 'reviewer');
    return cmd.returnIt ? { t: 'return', pick: i, by } : { t: 'approve', pick: i, by };
  }
  if (r?.status === 'approved') return { t: 'publish', pick: i, channel: cmd.channel, byReviewer: cmd.byReviewer };
  if (m.obligations.some((o) => o.kind === 'forward_feedback' && o.status === 'open')) return { t: 'forwardReply' };
  if (m.status === 'responded' && cmd.close) return { t: 'close', byHandler: !cmd.byReviewer };
  return { t: 'draft' };
}

export interface HarnessOptions {
  label: string;
  /** The clock's value at the start of every sequence. */
  base: Date;
  /** Heightened periods created (through the API) before the first sequence. */
  periods?: Period[];
}

export interface Harness {
  /** Runs one sequence: opens a case, then every command, checking the model after each. Returns the commands executed. */
  run(open: Open, cmds: readonly Cmd[]): Promise<number>;
  close(): Promise<void>;
}

type Who = 'duty' | 'handler' | 'coHandler' | 'reviewer' | 'admin' | 'leaderInCharge' | 'principal';

export async function createHarness(opts: HarnessOptions): Promise<Harness> {
  let clock = opts.base;
  const f: ApiFixture = await createApiFixture(opts.label, { now: () => clock });
  const deptA = (await f.db.insertInto('departments').values({ name: '市水务局' }).returning('id').executeTakeFirstOrThrow()).id;
  const deptB = (await f.db.insertInto('departments').values({ name: '市住建局' }).returning('id').executeTakeFirstOrThrow()).id;
  const deptC = (await f.db.insertInto('departments').values({ name: '市人社局' }).returning('id').executeTakeFirstOrThrow()).id;
  const users = {} as Record<Who, TestUser>;
  const sessions = {} as Record<Who, SignedIn>;
  users.duty = await createUser(f.db, { role: 'duty' });
  users.handler = await createUser(f.db, { role: 'handler', departmentId: deptA });
  users.coHandler = await createUser(f.db, { role: 'handler', departmentId: deptC });
  users.reviewer = await createUser(f.db, { role: 'reviewer' });
  users.admin = await createUser(f.db, { role: 'admin' });
  users.leaderInCharge = await createUser(f.db, { role: 'leader', leaderRank: 'in_charge' });
  users.principal = await createUser(f.db, { role: 'leader', leaderRank: 'principal' });
  let caseSeq = 0;
  /** The policy in force (the model's copy). */
  let policy: PolicyRule[] = policyOf('default');
  let policyName = 'default';
  const periods = opts.periods ?? [];

  /** Fresh sessions at the current clock (idle sessions end after 8 h, and the test moves time). */
  async function refreshSessions(): Promise<void> {
    for (const k of Object.keys(users) as Who[]) sessions[k] = await sessionFor(f.db, users[k], clock);
  }
  const call = (who: Who, method: string, path: string, body?: unknown) => f.requestAs(sessions[who], method, path, body);

  async function getJson<T>(path: string): Promise<T> {
    const res = await call('admin', 'GET', path);
    expect(res.status, `GET ${path}`).toBe(200);
    return (await res.json()) as T;
  }

  await refreshSessions();
  for (const p of periods) {
    const res = await call('admin', 'POST', '/api/periods', { name: '重点时段', startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString(), factor: p.factor });
    expect(res.status, await res.clone().text()).toBe(201);
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
  const policyAudits = async () => Number((await sql<{ n: string }>`select count(*)::text as n from audit_log where action = 'policy.update'`.execute(f.db)).rows[0].n);

  interface Snapshot {
    view: CaseView;
    responses: { id: string; status: ResponseStatus; approvalChain: { kind: string; state: string }[]; countersign: { pending: boolean } }[];
    raw: string;
    audits: number;
  }

  async function snapshot(caseId: string): Promise<Snapshot> {
    const view = await getJson<CaseView>(`/api/cases/${caseId}`);
    const list = await getJson<{ responses: Snapshot['responses'] }>(`/api/cases/${caseId}/responses`);
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

    const got = Object.fromEntries(s.responses.map((r) => [r.id, r.status]));
    const want = Object.fromEntries(m.responses.map((r) => [r.id, r.status]));
    expect(got, `${trace}: responses`).toEqual(want);
    // A submitted response waits at the model's step of the chain fixed at its submission.
    const gotStep = Object.fromEntries(s.responses.filter((r) => r.status === 'submitted').map((r) => [r.id, r.approvalChain.map((x) => `${x.kind}:${x.state}`).join(',')]));
    const wantStep = Object.fromEntries(
      m.responses.filter((r) => r.status === 'submitted').map((r) => [r.id, r.chain.map((a, i) => `${STEP_KIND[a]}:${i < r.step ? 'done' : i === r.step ? 'current' : 'pending'}`).join(',')]),
    );
    expect(gotStep, `${trace}: approval steps`).toEqual(wantStep);
    // 会签 pending exactly where the model says.
    const gotCs = Object.fromEntries(s.responses.map((r) => [r.id, r.countersign.pending]));
    const wantCs = Object.fromEntries(m.responses.map((r) => [r.id, r.status === 'submitted' && r.cs]));
    expect(gotCs, `${trace}: 会签 pending`).toEqual(wantCs);

    // Obligations: exactly the model's (kind, seq, status, metAt, metBy, dueAt).
    const shape = (o: ModelObligation | ObligationView) => ({
      kind: o.kind,
      seq: o.seq,
      status: o.status,
      metAt: o.metAt,
      metBy: o.metBy,
      dueAt: new Date(o.dueAt).toISOString(),
    });
    expect(sortObs(view.obligations).map(shape), `${trace}: obligations`).toEqual(sortObs(m.obligations).map(shape));

    for (const kind of required(m.level, m.category)) {
      // Closing cancels the open update and a closed case owes no more (its first may never have been met).
      if (kind === 'update' && m.status === 'closed') continue;
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

  const dueIso = (start: number, w: Window) => new Date(modelDue(start, w, periods)).toISOString();
  const nextSeq = (m: Model, kind: Kind) => Math.max(0, ...m.obligations.filter((o) => o.kind === kind).map((o) => o.seq)) + 1;

  /** The model's obligations after a level change: open ones follow the policy in force from their own start. */
  function recompute(m: Model, level: Level): void {
    const kinds = new Set(required(level, m.category));
    for (const o of m.obligations) {
      // The feedback to the forwarding office is the publication's, not the level's: re-levelling keeps it.
      if (o.status !== 'open' || o.kind === 'forward_feedback') continue;
      const spec = specOf(policy, level, m.category, o.kind);
      if (!kinds.has(o.kind) || !spec) o.status = 'cancelled';
      else o.dueAt = dueIso(o.startedAt, o.recurring ? { hours: spec.repeatEveryHours ?? spec.window.hours, unit: spec.window.unit } : spec.window);
    }
    const live = new Set(m.obligations.filter((o) => o.status !== 'cancelled').map((o) => o.kind));
    for (const kind of kinds) {
      if (live.has(kind)) continue;
      const spec = specOf(policy, level, m.category, kind)!;
      m.obligations.push({ kind, seq: nextSeq(m, kind), status: 'open', metAt: null, metBy: null, startedAt: m.clockStart, dueAt: dueIso(m.clockStart, spec.window) });
    }
    m.level = level;
  }

  /** A major case's next recurring update, counted from `from`. */
  function nextUpdate(m: Model, from: number): void {
    if (!majorTrack(m.level, m.category) || m.obligations.some((o) => o.kind === 'update' && o.status === 'open')) return;
    const spec = specOf(policy, m.level, m.category, 'update')!;
    const w: Window = { hours: spec.repeatEveryHours ?? spec.window.hours, unit: spec.window.unit };
    // (One that starts at the clock's very start cannot be told from the first update.)
    m.obligations.push({ kind: 'update', seq: nextSeq(m, 'update'), status: 'open', metAt: null, metBy: null, startedAt: from, dueAt: dueIso(from, w), recurring: from > m.clockStart });
  }

  function meet(m: Model, kinds: readonly Kind[], at: string, by: string): void {
    for (const o of m.obligations) {
      if (o.status === 'open' && kinds.includes(o.kind)) Object.assign(o, { status: 'met', metAt: at, metBy: by });
    }
  }

  interface Expect {
    status: number;
    apply?: (body: any) => void;
    noop?: boolean;
  }

  /** Runs one command against `before` (the state after the previous one); returns the state after it. */
  async function step(caseId: string, m: Model, cmd: Concrete, trace: string, before: Snapshot): Promise<Snapshot> {
    if (cmd.t === 'advance') {
      clock = new Date(clock.getTime() + cmd.hours * H);
      await refreshSessions();
      return snapshot(caseId); // time-dependent fields of the view move with the clock
    }
    const nowIso = clock.toISOString();
    const r = 'pick' in cmd && m.responses.length > 0 ? m.responses[cmd.pick % m.responses.length] : undefined;
    const rid = r?.id ?? NO_RESPONSE;
    const rBase = `/api/cases/${caseId}/responses`;
    const visible = m.leadIsA; // the handler belongs to department A (department C is only ever a co-department)
    let who: Who;
    let method = 'POST';
    let path: string;
    let body: unknown;
    let ex: Expect;

    const responseStep = (from: ResponseStatus[], to: ResponseStatus, handlerStep: boolean): Expect => {
      if (handlerStep && !visible) return { status: 404 };
      if (!r) return { status: 404 };
      if (m.status === 'closed') return { status: 409 };
      if (!from.includes(r.status)) return { status: 409 };
      return { status: 200, apply: () => void (r.status = to) };
    };

    switch (cmd.t) {
      case 'policy': {
        who = cmd.asAdmin ? 'admin' : 'duty';
        method = 'PUT';
        path = '/api/policies';
        const rules = policyOf(cmd.variant);
        // Broken: a level without its default rule (refused, 400).
        body = { rules: cmd.broken ? rules.filter((x) => !(x.level === 'general' && x.category === null)) : rules };
        if (!cmd.asAdmin) ex = { status: 403 };
        else if (cmd.broken) ex = { status: 400 };
        else
          ex = {
            status: 200,
            apply: () => {
              policy = rules;
              policyName = cmd.variant;
            },
          };
        break;
      }
      case 'level':
        who = 'duty';
        method = 'PATCH';
        path = `/api/cases/${caseId}`;
        body = cmd.reason ? { level: cmd.level, reason: '事态变化，调整级别' } : { level: cmd.level };
        // A closed case is read-only until reopened, even for a change that changes nothing.
        if (m.status === 'closed') ex = { status: 409 };
        else if (cmd.level === m.level) ex = { status: 200, noop: true };
        else if (!cmd.reason) ex = { status: 400 };
        else ex = { status: 200, apply: () => recompute(m, cmd.level) };
        break;
      case 'reassign':
        who = 'admin';
        method = 'PATCH';
        path = `/api/cases/${caseId}`;
        body = { leadDepartmentId: cmd.toA ? deptA : deptB };
        if (m.status === 'closed') ex = { status: 409 };
        else if (cmd.toA === m.leadIsA) ex = { status: 200, noop: true };
        else ex = { status: 200, apply: () => void (m.leadIsA = cmd.toA) };
        break;
      case 'draft':
        who = 'handler';
        path = rBase;
        body = { body: '经核实，已责成有关单位限期整改。' };
        if (!visible) ex = { status: 404 };
        else if (m.status === 'closed') ex = { status: 409 };
        else if (m.forwarded && !m.verified) ex = { status: 409 }; // 核实 first
        else ex = { status: 201, apply: (b: { id: string }) => void m.responses.push({ id: b.id, status: 'draft', chain: [], step: 0, cs: false }) };
        break;
      case 'edit':
        who = 'handler';
        method = 'PATCH';
        path = `${rBase}/${rid}`;
        body = { body: '修改稿' };
        ex = responseStep(['draft', 'returned'], 'draft', true);
        break;
      case 'submit': {
        who = 'handler';
        path = `${rBase}/${rid}/submit`;
        body = { secrecyConfirmed: true };
        ex = responseStep(['draft', 'returned'], 'submitted', true);
        const chain = chainOf(m.level); // fixed at submission, from the level at that moment
        const cs = countersignAsked(m);
        const applySubmit = ex.apply;
        if (applySubmit && r)
          ex.apply = (b) => {
            applySubmit(b);
            r.chain = chain;
            r.step = 0;
            r.cs = cs;
          };
        break;
      }
      case 'countersign': {
        who = cmd.asLead ? 'handler' : 'coHandler';
        path = `${rBase}/${rid}/countersign`;
        body = cmd.confirm ? { decision: 'confirm' } : { decision: 'return', comment: '口径需与我局一致' };
        const sees = cmd.asLead ? visible : m.co;
        if (!sees || !r) ex = { status: 404 };
        else if (m.status === 'closed') ex = { status: 409 };
        else if (r.status !== 'submitted' || !r.cs) ex = { status: 409 };
        else if (cmd.asLead) ex = { status: 403 };
        else if (cmd.confirm) ex = { status: 200, apply: () => void (r.cs = false) };
        else
          ex = {
            status: 200,
            apply: () => {
              r.status = 'returned';
              r.cs = false;
              r.step = 0;
            },
          };
        break;
      }
      case 'verify':
        who = 'handler';
        path = `/api/cases/${caseId}/verification`;
        body = { result: (['true', 'partly_true', 'untrue'] as const)[cmd.result % 3], note: '经现场核实' };
        if (!visible) ex = { status: 404 };
        else if (m.status === 'closed' || !m.forwarded) ex = { status: 409 };
        else ex = { status: 200, apply: () => void (m.verified = true) };
        break;
      case 'forwardReply':
        who = 'handler';
        path = `/api/cases/${caseId}/forward-replies`;
        body = { content: '已向网信办反馈办理情况' };
        if (!visible) ex = { status: 404 };
        else if (m.status === 'closed' || !m.forwarded) ex = { status: 409 };
        else
          ex = {
            status: 201,
            apply: (b: { replies: { id: string }[] }) => meet(m, ['forward_feedback'], nowIso, `forward_reply:${b.replies[b.replies.length - 1]!.id}`),
          };
        break;
      case 'return':
      case 'approve': {
        const by = APPROVERS[cmd.by % APPROVERS.length]!;
        who = by;
        path = `${rBase}/${rid}/${cmd.t}`;
        if (cmd.t === 'return') body = { comment: '请补充具体时间' };
        ex = responseStep(['submitted'], cmd.t === 'return' ? 'returned' : 'approved', false);
        if (ex.status === 200 && r) {
          // No approval step opens while the co-department signs off (会签).
          if (r.cs) ex = { status: 409 };
          // Only the people of the step the response waits at; an approval before the last step keeps it submitted.
          else if (r.chain[r.step] !== by) ex = { status: 403 };
          else if (cmd.t === 'return')
            ex.apply = () => {
              r.status = 'returned';
              r.step = 0;
            };
          else
            ex.apply = () => {
              if (r.step + 1 < r.chain.length) r.step += 1;
              else r.status = 'approved';
            };
        }
        break;
      }
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
              nextUpdate(m, clock.getTime());
              // A forwarded opinion's first publication: feedback owed to the forwarding office.
              if (m.forwarded && !m.obligations.some((o) => o.kind === 'forward_feedback')) {
                const at = clock.getTime();
                m.obligations.push({ kind: 'forward_feedback', seq: 1, status: 'open', metAt: null, metBy: null, startedAt: at, dueAt: dueIso(at, FEEDBACK_WINDOW) });
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
                  nextUpdate(m, clock.getTime());
                },
              };
        break;
    }

    const policyBefore = cmd.t === 'policy' ? await policyAudits() : 0;
    const res = await call(who, method, path, body);
    const text = await res.text();
    const what = `${trace} → ${method} ${path} as ${who}: ${res.status} ${text.slice(0, 300)}`;
    expect(res.status, `${what}: never 5xx`).toBeLessThan(500);
    expect(res.status, `${what}: model expected ${ex.status}`).toBe(ex.status);
    const after = await snapshot(caseId);
    if (cmd.t === 'policy') {
      // A policy change never moves an existing case; it is audited once, a refused one not at all.
      expect(after.raw, `${what}: a policy change changed an existing case`).toBe(before.raw);
      expect(await policyAudits(), `${what}: policy audit rows`).toBe(policyBefore + (res.status === 200 ? 1 : 0));
      if (res.status === 200) ex.apply?.(JSON.parse(text));
      return after;
    }
    if (res.status >= 400 || ex.noop) {
      expect(after.raw, `${what}: a refused or no-op command changed the case`).toBe(before.raw);
      expect(after.audits, `${what}: a refused or no-op command wrote audit rows`).toBe(before.audits);
    } else {
      ex.apply?.(JSON.parse(text));
      expect(after.audits, `${what}: a successful change wrote no audit row`).toBeGreaterThan(before.audits);
    }
    return after;
  }

  return {
    async run(open, cmds) {
      clock = opts.base;
      await refreshSessions();
      const wanted = open.policy ?? 'default';
      if (wanted !== policyName) {
        const put = await call('admin', 'PUT', '/api/policies', { rules: policyOf(wanted) });
        expect(put.status, await put.clone().text()).toBe(200);
        policy = policyOf(wanted);
        policyName = wanted;
      }
      caseSeq += 1;
      const clockStart = clock.getTime() - open.hoursAgo * H;
      const receivedAt = new Date(clockStart).toISOString();
      const res = await call('duty', 'POST', '/api/cases', {
        level: open.level,
        category: open.category,
        leadDepartmentId: deptA,
        coDepartmentIds: open.co ? [deptC] : [],
        manual: open.forwarded
          ? { origin: 'cyberspace_office', originNote: '市委网信办', title: `模型测试事件${caseSeq}`, receivedAt }
          : { origin: 'other', title: `模型测试事件${caseSeq}`, receivedAt },
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const c = (await res.json()) as CaseView;
      const m: Model = {
        level: open.level,
        category: open.category,
        status: 'open',
        clockStart,
        leadIsA: true,
        responses: [],
        forwarded: open.forwarded === true,
        verified: false,
        co: open.co === true,
        obligations: required(open.level, open.category).map((kind) => ({
          kind,
          seq: 1,
          status: 'open' as const,
          metAt: null,
          metBy: null,
          startedAt: clockStart,
          dueAt: dueIso(clockStart, specOf(policy, open.level, open.category, kind)!.window),
        })),
      };
      const history = new Map<string, { metAt: string; dueAt: string; onTime: boolean | null }>();
      let trace = `open ${open.level}/${open.category} -${open.hoursAgo}h (policy ${policyName}${open.forwarded ? ', 网信办转办' : ''}${open.co ? ', 协办 C' : ''})`;
      let s = await snapshot(c.id);
      checkAgainstModel(m, s, history, trace);
      expect(s.audits, 'opening a case is audited').toBeGreaterThan(0);
      let executed = 1;
      for (const [i, cmd] of cmds.entries()) {
        const concrete = resolve(m, cmd);
        trace = `${trace}; #${i} ${JSON.stringify(concrete)}`;
        s = await step(c.id, m, concrete, trace, s);
        checkAgainstModel(m, s, history, trace);
        executed++;
      }
      return executed;
    },
    async close() {
      await f.tdb.drop();
    },
  };
}
