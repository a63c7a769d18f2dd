// A worker process for tests that kill it: `tsx test/helpers/worker-proc.ts` with the test's
// DATABASE_URL, REDIS_URL and QUEUE_PREFIX in the environment.
import { createDb } from '../../db/client.js';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { startWorker } from '../../worker/main.js';

const config = loadConfig();
const db = createDb(config.DATABASE_URL!);
const worker = await startWorker({
  config,
  db,
  redisUrl: config.REDIS_URL!,
  logger: createLogger(config.LOG_LEVEL, 'test-worker'),
  settings: { leaseMs: Number(process.env.TEST_LEASE_MS ?? 60_000), timeoutMs: 10_000 },
});
process.send?.('ready');
process.on('SIGTERM', async () => {
  await worker.close();
  await db.destroy();
  process.exit(0);
});
