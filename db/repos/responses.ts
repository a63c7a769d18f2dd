import type { Db } from '../client.js';
import type { ResponseRow } from '../schema-workflow.js';
import type { Channel, ResponseStatus } from '../../core/vocabulary.js';
import type { AppliedPeriod, Window } from '../../core/workflow/types.js';
import type { ApprovalStepKind } from '../../core/workflow/approval.js';

// Responses (回应) and what publishing one writes: plain functions, one query each.

export type { ResponseRow };

/** A response with the display names of the people on it. */
export interface ResponseWithNames extends ResponseRow {
  drafted_by_name: string | null;
  submitted_by_name: string | null;
  reviewed_by_name: string | null;
  published_by_name: string | null;
  secrecy_confirmed_by_name: string | null;
}

function withNames(db: Db) {
  return db
    .selectFrom('responses as r')
    .leftJoin('users as ud', 'ud.id', 'r.drafted_by')
    .leftJoin('users as us', 'us.id', 'r.submitted_by')
    .leftJoin('users as ur', 'ur.id', 'r.reviewed_by')
    .leftJoin('users as up', 'up.id', 'r.published_by')
    .leftJoin('users as uc', 'uc.id', 'r.secrecy_confirmed_by')
    .selectAll('r')
    .select([
      'ud.display_name as drafted_by_name',
      'us.display_name as submitted_by_name',
      'ur.display_name as reviewed_by_name',
      'up.display_name as published_by_name',
      'uc.display_name as secrecy_confirmed_by_name',
    ]);
}

export async function listResponses(db: Db, caseId: string): Promise<ResponseWithNames[]> {
  return withNames(db).where('r.case_id', '=', caseId).orderBy('r.created_at').orderBy('r.id').execute();
}

export async function findResponse(db: Db, caseId: string, id: string): Promise<ResponseWithNames | undefined> {
  return withNames(db).where('r.case_id', '=', caseId).where('r.id', '=', id).executeTakeFirst();
}

/** The response row locked for the rest of the transaction (lock the case first). */
export async function lockResponse(trx: Db, caseId: string, id: string): Promise<ResponseRow | undefined> {
  return trx.selectFrom('responses').selectAll().where('case_id', '=', caseId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertResponse(trx: Db, v: { caseId: string; body: string; by: number | null; at: Date }): Promise<ResponseRow> {
  return trx
    .insertInto('responses')
    .values({ case_id: v.caseId, body: v.body, drafted_by: v.by, drafted_at: v.at, created_at: v.at, updated_at: v.at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ResponsePatch {
  status?: ResponseStatus;
  body?: string;
  submitted_by?: number | null;
  submitted_at?: Date;
  reviewed_by?: number | null;
  reviewed_at?: Date;
  review_comment?: string;
  published_by?: number | null;
  published_at?: Date;
  channel?: Channel;
  url?: string;
  edited_by?: number | null;
  backfilled?: boolean;
  approval_chain?: ApprovalStepKind[];
  approval_step?: number;
  secrecy_confirmed_by?: number | null;
  secrecy_confirmed_at?: Date | null;
  countersign_departments?: number[];
  countersign_pending?: number[];
}

export async function updateResponse(trx: Db, id: string, patch: ResponsePatch, at: Date): Promise<ResponseRow> {
  return trx
    .updateTable('responses')
    .set({ ...patch, updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function markCaseResponded(
  trx: Db,
  caseId: string,
  v: { status: 'open' | 'responded' | 'closed'; respondedAt?: Date; followUpUntil?: Date; at: Date },
): Promise<void> {
  await trx
    .updateTable('cases')
    .set({
      status: v.status,
      ...(v.respondedAt ? { responded_at: v.respondedAt } : {}),
      ...(v.followUpUntil ? { follow_up_until: v.followUpUntil } : {}),
      updated_at: v.at,
    })
    .where('id', '=', caseId)
    .execute();
}

/** Highest seq of the case's obligations of a kind (0 when none). */
export async function lastSeq(trx: Db, caseId: string, kind: 'update'): Promise<number> {
  const r = await trx
    .selectFrom('obligations')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('case_id', '=', caseId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return Number(r?.seq ?? 0);
}

/** Inserts a recurring obligation (idempotent on case × kind × seq); returns its id, or null if it existed. */
export async function insertObligation(
  trx: Db,
  v: {
    caseId: string;
    kind: 'update';
    seq: number;
    window: Window;
    startedAt: Date;
    dueAt: Date;
    nextStepAt: Date | null;
    note: string;
    now: Date;
    /** The 重点时段 that shortened the window (core scheduleDue); null: none. */
    period?: AppliedPeriod | null;
  },
): Promise<string | null> {
  const r = await trx
    .insertInto('obligations')
    .values({
      case_id: v.caseId,
      kind: v.kind,
      seq: v.seq,
      window_hours: v.window.hours,
      window_unit: v.window.unit,
      started_at: v.startedAt,
      due_at: v.dueAt,
      next_step_at: v.nextStepAt,
      note: v.note,
      period_name: v.period?.name ?? null,
      period_factor: v.period?.factor ?? null,
      created_at: v.now,
      updated_at: v.now,
    })
    .onConflict((oc) => oc.columns(['case_id', 'kind', 'seq']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

/** One step of the approval chain taken (审批记录). */
export async function insertApproval(
  trx: Db,
  v: { responseId: string; caseId: string; step: number; kind: ApprovalStepKind; decision: 'approve' | 'return'; comment: string; by: number; at: Date },
): Promise<void> {
  await trx
    .insertInto('response_approvals')
    .values({ response_id: v.responseId, case_id: v.caseId, step: v.step, step_kind: v.kind, decision: v.decision, comment: v.comment, decided_by: v.by, decided_at: v.at })
    .execute();
}

export interface ApprovalRow {
  response_id: string;
  step: number;
  step_kind: ApprovalStepKind;
  decision: 'approve' | 'return';
  comment: string;
  decided_by: number | null;
  decided_by_name: string | null;
  decided_at: Date;
}

/** The approval steps taken on a case's responses, oldest first. */
export async function listApprovals(db: Db, caseId: string): Promise<ApprovalRow[]> {
  return db
    .selectFrom('response_approvals as a')
    .leftJoin('users as u', 'u.id', 'a.decided_by')
    .select(['a.response_id', 'a.step', 'a.step_kind', 'a.decision', 'a.comment', 'a.decided_by', 'u.display_name as decided_by_name', 'a.decided_at'])
    .where('a.case_id', '=', caseId)
    .orderBy('a.decided_at')
    .orderBy('a.id')
    .execute();
}
