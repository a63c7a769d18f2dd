// A worker process for tests that kill it: `tsx test/helpers/worker-proc.ts` with the test's
// DATABASE_URL, REDIS_URL and QUEUE_PREFIX in the environment.
import { createDb } from '../../db/client.js';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { startWorker } from '../../worker/main.js';
import { TEST_AUDIT_KEY } from './env.js';

const config = loadConfig();
// The tests that fork it pass an environment of their own: the test key unless they give one.
const db = createDb(config.DATABASE_URL!, { auditKey: config.AUDIT_KEY ?? TEST_AUDIT_KEY });
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
