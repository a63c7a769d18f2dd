import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BackupError } from '../db/backup.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { EMBEDDED_PG_PORT, postgresAnswers, startEmbeddedPostgres } from './local-services.js';

// The database npm run backup / restore work on: DATABASE_URL when set, else the embedded
// Postgres `npm start` keeps under DATA_DIR — used as it is when the system is running, started
// for the duration of the command (and stopped again) when it is not.

export interface Target {
  url: string;
  /** How the database was found, for the summary. */
  label: string;
  close(): Promise<void>;
}

export async function resolveTarget(config: Config, logger: Logger): Promise<Target> {
  if (config.DATABASE_URL) {
    const u = new URL(config.DATABASE_URL);
    return { url: config.DATABASE_URL, label: `DATABASE_URL (${u.hostname}:${u.port || 5432}${u.pathname})`, close: async () => {} };
  }
  const root = resolve(config.DATA_DIR);
  const pgDir = join(root, 'pg');
  const secretFile = join(root, 'pg.secret');
  if (!existsSync(join(pgDir, 'PG_VERSION')) || !existsSync(secretFile)) {
    throw new BackupError(
      `未找到内置数据库（${pgDir}）。请在 npm start 所用的目录中运行，或用 DATA_DIR / DATABASE_URL 指定数据库。\n` +
        `No embedded database found in ${pgDir}. Run this where npm start runs, or set DATA_DIR or DATABASE_URL.`,
    );
  }
  const password = readFileSync(secretFile, 'utf8').trim();
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${EMBEDDED_PG_PORT}/opinion_desk`;
  if (await postgresAnswers(url)) return { url, label: `内置数据库 embedded Postgres (running, ${pgDir})`, close: async () => {} };
  logger.info({ dir: pgDir }, 'Starting the embedded Postgres for this command');
  const local = await startEmbeddedPostgres(config.DATA_DIR, logger);
  return { url: local.url, label: `内置数据库 embedded Postgres (started for this command, ${pgDir})`, close: () => local.stop() };
}
