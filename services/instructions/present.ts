import type { Instruction } from '../../db/schema-instructions.js';
import type { InstructionView } from './schema.js';

/** An instruction as the API shows it; `dueAt` from its report obligation (null: no time limit). */
export function presentInstruction(r: Instruction, dueAt: Date | null): InstructionView {
  const onTime = r.reported_at && dueAt ? r.reported_at.getTime() <= dueAt.getTime() : null;
  return {
    id: r.id,
    caseId: r.case_id,
    authorId: r.author_id,
    authorName: r.author_name,
    content: r.content,
    createdAt: r.created_at.toISOString(),
    reportWithinHours: r.report_within_hours,
    obligationId: r.obligation_id,
    dueAt: dueAt ? dueAt.toISOString() : null,
    report: r.reported_at ? { at: r.reported_at.toISOString(), byId: r.reported_by, byName: r.reporter_name, content: r.report_content, onTime } : null,
  };
}
