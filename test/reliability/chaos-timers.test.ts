import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyFor, stepFireAt, DEFAULT_POLICY } from '../../core/workflow/index.js';
import type { EscalationStep, PolicyRule } from '../../core/workflow/types.js';
import type { Category, Level } from '../../core/vocabulary.js';
import { createDb, type Db } from '../../db/client.js';
import { createUser, sessionFor, type SignedIn } from '../helpers/auth.js';
import { recordFigure, variant } from './figures.js';
import {
  cleanupProcs,
  freePort,
  sleep,
  spawnServer,
  spawnWorker,
  startPostgres,
  startRedis,
  waitFor,
  type PgProc,
  type RedisProc,
  type ServerProc,
  type WorkerProc,
} from './procs.js';

// Deadlines under chaos (issue "prove it holds", timers). An admin policy compresses every window
// to seconds; cases are opened through the real server process at a steady pace while the server,
// the worker processes, a private Redis and a private Postgres are restarted at random (SIGKILL,
// crash-stop, clean stop; outages of a few seconds). The sweep runs every 2 s. Afterwards, for
// every obligation of every case, each step of the policy has fired exactly once: one
// escalation_fires row, one audit row, one notification (one user per target), never before its
// due time, and late by (fired_at − step due time) p99 ≤ 60 s.

const CASES = variant(150, 1000);
/** Cases are opened over this long (s); a case's steps are due WINDOW_S…WINDOW_S + AFTER_S after it opens. */
const OPEN_S = variant(25, 300);
const WINDOW_S = variant(30, 120);
const AFTER_S = variant(6, 20);
/** Mean gap between two chaos events (s). */
const CHAOS_GAP_S = variant(4, 7);
const SWEEP_MS = 2000;
const WORKERS = 2;

const hours = (s: number) => s / 3600;

/** The compressed ladder: half-way reminder, 75 % warning, breach at due, a later breach notice. */
function compressedSteps(): EscalationStep[] {
  return [
    { id: 'remind-50', trigger: { type: 'fraction', fraction: 0.5 }, target: 'handlers', onlyWithoutDraft: true, urgent: false },
    { id: 'warn-75', trigger: { type: 'fraction', fraction: 0.75 }, target: 'reviewer', urgent: false },
    { id: 'breach', trigger: { type: 'after_due', hours: 0 }, target: 'leader_in_charge', urgent: true, breach: true },
    { id: 'breach-later', trigger: { type: 'after_due', hours: hours(AFTER_S) }, target: 'principal_leader', urgent: true },
  ];
}

/** DEFAULT_POLICY with every window compressed to seconds (report half, info ¾ of the window). */
function compressedPolicy(): PolicyRule[] {
  const share: Record<string, number> = { report: 0.5, info: 0.75 };
  return DEFAULT_POLICY.map((r) => ({
    ...r,
    obligations: r.obligations.map((o) => ({
      kind: o.kind,
      window: { hours: hours(WINDOW_S * (share[o.kind] ?? 1)), unit: 'natural' as const },
      ...(o.repeatEveryHours ? { repeatEveryHours: hours(WINDOW_S) } : {}),
    })),
    escalationSteps: compressedSteps(),
  }));
}

/** A mix of tracks: ordinary (one obligation), rumour (+ referral), major (report, info, press, update). */
function kindOfCase(i: number): { level: Level; category: Category } {
  const r = i % 10;
  if (r < 6) return { level: 'general', category: 'difficulty' };
  if (r < 8) return { level: 'significant', category: 'rumour' };
  return { level: 'major', category: 'difficulty' };
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

let pgp: PgProc;
let redis: RedisProc;
let db: Db;
let server: ServerProc | null = null;
const workers: WorkerProc[] = [];
/** Background loops (chaos, supervisor) run while this is true; afterAll ends them before cleaning up. */
let running = true;
let loops: Promise<unknown>[] = [];

afterAll(async () => {
  running = false;
  await Promise.allSettled(loops);
  await Promise.all(workers.map((w) => w.kill('SIGKILL')));
  await server?.kill('SIGKILL');
  await db?.destroy().catch(() => {});
  await cleanupProcs();
}, 120_000);

/** Retries fn until it succeeds (Postgres may be restarting). */
async function retry<T>(what: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > until) throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      await sleep(250);
    }
  }
}

describe('timers under chaos', () => {
  let base = '';
  let env: Record<string, string> = {};

  beforeAll(async () => {
    [pgp, redis] = await Promise.all([startPostgres({ database: 'od_chaos_timers' }), startRedis()]);
    // A crash-stop must not lose a commit the server acknowledged (a real deployment commits
    // synchronously): make sure nothing in the instance's settings says otherwise.
    db = createDb(pgp.url, { max: 4, applicationName: 'chaos-timers-test' });
    expect((await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db)).rows[0].synchronous_commit).toBe('on');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      DATABASE_URL: pgp.url,
      REDIS_URL: redis.url,
      PORT: String(port),
      QUEUE_PREFIX: 'odchaos',
      SWEEP_INTERVAL_MS: String(SWEEP_MS),
      SCHEDULER_TICK_MS: '5000',
      DELIVER_INTERVAL_MS: '60000',
      QUIET_HOURS: 'off',
      ...(process.env.OD_TEST_WEB_DIR ? { WEB_DIR: process.env.OD_TEST_WEB_DIR } : {}),
    };
  }, 180_000);

  it(`every escalation step of ${CASES} cases fires exactly once, on time, while every process restarts at random`, async () => {
    const t0 = Date.now();
    // Users: one per escalation target, so each fire notifies exactly one person.
    const dept = (await db.insertInto('departments').values({ name: '市信访局' }).returning('id').executeTakeFirstOrThrow()).id;
    const admin = await createUser(db, { role: 'admin' });
    const duty = await createUser(db, { role: 'duty' });
    await createUser(db, { role: 'handler', departmentId: dept });
    await createUser(db, { role: 'reviewer' });
    const leader = await createUser(db, { role: 'leader', leaderRank: 'in_charge' });
    await createUser(db, { role: 'leader', leaderRank: 'principal' });
    const sessions: Record<'admin' | 'duty' | 'leader', SignedIn> = {
      admin: await sessionFor(db, admin),
      duty: await sessionFor(db, duty),
      leader: await sessionFor(db, leader),
    };

    // The same port across restarts (env.PORT wins over the one spawnServer picks).
    server = await spawnServer(env, { waitReady: false });
    for (let i = 0; i < WORKERS; i++) workers.push(await spawnWorker(env, { waitReady: false }));
    const healthy = async () => (await fetch(`${base}/api/health`).catch(() => null))?.status === 200;
    await waitFor('the server to answer', healthy, 90_000, 200);

    // The admin compresses the policy through the API.
    const policy = compressedPolicy();
    const put = await fetch(`${base}/api/policies`, {
      method: 'PUT',
      headers: sessions.admin.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ rules: policy }),
    });
    expect(put.status, await put.clone().text()).toBe(200);

    // ---- chaos: a supervisor keeps the wanted processes up; a scheduler breaks things.
    const restarts = { server: 0, worker: 0, redis: 0, postgres: 0 };
    const unexpectedExits = { server: 0, worker: 0 };
    /** The last lines of processes that exited without being told to (a server started while Postgres is down gives up). */
    const exitNotes: string[] = [];
    const replacing = new Set<number>();
    let chaosOn = true;
    let stopping = false;
    const supervisor = (async () => {
      while (!stopping && running) {
        if (server && !server.alive) {
          unexpectedExits.server++;
          exitNotes.push(`server: ${server.output().slice(-300)}`);
          server = await spawnServer(env, { waitReady: false });
        }
        for (const [i, w] of workers.entries()) {
          if (!w.alive && !replacing.has(i)) {
            unexpectedExits.worker++;
            exitNotes.push(`worker: ${w.output().slice(-300)}`);
            workers[i] = await spawnWorker(env, { waitReady: false });
          }
        }
        await sleep(500);
      }
    })();
    const kinds = ['postgres', 'redis', 'worker', 'server'] as const;
    const chaos = (async () => {
      let round: (typeof kinds)[number][] = [];
      while (chaosOn && running) {
        await sleep(CHAOS_GAP_S * 1000 * (0.5 + Math.random()));
        if (!chaosOn || !running) break;
        if (round.length === 0) round = [...kinds].sort(() => Math.random() - 0.5);
        const kind = round.shift()!;
        const outage = 1000 + Math.random() * 3000;
        if (kind === 'postgres') {
          if (Math.random() < 0.5) await pgp.kill();
          else await pgp.stop();
          await sleep(outage);
          await pgp.start();
        } else if (kind === 'redis') {
          if (Math.random() < 0.5) await redis.kill();
          else await redis.stop();
          await sleep(outage);
          await redis.start();
        } else if (kind === 'worker') {
          const i = Math.floor(Math.random() * workers.length);
          // The supervisor leaves this one alone: it counts only exits nobody caused.
          replacing.add(i);
          await workers[i].kill(Math.random() < 0.7 ? 'SIGKILL' : 'SIGTERM');
          await sleep(outage / 2);
          workers[i] = await spawnWorker(env, { waitReady: false });
          replacing.delete(i);
        } else {
          const old = server;
          server = null;
          await old?.kill('SIGKILL');
          await sleep(outage / 2);
          server = await spawnServer(env, { waitReady: false });
        }
        restarts[kind]++;
      }
    })();
    loops = [supervisor, chaos];

    // ---- cases opened through the server at a steady pace, retried across outages (never twice:
    // a retry first looks the title up, since an answer lost in a crash may hide a committed case).
    const opened: { title: string; level: Level; category: Category }[] = [];
    let openFailures = 0;
    for (let i = 0; i < CASES; i++) {
      const due = t0 + 5000 + (i * OPEN_S * 1000) / CASES;
      if (Date.now() < due) await sleep(due - Date.now());
      const { level, category } = kindOfCase(i);
      const title = `混沌测试事件 ${i}`;
      const receivedAt = new Date().toISOString();
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0) {
          const exists = await retry('look up a case', () => db.selectFrom('cases').select('id').where('title', '=', title).executeTakeFirst());
          if (exists) break;
          await sleep(300);
        }
        const res = await fetch(`${base}/api/cases`, {
          method: 'POST',
          headers: sessions.duty.headers({ 'content-type': 'application/json' }),
          body: JSON.stringify({ level, category, leadDepartmentId: dept, coDepartmentIds: [], manual: { origin: 'other', title, receivedAt } }),
          signal: AbortSignal.timeout(30_000),
        }).catch(() => null);
        if (res?.status === 201) break;
        if (res && res.status < 500 && res.status !== 401) throw new Error(`opening a case: ${res.status} ${await res.text()}`);
        openFailures++;
        if (attempt > 400) throw new Error(`could not open case ${i}`);
      }
      opened.push({ title, level, category });
    }

    // Chaos goes on until the last case's last step is due, then everything is brought back.
    const lastDue = Date.now() + (WINDOW_S + AFTER_S) * 1000;
    // (and until each kind of restart has happened at least once, on a slow machine too).
    while ((Date.now() < lastDue || Object.values(restarts).some((n) => n === 0)) && Date.now() < lastDue + 120_000) await sleep(500);
    chaosOn = false;
    await chaos;
    await pgp.start();
    await redis.start();
    const chaosEnded = Date.now();

    // ---- what the policy says must have fired, per obligation.
    const obligations = await retry('read obligations', () =>
      db
        .selectFrom('obligations as o')
        .innerJoin('cases as c', 'c.id', 'o.case_id')
        .select([sql<string>`o.id::text`.as('id'), 'o.kind', 'o.started_at', 'o.due_at', 'c.level', 'c.category', 'c.title', 'o.status'])
        .execute(),
    );
    const caseCount = await retry('count cases', async () => Number((await sql<{ n: string }>`select count(*)::text as n from cases`.execute(db)).rows[0].n));
    const expected = new Map<string, Date>(); // `${obligationId}:${stepId}` → step due time
    const kindsByTitle = new Map<string, string[]>();
    for (const o of obligations) {
      kindsByTitle.set(o.title, [...(kindsByTitle.get(o.title) ?? []), o.kind].sort());
      const steps = policyFor(policy, o.level, o.category).escalationSteps;
      for (const s of steps) {
        if (s.kinds && !s.kinds.includes(o.kind)) continue;
        expected.set(`${o.id}:${s.id}`, stepFireAt({ startedAt: o.started_at, dueAt: o.due_at, kind: o.kind, metAt: null }, s));
      }
    }
    const wrongObligations = opened.filter((c) => {
      const want = policyFor(policy, c.level, c.category).obligations.map((o) => o.kind).sort();
      return JSON.stringify(kindsByTitle.get(c.title)) !== JSON.stringify(want);
    });

    const firedCount = async () => Number((await sql<{ n: string }>`select count(*)::text as n from escalation_fires`.execute(db)).rows[0].n);
    // (Not caught up in 2 min: the figures below record what is missing, then the test fails.)
    await waitFor('the sweep to catch up after the chaos', async () => (await retry('count fires', firedCount)) >= expected.size, 120_000, 500).catch(() => {});
    const catchUpS = (Date.now() - chaosEnded) / 1000;
    await sleep(SWEEP_MS * 2); // a straggler duplicate would show up here
    stopping = true;
    await supervisor;

    // ---- exactly once: fires, audit rows, notifications.
    const fires = await db.selectFrom('escalation_fires').select([sql<string>`id::text`.as('id'), sql<string>`obligation_id::text`.as('ob'), 'step_id', 'due_at', 'fired_at']).execute();
    const firedKeys = new Map<string, number>();
    for (const f of fires) firedKeys.set(`${f.ob}:${f.step_id}`, (firedKeys.get(`${f.ob}:${f.step_id}`) ?? 0) + 1);
    const unexpected = [...firedKeys.keys()].filter((k) => !expected.has(k));
    const missed = [...expected.keys()].filter((k) => !firedKeys.has(k));
    const audits = await db
      .selectFrom('audit_log')
      .select([
        sql<string>`entity_id`.as('ob'),
        sql<string>`after->>'stepId'`.as('step'),
        sql<string>`after->>'fireId'`.as('fireId'),
        sql<string[]>`after->'notifications'`.as('notes'),
        sql<number[]>`coalesce(after->'skippedForLaterStep', '[]'::jsonb)`.as('skipped'),
      ])
      .where('action', '=', 'escalation.fire')
      .execute();
    const auditsPerFire = new Map<string, number>();
    for (const a of audits) auditsPerFire.set(a.fireId, (auditsPerFire.get(a.fireId) ?? 0) + 1);
    const noteIds = audits.flatMap((a) => a.notes.map(String));
    // A person reached by several steps of one obligation in the same tick (a sweep late after a
    // restart) is told once, by the latest step; the earlier fires record that person as skipped.
    const skippedNotices = audits.reduce((n, a) => n + a.skipped.length, 0);
    // The escalation steps' notices (opening the cases also told each lead department: not counted here).
    const notifications = await db.selectFrom('notifications').select(sql<string>`id::text`.as('id')).where('key', 'like', 'escalation.%').execute();
    const duplicateFires = [...firedKeys.values()].filter((n) => n > 1).length;
    const duplicateAudits = audits.length - auditsPerFire.size;
    const duplicateNotes = notifications.length + skippedNotices - fires.length;
    const duplicates = duplicateFires + duplicateAudits + Math.max(0, duplicateNotes);

    // ---- lateness: fired_at − the step's due time (recorded and recomputed: they must agree).
    const lateness: number[] = [];
    let early = 0;
    let dueMismatch = 0;
    for (const f of fires) {
      const want = expected.get(`${f.ob}:${f.step_id}`);
      if (want && want.getTime() !== f.due_at.getTime()) dueMismatch++;
      const late = (f.fired_at.getTime() - f.due_at.getTime()) / 1000;
      if (late < 0) early++;
      lateness.push(late);
    }
    const p50 = quantile(lateness, 0.5);
    const p99 = quantile(lateness, 0.99);
    const max = Math.max(0, ...lateness);
    const detail = { restarts, unexpectedExits, exitNotes: exitNotes.slice(0, 5), openFailures, catchUpS: Math.round(catchUpS), wallS: Math.round((Date.now() - t0) / 1000), windowS: WINDOW_S, sweepMs: SWEEP_MS };
    const fig = (name: string, value: number, unit: string, goal: string, met: boolean | null) => recordFigure({ area: 'timers', name, value, unit, goal, met, detail });
    fig('chaos: cases', caseCount, 'cases', `${CASES}`, caseCount === CASES);
    fig('chaos: escalation steps expected', expected.size, 'steps', '', null);
    fig('chaos: steps fired', firedKeys.size, 'steps', `${expected.size}`, firedKeys.size === expected.size && unexpected.length === 0);
    fig('chaos: duplicate fires / audit rows / notifications', duplicates, 'duplicates', '0', duplicates === 0);
    fig('chaos: missed steps', missed.length, 'steps', '0', missed.length === 0);
    fig('chaos: lateness p50', Math.round(p50 * 10) / 10, 's', '', null);
    fig('chaos: lateness p99', Math.round(p99 * 10) / 10, 's', '≤ 60 s', p99 <= 60);
    fig('chaos: lateness max', Math.round(max * 10) / 10, 's', '', null);
    for (const k of kinds) fig(`chaos: ${k} restarts`, restarts[k], 'restarts', '≥ 1', restarts[k] >= 1);

    expect(caseCount, 'one case per opening: none lost, none doubled by a retried request').toBe(CASES);
    expect(wrongObligations.map((c) => c.title), 'cases whose obligations differ from the policy').toEqual([]);
    expect(obligations.every((o) => o.status === 'open')).toBe(true);
    expect(missed, 'steps that never fired').toEqual([]);
    expect(unexpected, 'fires the policy does not call for').toEqual([]);
    expect(duplicateFires).toBe(0);
    expect(audits.length, 'one audit row per fire').toBe(fires.length);
    expect(new Set(audits.map((a) => a.fireId)).size).toBe(fires.length);
    expect(notifications.length + skippedNotices, 'one notification per fire (one user per target), or that user recorded as told by a later step of the same tick').toBe(fires.length);
    expect(audits.every((a) => a.notes.length + a.skipped.length === 1), 'each fire told its one user or recorded why not').toBe(true);
    expect(new Set(noteIds).size, 'every notification belongs to exactly one fire').toBe(noteIds.length);
    expect(new Set(noteIds)).toEqual(new Set(notifications.map((n) => n.id)));
    expect(early, 'steps fired before their due time').toBe(0);
    expect(dueMismatch, 'recorded step due times that differ from the policy').toBe(0);
    expect(p99, `lateness p99 (s); restarts ${JSON.stringify(restarts)}`).toBeLessThanOrEqual(60);
    for (const k of kinds) expect(restarts[k], `${k} restarts`).toBeGreaterThanOrEqual(1);

    // The restarted server serves what the restarted workers wrote: the leader in charge sees one
    // breach notification per obligation.
    await waitFor('the server to answer', healthy, 60_000, 200);
    const breaches = [...firedKeys.keys()].filter((k) => k.endsWith(':breach')).length;
    expect(breaches).toBe(obligations.length);
    const mine = await fetch(`${base}/api/notifications?limit=1`, { headers: sessions.leader.headers() });
    expect(mine.status).toBe(200);
    // A worker started on a working day after 08:00 also makes that day's 舆情日报 and tells the
    // leaders (once, whatever the restarts): unread = the breaches + that brief's notice.
    const briefs = Number(
      (await sql<{ n: string }>`select count(*)::text as n from notifications where key = 'report.daily_brief' and user_id = (select id from users where role = 'leader' and leader_rank = 'in_charge')`.execute(db)).rows[0]!.n,
    );
    expect(briefs).toBeLessThanOrEqual(1);
    expect(((await mine.json()) as { unreadCount: number }).unreadCount).toBe(breaches + briefs);
  }, variant(300_000, 1_500_000));
});
