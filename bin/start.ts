import { Redis } from 'ioredis';
import { createDb, type Db } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';
import { resolveAuditKey } from '../platform/audit-key.js';
import { startServer } from '../server/main.js';
import { startWorker } from '../worker/main.js';
import { startFixtureSite } from '../demo/site.js';
import { DEMO_USERS, seedDemo, seedDemoUsers } from '../demo/seed.js';
import { seedDemoHistory } from '../demo/history.js';
import { seedDemoRoster } from '../demo/roster.js';
import { ensureLocalRedis, startEmbeddedPostgres } from './local-services.js';
import { boot, fail, onShutdown } from './boot.js';
import { ensureWebBuilt } from './web-build.js';
import { webDir } from './web-dir.js';

// `npm start`: the whole system on one machine — database, Redis, migrations, HTTP server,
// workers and scheduler, and (unless DEMO=0) the demo organisation with its fixture site.
const { config, logger } = boot('start');
const stops: (() => Promise<void>)[] = [];
const stopAll = async () => {
  for (const stop of stops.reverse()) await stop().catch((err) => logger.warn({ err: String(err) }, 'Error while stopping'));
};
onShutdown(logger, stopAll);

try {
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres(config.DATA_DIR, logger);
    stops.push(pg.stop);
    databaseUrl = pg.url;
  }
  let redisUrl = config.REDIS_URL;
  if (!redisUrl) {
    const redis = await ensureLocalRedis(config.DATA_DIR, logger);
    stops.push(redis.stop);
    redisUrl = redis.url;
  }
  const db: Db = createDb(databaseUrl, { max: config.DB_POOL_MAX, applicationName: 'opinion-desk', auditKey: resolveAuditKey(config) });
  stops.push(() => db.destroy());
  const applied = await migrateToLatest(db);
  if (applied.length) logger.info({ applied }, 'Migrations applied');

  if (config.DEMO) {
    const site = await startFixtureSite({
      port: config.DEMO_SITE_PORT,
      host: '127.0.0.1',
      extraHosts: ['127.0.0.2'],
      publishIntervalMs: config.DEMO_PUBLISH_INTERVAL_MS,
    });
    stops.push(() => site.close());
    await seedDemo(db, site.url, site.extraUrls[0]);
    const created = await seedDemoUsers(db, config.DEMO_PASSWORD);
    if (created.length) logger.info({ users: created }, 'Demo users created');
    const cases = config.DEMO_HISTORY ? await seedDemoHistory(db, new Date()) : 0;
    if (cases) logger.info({ cases }, 'Demo case history created');
    const rosterRows = config.DEMO_HISTORY ? await seedDemoRoster(db, new Date(), config.DEMO_PASSWORD) : 0;
    if (rosterRows) logger.info({ rows: rosterRows }, 'Demo duty roster filled');
    logger.info({ url: site.url }, 'Demo fixture site running');
  }

  try {
    if (!config.WEB_DIR) await ensureWebBuilt((msg) => logger.info(msg));
  } catch (err) {
    logger.error({ err: String(err) }, '前端控制台构建失败，仅提供接口 / dashboard build failed; serving the API only');
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'Redis connection error'));
  stops.push(async () => redis.disconnect());
  const server = await startServer({ config, db, redis, logger, webDir: webDir(config.WEB_DIR) });
  stops.push(() => server.close());
  const worker = await startWorker({ config, db, redisUrl, logger });
  stops.push(() => worker.close());

  const base = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${server.port}`;
  console.log(
    [
      '',
      '舆情回应台已启动 / Opinion Desk is running',
      `  控制台 dashboard     ${base}/   （用浏览器打开 / open in a browser）`,
      `  接口 API            ${base}/api/health`,
      `  实时预警 live alerts ${base}/api/events`,
      `  接口文档 OpenAPI     ${base}/api/openapi.json`,
      config.DEMO ? `  演示站点 demo site  http://127.0.0.1:${config.DEMO_SITE_PORT}/` : '  演示已关闭 demo off (DEMO=0)',
      ...(config.DEMO
        ? [
            `  演示账号 demo users  ${DEMO_USERS.map((u) => u.username).join(', ')}`,
            `  演示密码 password    ${config.DEMO_PASSWORD}   (DEMO_PASSWORD；已存在的账号不会被修改 / existing accounts are left as they are)`,
          ]
        : ['  首个管理员 first admin: npm run create-admin']),
      '  按 Ctrl+C 停止 / press Ctrl+C to stop',
      '',
    ].join('\n'),
  );
} catch (err) {
  await stopAll();
  fail(logger, err);
}
