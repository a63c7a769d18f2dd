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
 * checks it starts at the retention anchor and ends at the chain head.
 */
export async function verifyAuditChain(db: Db): Promise<AuditChainResult> {
  const head = await sql<{ seq: string; hash: string; anchor_seq: string; anchor_hash: string }>`
    select seq::text, hash, anchor_seq::text, anchor_hash from audit_chain_head where id = 1`.execute(db);
  const h = head.rows[0];
  if (!h) return { ok: false, rows: 0, reason: { message: 'the chain head is missing', messageZh: '审计链头记录缺失' } };
  const r = await sql<{ rows: string; bad_id: string | null; bad_kind: string | null; last_seq: string | null; last_hash: string | null }>`
    with c as (
      select id, chain_seq, hash,
        encode(sha256(convert_to(coalesce(lag(hash) over w, ${h.anchor_hash}) || audit_log_content(a), 'UTF8')), 'hex') as expected,
        coalesce(lag(chain_seq) over w, ${h.anchor_seq}::bigint) as prev_seq
      from audit_log a
      window w as (order by chain_seq)
    ),
    bad as (
      select id, case when chain_seq <> prev_seq + 1 then 'gap' else 'hash' end as kind
      from c where hash <> expected or chain_seq <> prev_seq + 1
      order by chain_seq limit 1
    ),
    last as (select chain_seq, hash from audit_log order by chain_seq desc limit 1)
    select (select count(*) from audit_log)::text as rows,
      (select id::text from bad) as bad_id, (select kind from bad) as bad_kind,
      (select chain_seq::text from last) as last_seq, (select hash from last) as last_hash`.execute(db);
  const row = r.rows[0]!;
  const rows = Number(row.rows);
  if (row.bad_id !== null) {
    const reason =
      row.bad_kind === 'gap'
        ? { message: `rows missing before audit row ${row.bad_id}`, messageZh: `审计记录 ${row.bad_id} 之前有记录缺失` }
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

/**
 * Retention: removes the rows older than `cutoff` (every row up to the newest such row in chain
 * order) through audit_log_purge, the one path the append-only trigger lets through; the last
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
