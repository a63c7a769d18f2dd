// Load generation for the reliability suite (area "load"): the system's own entry points spawned as
// production runs them (node + bin/runtime.ts NODE_FLAGS + bin/server.ts / bin/worker.ts), a seeded
// dashboard database with users of every role, and a dashboard request mix driven by autocannon.
//
//   const srv = await spawnSystemProcess('bin/server.ts', { DATABASE_URL, REDIS_URL, QUEUE_PREFIX, PORT });
//   const fx = await seedDashboard(db, { cases: 10_000 });
//   const r = await runDashboardLoad({ base, plan: dashboardPlan(fx), connections: 50, durationS: 10 });
//   await stopAll(); // in afterAll: every process spawned here, even after a failed test
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { Role } from '../../core/vocabulary.js';
import { NODE_FLAGS } from '../../bin/runtime.js';
import { sessionFor, TEST_PASSWORD, type SignedIn } from '../helpers/auth.js';
import { hashPassword } from '../../services/users/password.js';
import { seedCases } from '../reports/seed.js';
import { waitFor } from './procs.js';
import { mulberry32 } from '../../core/random.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// ---------------------------------------------------------------- processes

export interface SystemProcess {
  pid: number;
  child: ChildProcess;
  readonly alive: boolean;
  /** The last ~16 KB of stdout + stderr. */
  output(): string;
  /** SIGTERM, then SIGKILL after graceMs; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const spawned = new Set<SystemProcess>();

/** Spawns `node NODE_FLAGS <entry>` from the project root with process.env plus env (extraFlags: e.g. --cpu-prof). */
export function spawnSystemProcess(entry: string, env: Record<string, string>, extraFlags: string[] = []): SystemProcess {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...extraFlags, entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-16_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const p: SystemProcess = {
    pid: child.pid!,
    child,
    get alive() {
      return alive();
    },
    output: () => out,
    async stop(graceMs = 15_000) {
      if (alive()) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(t);
      }
      spawned.delete(p);
    },
  };
  spawned.add(p);
  return p;
}

/** Stops every process spawned here (in afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...spawned].map((p) => p.stop(5000)));
}

// A crashed test runner must not leave servers behind.
process.once('exit', () => {
  for (const p of spawned) if (p.alive) p.child.kill('SIGKILL');
});

/** Polls GET /api/health until it answers 200 (or the process dies). */
export async function waitHealthy(base: string, proc: SystemProcess, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${base}/api/health`,
    async () => {
      if (!proc.alive) return 'exited';
      const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
      return r.status === 200;
    },
    timeoutMs,
    200,
  );
  if (!proc.alive) throw new Error(`process exited before it was healthy:\n${proc.output()}`);
}

/** Resident set size of a process in MB (Linux /proc/<pid>/status VmRSS). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

// ---------------------------------------------------------------- seed

export interface LoadUser {
  id: number;
  role: Role;
  departmentId: number | null;
  session: SignedIn;
  /** This user's notifications (ids), to mark read. */
  notificationIds: string[];
}

export interface DashboardFixture {
  users: LoadUser[];
  /** Case ids by lead department. */
  casesByDept: Map<number, string[]>;
  allCaseIds: string[];
  departments: number[];
  /** The month GET /api/stats asks for (YYYY-MM-DD, Shanghai days). */
  month: { from: string; to: string };
  counts: { cases: number; items: number; alerts: number; notifications: number };
}

/** 50 users by default: the roles a city's office has, handlers spread over departments. */
export const ROLE_MIX: Record<Role, number> = { duty: 8, handler: 24, reviewer: 6, leader: 6, admin: 6 };

/**
 * `cases` cases (seedCases: spread over the last 90 days, 40 % open, departments, obligations,
 * responses, feedback, evidence; 3 items per case and an alert for every other case), users of
 * every role with a session each (sessionFor), 60 notifications per user (a third unread).
 */
export async function seedDashboard(db: Db, o: { cases: number; handlerDepartments?: number }): Promise<DashboardFixture> {
  const now = new Date();
  const spanHours = 90 * 24;
  await seedCases(db, { cases: o.cases, from: new Date(now.getTime() - spanHours * 3600_000), spanHours, departments: 20, itemsPerCase: 3, now });
  const departments = (await db.selectFrom('departments').select('id').orderBy('id').execute()).map((r) => r.id);
  const handlerDepts = departments.slice(0, o.handlerDepartments ?? 8);
  const users: LoadUser[] = [];
  let h = 0;
  const passwordHash = await hashPassword(TEST_PASSWORD); // one argon2 hash for all: sessions skip the login
  for (const [role, n] of Object.entries(ROLE_MIX) as [Role, number][]) {
    for (let i = 0; i < n; i++) {
      const departmentId = role === 'handler' ? handlerDepts[h++ % handlerDepts.length] : null;
      const username = `load_${role}_${i}`;
      const u = await db
        .insertInto('users')
        .values({ username, display_name: username, role, department_id: departmentId, password_hash: passwordHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      users.push({ id: u.id, role, departmentId, session: await sessionFor(db, u), notificationIds: [] });
    }
  }
  await sql`
    insert into notifications (user_id, case_id, kind, title, body, urgent, created_at, read_at)
    select u.id, null, 'reminder', '催办提醒 ' || g, '请尽快处理', g % 10 = 0, now() - g * interval '1 hour',
      case when g % 3 = 0 then null else now() - g * interval '1 hour' + interval '10 minutes' end
    from users u, generate_series(1, 60) g where u.username like 'load_%'`.execute(db);
  const notes = await db.selectFrom('notifications').select(['id', 'user_id']).where('read_at', 'is', null).execute();
  const byUser = new Map(users.map((u) => [u.id, u]));
  for (const n of notes) byUser.get(n.user_id)?.notificationIds.push(String(n.id));
  const cases = await db.selectFrom('cases').select(['id', 'lead_department_id']).execute();
  const casesByDept = new Map<number, string[]>();
  for (const c of cases) {
    const list = casesByDept.get(c.lead_department_id) ?? [];
    list.push(String(c.id));
    casesByDept.set(c.lead_department_id, list);
  }
  const count = async (table: 'items' | 'alerts' | 'notifications') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  // Last whole month in Asia/Shanghai.
  const sh = new Date(now.getTime() + 8 * 3600_000);
  const first = new Date(Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth(), 0));
  await sql`vacuum analyze`.execute(db);
  return {
    users,
    casesByDept,
    allCaseIds: cases.map((c) => String(c.id)),
    departments,
    month: { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) },
    counts: { cases: cases.length, items: await count('items'), alerts: await count('alerts'), notifications: await count('notifications') },
  };
}

// ---------------------------------------------------------------- the request mix

export type RequestKind = 'alerts' | 'open_cases' | 'ledger' | 'case_detail' | 'stats' | 'unread' | 'mark_read' | 'feedback';

export interface PlannedRequest {
  kind: RequestKind;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}


/** What each role's screens ask for, with weights (a dashboard polls; writes are a small share). */
const MIX: Record<Role, [RequestKind, number][]> = {
  duty: [['alerts', 30], ['unread', 20], ['ledger', 15], ['open_cases', 10], ['case_detail', 15], ['stats', 5], ['mark_read', 5]],
  handler: [['open_cases', 30], ['unread', 20], ['ledger', 15], ['case_detail', 25], ['mark_read', 5], ['feedback', 5]],
  reviewer: [['ledger', 25], ['case_detail', 25], ['alerts', 10], ['unread', 15], ['stats', 10], ['open_cases', 5], ['feedback', 5], ['mark_read', 5]],
  leader: [['stats', 30], ['ledger', 25], ['alerts', 10], ['case_detail', 15], ['unread', 15], ['mark_read', 5]],
  admin: [['ledger', 25], ['alerts', 15], ['case_detail', 20], ['stats', 10], ['unread', 15], ['open_cases', 10], ['mark_read', 5]],
};

/**
 * A fixed, shuffled script of `size` requests: users take turns (round robin), each request drawn
 * from its role's mix, with ids the user may see (a handler's cases are its department's).
 */
export function dashboardPlan(fx: DashboardFixture, size = 20_000, seed = 1): PlannedRequest[] {
  const rand = mulberry32(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)];
  const q = (p: Record<string, string>) => new URLSearchParams(p).toString();
  const ledgerQueries: Record<string, string>[] = [
    { sort: 'openedAt', dir: 'desc', limit: '50' },
    { status: 'open', level: 'major', sort: 'openedAt', dir: 'desc', limit: '50' },
    { from: `${fx.month.from}T00:00:00+08:00`, to: `${fx.month.to}T23:59:59+08:00`, category: 'rumour', sort: 'clockStartedAt', dir: 'desc', limit: '50' },
    { departmentId: '', sort: 'dueAt', dir: 'asc', limit: '50' },
    { q: '停水', sort: 'openedAt', dir: 'desc', limit: '50' },
    { overdue: 'true', sort: 'dueAt', dir: 'asc', limit: '50' },
    { status: 'responded', sort: 'level', dir: 'desc', limit: '50' },
  ];
  const out: PlannedRequest[] = [];
  for (let i = 0; i < size; i++) {
    const u = fx.users[i % fx.users.length];
    const mix = MIX[u.role];
    let r = rand() * mix.reduce((s, [, w]) => s + w, 0);
    let kind = mix[0][0];
    for (const [k, w] of mix) {
      if ((r -= w) < 0) {
        kind = k;
        break;
      }
    }
    const visible = u.role === 'handler' ? (fx.casesByDept.get(u.departmentId!) ?? []) : fx.allCaseIds;
    const get = (path: string): PlannedRequest => ({ kind, method: 'GET', path, headers: u.session.headers() });
    switch (kind) {
      case 'alerts':
        out.push(get('/api/alerts?status=new&limit=50'));
        break;
      case 'open_cases':
        out.push(get(`/api/cases?${q({ status: 'open', sort: 'dueAt', dir: 'asc', limit: '50' })}`));
        break;
      case 'ledger': {
        const l = { ...pick(ledgerQueries) };
        if ('departmentId' in l) l.departmentId = String(u.departmentId ?? pick(fx.departments));
        out.push(get(`/api/cases?${q(l)}`));
        break;
      }
      case 'case_detail':
        out.push(get(`/api/cases/${pick(visible)}`));
        break;
      case 'stats':
        out.push(get(`/api/stats?${q(fx.month)}`));
        break;
      case 'unread':
        out.push(get('/api/notifications?limit=1&unread=1'));
        break;
      case 'mark_read':
        out.push({ kind, method: 'POST', path: `/api/notifications/${pick(u.notificationIds)}/read`, headers: u.session.headers() });
        break;
      case 'feedback':
        out.push({
          kind,
          method: 'POST',
          path: `/api/cases/${pick(visible)}/feedback`,
          headers: u.session.headers({ 'content-type': 'application/json' }),
          body: JSON.stringify({ kind: 'reaction', body: `压测反馈 ${i}：网民反应趋于平稳` }),
        });
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------- autocannon

interface AutocannonContext {
  kind?: RequestKind;
  t0?: number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest, context: AutocannonContext) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: AutocannonContext) => void;
}
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p97_5: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult> & { stop?: () => void };
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface KindStats {
  count: number;
  non2xx: number;
  p50: number;
  p95: number;
  p99: number;
  /** Up to 3 distinct "status path" samples of failures. */
  failures: string[];
}

export interface LoadResult {
  requests: number;
  durationS: number;
  reqPerS: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Non-2xx answers + connection errors + timeouts. */
  errors: number;
  non2xx: number;
  connErrors: number;
  timeouts: number;
  byKind: Record<string, KindStats>;
  statusCodes: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * `connections` keep-alive connections for durationS, each request the next of `plan` (so the
 * users' sessions take turns on every connection). Latency percentiles are measured per request
 * from send to the end of the answer (milliseconds, fractional).
 */
export async function runDashboardLoad(o: { base: string; plan: PlannedRequest[]; connections: number; durationS: number; timeoutS?: number }): Promise<LoadResult> {
  const lat: number[] = [];
  const perKind = new Map<RequestKind, { lat: number[]; non2xx: number; failures: Set<string> }>();
  let next = 0;
  const request: AutocannonRequest = {
    setupRequest(req, context) {
      const p = o.plan[next++ % o.plan.length];
      context.kind = p.kind;
      context.t0 = performance.now();
      (context as Record<string, unknown>).path = p.path;
      return { ...req, method: p.method, path: p.path, headers: p.headers, body: p.body };
    },
    onResponse(status, body, context) {
      if (!context.kind || context.t0 === undefined) return;
      const ms = performance.now() - context.t0;
      lat.push(ms);
      let k = perKind.get(context.kind);
      if (!k) perKind.set(context.kind, (k = { lat: [], non2xx: 0, failures: new Set() }));
      k.lat.push(ms);
      if (status < 200 || status >= 300) {
        k.non2xx++;
        if (k.failures.size < 3) k.failures.add(`${status} ${String((context as Record<string, unknown>).path)} ${body.slice(0, 200)}`);
      }
    },
  };
  const u = new URL(o.base);
  const started = performance.now();
  const res = await autocannon({
    url: o.base,
    hostname: u.hostname,
    port: Number(u.port),
    connections: o.connections,
    duration: o.durationS,
    timeout: o.timeoutS ?? 10,
    pipelining: 1,
    requests: [request],
  });
  const durationS = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  const byKind: Record<string, KindStats> = {};
  for (const [kind, k] of perKind) {
    k.lat.sort((a, b) => a - b);
    byKind[kind] = { count: k.lat.length, non2xx: k.non2xx, p50: round(percentile(k.lat, 50)), p95: round(percentile(k.lat, 95)), p99: round(percentile(k.lat, 99)), failures: [...k.failures] };
  }
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(res.statusCodeStats ?? {})) statusCodes[code] = s.count;
  return {
    requests: res.requests.total,
    durationS: round(durationS),
    reqPerS: round(res.requests.total / res.duration),
    p50: round(percentile(lat, 50)),
    p95: round(percentile(lat, 95)),
    p99: round(percentile(lat, 99)),
    max: round(lat[lat.length - 1] ?? NaN),
    // autocannon counts a timeout as an error too.
    errors: res.non2xx + res.errors,
    non2xx: res.non2xx,
    connErrors: res.errors - res.timeouts,
    timeouts: res.timeouts,
    byKind,
    statusCodes,
  };
}
