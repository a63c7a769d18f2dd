import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../../db/client.js';
import { auditChainState, auditRowsAtSeqs, verifyAuditChain, type AuditChainResult } from '../../db/repos/audit.js';

// Anchors of the audit chain outside Postgres. Once a day (and on demand) the audit.anchor job
// appends the chain's head — {at, rowId, seq, hash, count, keyedFrom} — as one JSON line to
// DATA_DIR/audit-anchors/<database>.jsonl, on the application's host, where the database's owner
// cannot reach it. The keyed chain (migration 0019) catches a changed row; the anchors catch what a
// keyed chain cannot: the newest rows deleted and the head moved back, or the whole chain swapped
// for one that claims to be older than the key (keyed_from moved). Verification names the first
// row that disagrees with an anchor.

export interface AuditAnchor {
  at: string;
  database: string;
  /** The newest row when anchored (null: the log was empty). */
  rowId: string | null;
  /** When that row was written. */
  rowAt: string | null;
  seq: string;
  hash: string;
  count: number;
  keyedFrom: string;
}

export function anchorFile(dataDir: string, database: string): string {
  return join(dataDir, 'audit-anchors', `${database.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`);
}

/** Appends the chain's head to the anchor file; returns what was written and where. */
export async function appendAuditAnchor(db: Db, dataDir: string, now: Date): Promise<AuditAnchor & { file: string }> {
  const s = await auditChainState(db);
  const anchor: AuditAnchor = { at: now.toISOString(), database: s.database, rowId: s.rowId, rowAt: s.rowAt, seq: s.seq, hash: s.hash, count: s.count, keyedFrom: s.keyedFrom };
  const file = anchorFile(dataDir, s.database);
  await mkdir(join(dataDir, 'audit-anchors'), { recursive: true });
  await appendFile(file, `${JSON.stringify(anchor)}\n`, { encoding: 'utf8', mode: 0o600 });
  return { ...anchor, file };
}

/** The anchors of this database (none when the file is missing). A line that is not an anchor counts as tampering. */
export async function readAuditAnchors(dataDir: string, database: string): Promise<{ anchors: AuditAnchor[]; unreadable: number }> {
  let text: string;
  try {
    text = await readFile(anchorFile(dataDir, database), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { anchors: [], unreadable: 0 };
    throw err;
  }
  const anchors: AuditAnchor[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const a = JSON.parse(line) as AuditAnchor;
      if (typeof a.seq === 'string' && /^\d+$/.test(a.seq) && typeof a.hash === 'string' && typeof a.keyedFrom === 'string') anchors.push(a);
      else unreadable += 1;
    } catch {
      unreadable += 1;
    }
  }
  return { anchors, unreadable };
}

/** audit_log_purge's floor (migration 0019): no row younger than this may be purged. */
const MIN_RETENTION_MS = 180 * 86_400_000;

export interface AuditVerifyResult extends AuditChainResult {
  /** Anchors checked. */
  anchors: number;
}

/**
 * The chain checked with the key (verifyAuditChain), then against every anchor: the anchored row
 * must still be there with the anchored hash (unless retention removed it: then it is at or below
 * the retention anchor), and the keyed era must start where the anchors saw it start.
 */
export async function verifyAuditLog(db: Db, dataDir: string, now: Date = new Date()): Promise<AuditVerifyResult> {
  const chain = await verifyAuditChain(db);
  const state = await auditChainState(db);
  const { anchors, unreadable } = await readAuditAnchors(dataDir, state.database);
  if (!chain.ok) return { ...chain, anchors: anchors.length };
  if (unreadable > 0) {
    return { ok: false, rows: chain.rows, anchors: anchors.length, reason: { message: `${unreadable} line(s) of the anchor file are unreadable`, messageZh: `锚点文件中有 ${unreadable} 行无法读取` } };
  }
  const rows = new Map((await auditRowsAtSeqs(db, anchors.map((a) => a.seq))).map((r) => [r.seq, r]));
  const sorted = [...anchors].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0));
  for (const a of sorted) {
    if (a.keyedFrom !== state.keyedFrom) {
      return { ok: false, rows: chain.rows, anchors: anchors.length, reason: { message: `the chain's keyed era was moved (anchor of ${a.at}: from row ${a.keyedFrom}, now ${state.keyedFrom})`, messageZh: `审计链的密钥起点被改动（${a.at} 的锚点记为 ${a.keyedFrom}，现为 ${state.keyedFrom}）` } };
    }
    if (a.seq === '0') continue;
    const seq = BigInt(a.seq);
    const retained = BigInt(state.anchorSeq);
    // At or below the retention anchor: gone by retention, which audit_log_purge allows only for
    // rows older than 180 days. A younger anchored row there was removed by someone faking a purge.
    if (seq <= retained && a.rowAt !== null && Date.parse(a.rowAt) > now.getTime() - MIN_RETENTION_MS) {
      return {
        ok: false,
        rows: chain.rows,
        anchors: anchors.length,
        firstBadId: a.rowId ?? undefined,
        reason: {
          message: `audit row ${a.rowId} (written ${a.rowAt}, anchored at ${a.at}) was removed before its retention ended`,
          messageZh: `审计记录 ${a.rowId}（写入于 ${a.rowAt}，${a.at} 的锚点中存在）未到保存期限即被删除`,
        },
      };
    }
    if (seq < retained) continue; // removed by retention, before the retention anchor
    if (seq === retained) {
      if (a.hash !== state.anchorHash) return disagree(chain.rows, anchors.length, a, a.rowId);
      continue;
    }
    const row = rows.get(a.seq);
    if (!row) {
      return {
        ok: false,
        rows: chain.rows,
        anchors: anchors.length,
        firstBadId: a.rowId ?? undefined,
        reason: {
          message: `audit row ${a.rowId} (position ${a.seq}), anchored at ${a.at}, is missing: the newest rows were deleted`,
          messageZh: `审计记录 ${a.rowId}（第 ${a.seq} 条）在 ${a.at} 的锚点中存在，现已缺失：最新的审计记录被删除`,
        },
      };
    }
    if (row.hash !== a.hash) return disagree(chain.rows, anchors.length, a, row.id);
  }
  return { ok: true, rows: chain.rows, anchors: anchors.length };
}

function disagree(rows: number, anchors: number, a: AuditAnchor, id: string | null): AuditVerifyResult {
  return {
    ok: false,
    rows,
    anchors,
    firstBadId: id ?? undefined,
    reason: { message: `audit row ${id} disagrees with the anchor of ${a.at}`, messageZh: `审计记录 ${id} 与 ${a.at} 的锚点不符` },
  };
}
