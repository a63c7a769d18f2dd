import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../db/client.js';
import { adminUrl, templateDb, withDatabase } from './env.js';

export interface TestDb {
  db: Db;
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the migrated template. */
export async function createTestDb(label = 't'): Promise<TestDb> {
  const name = `od_test_${label.replace(/[^a-z0-9_]/gi, '').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${name} template ${templateDb()}`);
  await admin.end();
  const url = withDatabase(adminUrl(), name);
  const db = createDb(url, { max: 5, applicationName: `test-${label}` });
  return {
    db,
    url,
    name,
    async drop() {
      await db.destroy();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A unique Redis key prefix (BullMQ queue prefix) for one test file. */
export function testPrefix(label = 't'): string {
  return `odtest-${label}-${randomBytes(4).toString('hex')}`;
}
