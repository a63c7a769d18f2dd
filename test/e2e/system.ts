import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../db/client.js';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { redisUrl } from '../helpers/env.js';
import { NODE_FLAGS } from '../../bin/runtime.js';

// The system exactly as `npm start` runs it (bin/start.ts: migrations, demo site and users,
// server, workers, the built dashboard), pointed at this test file's own database and Redis
// prefix, on free ports. The dashboard is built once per test run by the global setup (WEB_DIR).

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningSystem {
  baseUrl: string;
  siteUrl: string;
  db: Db;
  dbUrl: string;
  prefix: string;
  /** Everything the process printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export const DEMO_PASSWORD = 'e2e-demo-pass';

export async function startSystem(label: string, env: Record<string, string> = {}): Promise<RunningSystem> {
  const webDir = process.env.OD_TEST_WEB_DIR;
  if (!webDir) throw new Error('OD_TEST_WEB_DIR is not set: the global setup builds the dashboard');
  const t: TestDb = await createTestDb(label);
  const prefix = testPrefix(label);
  const port = await freePort();
  // Two free ports asked one after the other may be the same one (the first was closed again).
  let sitePort = await freePort();
  while (sitePort === port) sitePort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `od-e2e-${label}-`));
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [...NODE_FLAGS, 'bin/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      DEMO: '1',
      DEMO_SITE_PORT: String(sitePort),
      DEMO_PASSWORD,
      DEMO_PUBLISH_INTERVAL_MS: '2000',
      // The tests count what they create; the demo's past cases would be in every figure.
      DEMO_HISTORY: '0',
      WEB_DIR: webDir,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SCHEDULER_TICK_MS: '1000',
      CRAWL_HOST_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // A start that fails or times out must not leave the process (or its database) behind.
  const started = new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`system did not start within 90 s:\n${out}`)), 90_000);
    const check = () => {
      if (out.includes('舆情回应台已启动')) {
        clearTimeout(deadline);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(deadline);
      reject(new Error(`system exited (${code}) before it started:\n${out}`));
    });
  });
  try {
    await started;
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    await t.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    siteUrl: `http://127.0.0.1:${sitePort}`,
    db: t.db,
    dbUrl: t.url,
    prefix,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      await t.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
