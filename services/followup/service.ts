import { round } from '../../core/stats.js';
import { caseTransition } from '../../core/workflow/index.js';
import { CASE_STATUS_LABELS, EFFECT_RATING_LABELS, type EffectRating } from '../../core/vocabulary.js';
import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import { scheduleNextUpdate } from '../responses/publish.js';
import { rearmObligations } from '../../db/repos/escalations.js';
import { findCase } from '../../db/repos/cases.js';
import * as repo from '../../db/repos/followup.js';
import type { Case } from '../../db/schema-workflow.js';
import { AppError, notFound } from '../../platform/errors.js';
import { caseFor, caseNotFound, decide, type Who } from '../responses/guard.js';
import { refuseClosedCase } from '../shared/closed-case.js';

import type { ModuleDeps } from '../shared/deps.js';
import type { AppEvent } from '../../platform/queues.js';
import { notifyClosed, notifyReopened } from '../notifications/handoffs.js';
import { iso } from '../shared/present.js';
import { FEEDBACK_KIND_LABELS, type CaseStateView, type FeedbackView, type HeatView } from './schema.js';

// 跟踪反馈 and 办结: feedback entries, the heat before vs after the response, close and reopen.

const HOUR_MS = 3_600_000;
/** The heat windows are as long as the time since publication, in whole hours, at most this. */
export const HEAT_WINDOW_MAX_HOURS = 72;

function presentFeedback(f: repo.FeedbackRow): FeedbackView {
  return {
    id: f.id,
    caseId: f.case_id,
    kind: f.kind,
    kindLabel: FEEDBACK_KIND_LABELS[f.kind],
    body: f.body,
    author: f.author_id === null ? null : { id: f.author_id, name: f.author_name },
    createdAt: iso(f.created_at),
  };
}

export function presentCaseState(c: Case): CaseStateView {
  return {
    id: c.id,
    status: c.status,
    statusLabel: CASE_STATUS_LABELS[c.status],
    respondedAt: iso(c.responded_at),
    followUpUntil: iso(c.follow_up_until),
    closedAt: iso(c.closed_at),
    closedBy: c.closed_by,
    effectRating: c.effect_rating,
    effectRatingLabel: c.effect_rating === null ? null : EFFECT_RATING_LABELS[c.effect_rating],
    conclusion: c.conclusion,
  };
}

export async function listFeedback(deps: ModuleDeps, who: Who, caseId: string) {
  const c = await caseFor(deps.db, caseId, who.user);
  return { feedback: (await repo.listFeedback(deps.db, c.id)).map(presentFeedback) };
}

/** A feedback entry, while the case is open or in follow-up (the state machine refuses a closed case). */
export async function addFeedback(deps: ModuleDeps, who: Who, caseId: string, input: { kind: repo.FeedbackKind; body: string }): Promise<FeedbackView> {
  const c = await caseFor(deps.db, caseId, who.user);
  const now = deps.now();
  const id = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, c.id, who.user);
    if (!locked) throw caseNotFound();
    refuseClosedCase(locked);
    decide(() => caseTransition(locked.status, 'add_feedback'));
    const fid = await repo.insertFeedback(trx, { caseId: c.id, authorId: who.user.id, kind: input.kind, body: input.body, at: now });
    await writeAudit(trx, { actor: who.actor, entity: 'feedback', entityId: fid, caseId: c.id, action: 'feedback.add', after: input });
    return fid;
  });
  await deps.emit({ type: 'case.updated', caseId: c.id });
  const row = await repo.findFeedback(deps.db, id);
  if (!row) throw notFound('Feedback', '跟踪反馈');
  return presentFeedback(row);
}

/**
 * Who may close (办结): the reviewer, an admin, and a handler of the LEAD department (谁主管谁负责:
 * the lead coordinates the one response). A co-department's handler sees the case but gets 403.
 */
function mayClose(who: Who, c: Case): boolean {
  if (who.user.role !== 'handler') return true;
  return who.user.departmentId === c.lead_department_id;
}

export async function closeCase(deps: ModuleDeps, who: Who, caseId: string, input: { effectRating: EffectRating; conclusion: string }): Promise<CaseStateView> {
  const c = await caseFor(deps.db, caseId, who.user);
  if (!mayClose(who, c)) {
    throw new AppError({ code: 'FORBIDDEN', message: 'Only the lead department, a reviewer or an admin closes a case', messageZh: '只有牵头单位经办人、审核人或管理员可以办结' });
  }
  const now = deps.now();
  const notices = await deps.db.transaction().execute(async (trx): Promise<AppEvent[]> => {
    const locked = await lockCase(trx, c.id, who.user);
    if (!locked) throw caseNotFound();
    // Re-checked under the lock: the case may have been reassigned (转办) since it was read.
    if (!mayClose(who, locked)) {
      throw new AppError({ code: 'FORBIDDEN', message: 'Only the lead department, a reviewer or an admin closes a case', messageZh: '只有牵头单位经办人、审核人或管理员可以办结' });
    }
    refuseClosedCase(locked); // already closed: read-only until reopened
    const status = decide(() => caseTransition(locked.status, 'close'));
    await repo.closeCase(trx, c.id, { status, by: who.user.id, at: now, rating: input.effectRating, conclusion: input.conclusion });
    await writeAudit(trx, {
      actor: who.actor,
      entity: 'case',
      entityId: c.id,
      caseId: c.id,
      action: 'case.close',
      before: { status: locked.status, effectRating: locked.effect_rating, conclusion: locked.conclusion },
      after: { status, closedAt: now.toISOString(), effectRating: input.effectRating, conclusion: input.conclusion },
    });
    const closedReason = '事件已办结，不再发布进展';
    const cancelled = await repo.cancelOpenObligations(trx, c.id, ['update'], closedReason, now);
    for (const o of cancelled) {
      await writeAudit(trx, {
        actor: who.actor,
        entity: 'obligation',
        entityId: o.id,
        caseId: c.id,
        action: 'obligation.cancel',
        before: { status: 'open', kind: o.kind, seq: o.seq, dueAt: o.due_at.toISOString() },
        after: { status: 'cancelled', reason: closedReason },
      });
    }
    return notifyClosed(trx, locked, input.effectRating, who.user.id, now);
  });
  await deps.emit({ type: 'case.updated', caseId: c.id });
  for (const ev of notices) await deps.emit(ev);
  return state(deps, c.id);
}

export async function reopenCase(deps: ModuleDeps, who: Who, caseId: string, reason: string): Promise<CaseStateView> {
  const c = await caseFor(deps.db, caseId, who.user);
  const now = deps.now();
  const notices = await deps.db.transaction().execute(async (trx): Promise<AppEvent[]> => {
    const locked = await lockCase(trx, c.id, who.user);
    if (!locked) throw caseNotFound();
    const status = decide(() => caseTransition(locked.status, 'reopen'));
    await repo.reopenCase(trx, c.id, { status, at: now });
    await rearmObligations(trx, now, c.id); // the sweep parked them while the case was closed
    await writeAudit(trx, {
      actor: who.actor,
      entity: 'case',
      entityId: c.id,
      caseId: c.id,
      action: 'case.reopen',
      before: { status: locked.status, closedAt: iso(locked.closed_at), closedBy: locked.closed_by, effectRating: locked.effect_rating },
      after: { status, reason },
    });
    // A reopened major case owes updates again (closing cancelled the open one).
    await scheduleNextUpdate(trx, locked, now, who, now, 'case.reopen');
    return notifyReopened(trx, locked, reason, who.user.id, now);
  });
  await deps.emit({ type: 'case.updated', caseId: c.id });
  for (const ev of notices) await deps.emit(ev);
  return state(deps, c.id);
}

async function state(deps: ModuleDeps, caseId: string): Promise<CaseStateView> {
  const c = await findCase(deps.db, caseId);
  if (!c) throw caseNotFound();
  return presentCaseState(c);
}

/**
 * Heat before vs after the first publication T: the after window runs from T for the whole hours
 * elapsed since (at least 1, at most 72), the before window is as long and ends at T. Without a
 * publication, the 72 hours before now.
 */
export async function caseHeat(deps: ModuleDeps, who: Who, caseId: string): Promise<HeatView> {
  const c = await caseFor(deps.db, caseId, who.user);
  const now = deps.now();
  const published = await repo.firstPublishedAt(deps.db, c.id);
  const at = published ?? now;
  const hours = published
    ? Math.min(HEAT_WINDOW_MAX_HOURS, Math.max(1, Math.floor((now.getTime() - published.getTime()) / HOUR_MS)))
    : HEAT_WINDOW_MAX_HOURS;
  const h = await repo.caseHeat(deps.db, c.id, at, hours);
  const perHour = (n: number) => round(n / hours, 2) as number;
  return {
    caseId: c.id,
    publishedAt: iso(published),
    windowHours: hours,
    before: { ...h.before, itemsPerHour: perHour(h.before.items) },
    after: published ? { ...h.after, itemsPerHour: perHour(h.after.items) } : null,
    newSourcesAfter: published ? h.newSourcesAfter : null,
    series: h.series
      .filter((s) => published !== null || s.hour < 0)
      .map((s) => ({ hour: s.hour, startsAt: new Date(at.getTime() + s.hour * HOUR_MS).toISOString(), items: s.items })),
  };
}
