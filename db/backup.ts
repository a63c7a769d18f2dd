import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, closeSync, createReadStream, createWriteStream, existsSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createGunzip, createGzip } from 'node:zlib';
import { Kysely, Migrator, PostgresDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { migrations } from './migrations/index.js';

// Backup and restore of the application database (npm run backup / npm run restore).
//
// Two formats:
//  - pg_dump's custom format (-Fc), used when a pg_dump at least as new as the server is found
//    (PG_BIN, PATH, /usr/lib/postgresql/*/bin: the newest wins);
//  - a logical archive that needs no external tool (the embedded Postgres ships no pg_dump):
//    gzip of a framed stream — a header, each table's `COPY … TO STDOUT` data (ordered by primary
//    key, in chunks), a per-table end record (rows, sha256) and a final manifest (format version,
//    migrations applied, per-table row counts and checksums, sequence positions).
// A logical archive is read twice on restore: once to check it whole (a truncated or altered
// archive is refused before the database is touched), once to load it, in one transaction that
// also recreates the schema and re-reads every table to compare with the manifest before COMMIT.

export const ARCHIVE_MAGIC = 'OPINION-DESK-BACKUP';
export const ARCHIVE_FORMAT = 1;
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);
const MAX_LINE = 64 * 1024 * 1024;

/** A failure with a message fit to print as it is (Chinese first, then English). */
export class BackupError extends Error {}

export interface TableEntry {
  name: string;
  columns: string[];
  rows: number;
  sha256: string;
}

export interface SequenceEntry {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

export interface Manifest {
  app: 'opinion-desk';
  format: number;
  createdAt: string;
  serverVersion: string;
  migrations: string[];
  tables: TableEntry[];
  sequences: SequenceEntry[];
  totalRows: number;
}

export interface BackupResult {
  file: string;
  method: 'copy' | 'pg_dump';
  bytes: number;
  tables: number;
  rows: number;
  perTable: Record<string, number>;
  seconds: number;
  tool?: string;
}

export interface RestoreResult {
  file: string;
  method: 'copy' | 'pg_dump';
  tables: number;
  rows: number;
  perTable: Record<string, number>;
  migrationsApplied: string[];
  replaced: boolean;
  seconds: number;
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

// ——— session and catalogue helpers ———

/** Output settings that make COPY text identical whatever the server's defaults. */
async function normaliseSession(c: pg.Client): Promise<void> {
  await c.query(`set timezone = 'UTC'; set datestyle = 'ISO, YMD'; set intervalstyle = 'postgres'; set extra_float_digits = 3; set client_encoding = 'UTF8'`);
}

async function connect(url: string, appName: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: appName, connectionTimeoutMillis: 10_000 });
  c.on('error', () => {});
  try {
    await c.connect();
  } catch (err) {
    throw new BackupError(
      `无法连接数据库：${errText(err)}\n请确认数据库已启动、地址与口令正确（DATABASE_URL）。\n` +
        `Cannot connect to the database: ${errText(err)}. Check that it is running and that DATABASE_URL is right.`,
    );
  }
  return c;
}

function errText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return err.errors.map((e) => errText(e)).join('; ');
  return err instanceof Error ? err.message : String(err);
}

async function serverMajor(c: pg.Client): Promise<{ major: number; version: string }> {
  const r = await c.query<{ num: string; v: string }>(`select current_setting('server_version_num') as num, current_setting('server_version') as v`);
  return { major: Math.floor(Number(r.rows[0].num) / 10000), version: r.rows[0].v };
}

interface TableInfo {
  name: string;
  columns: string[];
  orderBy: string;
}

/** The application's tables (schema public, migrations' own tables aside), parents before children. */
async function listTables(c: pg.Client): Promise<TableInfo[]> {
  const tables = await c.query<{ name: string; oid: number }>(
    `select c.relname as name, c.oid::int as oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`,
  );
  const cols = await c.query<{ table: string; name: string }>(
    `select c.relname as table, a.attname as name from pg_attribute a
       join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      order by c.relname, a.attnum`,
  );
  const pks = await c.query<{ table: string; name: string }>(
    `select c.relname as table, a.attname as name from pg_index i
       join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey::int2[])
      where n.nspname = 'public' and i.indisprimary
      order by c.relname, array_position(i.indkey::int2[], a.attnum)`,
  );
  const fks = await c.query<{ child: string; parent: string }>(
    `select ch.relname as child, pa.relname as parent from pg_constraint k
       join pg_class ch on ch.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
       join pg_namespace n on n.oid = ch.relnamespace
      where k.contype = 'f' and n.nspname = 'public' and ch.oid <> pa.oid`,
  );
  const infos = new Map<string, TableInfo>();
  for (const t of tables.rows) {
    if (MIGRATION_TABLES.has(t.name)) continue;
    const columns = cols.rows.filter((r) => r.table === t.name).map((r) => r.name);
    const pk = pks.rows.filter((r) => r.table === t.name).map((r) => quoteIdent(r.name));
    infos.set(t.name, { name: t.name, columns, orderBy: pk.length ? pk.join(', ') : '(t.*)::text' });
  }
  // Parents first (a stable topological order; cycles fall back to name order).
  const parents = new Map<string, Set<string>>();
  for (const name of infos.keys()) parents.set(name, new Set());
  for (const fk of fks.rows) if (infos.has(fk.child) && infos.has(fk.parent)) parents.get(fk.child)!.add(fk.parent);
  const ordered: TableInfo[] = [];
  const done = new Set<string>();
  const names = [...infos.keys()].sort();
  while (ordered.length < names.length) {
    const ready = names.filter((n) => !done.has(n) && [...parents.get(n)!].every((p) => done.has(p)));
    const next = ready.length ? ready : [names.find((n) => !done.has(n))!];
    for (const n of next) {
      done.add(n);
      ordered.push(infos.get(n)!);
    }
  }
  return ordered;
}

async function listSequences(c: pg.Client): Promise<string[]> {
  const r = await c.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'S' order by c.relname`,
  );
  return r.rows.map((x) => x.name);
}

async function appliedMigrations(c: pg.Client): Promise<string[]> {
  const t = await c.query(`select 1 from pg_tables where schemaname = 'public' and tablename = 'kysely_migration'`);
  if (t.rowCount === 0) return [];
  const r = await c.query<{ name: string }>(`select name from kysely_migration order by name`);
  return r.rows.map((x) => x.name);
}

function copyOutSql(t: { name: string; columns: string[]; orderBy: string }): string {
  const cols = t.columns.map(quoteIdent).join(', ');
  return `copy (select ${cols} from ${quoteIdent(t.name)} t order by ${t.orderBy}) to stdout`;
}

/** Streams one table's ordered COPY text to `sink` (when given), returning its row count and sha256. */
async function copyTableOut(c: pg.Client, t: TableInfo, sink?: (chunk: Buffer) => Promise<void>): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  let rows = 0;
  const stream = c.query(copyTo(copyOutSql(t)));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
    if (sink) await sink(chunk);
  }
  return { rows, sha256: hash.digest('hex') };
}

// ——— pg_dump discovery ———

export interface PgTool {
  path: string;
  major: number;
}

function toolMajor(path: string): number | null {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) return null;
  const m = /\b(\d+)(?:\.\d+)?/.exec(r.stdout.replace(/^[^)]*\)/, ''));
  return m ? Number(m[1]) : null;
}

/** The newest `tool` (pg_dump / pg_restore) found in PG_BIN, PATH and /usr/lib/postgresql/<n>/bin. */
export function findPgTool(tool: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv = process.env): PgTool | null {
  const dirs: string[] = [];
  if (env.PG_BIN) dirs.push(env.PG_BIN);
  for (const d of (env.PATH ?? '').split(':')) if (d) dirs.push(d);
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) for (const v of readdirSync(base)) dirs.push(join(base, v, 'bin'));
  let best: PgTool | null = null;
  const seen = new Set<string>();
  for (const d of dirs) {
    const path = join(d, tool);
    if (seen.has(path) || !existsSync(path)) continue;
    seen.add(path);
    const major = toolMajor(path);
    if (major !== null && (!best || major > best.major)) best = { path, major };
  }
  return best;
}

// ——— archive writing ———

class ArchiveWriter {
  private readonly gz = createGzip({ level: 6 });
  private readonly file;
  private readonly done: Promise<void>;

  constructor(path: string) {
    this.file = createWriteStream(path, { mode: 0o600 });
    this.gz.pipe(this.file);
    this.done = new Promise((resolve, reject) => {
      this.file.once('finish', () => resolve());
      this.file.once('error', reject);
      this.gz.once('error', reject);
    });
    this.done.catch(() => {});
  }

  async write(buf: Buffer | string): Promise<void> {
    if (!this.gz.write(buf)) await once(this.gz, 'drain');
  }

  async line(kind: string, payload: unknown): Promise<void> {
    await this.write(`${kind} ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n`);
  }

  async data(chunk: Buffer): Promise<void> {
    await this.write(`D ${chunk.length}\n`);
    await this.write(chunk);
  }

  async close(): Promise<void> {
    this.gz.end();
    await this.done;
  }

  abort(): void {
    this.gz.destroy();
    this.file.destroy();
  }
}

function tempPath(out: string): string {
  return join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
}

/** Backs up with the logical format: one REPEATABLE READ READ ONLY snapshot, safe while the system runs. */
export async function backupWithCopy(url: string, out: string): Promise<BackupResult> {
  const started = Date.now();
  const c = await connect(url, 'opinion-desk-backup');
  const tmp = tempPath(out);
  const w = new ArchiveWriter(tmp);
  try {
    await normaliseSession(c);
    await c.query('begin isolation level repeatable read read only');
    const { version } = await serverMajor(c);
    const tables = await listTables(c);
    const migrationNames = await appliedMigrations(c);
    await w.write(`${ARCHIVE_MAGIC} ${ARCHIVE_FORMAT}\n`);
    await w.line('H', { app: 'opinion-desk', format: ARCHIVE_FORMAT, serverVersion: version, migrations: migrationNames });
    const entries: TableEntry[] = [];
    for (const t of tables) {
      await w.line('T', { name: t.name, columns: t.columns });
      const { rows, sha256 } = await copyTableOut(c, t, (chunk) => w.data(chunk));
      const entry = { name: t.name, columns: t.columns, rows, sha256 };
      await w.line('E', entry);
      entries.push(entry);
    }
    const sequences: SequenceEntry[] = [];
    for (const s of await listSequences(c)) {
      const r = await c.query<{ last_value: string; is_called: boolean }>(`select last_value::text, is_called from ${quoteIdent(s)}`);
      sequences.push({ name: s, lastValue: r.rows[0].last_value, isCalled: r.rows[0].is_called });
    }
    await c.query('commit');
    const manifest: Manifest = {
      app: 'opinion-desk',
      format: ARCHIVE_FORMAT,
      createdAt: new Date().toISOString(),
      serverVersion: version,
      migrations: migrationNames,
      tables: entries,
      sequences,
      totalRows: entries.reduce((s, e) => s + e.rows, 0),
    };
    await w.line('M', manifest);
    await w.write('END\n');
    await w.close();
    renameSync(tmp, out);
    return {
      file: out,
      method: 'copy',
      bytes: statSync(out).size,
      tables: entries.length,
      rows: manifest.totalRows,
      perTable: Object.fromEntries(entries.map((e) => [e.name, e.rows])),
      seconds: (Date.now() - started) / 1000,
    };
  } catch (err) {
    w.abort();
    rmSync(tmp, { force: true });
    if (err instanceof BackupError) throw err;
    throw new BackupError(`备份失败：${errText(err)}（未写出备份文件）\nBackup failed: ${errText(err)} (no backup file was written).`);
  } finally {
    await c.end().catch(() => {});
  }
}

/** Backs up with pg_dump -Fc, counting rows in the very snapshot pg_dump reads (--snapshot). */
export async function backupWithPgDump(url: string, out: string, tool: PgTool): Promise<BackupResult> {
  const started = Date.now();
  const c = await connect(url, 'opinion-desk-backup');
  const tmp = tempPath(out);
  try {
    await normaliseSession(c);
    await c.query('begin isolation level repeatable read read only');
    const snap = await c.query<{ id: string }>('select pg_export_snapshot() as id');
    const tables = await listTables(c);
    const perTable: Record<string, number> = {};
    for (const t of tables) {
      const r = await c.query<{ n: string }>(`select count(*)::text as n from ${quoteIdent(t.name)}`);
      perTable[t.name] = Number(r.rows[0].n);
    }
    const res = await run(tool.path, ['--format=custom', '--compress=6', `--snapshot=${snap.rows[0].id}`, `--file=${tmp}`, `--dbname=${url}`]);
    await c.query('commit');
    if (res.code !== 0) {
      throw new BackupError(`pg_dump 备份失败：${res.stderr.trim()}\npg_dump failed (${tool.path}): ${res.stderr.trim()}`);
    }
    chmodSync(tmp, 0o600); // password hashes and personal data: readable by the owner only
    renameSync(tmp, out);
    return {
      file: out,
      method: 'pg_dump',
      bytes: statSync(out).size,
      tables: tables.length,
      rows: Object.values(perTable).reduce((s, n) => s + n, 0),
      perTable,
      seconds: (Date.now() - started) / 1000,
      tool: `${tool.path} (${tool.major})`,
    };
  } catch (err) {
    rmSync(tmp, { force: true });
    if (err instanceof BackupError) throw err;
    throw new BackupError(`备份失败：${errText(err)}\nBackup failed: ${errText(err)}`);
  } finally {
    await c.end().catch(() => {});
  }
}

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', (err) => resolve({ code: -1, stdout, stderr: stderr + String(err) }));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export type BackupMethod = 'auto' | 'copy' | 'pg_dump';

/** Backs up `url` to `out`: pg_dump when a new enough one exists (or is asked for), else the logical format. */
export async function backup(url: string, out: string, method: BackupMethod = 'auto'): Promise<BackupResult> {
  if (existsSync(out) && statSync(out).isDirectory()) {
    throw new BackupError(`输出路径是一个目录：${out}\nThe output path is a directory: ${out}`);
  }
  if (!existsSync(dirname(out) || '.')) {
    throw new BackupError(`输出目录不存在：${dirname(out)}\nThe output folder does not exist: ${dirname(out)}`);
  }
  if (method === 'copy') return backupWithCopy(url, out);
  const c = await connect(url, 'opinion-desk-backup');
  let major: number;
  try {
    major = (await serverMajor(c)).major;
  } finally {
    await c.end().catch(() => {});
  }
  const tool = findPgTool('pg_dump');
  if (tool && tool.major >= major) return backupWithPgDump(url, out, tool);
  if (method === 'pg_dump') {
    throw new BackupError(
      `找不到与数据库版本（${major}）匹配的 pg_dump${tool ? `（找到的是 ${tool.major} 版：${tool.path}）` : ''}。可设置 PG_BIN 指向 ${major} 或更新版本的 PostgreSQL 工具目录，或不加 --method 使用内置格式。\n` +
        `No pg_dump of major version ≥ ${major} found${tool ? ` (found ${tool.major}: ${tool.path})` : ''}. Set PG_BIN to a PostgreSQL ${major}+ bin folder, or omit --method to use the built-in format.`,
    );
  }
  return backupWithCopy(url, out);
}

// ——— archive reading ———

class ArchiveReader {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  private readonly it: AsyncIterator<Buffer>;

  constructor(path: string) {
    const gunzip = createGunzip();
    const src = createReadStream(path);
    src.on('error', (err) => gunzip.destroy(err));
    src.pipe(gunzip);
    this.it = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  private async more(): Promise<boolean> {
    if (this.ended) return false;
    let r: IteratorResult<Buffer>;
    try {
      r = await this.it.next();
    } catch (err) {
      throw corrupt(`解压失败（${errText(err)}）`, `cannot decompress it (${errText(err)})`);
    }
    if (r.done) {
      this.ended = true;
      return false;
    }
    this.buf = this.buf.length ? Buffer.concat([this.buf, r.value]) : r.value;
    return true;
  }

  async line(): Promise<string | null> {
    for (;;) {
      const i = this.buf.indexOf(10);
      if (i !== -1) {
        const s = this.buf.subarray(0, i).toString('utf8');
        this.buf = this.buf.subarray(i + 1);
        return s;
      }
      if (this.buf.length > MAX_LINE) throw corrupt('记录过长', 'a record line is too long');
      if (!(await this.more())) {
        if (this.buf.length) throw corrupt('文件在记录中途结束', 'it ends in the middle of a record');
        return null;
      }
    }
  }

  async bytes(n: number): Promise<Buffer> {
    while (this.buf.length < n) if (!(await this.more())) throw corrupt('文件在数据块中途结束（已截断）', 'it ends inside a data block (truncated)');
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

function corrupt(zh: string, en: string): BackupError {
  return new BackupError(`备份文件已损坏，拒绝恢复：${zh}。\nThe backup archive is corrupted and was not restored: ${en}.`);
}

function parseJson<T>(s: string, what: string): T {
  try {
    return JSON.parse(s) as T;
  } catch {
    throw corrupt(`${what}记录无法解析`, `its ${what} record cannot be parsed`);
  }
}

export type ArchiveKind = 'copy' | 'pg_dump';

/** Which format a backup file has (refuses missing, empty and unknown files). */
export function archiveKind(file: string): ArchiveKind {
  if (!existsSync(file)) throw new BackupError(`找不到备份文件：${file}\nBackup file not found: ${file}`);
  const st = statSync(file);
  if (!st.isFile()) throw new BackupError(`不是文件：${file}\nNot a file: ${file}`);
  if (st.size === 0) throw corrupt('文件为空', 'the file is empty');
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'pg_dump';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'copy';
  throw new BackupError(
    `无法识别的备份文件格式：${file}（既不是本系统的备份，也不是 pg_dump -Fc 文件）。\nUnrecognised backup file: ${file} (neither an Opinion Desk archive nor a pg_dump custom-format file).`,
  );
}

type Frame =
  | { kind: 'table'; name: string; columns: string[] }
  | { kind: 'data'; chunk: Buffer }
  | { kind: 'end'; entry: TableEntry };

/** Walks a logical archive; checks header, frames, per-table checksums and the final manifest. */
async function walkArchive(file: string, onFrame?: (f: Frame) => Promise<void>): Promise<Manifest> {
  const r = new ArchiveReader(file);
  try {
    const magic = await r.line();
    const m = magic === null ? null : new RegExp(`^${ARCHIVE_MAGIC} (\\d+)$`).exec(magic);
    if (!m) throw corrupt('缺少文件头', 'its header is missing');
    if (Number(m[1]) !== ARCHIVE_FORMAT) {
      throw new BackupError(
        `备份文件格式版本为 ${m[1]}，本程序只支持版本 ${ARCHIVE_FORMAT}，请使用相应版本的程序恢复。\nThe archive has format version ${m[1]}; this program reads version ${ARCHIVE_FORMAT} only.`,
      );
    }
    const seen: TableEntry[] = [];
    let current: { name: string; columns: string[]; hash: ReturnType<typeof createHash>; rows: number } | null = null;
    let manifest: Manifest | null = null;
    for (;;) {
      const line = await r.line();
      if (line === null) throw corrupt('文件不完整（缺少结尾，可能已被截断）', 'it is incomplete (no end marker; truncated?)');
      if (line === 'END') {
        if (!manifest || current) throw corrupt('缺少清单', 'its manifest is missing');
        if ((await r.line()) !== null) throw corrupt('结尾之后还有多余数据', 'there is data after its end marker');
        break;
      }
      const kind = line.slice(0, 1);
      const rest = line.slice(2);
      if (kind === 'H') continue;
      if (kind === 'T') {
        if (current) throw corrupt('数据表记录交错', 'table records overlap');
        const t = parseJson<{ name: string; columns: string[] }>(rest, '表头');
        current = { name: t.name, columns: t.columns, hash: createHash('sha256'), rows: 0 };
        await onFrame?.({ kind: 'table', name: t.name, columns: t.columns });
      } else if (kind === 'D') {
        const n = Number(rest);
        if (!current || !Number.isInteger(n) || n < 0) throw corrupt('数据块位置不对', 'a data block is out of place');
        const chunk = await r.bytes(n);
        current.hash.update(chunk);
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) current.rows++;
        await onFrame?.({ kind: 'data', chunk });
      } else if (kind === 'E') {
        const e = parseJson<TableEntry>(rest, '表尾');
        if (!current || e.name !== current.name) throw corrupt('表尾记录不匹配', 'a table end record does not match');
        const sha = current.hash.digest('hex');
        if (sha !== e.sha256 || current.rows !== e.rows) {
          throw corrupt(`表 ${e.name} 的校验和或行数不符（文件内容被改动）`, `table ${e.name} fails its checksum or row count (the content was altered)`);
        }
        seen.push(e);
        current = null;
        await onFrame?.({ kind: 'end', entry: e });
      } else if (kind === 'M') {
        manifest = parseJson<Manifest>(rest, '清单');
      } else {
        throw corrupt('含有未知记录', 'it has an unknown record');
      }
    }
    const mf = manifest!;
    const same =
      mf.tables.length === seen.length &&
      mf.tables.every((t, i) => t.name === seen[i].name && t.rows === seen[i].rows && t.sha256 === seen[i].sha256);
    if (!same || mf.totalRows !== seen.reduce((s, e) => s + e.rows, 0)) {
      throw corrupt('清单与数据不一致', 'its manifest does not match its data');
    }
    return mf;
  } finally {
    await r.close().catch(() => {});
  }
}

/** Reads a logical archive through and returns its manifest; throws BackupError if it is damaged. */
export async function inspectArchive(file: string): Promise<Manifest> {
  if (archiveKind(file) !== 'copy') throw new BackupError(`不是本系统的备份格式：${file}\nNot an Opinion Desk archive: ${file}`);
  return walkArchive(file);
}

// ——— restore ———

/** A Kysely bound to one client (so migrations run inside the restore's own transaction). */
function singleClientKysely(c: pg.Client): Kysely<any> {
  const pool = {
    connect: async () => Object.assign(c, { release: () => {} }),
    end: async () => {},
  };
  return new Kysely<any>({ dialect: new PostgresDialect({ pool: pool as never }) });
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

function checkMigrations(archived: string[]): void {
  const known = Object.keys(migrations).sort();
  const unknown = archived.filter((n) => !known.includes(n));
  if (unknown.length) {
    throw new BackupError(
      `版本不匹配：备份来自更新版本的程序（含本程序没有的数据库迁移 ${unknown.join(', ')}），请先升级程序再恢复。\n` +
        `Version mismatch: the backup comes from a newer version of the program (migrations unknown here: ${unknown.join(', ')}). Upgrade first, then restore.`,
    );
  }
  if (archived.some((n, i) => known[i] !== n)) {
    throw new BackupError(
      `版本不匹配：备份的数据库迁移记录与本程序不一致（${archived.join(', ')}）。\nVersion mismatch: the backup's migrations do not match this program's (${archived.join(', ')}).`,
    );
  }
}

interface TargetState {
  rows: number;
  tables: number;
  others: number;
}

/** Tables whose rows mean a database is in use (migrations alone leave them empty). */
const CONTENT_TABLES = ['users', 'departments', 'sources', 'items', 'cases', 'audit_log', 'notifications'];

async function targetState(c: pg.Client): Promise<TargetState> {
  const tables = await listTables(c);
  let rows = 0;
  for (const t of tables) {
    if (!CONTENT_TABLES.includes(t.name)) continue;
    const r = await c.query<{ n: string }>(`select count(*)::text as n from ${quoteIdent(t.name)}`);
    rows += Number(r.rows[0].n);
  }
  const o = await c.query<{ n: string }>(
    `select count(*)::text as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
  );
  return { rows, tables: tables.length, others: Number(o.rows[0].n) };
}

function checkTarget(s: TargetState, yes: boolean): void {
  if (s.others > 0) {
    throw new BackupError(
      `目标数据库还有 ${s.others} 个其他连接（系统可能正在运行）。请先停止系统（npm start / server / worker）再恢复。\n` +
        `The target database has ${s.others} other connection(s) (is the system running?). Stop the system before restoring.`,
    );
  }
  if (s.rows > 0 && !yes) {
    throw new BackupError(
      `目标数据库不是空的（${s.tables} 张表，用户、数据源、信息、事件、审计等共 ${s.rows} 行）。恢复会用备份替换其中全部数据；确认后请加 --yes 重新运行。\n` +
        `The target database is not empty (${s.tables} tables; ${s.rows} rows of users, sources, items, cases, audit…). Restoring replaces all of its data; rerun with --yes to confirm.`,
    );
  }
}

export interface RestoreOptions {
  /** Replace a database that already holds data. */
  yes?: boolean;
}

/** Restores a logical archive into `url`, in one transaction (nothing changes unless it all succeeds). */
export async function restoreFromCopy(url: string, file: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const started = Date.now();
  const manifest = await inspectArchive(file);
  checkMigrations(manifest.migrations);
  const c = await connect(url, 'opinion-desk-restore');
  const db = singleClientKysely(c);
  let inTx = false;
  try {
    await normaliseSession(c);
    const state = await targetState(c);
    checkTarget(state, opts.yes === true);
    await c.query('begin');
    inTx = true;
    await c.query(`set local lock_timeout = '10s'`);
    // Replace whatever is there: the schema is rebuilt by the migrations the archive was made with.
    await c.query('drop schema if exists public cascade; create schema public');
    const migrator = new Migrator({ db, provider, disableTransactions: true });
    if (manifest.migrations.length) {
      const r = await migrator.migrateTo(manifest.migrations[manifest.migrations.length - 1]);
      if (r.error) throw new Error(`migration failed: ${errText(r.error)}`);
    }
    // Triggers (the audit log's append-only guard, defaults) and foreign keys do not fire while
    // loading; without the privilege for that, user triggers are disabled table by table and the
    // tables load parents first.
    let replica = true;
    await c.query('savepoint role');
    try {
      await c.query(`set local session_replication_role = replica`);
      await c.query('release savepoint role');
    } catch {
      await c.query('rollback to savepoint role');
      replica = false;
    }
    const live = new Map((await listTables(c)).map((t) => [t.name, t]));
    if (!replica) for (const t of live.keys()) await c.query(`alter table ${quoteIdent(t)} disable trigger user`);
    // Rows the migrations themselves insert (e.g. the audit chain's head) come from the archive.
    if (live.size) await c.query(`truncate ${[...live.keys()].map(quoteIdent).join(', ')}`);
    let copy: { stream: ReturnType<typeof copyFrom>; failed: Error | null } | null = null;
    await walkArchive(file, async (f) => {
      if (f.kind === 'table') {
        const t = live.get(f.name);
        const missing = t ? f.columns.filter((col) => !t.columns.includes(col)) : [];
        if (!t || missing.length) {
          throw new BackupError(
            `版本不匹配：数据库中没有${t ? `表 ${f.name} 的列 ${missing.join(', ')}` : `表 ${f.name}`}。\nVersion mismatch: the database has no ${t ? `column(s) ${missing.join(', ')} in table ${f.name}` : `table ${f.name}`}.`,
          );
        }
        const stream = c.query(copyFrom(`copy ${quoteIdent(f.name)} (${f.columns.map(quoteIdent).join(', ')}) from stdin`));
        const cur = { stream, failed: null as Error | null };
        stream.on('error', (err) => (cur.failed = err));
        copy = cur;
      } else if (f.kind === 'data') {
        const cur = copy!;
        if (cur.failed) throw cur.failed;
        if (!cur.stream.write(f.chunk)) await Promise.race([once(cur.stream, 'drain'), once(cur.stream, 'error')]);
      } else {
        const cur = copy!;
        copy = null;
        if (cur.failed) throw cur.failed;
        await new Promise<void>((resolve, reject) => {
          cur.stream.once('finish', () => resolve());
          cur.stream.once('error', reject);
          cur.stream.end();
        });
      }
    });
    if (!replica) for (const t of live.keys()) await c.query(`alter table ${quoteIdent(t)} enable trigger user`);
    else await c.query(`set local session_replication_role = origin`);
    // Sequences: where they were, and never below the largest id loaded.
    for (const s of manifest.sequences) {
      await c.query(`select setval($1::regclass, $2::bigint, $3)`, [quoteIdent(s.name), s.lastValue, s.isCalled]);
    }
    const owned = await c.query<{ seq: string; tbl: string; col: string }>(
      `select s.relname as seq, t.relname as tbl, a.attname as col from pg_class s
         join pg_depend d on d.objid = s.oid and d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
         join pg_class t on t.oid = d.refobjid join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
         join pg_namespace n on n.oid = s.relnamespace
        where s.relkind = 'S' and n.nspname = 'public' and d.deptype in ('a', 'i')`,
    );
    for (const o of owned.rows) {
      await c.query(
        `select setval($1::regclass, m, true) from (select max(${quoteIdent(o.col)})::bigint as m from ${quoteIdent(o.tbl)}) x
          where m is not null and m > (select case when is_called then last_value else last_value - 1 end from ${quoteIdent(o.seq)})`,
        [quoteIdent(o.seq)],
      );
    }
    // Read every table back and compare with the manifest before committing.
    const mismatches: string[] = [];
    for (const e of manifest.tables) {
      const t = live.get(e.name)!;
      const got = await copyTableOut(c, { ...t, columns: e.columns });
      if (got.rows !== e.rows || got.sha256 !== e.sha256) mismatches.push(`${e.name} (${got.rows}/${e.rows})`);
    }
    if (mismatches.length) {
      throw new BackupError(
        `恢复后的数据与备份清单不一致：${mismatches.join(', ')}；已回滚，数据库保持原样。\nThe restored data does not match the manifest: ${mismatches.join(', ')}; rolled back, the database is unchanged.`,
      );
    }
    const later = await migrator.migrateToLatest();
    if (later.error) throw new Error(`migration failed: ${errText(later.error)}`);
    await c.query('commit');
    inTx = false;
    return {
      file,
      method: 'copy',
      tables: manifest.tables.length,
      rows: manifest.totalRows,
      perTable: Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows])),
      migrationsApplied: (later.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
      replaced: state.rows > 0,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (err) {
    if (inTx) await c.query('rollback').catch(() => {});
    if (err instanceof BackupError) {
      if (!inTx) throw err;
      throw new BackupError(`${err.message}\n（恢复已整体回滚，数据库保持恢复前的状态。/ The restore was rolled back; the database is as it was before.）`);
    }
    throw new BackupError(
      `恢复失败：${errText(err)}\n恢复已整体回滚，数据库保持恢复前的状态。\nRestore failed: ${errText(err)}. It was rolled back as a whole; the database is as it was before.`,
    );
  } finally {
    await c.end().catch(() => {});
  }
}

/** Restores a pg_dump custom-format file with pg_restore --single-transaction, then migrates to the latest. */
export async function restoreFromPgDump(url: string, file: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const started = Date.now();
  const tool = findPgTool('pg_restore');
  if (!tool) {
    throw new BackupError(
      '这是 pg_dump 格式的备份，但找不到 pg_restore。请安装 PostgreSQL 客户端工具，或设置 PG_BIN 指向其目录。\nThis is a pg_dump archive and no pg_restore was found. Install the PostgreSQL client tools or set PG_BIN.',
    );
  }
  const list = await run(tool.path, ['--list', file]);
  if (list.code !== 0) {
    const tooNew = /unsupported version|version.*not supported/i.test(list.stderr);
    throw new BackupError(
      tooNew
        ? `版本不匹配：该备份由更新版本的 pg_dump 生成，本机的 pg_restore（${tool.major} 版）无法读取。请用 PG_BIN 指定更新版本的工具。\nVersion mismatch: the archive was written by a newer pg_dump than this pg_restore (${tool.major}); set PG_BIN to newer tools.\n${list.stderr.trim()}`
        : `备份文件已损坏或无法读取，拒绝恢复：${list.stderr.trim()}\nThe pg_dump archive cannot be read and was not restored: ${list.stderr.trim()}`,
    );
  }
  const c = await connect(url, 'opinion-desk-restore');
  try {
    const state = await targetState(c);
    checkTarget(state, opts.yes === true);
    const args = ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${url}`];
    if (state.tables > 0) args.unshift('--clean', '--if-exists');
    const res = await run(tool.path, [...args, file]);
    if (res.code !== 0) {
      throw new BackupError(
        `pg_restore 恢复失败，已整体回滚（--single-transaction），数据库保持恢复前的状态：${res.stderr.trim()}\npg_restore failed and was rolled back as a whole; the database is as it was: ${res.stderr.trim()}`,
      );
    }
    const kdb = singleClientKysely(c);
    const later = await new Migrator({ db: kdb, provider }).migrateToLatest();
    if (later.error) {
      throw new BackupError(
        `数据已恢复，但升级数据库结构失败：${errText(later.error)}。请运行 npm run migrate 查看原因。\nThe data was restored but migrating it to this version failed: ${errText(later.error)}. Run npm run migrate to see why.`,
      );
    }
    const perTable: Record<string, number> = {};
    for (const t of await listTables(c)) {
      const r = await c.query<{ n: string }>(`select count(*)::text as n from ${quoteIdent(t.name)}`);
      perTable[t.name] = Number(r.rows[0].n);
    }
    return {
      file,
      method: 'pg_dump',
      tables: Object.keys(perTable).length,
      rows: Object.values(perTable).reduce((s, n) => s + n, 0),
      perTable,
      migrationsApplied: (later.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
      replaced: state.rows > 0,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await c.end().catch(() => {});
  }
}

/** Restores either format (detected from the file). */
export async function restore(url: string, file: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  return archiveKind(file) === 'pg_dump' ? restoreFromPgDump(url, file, opts) : restoreFromCopy(url, file, opts);
}

/** "12.3 MB" */
export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
