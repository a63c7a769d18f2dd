import { nextStepAt } from '../../core/workflow/escalation.js';
import { DEFAULT_POLICY, policyFor } from '../../core/workflow/index.js';
import type { EscalationStep, PolicyRule } from '../../core/workflow/types.js';
import { HOUR_MS } from '../../core/business-time.js';
import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import {
  caseInstructions,
  departmentHandlers,
  insertInstruction,
  linkObligation,
  lockInstruction,
  meetObligationById,
  nextReportSeq,
  obligationDueAt,
  recordReport,
} from '../../db/repos/instructions.js';
import { insertObligations, obligationAudit } from '../../db/repos/obligations.js';
import { loadPolicies } from '../../db/repos/policies.js';
import type { Case } from '../../db/schema-workflow.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import type { AppEvent } from '../../platform/queues.js';
import { refuseClosedCase } from '../shared/closed-case.js';
import { notify } from '../notifications/notify.js';
import type { Actor, SessionUser } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { presentInstruction } from './present.js';
import type { InstructionInput, InstructionReportInput, InstructionView } from './schema.js';

// 领导批示. A leader writes an instruction on a case; the lead department's handlers are told. With
// a time limit ("请于 N 小时内报告办理情况") it owes an `instruction_report` obligation, escalated by the
// sweep with the case's policy steps like any other, and met when a lead handler records the report.
// One transaction per command: the rows, the audit row, the notifications; events after commit.

const caseNotFound = () => notFound('Case', '舆情事件');
const instructionNotFound = () => notFound('Instruction', '领导批示');

const refuseClosed = refuseClosedCase;

function stepsOf(rules: readonly PolicyRule[], kase: Case): readonly EscalationStep[] {
  try {
    return policyFor(rules, kase.level, kase.category).escalationSteps;
  } catch {
    return [];
  }
}

async function emitAll(deps: ModuleDeps, events: readonly AppEvent[]): Promise<void> {
  for (const ev of events) await deps.emit(ev);
}

export async function listInstructions(deps: ModuleDeps, kase: Case): Promise<{ instructions: InstructionView[] }> {
  const rows = await caseInstructions(deps.db, kase.id);
  return { instructions: rows.map((r) => presentInstruction(r, r.due_at)) };
}

export async function createInstruction(deps: ModuleDeps, user: SessionUser, actor: Actor, kase: Case, input: InstructionInput): Promise<InstructionView> {
  refuseClosed(kase);
  const now = deps.now();
  const loaded = await loadPolicies(deps.db);
  const steps = stepsOf(loaded.length > 0 ? loaded : DEFAULT_POLICY, kase);
  const events: AppEvent[] = [{ type: 'case.updated', caseId: kase.id }];
  const view = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, kase.id);
    if (!locked) throw caseNotFound();
    refuseClosed(locked); // re-checked under the lock: a close may have committed since the read
    let row = await insertInstruction(trx, {
      caseId: kase.id,
      authorId: user.id,
      authorName: user.displayName || user.username,
      content: input.content,
      reportWithinHours: input.reportWithinHours ?? null,
      at: now,
    });
    let dueAt: Date | null = null;
    let obligation: ReturnType<typeof obligationAudit> | null = null;
    if (input.reportWithinHours !== undefined) {
      dueAt = new Date(now.getTime() + input.reportWithinHours * HOUR_MS);
      const ob = { startedAt: now, dueAt, kind: 'instruction_report' as const, metAt: null };
      const [created] = await insertObligations(
        trx,
        kase.id,
        [
          {
            kind: 'instruction_report',
            seq: await nextReportSeq(trx, kase.id),
            window: { hours: input.reportWithinHours, unit: 'natural' },
            startedAt: now,
            dueAt,
            nextStepAt: nextStepAt(ob, steps, new Set(), { hasDraft: false }),
            // Shown under the obligation in the case room: who asked, in words (the link to the
            // instruction is its obligation_id).
            note: `${user.displayName || user.username}批示：请于 ${input.reportWithinHours} 小时内报告办理情况`,
          },
        ],
        now,
      );
      row = await linkObligation(trx, row.id, created!.id);
      obligation = obligationAudit(created!);
      await writeAudit(trx, { actor, entity: 'obligation', entityId: created!.id, caseId: kase.id, action: 'obligation.create', after: obligation });
    }
    const handlers = await departmentHandlers(trx, locked.lead_department_id);
    const params = { caseNumber: locked.number, caseTitle: locked.title, leaderName: row.author_name, content: input.content };
    const urgent = locked.level === 'major' || locked.level === 'especially_major';
    const ids = await notify(
      trx,
      handlers.map((h) =>
        dueAt
          ? { userId: h.id, caseId: kase.id, key: 'instruction.created_due' as const, params: { ...params, dueAt: dueAt.toISOString() }, urgent }
          : { userId: h.id, caseId: kase.id, key: 'instruction.created' as const, params, urgent },
      ),
      now,
    );
    handlers.forEach((h, i) => events.push({ type: 'notification.created', userId: h.id, notificationId: ids[i]! }));
    await writeAudit(trx, {
      actor,
      entity: 'instruction',
      entityId: row.id,
      caseId: kase.id,
      action: 'instruction.create',
      after: { content: row.content, reportWithinHours: row.report_within_hours, dueAt: dueAt?.toISOString() ?? null, obligationId: row.obligation_id, notified: handlers.map((h) => h.id) },
    });
    return presentInstruction(row, dueAt);
  });
  await emitAll(deps, events);
  return view;
}

export async function reportInstruction(
  deps: ModuleDeps,
  user: SessionUser,
  actor: Actor,
  kase: Case,
  instructionId: string,
  input: InstructionReportInput,
): Promise<InstructionView> {
  // 谁主管谁负责: the lead department reports; a co-department's handler sees the case but may not.
  if (user.role === 'handler' && user.departmentId !== kase.lead_department_id) {
    throw new AppError({ code: 'FORBIDDEN', message: 'Only the lead department reports on an instruction', messageZh: '只有牵头单位可以报告批示办理情况' });
  }
  refuseClosed(kase);
  const now = deps.now();
  const events: AppEvent[] = [{ type: 'case.updated', caseId: kase.id }];
  const view = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, kase.id, { id: user.id, role: user.role, departmentId: user.departmentId });
    if (!locked) throw caseNotFound();
    refuseClosed(locked);
    if (user.role === 'handler' && user.departmentId !== locked.lead_department_id) {
      throw new AppError({ code: 'FORBIDDEN', message: 'Only the lead department reports on an instruction', messageZh: '只有牵头单位可以报告批示办理情况' });
    }
    const ins = await lockInstruction(trx, kase.id, instructionId);
    if (!ins) throw instructionNotFound();
    if (ins.reported_at) throw conflict('The instruction was already reported on', '该批示的办理情况已报告');
    const row = await recordReport(trx, ins.id, { by: user.id, name: user.displayName || user.username, content: input.content, at: now });
    const met = ins.obligation_id ? await meetObligationById(trx, ins.obligation_id, now, `instruction:${ins.id}`) : undefined;
    const due = ins.obligation_id ? await obligationDueAt(trx, ins.obligation_id) : null;
    if (met) {
      await writeAudit(trx, { actor, entity: 'obligation', entityId: met.id, caseId: kase.id, action: 'obligation.met', after: { kind: met.kind, onTime: met.onTime, metAt: now.toISOString() } });
    }
    if (ins.author_id !== null) {
      const [id] = await notify(
        trx,
        [{ userId: ins.author_id, caseId: kase.id, key: 'instruction.reported', params: { caseNumber: locked.number, caseTitle: locked.title, reporterName: row.reporter_name, content: input.content } }],
        now,
      );
      events.push({ type: 'notification.created', userId: ins.author_id, notificationId: id! });
    }
    await writeAudit(trx, {
      actor,
      entity: 'instruction',
      entityId: ins.id,
      caseId: kase.id,
      action: 'instruction.report',
      before: { reportedAt: null },
      after: { content: input.content, reportedAt: now.toISOString(), met: met ?? null },
    });
    return presentInstruction(row, due);
  });
  await emitAll(deps, events);
  return view;
}
