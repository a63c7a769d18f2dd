import { CALLBACK_RESULT_LABELS, isWindowOrigin } from '../../core/workflow/origin-windows.js';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import * as repo from '../../db/repos/origin-windows.js';
import type { Case } from '../../db/schema-workflow.js';
import { AppError, conflict, fieldError } from '../../platform/errors.js';
import type { AppEvent } from '../../platform/queues.js';
import { notifyCallbackDissatisfied, notifyCallbackDue } from '../notifications/handoffs.js';
import { caseFor, caseNotFound, type Who } from '../responses/guard.js';
import { refuseClosedCase } from '../shared/closed-case.js';
import type { ModuleDeps } from '../shared/deps.js';
import { iso } from '../shared/present.js';
import { recordedTime } from '../shared/recorded-time.js';
import type { CallbackInput, CallbacksView } from './schema.js';

// 回访 (issue 13 §4): after the reply to a 12345 hotline or 领导信箱 case is published, the lead
// department calls the requester back and records who called whom, when (补录 like a publication:
// never in the future, never before the reply), the result (满意 / 基本满意 / 不满意) and a note.
// Publishing tells the lead department's handlers (待回访, also on their 我的待办 until recorded).
// 不满意 is recorded and the reviewers and the duty officer who registered the case are told: they
// decide whether it is handled again — a new reply drafted, reviewed and published asks for another
// 回访. One transaction per command: the row, the audit row, the notices; events after commit.

/** The same 回访 recorded again within this long is a double submit. */
const DUPLICATE_WITHIN_MS = 60_000;

const person = (id: number | null, name: string | null) => (id === null ? null : { id, name });

async function present(db: Db, c: Case): Promise<CallbacksView> {
  const [rows, published] = await Promise.all([repo.listCallbacks(db, c.id), repo.latestPublishedAt(db, c.id)]);
  const last = rows[rows.length - 1];
  const applies = isWindowOrigin(c.origin);
  return {
    applies,
    due: applies && c.status !== 'closed' && published !== null && (!last || last.called_at.getTime() < published.getTime()),
    latestPublishedAt: iso(published),
    callbacks: rows.map((r) => ({
      id: r.id,
      caller: r.caller,
      callee: r.callee,
      calledAt: iso(r.called_at),
      backfilled: r.backfilled,
      result: r.result,
      resultLabel: CALLBACK_RESULT_LABELS[r.result],
      note: r.note,
      recordedBy: person(r.recorded_by, r.recorded_by_name),
      recordedAt: iso(r.recorded_at),
    })),
  };
}

export async function callbacksView(deps: ModuleDeps, who: Who, caseId: string): Promise<CallbacksView> {
  return present(deps.db, await caseFor(deps.db, caseId, who.user));
}

/** The lead department records the 回访 (谁主管谁负责); a co-department's handler sees it but gets 403. */
function refuseNotLead(who: Who, c: Case): void {
  if (who.user.role === 'handler' && who.user.departmentId !== c.lead_department_id) {
    throw new AppError({ code: 'FORBIDDEN', message: 'Only the lead department records the call-back', messageZh: '只有牵头单位可以登记回访' });
  }
}

export async function recordCallback(deps: ModuleDeps, who: Who, caseId: string, input: CallbackInput): Promise<CallbacksView> {
  const visible = await caseFor(deps.db, caseId, who.user);
  refuseNotLead(who, visible);
  const now = deps.now();
  const events = await deps.db.transaction().execute(async (trx): Promise<AppEvent[]> => {
    const c = await lockCase(trx, visible.id, who.user);
    if (!c) throw caseNotFound();
    refuseNotLead(who, c);
    refuseClosedCase(c);
    if (!isWindowOrigin(c.origin)) {
      throw conflict('Only hotline and mailbox cases take a call-back (回访)', '只有热线、信箱来信的事件需要回访', { origin: c.origin });
    }
    const published = await repo.latestPublishedAt(trx, c.id);
    if (!published) throw conflict('The reply is not published yet: call back after it is', '答复尚未发布，发布后再回访', { published: false });
    const { at: calledAt, backfilled } = recordedTime({
      field: 'calledAt',
      label: '回访时间',
      typed: input.calledAt,
      now,
      notBefore: [{ at: c.clock_started_at, what: 'case_start' }],
      maxHours: deps.config.BACKFILL_MAX_HOURS,
      role: who.user.role,
    });
    const firstPublished = await repo.firstPublishedAt(trx, c.id);
    if (firstPublished && calledAt.getTime() < firstPublished.getTime()) {
      throw fieldError('calledAt', 'is before the reply was published', '回访时间不能早于答复发布时间', { notBefore: firstPublished.toISOString() });
    }
    const caller = input.caller ?? who.actor.name;
    // A double submit (two taps, a retried request): the same 回访 arriving again within a minute of
    // its recording is refused — one row, one audit row, one round of 不满意 notices. Serialised by
    // the case lock above, so two at once cannot both pass.
    const same = (await repo.listCallbacks(trx, c.id)).find(
      (k) =>
        k.callee === input.callee &&
        k.caller === caller &&
        k.result === input.result &&
        k.note === input.note &&
        Math.abs(k.called_at.getTime() - calledAt.getTime()) < DUPLICATE_WITHIN_MS &&
        Math.abs(now.getTime() - k.recorded_at.getTime()) < DUPLICATE_WITHIN_MS,
    );
    if (same) throw conflict('This call-back was recorded a moment ago', '该回访刚刚已登记，请勿重复提交', { callbackId: same.id });
    const id = await repo.insertCallback(trx, { caseId: c.id, caller, callee: input.callee, calledAt, backfilled, result: input.result, note: input.note, by: who.user.id, at: now });
    await writeAudit(trx, {
      actor: who.actor,
      entity: 'callback',
      entityId: id,
      caseId: c.id,
      action: 'case.callback',
      after: { caller, callee: input.callee, calledAt: calledAt.toISOString(), backfilled, result: input.result, note: input.note },
    });
    if (input.result !== 'dissatisfied') return [];
    return notifyCallbackDissatisfied(trx, c, { caller, callee: input.callee, calledAt, note: input.note }, who.user.id, now);
  });
  await deps.emit({ type: 'case.updated', caseId: visible.id });
  for (const ev of events) await deps.emit(ev);
  return present(deps.db, await caseFor(deps.db, caseId, who.user));
}

/** On a publication of a hotline / mailbox reply: the lead department's handlers are asked for a 回访. In the caller's transaction. */
export async function askCallback(trx: Db, c: Case, publishedAt: Date, actorId: number | null, now: Date): Promise<AppEvent[]> {
  if (!isWindowOrigin(c.origin)) return [];
  return notifyCallbackDue(trx, c, { publishedAt }, actorId, now);
}
