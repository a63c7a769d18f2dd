import { createDb } from '../db/client.js';
import { resolveAuditKey } from '../platform/audit-key.js';
import { migrateToLatest } from '../db/migrate.js';
import { startWorker } from '../worker/main.js';
import { StartupError } from './local-services.js';
import { boot, fail, onShutdown } from './boot.js';

// A worker process alone, for scaling out: point it at the shared Postgres and Redis.
const { config, logger } = boot('worker');
try {
  if (!config.DATABASE_URL || !config.REDIS_URL) {
    throw new StartupError('npm run worker 需要设置 DATABASE_URL 和 REDIS_URL（指向共享的 Postgres 与 Redis）。\nnpm run worker needs DATABASE_URL and REDIS_URL pointing at the shared Postgres and Redis.');
  }
  const db = createDb(config.DATABASE_URL, { applicationName: 'opinion-desk-worker', auditKey: resolveAuditKey(config) });
  await migrateToLatest(db);
  const worker = await startWorker({ config, db, redisUrl: config.REDIS_URL, logger });
  onShutdown(logger, async () => {
    await worker.close();
    await db.destroy();
  });
} catch (err) {
  fail(logger, err);
}
