import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.js';

// The append-only audit log (责任追究). Rows are chained by a trigger (migration 0008): each carries a
// chain_seq and sha256(previous hash || its content), so verifyAuditChain finds any row changed or
// removed behind the application's back. Retention removes the oldest rows through audit_log_purge,
// which records the last removed row's hash as the chain's anchor.

/** Per-request record of whether the handler wrote an audit row (see server/middleware/audit.ts). */
export const auditScope = new AsyncLocalStorage<{ written: number }>();

function noteWritten(n: number): void {
  const scope = auditScope.getStore();
  if (scope) scope.written += n;
}

export interface AuditActor {
  id: number | null;
  name: string;
  ip: string;
}

export interface AuditEntry {
  actor: AuditActor | null;
  entity: string;
  entityId: string | number;
  caseId?: string | number | null;
  action: string;
  before?: unknown;
  after?: unknown;
}

/** Appends one audit row. Call it inside the transaction of the change it records. */
export async function writeAudit(trx: Db, e: AuditEntry): Promise<void> {
  noteWritten(1);
  await trx
    .insertInto('audit_log')
    .values({
      actor_id: e.actor?.id ?? null,
      actor_name: e.actor?.name ?? 'system',
      ip: e.actor?.ip ?? '',
      entity: e.entity,
      entity_id: String(e.entityId),
      case_id: e.caseId === undefined || e.caseId === null ? null : String(e.caseId),
      action: e.action,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
    })
    .execute();
}

/**
 * A small change and its audit row as ONE statement: `with change as (<change … returning …>)
 * insert into audit_log … select … from change`. A single statement is its own transaction, so the
 * change and its row commit or roll back together without the BEGIN and COMMIT round trips of an
 * explicit transaction (for the frequent one-row changes of a busy dashboard, such as marking a
 * notification read). One audit row per row the change returns; returns how many (0: nothing
 * matched, nothing written).
 */
export async function auditedChange(db: Db, change: RawBuilder<unknown>, e: AuditEntry): Promise<number> {
  const r = await sql<{ n: number }>`
    with change as (${change}), ins as (
      insert into audit_log (actor_id, actor_name, ip, entity, entity_id, case_id, action, before, after)
      select ${e.actor?.id ?? null}::int, ${e.actor?.name ?? 'system'}, ${e.actor?.ip ?? ''}, ${e.entity}, ${String(e.entityId)},
             ${e.caseId === undefined || e.caseId === null ? null : String(e.caseId)}::bigint, ${e.action},
             ${e.before === undefined ? null : JSON.stringify(e.before)}::jsonb, ${e.after === undefined ? null : JSON.stringify(e.after)}::jsonb
      from change
      returning 1)
    select count(*)::int as n from ins`.execute(db);
  const n = r.rows[0]?.n ?? 0;
  noteWritten(n);
  return n;
}

/**
 * Appends many audit rows with one statement (writeAudit for a batch), inside the caller's
 * transaction. audit_log_chain_rows chains them in one loop (cheaper than the per-row trigger).
 */
export async function writeAuditMany(trx: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  noteWritten(entries.length);
  await sql`
    insert into audit_log
    select * from audit_log_chain_rows(
      ${entries.map((e) => e.actor?.id ?? null)}::int[],
      ${entries.map((e) => e.actor?.name ?? 'system')}::text[],
      ${entries.map((e) => e.actor?.ip ?? '')}::text[],
      ${entries.map((e) => e.entity)}::text[],
      ${entries.map((e) => String(e.entityId))}::text[],
      ${entries.map((e) => (e.caseId === undefined || e.caseId === null ? null : String(e.caseId)))}::bigint[],
      ${entries.map((e) => e.action)}::text[],
      ${entries.map((e) => (e.before === undefined ? null : JSON.stringify(e.before)))}::text[],
      ${entries.map((e) => (e.after === undefined ? null : JSON.stringify(e.after)))}::text[]
    )`.execute(trx);
}

/**
 * Takes the audit chain's head now (held until the transaction ends), as the first audit insert of
 * a transaction would. A transaction that will write audit rows after locking other rows calls this
 * first, so that every writer takes the head before those rows, never after (no lock-order cycle).
 */
export async function lockAuditChainHead(trx: Db): Promise<void> {
  await sql`select 1 from audit_chain_head where id = 1 for update`.execute(trx);
}

export interface AuditChainResult {
  /** True when every remaining row matches its hash and links to the one before it. */
  ok: boolean;
  /** Rows checked. */
  rows: number;
  /** The first row (in chain order) that does not verify: changed, or the one after a removed row. */
  firstBadId?: string;
  /** Why verification failed, in both languages. */
  reason?: { message: string; messageZh: string };
}

/**
 * Recomputes the hash chain over every row (one query; only the first bad row comes back) and
 * checks it starts at the retention anchor and ends at the chain head. Rows up to
 * audit_chain_head.keyed_from (written before migration 0019) are plain sha256 links; every later
 * row is an HMAC under the key this connection was given (db/client.ts): a chain rewritten with the
 * public formula fails at its first changed row. A connection without the key cannot verify keyed
 * rows and says so.
 */
export async function verifyAuditChain(db: Db): Promise<AuditChainResult> {
  const head = await sql<{ seq: string; hash: string; anchor_seq: string; anchor_hash: string; keyed_from: string }>`
    select seq::text, hash, anchor_seq::text, anchor_hash, keyed_from::text from audit_chain_head where id = 1`.execute(db);
  const h = head.rows[0];
  if (!h) return { ok: false, rows: 0, reason: { message: 'the chain head is missing', messageZh: '审计链头记录缺失' } };
  const r = await sql<{ rows: string; has_key: boolean; bad_id: string | null; bad_kind: string | null; last_seq: string | null; last_hash: string | null }>`
    with k as (
      select current_setting('audit_chain.key', true) as k
    ),
    p as (
      select id, chain_seq, hash, a as r,
        coalesce(lag(hash) over w, ${h.anchor_hash}) as prev_hash,
        coalesce(lag(chain_seq) over w, ${h.anchor_seq}::bigint) as prev_seq
      from audit_log a
      window w as (order by chain_seq)
    ),
    c as (
      select id, chain_seq, hash, prev_seq,
        case when chain_seq <= ${h.keyed_from}::bigint
          then encode(sha256(convert_to(prev_hash || audit_log_content(r), 'UTF8')), 'hex')
          else (select encode(sha256(decode(substr(k.k, 129, 128), 'hex') || sha256(decode(substr(k.k, 1, 128), 'hex')
                 || convert_to(prev_hash || audit_log_content(r), 'UTF8'))), 'hex') from k where length(k.k) = 256)
        end as expected
      from p
    ),
    bad as (
      select id, case when chain_seq <> prev_seq + 1 then 'gap' else 'hash' end as kind
      from c where hash is distinct from expected or chain_seq <> prev_seq + 1
      order by chain_seq limit 1
    ),
    last as (select chain_seq, hash from audit_log order by chain_seq desc limit 1)
    select (select count(*) from audit_log)::text as rows,
      coalesce((select length(k) = 256 from k), false) as has_key,
      (select id::text from bad) as bad_id, (select kind from bad) as bad_kind,
      (select chain_seq::text from last) as last_seq, (select hash from last) as last_hash`.execute(db);
  const row = r.rows[0]!;
  const rows = Number(row.rows);
  if (row.bad_id !== null) {
    const reason =
      row.bad_kind === 'gap'
        ? { message: `rows missing before audit row ${row.bad_id}`, messageZh: `审计记录 ${row.bad_id} 之前有记录缺失` }
        : !row.has_key
          ? { message: `audit row ${row.bad_id} cannot be checked: this connection has no audit key`, messageZh: `无法校验审计记录 ${row.bad_id}：未配置审计密钥` }
          : { message: `audit row ${row.bad_id} was altered (hash mismatch)`, messageZh: `审计记录 ${row.bad_id} 被篡改（哈希不符）` };
    return { ok: false, rows, firstBadId: row.bad_id, reason };
  }
  const lastSeq = row.last_seq ?? h.anchor_seq;
  const lastHash = row.last_hash ?? h.anchor_hash;
  if (lastSeq !== h.seq || lastHash !== h.hash) {
    return { ok: false, rows, reason: { message: 'the newest audit rows were removed (chain head mismatch)', messageZh: '最新的审计记录被删除（与链头不符）' } };
  }
  return { ok: true, rows };
}

/** What an anchor records of the chain now: its newest row, and the chain's constants. */
export interface AuditChainState {
  database: string;
  rowId: string | null;
  /** When the newest row was written. */
  rowAt: string | null;
  seq: string;
  hash: string;
  count: number;
  keyedFrom: string;
  anchorSeq: string;
  anchorHash: string;
}

/** The chain's head as an anchor records it (the newest row's id, seq and hash, and the row count). */
export async function auditChainState(db: Db): Promise<AuditChainState> {
  const r = await sql<{ database: string; row_id: string | null; row_at: Date | null; seq: string; hash: string; count: string; keyed_from: string; anchor_seq: string; anchor_hash: string }>`
    select current_database() as database,
      (select id::text from audit_log order by chain_seq desc limit 1) as row_id,
      (select at from audit_log order by chain_seq desc limit 1) as row_at,
      h.seq::text, h.hash, (select count(*) from audit_log)::text as count, h.keyed_from::text, h.anchor_seq::text, h.anchor_hash
    from audit_chain_head h where h.id = 1`.execute(db);
  const x = r.rows[0]!;
  return { database: x.database, rowId: x.row_id, rowAt: x.row_at ? new Date(x.row_at).toISOString() : null, seq: x.seq, hash: x.hash, count: Number(x.count), keyedFrom: x.keyed_from, anchorSeq: x.anchor_seq, anchorHash: x.anchor_hash };
}

/** The rows at these chain positions (missing ones are absent). */
export async function auditRowsAtSeqs(db: Db, seqs: readonly string[]): Promise<{ id: string; seq: string; hash: string }[]> {
  if (seqs.length === 0) return [];
  const r = await sql<{ id: string; seq: string; hash: string }>`
    select id::text, chain_seq::text as seq, hash from audit_log where chain_seq = any(${seqs}::bigint[])`.execute(db);
  return r.rows;
}

/**
 * Retention: removes the rows older than `cutoff` (the chain's leading run of them, up to the first
 * row that is not older) through audit_log_purge, the one path the append-only trigger lets through; the last
 * removed row's hash becomes the chain's anchor. The function refuses a cutoff later than now − 180
 * days and records the purge as a chained 'audit.purge' row (migration 0019); only the
 * application's role may run it. Returns the number of rows removed.
 */
export async function purgeAuditBefore(db: Db, cutoff: Date): Promise<number> {
  const r = await sql<{ removed: string }>`select audit_log_purge(${cutoff}::timestamptz)::text as removed`.execute(db);
  return Number(r.rows[0]?.removed ?? 0);
}

export interface AuditPageQuery {
  caseId?: string;
  userId?: number;
  /** Rows with a smaller id only (the cursor: the last row of the previous page). */
  beforeId?: string;
  limit: number;
}

/** Audit rows newest first, optionally of one case or one actor. */
export async function listAuditPage(db: Db, q: AuditPageQuery) {
  let sel = db.selectFrom('audit_log').selectAll();
  if (q.caseId !== undefined) sel = sel.where('case_id', '=', q.caseId);
  if (q.userId !== undefined) sel = sel.where('actor_id', '=', q.userId);
  if (q.beforeId !== undefined) sel = sel.where('id', '<', sql<string>`${q.beforeId}::bigint`);
  return sel.orderBy('id', 'desc').limit(q.limit).execute();
}
