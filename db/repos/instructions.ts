import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { Instruction } from '../schema-instructions.js';

// 领导批示: a leader's instructions on a case and the lead department's reports on them. The report
// obligation of a time-limited instruction is an ordinary obligations row (kind instruction_report).

export async function insertInstruction(
  trx: Db,
  v: { caseId: string; authorId: number | null; authorName: string; content: string; reportWithinHours: number | null; at: Date },
): Promise<Instruction> {
  return trx
    .insertInto('instructions')
    .values({
      case_id: v.caseId,
      author_id: v.authorId,
      author_name: v.authorName,
      content: v.content,
      report_within_hours: v.reportWithinHours,
      created_at: v.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function linkObligation(trx: Db, instructionId: string, obligationId: string): Promise<Instruction> {
  return trx.updateTable('instructions').set({ obligation_id: obligationId }).where('id', '=', instructionId).returningAll().executeTakeFirstOrThrow();
}

/** The next seq of a case's instruction_report obligations (unique per case × kind × seq). */
export async function nextReportSeq(trx: Db, caseId: string): Promise<number> {
  const r = await trx
    .selectFrom('obligations')
    .select(sql<number>`coalesce(max(seq), 0)::int + 1`.as('seq'))
    .where('case_id', '=', caseId)
    .where('kind', '=', 'instruction_report')
    .executeTakeFirstOrThrow();
  return r.seq;
}

export type InstructionWithDue = Instruction & { due_at: Date | null };

/** A case's instructions, newest first, each with the due time of its report obligation. */
export async function caseInstructions(db: Db, caseId: string): Promise<InstructionWithDue[]> {
  return db
    .selectFrom('instructions as i')
    .leftJoin('obligations as o', 'o.id', 'i.obligation_id')
    .selectAll('i')
    .select('o.due_at')
    .where('i.case_id', '=', caseId)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .execute();
}

/** One instruction of the case, locked for the rest of the transaction; undefined when it is not this case's. */
export async function lockInstruction(trx: Db, caseId: string, id: string): Promise<Instruction | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return trx.selectFrom('instructions').selectAll().where('id', '=', id).where('case_id', '=', caseId).forUpdate().executeTakeFirst();
}

export async function recordReport(trx: Db, id: string, v: { by: number | null; name: string; content: string; at: Date }): Promise<Instruction> {
  return trx
    .updateTable('instructions')
    .set({ reported_at: v.at, reported_by: v.by, reporter_name: v.name, report_content: v.content })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Meets one open obligation (on time when at ≤ due); undefined when it was not open. */
export async function meetObligationById(trx: Db, obligationId: string, at: Date, metBy: string): Promise<{ id: string; kind: string; onTime: boolean } | undefined> {
  const r = await sql<{ id: string; kind: string; on_time: boolean }>`
    update obligations set status = 'met', met_at = ${at}, on_time = (${at}::timestamptz <= due_at), met_by = ${metBy}, next_step_at = null, updated_at = ${at}
    where id = ${obligationId} and status = 'open'
    returning id::text, kind, on_time`.execute(trx);
  const row = r.rows[0];
  return row ? { id: row.id, kind: row.kind, onTime: row.on_time } : undefined;
}

/** The enabled handlers of a department (the lead department's people a 批示 is addressed to). */
export async function departmentHandlers(db: Db, departmentId: number): Promise<{ id: number }[]> {
  return db
    .selectFrom('users')
    .select('id')
    .where('disabled', '=', false)
    .where('role', '=', 'handler')
    .where('department_id', '=', departmentId)
    .orderBy('id')
    .execute();
}

export async function obligationDueAt(db: Db, obligationId: string): Promise<Date | null> {
  const r = await db.selectFrom('obligations').select('due_at').where('id', '=', obligationId).executeTakeFirst();
  return r?.due_at ?? null;
}
