import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { ObligationKind } from '../../core/vocabulary.js';
import type { Obligation } from '../schema-workflow.js';
import type { AppliedPeriod, Window } from '../../core/workflow/types.js';

// Obligations of cases: what is owed, by when. The sweep and the meeting of obligations live
// elsewhere (case-access.ts meetObligations); these are the writes of opening and re-levelling.

export interface NewObligation {
  kind: ObligationKind;
  seq: number;
  window: Window;
  startedAt: Date;
  dueAt: Date;
  /** When its first escalation step is due (core nextStepAt); null: none. */
  nextStepAt: Date | null;
  note?: string;
  /** The 重点时段 that shortened the window (core scheduleDue); absent / null: none. */
  period?: AppliedPeriod | null;
}

export async function insertObligations(trx: Db, caseId: string, obs: readonly NewObligation[], now: Date): Promise<Obligation[]> {
  if (obs.length === 0) return [];
  return trx
    .insertInto('obligations')
    .values(
      obs.map((o) => ({
        case_id: caseId,
        kind: o.kind,
        seq: o.seq,
        window_hours: o.window.hours,
        window_unit: o.window.unit,
        started_at: o.startedAt,
        due_at: o.dueAt,
        next_step_at: o.nextStepAt,
        note: o.note ?? '',
        period_name: o.period?.name ?? null,
        period_factor: o.period?.factor ?? null,
        created_at: now,
        updated_at: now,
      })),
    )
    .returningAll()
    .execute();
}

export async function caseObligations(db: Db, caseId: string): Promise<Obligation[]> {
  return db.selectFrom('obligations').selectAll().where('case_id', '=', caseId).orderBy('due_at').orderBy('id').execute();
}

export async function rescheduleObligation(
  trx: Db,
  id: string,
  v: { window: Window; dueAt: Date; nextStepAt: Date | null; period: AppliedPeriod | null },
  note: string,
  now: Date,
): Promise<Obligation> {
  return trx
    .updateTable('obligations')
    .set({
      window_hours: v.window.hours,
      window_unit: v.window.unit,
      due_at: v.dueAt,
      next_step_at: v.nextStepAt,
      period_name: v.period?.name ?? null,
      period_factor: v.period?.factor ?? null,
      note,
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function cancelObligation(trx: Db, id: string, note: string, now: Date): Promise<Obligation> {
  return trx
    .updateTable('obligations')
    .set({ status: 'cancelled', note, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The audit shape of an obligation (stable keys, ISO times). */
export function obligationAudit(o: Obligation) {
  return {
    kind: o.kind,
    seq: o.seq,
    status: o.status,
    windowHours: o.window_hours,
    windowUnit: o.window_unit,
    startedAt: o.started_at.toISOString(),
    dueAt: o.due_at.toISOString(),
    note: o.note,
    // Only when a 重点时段 shortened the window: the rows of other obligations keep their shape.
    ...(o.period_name !== null && o.period_factor !== null ? { period: { name: o.period_name, factor: o.period_factor } } : {}),
  };
}

/**
 * Marks the case's open obligations of these kinds met at `at` (on time when at ≤ due), returning
 * the ids met. Call inside the transaction of the event that meets them (with its audit rows).
 */
export async function meetObligations(
  trx: Db,
  caseId: string,
  kinds: readonly string[],
  at: Date,
  metBy: string,
): Promise<{ id: string; kind: string; onTime: boolean }[]> {
  if (kinds.length === 0) return [];
  const rows = await sql<{ id: string; kind: string; on_time: boolean }>`
    update obligations set status = 'met', met_at = ${at}, on_time = (${at}::timestamptz <= due_at), met_by = ${metBy}, updated_at = now()
    where case_id = ${caseId} and status = 'open' and kind = any(${kinds as string[]}::text[])
    returning id::text, kind, on_time`.execute(trx);
  return rows.rows.map((r) => ({ id: r.id, kind: r.kind, onTime: r.on_time }));
}

/** The id of the case's open obligation of this kind, if any. */
export async function findOpenObligation(db: Db, caseId: string, kind: ObligationKind): Promise<string | undefined> {
  const r = await db.selectFrom('obligations').select('id').where('case_id', '=', caseId).where('kind', '=', kind).where('status', '=', 'open').executeTakeFirst();
  return r?.id;
}
