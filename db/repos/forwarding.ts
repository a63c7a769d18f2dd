import type { Db } from '../client.js';
import type { VerificationResult } from '../../core/workflow/forwarding.js';
import type { Case } from '../schema-workflow.js';

// 会签 sign-offs, the 核实 of a forwarded opinion and the replies to its forwarding office
// (migration 0028): plain functions, one query each.

/** The co-departments of a case (协办单位), by id. */
export async function coDepartmentIds(db: Db, caseId: string): Promise<number[]> {
  const rows = await db.selectFrom('case_departments').select('department_id').where('case_id', '=', caseId).where('role', '=', 'co').orderBy('department_id').execute();
  return rows.map((r) => r.department_id);
}

export async function insertCountersign(
  trx: Db,
  v: { responseId: string; caseId: string; departmentId: number; decision: 'confirm' | 'return'; comment: string; by: number; at: Date },
): Promise<void> {
  await trx
    .insertInto('response_countersigns')
    .values({ response_id: v.responseId, case_id: v.caseId, department_id: v.departmentId, decision: v.decision, comment: v.comment, decided_by: v.by, decided_at: v.at })
    .execute();
}

export interface CountersignRow {
  response_id: string;
  department_id: number | null;
  department_name: string | null;
  decision: 'confirm' | 'return';
  comment: string;
  decided_by: number | null;
  decided_by_name: string | null;
  decided_at: Date;
}

/** The 会签 sign-offs on a case's responses, oldest first. */
export async function listCountersigns(db: Db, caseId: string): Promise<CountersignRow[]> {
  return db
    .selectFrom('response_countersigns as s')
    .leftJoin('users as u', 'u.id', 's.decided_by')
    .leftJoin('departments as d', 'd.id', 's.department_id')
    .select(['s.response_id', 's.department_id', 'd.name as department_name', 's.decision', 's.comment', 's.decided_by', 'u.display_name as decided_by_name', 's.decided_at'])
    .where('s.case_id', '=', caseId)
    .orderBy('s.decided_at')
    .orderBy('s.id')
    .execute();
}

export async function recordVerification(trx: Db, caseId: string, v: { result: VerificationResult; note: string; by: number; at: Date }): Promise<Case> {
  return trx
    .updateTable('cases')
    .set({ verification: v.result, verification_note: v.note, verified_by: v.by, verified_at: v.at, updated_at: v.at })
    .where('id', '=', caseId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function userName(db: Db, id: number | null): Promise<string | null> {
  if (id === null) return null;
  const r = await db.selectFrom('users').select(['display_name', 'username']).where('id', '=', id).executeTakeFirst();
  return r ? r.display_name || r.username : null;
}

export async function insertForwardReply(
  trx: Db,
  v: { caseId: string; obligationId: string | null; recipient: string; content: string; repliedAt: Date; backfilled: boolean; by: number; at: Date },
): Promise<string> {
  const r = await trx
    .insertInto('forward_replies')
    .values({
      case_id: v.caseId,
      obligation_id: v.obligationId,
      recipient: v.recipient,
      content: v.content,
      replied_at: v.repliedAt,
      backfilled: v.backfilled,
      recorded_by: v.by,
      recorded_at: v.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface ForwardReplyRow {
  id: string;
  recipient: string;
  content: string;
  replied_at: Date;
  backfilled: boolean;
  recorded_by: number | null;
  recorded_by_name: string | null;
  recorded_at: Date;
}

/** The replies recorded to the forwarding office, oldest first. */
export async function listForwardReplies(db: Db, caseId: string): Promise<ForwardReplyRow[]> {
  return db
    .selectFrom('forward_replies as f')
    .leftJoin('users as u', 'u.id', 'f.recorded_by')
    .select(['f.id', 'f.recipient', 'f.content', 'f.replied_at', 'f.backfilled', 'f.recorded_by', 'u.display_name as recorded_by_name', 'f.recorded_at'])
    .where('f.case_id', '=', caseId)
    .orderBy('f.replied_at')
    .orderBy('f.id')
    .execute();
}

/** The case's feedback obligations (向转办单位反馈办理情况), newest first. */
export async function feedbackObligations(db: Db, caseId: string) {
  return db.selectFrom('obligations').selectAll().where('case_id', '=', caseId).where('kind', '=', 'forward_feedback').orderBy('seq', 'desc').execute();
}
