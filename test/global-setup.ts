import pg from 'pg';
import { createDb } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';
import { adminUrl, TEST_AUDIT_KEY, withDatabase } from './helpers/env.js';

// Builds one migrated template database per test run (named after this process, so two runs at
// once never collide); every test file clones it (CREATE DATABASE … TEMPLATE) and drops its clone.
export default async function setup(): Promise<() => Promise<void>> {
  const template = `od_test_template_${process.pid}`;
  process.env.OD_TEST_TEMPLATE = template;
  // The audit chain's key for every connection and process of the run (db/client.ts reads it).
  process.env.AUDIT_KEY ??= TEST_AUDIT_KEY;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  // Leftovers of runs that were killed before their teardown.
  const stale = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like 'od_test_%' and datname <> $1`,
    [template],
  );
  const alive = (name: string) => {
    const m = /^od_test_template_(\d+)$/.exec(name);
    if (!m) return true; // per-file clones: their run may still be going; leave them
    try {
      process.kill(Number(m[1]), 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const { datname } of stale.rows) if (!alive(datname)) await admin.query(`drop database if exists ${datname} with (force)`);
  await admin.query(`drop database if exists ${template} with (force)`);
  await admin.query(`create database ${template}`);
  const db = createDb(withDatabase(adminUrl(), template), { max: 1 });
  await migrateToLatest(db);
  await db.destroy();
  await admin.end();
  return async () => {
    const c = new pg.Client({ connectionString: adminUrl() });
    await c.connect();
    await c.query(`drop database if exists ${template} with (force)`);
    await c.end();
  };
}
