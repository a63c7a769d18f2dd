import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { purgeAuditBefore, verifyAuditChain, writeAudit } from '../../db/repos/audit.js';
import { runAuditRetention } from '../../worker/jobs/audit.retention.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { adminUrl, withDatabase } from '../helpers/env.js';

// Issue 15 §1 hole 2: audit_log_purge is SECURITY DEFINER. It must not be executable by PUBLIC (a
// database login with no rights on audit_log), must refuse a cutoff later than now − 180 days
// whoever calls it, and must record every purge in the chain.

const DAY = 86_400_000;
let t: TestDb;
const intruder = `od_test_intruder_${randomBytes(4).toString('hex')}`;
let admin: pg.Client;

const count = async (where = sql`true`) => Number((await sql<{ n: string }>`select count(*)::text as n from audit_log where ${where}`.execute(t.db)).rows[0]!.n);

beforeAll(async () => {
  t = await createTestDb('auditpurge');
  admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  // A separate login role with no grants at all (the app in tests connects as the superuser).
  await admin.query(`create role ${intruder} login`);
});
afterAll(async () => {
  await t?.drop();
  await admin?.query(`drop role if exists ${intruder}`);
  await admin?.end();
});

describe('audit_log_purge', () => {
  it('cannot be run by a role without rights (not executable by PUBLIC)', async () => {
    await writeAudit(t.db, { actor: null, entity: 'test', entityId: 1, action: 'test.recent' });
    const before = await count();
    const c = new pg.Client({ connectionString: withDatabase(adminUrl(), t.name).replace('postgres@', `${intruder}@`) });
    await c.connect();
    try {
      expect((await c.query('select current_user as u')).rows[0].u).toBe(intruder);
      await expect(c.query(`select audit_log_purge(now() + interval '1 day')`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`select audit_log_purge(now() - interval '400 days')`)).rejects.toThrow(/permission denied/);
    } finally {
      await c.end();
    }
    expect(await count()).toBe(before);
  });

  it('refuses, for any caller, a cutoff later than now − 180 days: recent rows cannot be purged', async () => {
    await writeAudit(t.db, { actor: null, entity: 'test', entityId: 2, action: 'test.recent' });
    const before = await count();
    for (const cutoff of [new Date(Date.now() + DAY), new Date(), new Date(Date.now() - 179 * DAY)]) {
      await expect(purgeAuditBefore(t.db, cutoff)).rejects.toThrow(/180/);
    }
    await expect(sql`select audit_log_purge(null)`.execute(t.db)).rejects.toThrow(/180/);
    expect(await count()).toBe(before);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('a row dated long ago inserted after recent ones does not take the recent rows with it', async () => {
    const scratch = await createTestDb('auditpurge3');
    try {
      for (let i = 0; i < 3; i++) await writeAudit(scratch.db, { actor: null, entity: 'test', entityId: i, action: 'test.recent' });
      // Anyone who may insert audit rows can give one an old time; the purge must not read it as
      // "everything before this row is old".
      await sql`insert into audit_log (at, entity, entity_id, action) values (now() - interval '400 days', 'test', 'forged', 'test.forged')`.execute(scratch.db);
      expect((await runAuditRetention(scratch.db, new Date(), 180)).removed).toBe(0);
      expect(await scratch.db.selectFrom('audit_log').select('action').orderBy('chain_seq').execute()).toEqual([
        { action: 'test.recent' },
        { action: 'test.recent' },
        { action: 'test.recent' },
        { action: 'test.forged' },
      ]);
    } finally {
      await scratch.drop();
    }
  });

  it('a purge removes only rows past retention and leaves a chained audit.purge record; verify stays ok', async () => {
    // A fresh database: rows of 200 days ago first (written then), then today's.
    const scratch = await createTestDb('auditpurge2');
    try {
      const old = new Date(Date.now() - 200 * DAY);
      await sql`insert into audit_log (at, entity, entity_id, action) select ${old}::timestamptz, 'test', g::text, 'test.old' from generate_series(1, 5) g`.execute(scratch.db);
      await writeAudit(scratch.db, { actor: null, entity: 'test', entityId: 'new', action: 'test.new' });
      const r = await runAuditRetention(scratch.db, new Date(), 180);
      expect(r.removed).toBe(5);
      const rows = await scratch.db.selectFrom('audit_log').select(['action', 'chain_seq', 'after']).orderBy('chain_seq').execute();
      expect(rows.map((x) => x.action)).toEqual(['test.new', 'audit.purge']);
      const purge = rows[1]!;
      const after = purge.after as { removed: number; cutoff: string };
      expect(after.removed).toBe(5);
      expect(Math.abs(new Date(after.cutoff).getTime() - (Date.now() - 180 * DAY))).toBeLessThan(60_000);
      // Chained: it is the head of the chain, and the chain verifies.
      const head = (await sql<{ seq: string }>`select seq::text from audit_chain_head`.execute(scratch.db)).rows[0]!;
      expect(head.seq).toBe(String(purge.chain_seq));
      expect(await verifyAuditChain(scratch.db)).toEqual({ ok: true, rows: 2 });
      // Nothing left to remove: no record of a purge that removed nothing.
      expect((await runAuditRetention(scratch.db, new Date(), 180)).removed).toBe(0);
      expect(await scratch.db.selectFrom('audit_log').select('id').where('action', '=', 'audit.purge').execute()).toHaveLength(1);
    } finally {
      await scratch.drop();
    }
  });
});
