import { sql } from 'kysely';
import type { Db } from '../client.js';
import { completeOriginWindows, REQUEST_TYPES, type CallbackResult, type OriginWindow, type RequestType } from '../../core/workflow/origin-windows.js';

// Windows by origin (part of the response policy) and the 回访 recorded on cases (migration 0035).

function byRequestType(raw: unknown): OriginWindow['byRequestType'] {
  const out: OriginWindow['byRequestType'] = {};
  if (raw && typeof raw === 'object') {
    for (const t of REQUEST_TYPES) {
      const v = (raw as Record<string, unknown>)[t];
      if (typeof v === 'number' && Number.isInteger(v) && v > 0) out[t] = v;
    }
  }
  return out;
}

/** Both origins' windows: the stored rows, the defaults for an origin never saved. */
export async function loadOriginWindows(db: Db): Promise<OriginWindow[]> {
  const rows = await db.selectFrom('origin_windows').select(['origin', 'enabled', 'default_days', 'by_request_type']).execute();
  return completeOriginWindows(rows.map((r) => ({ origin: r.origin, enabled: r.enabled, defaultDays: r.default_days, byRequestType: byRequestType(r.by_request_type) })));
}

/** Replaces both origins' windows (in the caller's transaction). */
/** Serialises edits of the windows by origin (two saves at once: each audit row's "before" is what it replaced). */
export async function lockOriginWindows(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('origin_windows'))`.execute(trx);
}

export async function saveOriginWindows(trx: Db, windows: readonly OriginWindow[], updatedBy: number | null, now: Date): Promise<void> {
  for (const w of windows) {
    const values = { enabled: w.enabled, default_days: w.defaultDays, by_request_type: JSON.stringify(w.byRequestType), updated_by: updatedBy, updated_at: now };
    await trx
      .insertInto('origin_windows')
      .values({ origin: w.origin, ...values })
      .onConflict((oc) => oc.column('origin').doUpdateSet(values))
      .execute();
  }
}

// ── 回访 ──────────────────────────────────────────────────────────────────────────────────────

export interface CallbackRow {
  id: string;
  case_id: string;
  caller: string;
  callee: string;
  called_at: Date;
  backfilled: boolean;
  result: CallbackResult;
  note: string;
  recorded_by: number | null;
  recorded_by_name: string | null;
  recorded_at: Date;
}

export async function listCallbacks(db: Db, caseId: string): Promise<CallbackRow[]> {
  return db
    .selectFrom('case_callbacks as k')
    .leftJoin('users as u', 'u.id', 'k.recorded_by')
    .select(['k.id', 'k.case_id', 'k.caller', 'k.callee', 'k.called_at', 'k.backfilled', 'k.result', 'k.note', 'k.recorded_by', 'u.display_name as recorded_by_name', 'k.recorded_at'])
    .where('k.case_id', '=', caseId)
    .orderBy('k.called_at')
    .orderBy('k.id')
    .execute();
}

export async function insertCallback(
  trx: Db,
  v: { caseId: string; caller: string; callee: string; calledAt: Date; backfilled: boolean; result: CallbackResult; note: string; by: number; at: Date },
): Promise<string> {
  const r = await trx
    .insertInto('case_callbacks')
    .values({ case_id: v.caseId, caller: v.caller, callee: v.callee, called_at: v.calledAt, backfilled: v.backfilled, result: v.result, note: v.note, recorded_by: v.by, recorded_at: v.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Whether the case has a published response (the reply a 回访 follows). */
export async function hasPublishedResponse(db: Db, caseId: string): Promise<boolean> {
  const r = await db.selectFrom('responses').select('id').where('case_id', '=', caseId).where('status', '=', 'published').limit(1).executeTakeFirst();
  return r !== undefined;
}

/** The latest 回访 result of each hotline / mailbox case opened in [from, to). */
export async function latestCallbackResults(db: Db, range: { from: Date; to: Date }): Promise<CallbackResult[]> {
  const r = await sql<{ result: CallbackResult }>`
    select distinct on (k.case_id) k.result
    from case_callbacks k join cases c on c.id = k.case_id
    where c.origin in ('hotline', 'mailbox') and c.opened_at >= ${range.from} and c.opened_at < ${range.to}
    order by k.case_id, k.called_at desc, k.id desc`.execute(db);
  return r.rows.map((x) => x.result);
}

async function publishedAt(db: Db, caseId: string, which: 'min' | 'max'): Promise<Date | null> {
  const r = await db
    .selectFrom('responses')
    .select((eb) => (which === 'min' ? eb.fn.min('published_at') : eb.fn.max('published_at')).as('at'))
    .where('case_id', '=', caseId)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return r?.at ? new Date(r.at as Date) : null;
}

/** When the case's latest reply was published, or null before any. */
export const latestPublishedAt = (db: Db, caseId: string) => publishedAt(db, caseId, 'max');
/** When the case's first reply was published (a 回访 is never before it), or null before any. */
export const firstPublishedAt = (db: Db, caseId: string) => publishedAt(db, caseId, 'min');

export type { RequestType };
