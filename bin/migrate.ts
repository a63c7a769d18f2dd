import { createDb } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';
import { boot, fail } from './boot.js';

const { config, logger } = boot('migrate');
if (!config.DATABASE_URL) fail(logger, new Error('DATABASE_URL is required for npm run migrate'));
const db = createDb(config.DATABASE_URL);
try {
  const applied = await migrateToLatest(db);
  logger.info({ applied }, 'Migrations applied');
} catch (err) {
  fail(logger, err);
} finally {
  await db.destroy();
}
