import pg from 'pg';
import { createDb } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';
import { adminUrl, TEMPLATE_DB, withDatabase } from './helpers/env.js';

// Builds one migrated template database; every test file clones it (CREATE DATABASE … TEMPLATE).
export default async function setup(): Promise<() => Promise<void>> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [TEMPLATE_DB]);
  await admin.query(`drop database if exists ${TEMPLATE_DB}`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  const db = createDb(withDatabase(adminUrl(), TEMPLATE_DB), { max: 1 });
  await migrateToLatest(db);
  await db.destroy();
  await admin.end();
  return async () => {};
}
