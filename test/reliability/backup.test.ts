import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/client.js';
import { backupWithCopy, backupWithPgDump, findPgTool, inspectArchive, restore, restoreFromCopy, type Manifest } from '../../db/backup.js';
import { migrations } from '../../db/migrations/index.js';
import { verifyAuditChain, writeAudit } from '../../db/repos/audit.js';
import { NODE_FLAGS } from '../../bin/runtime.js';
import { loadConfig } from '../../platform/config.js';
import { EventHub } from '../../platform/events.js';
import { createLogger } from '../../platform/logger.js';
import { openCase } from '../../services/cases/triage.js';
import type { ModuleDeps } from '../../services/shared/deps.js';
import { seedDemoHistory } from '../../demo/history.js';
import { seedDemo, seedDemoUsers } from '../../demo/seed.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { adminUrl, withDatabase } from '../helpers/env.js';
import { recordFigure, variant } from './figures.js';

// Restore drill: a realistic database (the demo organisation and five weeks of case history written
// through the real services: cases, obligations with deadlines, responses through review,
// notifications, audit rows on the hash chain), backed up with the built-in format through
// `npm run backup` (and with pg_dump when a compatible one exists), restored into fresh empty
// databases through `npm run restore`, and compared table by table and row by row.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXTRA_AUDIT = variant(0, 50_000);

let src: TestDb;
let dir: string;
const extraDbs: { name: string; db: Db }[] = [];

async function emptyDb(label: string): Promise<{ name: string; url: string; db: Db }> {
  const name = `od_test_bk${label}_${Math.random().toString(16).slice(2, 10)}`;
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  await c.query(`create database ${name} template template0`);
  await c.end();
  const url = withDatabase(adminUrl(), name);
  const db = createDb(url, { max: 3, applicationName: 'test-backup' });
  extraDbs.push({ name, db });
  return { name, url, db };
}

/** Closes the test's pool on a database (restore refuses while other sessions are connected). */
async function release(db: Db): Promise<void> {
  const i = extraDbs.findIndex((e) => e.db === db);
  await db.destroy();
  if (i >= 0) extraDbs.splice(i, 1, { name: extraDbs[i].name, db: null as unknown as Db });
}

function cli(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, script, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

async function tableNames(db: Db): Promise<string[]> {
  const r = await sql<{ t: string }>`select tablename as t from pg_tables where schemaname = 'public' order by tablename`.execute(db);
  return r.rows.map((x) => x.t);
}

/** Every table's rows as ordered text (row → text is exact for every column type). */
async function tableDigest(db: Db): Promise<Map<string, { rows: number; text: string[] }>> {
  const out = new Map<string, { rows: number; text: string[] }>();
  await sql`set timezone = 'UTC'`.execute(db);
  for (const t of await tableNames(db)) {
    if (t.startsWith('kysely_')) continue;
    const r = await sql<{ r: string }>`select t::text as r from ${sql.table(t)} t order by 1`.execute(db);
    out.set(t, { rows: r.rows.length, text: r.rows.map((x) => x.r) });
  }
  return out;
}

interface Compared {
  mismatches: number;
  rows: number;
  details: string[];
}

/** Compares two databases: every table's rows, then cases, obligations and audit rows field by field. */
async function compare(a: Db, b: Db): Promise<Compared> {
  const [da, dbb] = [await tableDigest(a), await tableDigest(b)];
  const details: string[] = [];
  let mismatches = 0;
  let rows = 0;
  for (const [t, x] of da) {
    const y = dbb.get(t);
    if (!y) {
      mismatches += x.rows || 1;
      details.push(`${t}: missing`);
      continue;
    }
    rows += y.rows;
    const ys = new Set(y.text);
    const missing = x.text.filter((r) => !ys.has(r)).length;
    const extra = y.rows - (x.rows - missing);
    if (missing || extra) {
      mismatches += Math.max(missing, extra);
      details.push(`${t}: ${missing} missing, ${extra} extra`);
    }
  }
  for (const t of dbb.keys()) if (!da.has(t)) details.push(`${t}: unexpected table`);
  // The fields the drill promises, compared as values (not as text).
  const cases = async (db: Db) => db.selectFrom('cases').selectAll().orderBy('id').execute();
  const obligations = async (db: Db) => db.selectFrom('obligations').select(['id', 'case_id', 'kind', 'due_at', 'status']).orderBy('id').execute();
  const audit = async (db: Db) =>
    (await sql<Record<string, unknown>>`select id, at, action, before, after, chain_seq, hash from audit_log order by id`.execute(db)).rows;
  const reads: [string, (db: Db) => Promise<unknown[]>][] = [['cases', cases], ['obligations', obligations], ['audit_log', audit]];
  for (const [name, read] of reads) {
    const [x, y] = [await read(a), await read(b)];
    let bad = x.length === y.length ? 0 : Math.abs(x.length - y.length);
    x.forEach((row, i) => {
      try {
        expect(y[i]).toEqual(row);
      } catch {
        bad++;
      }
    });
    if (bad) details.push(`${name}: ${bad} rows differ`);
    mismatches += bad;
  }
  return { mismatches, rows, details };
}

async function sourceCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['cases', 'obligations', 'responses', 'notifications', 'audit_log', 'case_items'] as const) {
    const r = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(t)}`.execute(db);
    out[t] = Number(r.rows[0].n);
  }
  return out;
}

function depsFor(db: Db): ModuleDeps {
  return {
    db,
    config: loadConfig({}),
    logger: createLogger('silent', 'backup-test'),
    redis: null,
    events: new EventHub(),
    now: () => new Date(),
    emit: async () => {},
  };
}

/** Opens one case through the real service (numbering, obligations, audit). */
async function openOne(db: Db, title: string): Promise<{ id: string; number: string }> {
  const dept = await db.selectFrom('departments').select('id').orderBy('id').executeTakeFirstOrThrow();
  const duty = await db.selectFrom('users').select(['id', 'display_name']).where('username', '=', 'duty').executeTakeFirstOrThrow();
  const id = await openCase(
    depsFor(db),
    {
      manual: { origin: 'hotline', originNote: '12345 热线', url: '', title, text: `${title}：恢复演练后的新事件`, receivedAt: new Date(Date.now() - 3_600_000) },
      title,
      summary: '恢复演练',
      level: 'general',
      category: 'difficulty',
      leadDepartmentId: dept.id,
      coDepartmentIds: [],
    },
    { id: duty.id, name: duty.display_name, ip: '127.0.0.1' },
  );
  const c = await db.selectFrom('cases').select(['id', 'number']).where('id', '=', id).executeTakeFirstOrThrow();
  return { id: String(c.id), number: c.number };
}

/** Rewrites an archive's decompressed text (to build damaged and future archives). */
function rewriteArchive(from: string, to: string, edit: (text: Buffer) => Buffer): void {
  writeFileSync(to, gzipSync(edit(gunzipSync(readFileSync(from)))));
}

let archive: string;
/** The database restored by `npm run restore` (holds the source's data after that test). */
let restoredUrl = '';
let manifest: Manifest;
let backupSeconds = 0;
let restoreSeconds = 0;
const figures = { backedUp: 0, restored: 0, mismatches: 0 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'od-backup-'));
  src = await createTestDb('backup');
  await seedDemo(src.db, 'http://127.0.0.1:3100');
  await seedDemoUsers(src.db, 'drill-password-1');
  const cases = await seedDemoHistory(src.db, new Date());
  expect(cases).toBeGreaterThan(10);
  for (let done = 0; done < EXTRA_AUDIT; done += 1000) {
    await src.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 1000; i++) {
        await writeAudit(trx, { actor: null, entity: 'drill', entityId: done + i, action: 'drill.bulk', after: { n: done + i, text: '批量审计 “引号” \\ 反斜杠\n换行' } });
      }
    });
  }
}, 600_000);

afterAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  for (const e of extraDbs) {
    await e.db?.destroy().catch(() => {});
    await admin.query(`drop database if exists ${e.name} with (force)`);
  }
  await admin.end();
  await src?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore drill', () => {
  it('the source database is realistic: cases, obligations with deadlines, responses, notifications, a verified audit chain', async () => {
    const n = await sourceCounts(src.db);
    expect(n.cases).toBeGreaterThan(10);
    expect(n.obligations).toBeGreaterThan(n.cases);
    expect(n.responses).toBeGreaterThan(5);
    expect(n.notifications).toBeGreaterThan(0);
    expect(n.audit_log).toBeGreaterThan(100);
    const overdue = await src.db.selectFrom('obligations').select('id').where('status', '=', 'open').where('due_at', '<', new Date()).execute();
    const done = await src.db.selectFrom('obligations').select('id').where('status', '<>', 'open').execute();
    expect(done.length).toBeGreaterThan(0);
    expect(overdue.length + done.length).toBeGreaterThan(0);
    expect((await verifyAuditChain(src.db)).ok).toBe(true);
  });

  it('npm run backup writes a built-in archive and says what it wrote', async () => {
    archive = join(dir, 'drill.odbackup');
    const t0 = Date.now();
    const r = await cli('bin/backup.ts', ['--out', archive, '--method', 'copy'], { DATABASE_URL: src.url });
    backupSeconds = (Date.now() - t0) / 1000;
    expect(r.code, r.out).toBe(0);
    manifest = await inspectArchive(archive);
    figures.backedUp = manifest.totalRows;
    expect(r.out).toContain('备份完成 / Backup written');
    expect(r.out).toContain(archive);
    expect(r.out).toMatch(new RegExp(`表 tables\\s+${manifest.tables.length}\\b`));
    expect(r.out).toMatch(new RegExp(`行 rows\\s+${manifest.totalRows}\\b`));
    expect(manifest.migrations).toEqual(Object.keys(migrations).sort());
    expect(manifest.tables.find((t) => t.name === 'cases')!.rows).toBe((await sourceCounts(src.db)).cases);
    expect(statSync(archive).size).toBeGreaterThan(1000);
  });

  it('npm run restore loads it into an empty database: every row identical, sequences continue, the audit chain verifies', async () => {
    const target = await emptyDb('copy');
    await release(target.db);
    restoredUrl = target.url;
    const t0 = Date.now();
    const r = await cli('bin/restore.ts', [archive], { DATABASE_URL: target.url });
    restoreSeconds = (Date.now() - t0) / 1000;
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('恢复完成 / Restore finished');
    const db = createDb(target.url, { max: 3 });
    extraDbs.push({ name: `${target.name}_pool`, db });
    const cmp = await compare(src.db, db);
    figures.restored = cmp.rows;
    figures.mismatches += cmp.mismatches;
    expect(cmp.details).toEqual([]);
    expect(cmp.mismatches).toBe(0);
    expect(cmp.rows).toBe(manifest.totalRows);
    const chain = await verifyAuditChain(db);
    expect(chain).toMatchObject({ ok: true, rows: (await sourceCounts(src.db)).audit_log });

    // Sequences and the case counter continue where the source stopped.
    const maxId = await db.selectFrom('cases').select(sql<string>`max(id)::text`.as('m')).executeTakeFirstOrThrow();
    const lastNumber = await db.selectFrom('cases').select('number').orderBy('number', 'desc').executeTakeFirstOrThrow();
    const fresh = await openOne(db, '恢复后新登记的事件');
    expect(BigInt(fresh.id)).toBeGreaterThan(BigInt(maxId.m));
    const [, year, seq] = /^YQ-(\d{4})-(\d{4})$/.exec(lastNumber.number)!;
    const [, fy, fseq] = /^YQ-(\d{4})-(\d{4})$/.exec(fresh.number)!;
    if (fy === year) expect(Number(fseq)).toBe(Number(seq) + 1);
    else expect(Number(fseq)).toBe(1);
    // New audit rows extend the restored chain.
    expect((await verifyAuditChain(db)).ok).toBe(true);
    // Every serial sequence hands out ids above the largest restored one.
    const seqs = await sql<{ t: string; seq: string }>`
      with c as materialized (
        select table_name from information_schema.columns
         where table_schema = 'public' and column_name = 'id' and column_default like 'nextval(%'
      )
      select table_name as t, pg_get_serial_sequence(quote_ident(table_name), 'id') as seq from c`.execute(db);
    expect(seqs.rows.length).toBeGreaterThan(10);
    const behind: string[] = [];
    for (const { t, seq } of seqs.rows) {
      const r = await sql<{ next: string; max: string | null }>`select nextval(${seq}::regclass)::text as next, (select max(id)::text from ${sql.table(t)}) as max`.execute(db);
      if (r.rows[0].max !== null && BigInt(r.rows[0].next) <= BigInt(r.rows[0].max)) behind.push(t);
    }
    expect(behind).toEqual([]);

    // The restored database now holds data: a second restore is refused without --yes.
    await db.destroy();
    extraDbs.splice(extraDbs.findIndex((e) => e.db === db), 1);
    const again = await cli('bin/restore.ts', [archive], { DATABASE_URL: target.url });
    expect(again.code).toBe(1);
    expect(again.out).toContain('目标数据库不是空的');
    expect(again.out).toContain('--yes');
  }, 120_000);

  it('with pg_dump (when one at least as new as the server exists): the same drill through pg_dump -Fc / pg_restore', async () => {
    const tool = findPgTool('pg_dump');
    const major = Math.floor(Number((await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(src.db)).rows[0].v) / 10000);
    recordFigure({ area: 'backup', name: 'pg_dump compatible with the server found', value: tool && tool.major >= major ? 1 : 0, unit: 'bool', goal: '', met: null, detail: { tool, serverMajor: major } });
    if (!tool || tool.major < major) {
      // No compatible pg_dump: `--method pg_dump` must say so plainly instead of writing a bad file.
      const r = await cli('bin/backup.ts', ['--out', join(dir, 'x.dump'), '--method', 'pg_dump'], { DATABASE_URL: src.url, PATH: '/nonexistent', PG_BIN: '' });
      expect(r.code).toBe(1);
      expect(r.out).toContain('pg_dump');
      return;
    }
    const file = join(dir, 'drill.dump');
    const b = await backupWithPgDump(src.url, file, tool);
    expect(b.method).toBe('pg_dump');
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('PGDMP');
    const target = await emptyDb('dump');
    await release(target.db);
    const r = await restore(target.url, file);
    expect(r.method).toBe('pg_dump');
    const db = createDb(target.url, { max: 3 });
    extraDbs.push({ name: `${target.name}_pool`, db });
    const cmp = await compare(src.db, db);
    figures.mismatches += cmp.mismatches;
    expect(cmp.details).toEqual([]);
    expect((await verifyAuditChain(db)).ok).toBe(true);
    recordFigure({ area: 'backup', name: 'pg_dump path: rows restored', value: cmp.rows, unit: 'rows', goal: `= ${b.rows}`, met: cmp.rows === b.rows, detail: { backupSeconds: b.seconds, restoreSeconds: r.seconds, bytes: b.bytes } });

    // --yes replaces a database that holds data, with the built-in archive, in one transaction.
    await db.destroy();
    extraDbs.splice(extraDbs.findIndex((e) => e.db === db), 1);
    await expect(restoreFromCopy(target.url, archive)).rejects.toThrow(/不是空的[\s\S]*not empty/);
    const yes = await restoreFromCopy(target.url, archive, { yes: true });
    expect(yes.replaced).toBe(true);
    const db2 = createDb(target.url, { max: 3 });
    extraDbs.push({ name: `${target.name}_pool2`, db: db2 });
    const cmp2 = await compare(src.db, db2);
    figures.mismatches += cmp2.mismatches;
    expect(cmp2.details).toEqual([]);
    expect((await verifyAuditChain(db2)).ok).toBe(true);
  }, 120_000);

  it('refuses truncated, altered, unknown and future archives before touching the database, and rolls a misfit one back whole', async () => {
    const target = await emptyDb('bad');
    const truncated = join(dir, 'truncated.odbackup');
    const whole = readFileSync(archive);
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const altered = join(dir, 'altered.odbackup');
    rewriteArchive(archive, altered, (text) => {
      const b = Buffer.from(text);
      const off = b.indexOf('\n', b.indexOf('\nD ', b.indexOf('T {"name":"audit_log"')) + 1) + 10;
      b[off] = b[off] === 0x41 ? 0x42 : 0x41;
      return b;
    });
    const future = join(dir, 'future.odbackup');
    rewriteArchive(archive, future, (text) => {
      const at = text.lastIndexOf('\nM {');
      const end = text.indexOf('\nEND\n', at);
      const mf = JSON.parse(text.subarray(at + 3, end).toString('utf8')) as Manifest;
      mf.migrations.push('20991231_9999_future');
      return Buffer.concat([text.subarray(0, at), Buffer.from(`\nM ${JSON.stringify(mf)}`), text.subarray(end)]);
    });
    const junk = join(dir, 'junk.odbackup');
    writeFileSync(junk, 'not a backup at all\n');
    let checks = 0;
    for (const [file, zh] of [
      [truncated, '备份文件已损坏'],
      [altered, '校验和'],
      [future, '版本不匹配'],
      [junk, '无法识别'],
      [join(dir, 'missing.odbackup'), '找不到备份文件'],
    ] as const) {
      const r = await restore(target.url, file).then(
        () => null,
        (err: Error) => err,
      );
      expect(r, file).toBeInstanceOf(Error);
      expect(r!.message).toContain(zh);
      expect(r!.message).toMatch(/[A-Za-z]{4,}/); // and the English half
      checks++;
    }
    // Through the command line too: a clear bilingual message, exit code 1, no stack trace.
    const r = await cli('bin/restore.ts', [truncated, '--yes'], { DATABASE_URL: target.url });
    expect(r.code).toBe(1);
    expect(r.out).toContain('恢复失败 / Restore failed');
    expect(r.out).toContain('corrupted');
    expect(r.out).not.toMatch(/\n\s+at /);
    // Nothing was created in the target.
    expect(await tableNames(target.db)).toEqual([]);

    // An archive that passes its checksums but does not fit this schema fails half-way through
    // loading: the whole restore rolls back and the database it was replacing is intact.
    const misfit = join(dir, 'misfit.odbackup');
    rewriteArchive(archive, misfit, (text) => {
      const at = text.indexOf('T {"name":"cases"');
      const end = text.indexOf('\n', at);
      const line = text.subarray(at, end).toString('utf8').replace('"title"', '"title_v9"');
      return Buffer.concat([text.subarray(0, at), Buffer.from(line), text.subarray(end)]);
    });
    expect(restoredUrl).not.toBe('');
    const before = createDb(restoredUrl, { max: 1 });
    const snapshot = await tableDigest(before);
    await before.destroy();
    const failed = await restoreFromCopy(restoredUrl, misfit, { yes: true }).then(
      () => null,
      (err: Error) => err,
    );
    expect(failed).toBeInstanceOf(Error);
    expect(failed!.message).toContain('版本不匹配');
    expect(failed!.message).toContain('回滚');
    expect(failed!.message).toContain('rolled back');
    const after = createDb(restoredUrl, { max: 1 });
    const again = await tableDigest(after);
    await after.destroy();
    expect([...again.keys()]).toEqual([...snapshot.keys()]);
    for (const [t, v] of snapshot) expect(again.get(t)!.text, t).toEqual(v.text);
    checks++;
    recordFigure({ area: 'backup', name: 'damaged, foreign or misfit archives refused (database left as it was)', value: checks, unit: 'archives', goal: '6 of 6', met: checks === 6 });
  }, 60_000);

  it('a backup taken while the system writes is a consistent snapshot', async () => {
    const file = join(dir, 'live.odbackup');
    let stop = false;
    let written = 0;
    const writer = (async () => {
      while (!stop) {
        await src.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 20; i++) await writeAudit(trx, { actor: null, entity: 'live', entityId: written + i, action: 'live.write', after: { i } });
        });
        written += 20;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const b = await backupWithCopy(src.url, file);
    stop = true;
    await writer;
    expect(written).toBeGreaterThan(0);
    const target = await emptyDb('live');
    await release(target.db);
    await restoreFromCopy(target.url, file);
    const db = createDb(target.url, { max: 2 });
    extraDbs.push({ name: `${target.name}_pool`, db });
    // The audit rows and the chain head were read in one snapshot: the restored chain verifies.
    const chain = await verifyAuditChain(db);
    expect(chain.ok, chain.reason?.message).toBe(true);
    expect(chain.rows).toBe(b.perTable.audit_log);
    recordFigure({ area: 'backup', name: 'backup during writes: restored audit chain verifies', value: chain.ok ? 1 : 0, unit: 'bool', goal: '1', met: chain.ok, detail: { auditRowsWrittenMeanwhile: written, auditRowsInBackup: b.perTable.audit_log } });
  }, 120_000);

  afterAll(() => {
    recordFigure({ area: 'backup', name: 'rows backed up', value: figures.backedUp, unit: 'rows', goal: '', met: null, detail: { tables: manifest?.tables.length, extraAuditRows: EXTRA_AUDIT } });
    recordFigure({ area: 'backup', name: 'rows restored', value: figures.restored, unit: 'rows', goal: `= ${figures.backedUp}`, met: figures.restored === figures.backedUp && figures.backedUp > 0 });
    recordFigure({ area: 'backup', name: 'mismatches after restore', value: figures.mismatches, unit: 'rows', goal: '0', met: figures.mismatches === 0 });
    recordFigure({ area: 'backup', name: 'backup time (npm run backup, built-in format)', value: Number(backupSeconds.toFixed(2)), unit: 's', goal: '', met: null, detail: { bytes: archive ? statSync(archive).size : 0 } });
    recordFigure({ area: 'backup', name: 'restore time (npm run restore, built-in format, verified)', value: Number(restoreSeconds.toFixed(2)), unit: 's', goal: '', met: null });
  });
});
