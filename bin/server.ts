import { Redis } from 'ioredis';
import { createDb } from '../db/client.js';
import { resolveAuditKey } from '../platform/audit-key.js';
import { migrateToLatest } from '../db/migrate.js';
import { startServer } from '../server/main.js';
import { StartupError } from './local-services.js';
import { boot, fail, onShutdown } from './boot.js';
import { webDir } from './web-dir.js';

// The HTTP server alone, for scaling out behind a load balancer: point it at the shared Postgres and Redis.
const { config, logger } = boot('server');
try {
  if (!config.DATABASE_URL || !config.REDIS_URL) {
    throw new StartupError('npm run server 需要设置 DATABASE_URL 和 REDIS_URL（指向共享的 Postgres 与 Redis）。\nnpm run server needs DATABASE_URL and REDIS_URL pointing at the shared Postgres and Redis.');
  }
  const db = createDb(config.DATABASE_URL, { applicationName: 'opinion-desk-server', max: config.DB_POOL_MAX, auditKey: resolveAuditKey(config) });
  await migrateToLatest(db);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'Redis connection error'));
  const server = await startServer({ config, db, redis, logger, webDir: webDir(config.WEB_DIR) });
  logger.info({ port: server.port }, 'Server listening');
  onShutdown(logger, async () => {
    await server.close();
    redis.disconnect();
    await db.destroy();
  });
} catch (err) {
  fail(logger, err);
}
