import type { Db } from '../../db/client.js';
import {
  fireKey,
  insertFires,
  lockSweepCandidates,
  resolveTargets,
  setNextStepAt,
  targetKey,
  type Recipient,
  type SweepCandidate,
} from '../../db/repos/escalations.js';
import { lockAuditChainHead, writeAuditMany, type AuditEntry } from '../../db/repos/audit.js';
import { enabledChannels, insertNotifications, type NewNotificationOf } from '../../db/repos/notifications.js';
import { loadPolicies } from '../../db/repos/policies.js';
import { activePeriodAt } from '../../db/repos/periods.js';
import { deferForQuietHours, dueSteps, policyFor, stepFireAt, DEFAULT_POLICY } from '../../core/workflow/index.js';
import { nextStepAt } from '../../core/workflow/escalation.js';
import type { EscalationStep, ObligationSpec, PolicyRule, QuietHours } from '../../core/workflow/types.js';
import { noticeKind, renderNotice } from '../../core/notices.js';
import type { Category, Level } from '../../core/vocabulary.js';
import type { AppEvent } from '../../platform/queues.js';
import { paramsAsOf, stepNotice } from './step-notice.js';

// The escalation sweep (job cases.sweep, worker/jobs/cases.sweep.ts): fires every escalation step that is due. All state is in Postgres: the obligations
// (due times, and next_step_at: when the next unfired step is due) and escalation_fires (unique per
// obligation × step). A tick reads only obligations whose next_step_at has come, fires their due
// steps and moves next_step_at to the next unfired step (or null) in the same transaction. A sweep may run in any number of
// processes at once, after Redis lost everything, or after a crash: candidates are locked with
// `for update skip locked`, and a step's notices are written only by the transaction whose insert
// into escalation_fires succeeded — in the same transaction, so a crash rolls both back together.

export const SWEEP_BATCH = 1000;

export interface SweepOptions {
  /** Quiet hours for non-urgent notices (null: none); suspended while a heightened period is active. */
  quiet: QuietHours | null;
  /** The policy rules; default: the policies table (seeded with DEFAULT_POLICY). */
  policies?: readonly PolicyRule[];
  batchSize?: number;
  /** Published after each batch commits. */
  publish?: (ev: AppEvent) => Promise<void>;
  /** Test hook: runs inside the transaction once per inserted fire record, right after the batch's fire insert (before its notices). */
  afterFireInsert?: (info: { obligationId: string; stepId: string }) => Promise<void> | void;
}

export interface SweepResult {
  fired: number;
  notifications: number;
}

/** "22-7" → 22:00–07:00 Asia/Shanghai; "off" → none. */
export function parseQuietHours(text: string): QuietHours | null {
  const m = /^(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const startHour = Number(m[1]);
  const endHour = Number(m[2]);
  return startHour === endHour ? null : { startHour, endHour };
}

/** Longest calendar span a window can take: natural hours, or working days across weekends and the longest holidays. */
function spanBoundHours(spec: ObligationSpec): number {
  const hours = Math.max(spec.window.hours, spec.repeatEveryHours ?? 0);
  return spec.window.unit === 'natural' ? hours : hours * 1.4 + 14 * 24;
}

/**
 * How long before its due time an obligation's earliest step can be due (the bound behind the
 * conservative next_step_at backfill of migration 0004). A fraction step f of a window W is due (1 − f)·W before due; W is bounded by
 * the rule's obligation windows. An obligation whose window is longer than every policy window
 * (edited by hand) still has its steps fired, at the latest this long before due.
 */
export function maxLeadHours(rules: readonly PolicyRule[]): number {
  let lead = 0;
  for (const rule of rules) {
    for (const s of rule.escalationSteps) {
      const t = s.trigger;
      if (t.type === 'before_due') lead = Math.max(lead, t.hours);
      if (t.type !== 'fraction') continue;
      for (const spec of rule.obligations) {
        if (s.kinds && s.kinds.length > 0 && !s.kinds.includes(spec.kind)) continue;
        lead = Math.max(lead, (1 - t.fraction) * spanBoundHours(spec));
      }
    }
  }
  return lead;
}

async function currentPolicies(db: Db, given?: readonly PolicyRule[]): Promise<readonly PolicyRule[]> {
  if (given) return given;
  const rules = await loadPolicies(db);
  return rules.length > 0 ? rules : DEFAULT_POLICY;
}

/** One sweep: every due step fired exactly once, in batches, until nothing due is left unlocked. */
export async function sweepDueSteps(db: Db, now: Date, opts: SweepOptions): Promise<SweepResult> {
  const rules = await currentPolicies(db, opts.policies);
  // Quiet hours (免打扰) are suspended while a heightened period (重点时段) is active.
  const fireOpts: SweepOptions = opts.quiet && (await activePeriodAt(db, now)) ? { ...opts, quiet: null } : opts;
  const batchSize = opts.batchSize ?? SWEEP_BATCH;
  const total: SweepResult = { fired: 0, notifications: 0 };
  for (;;) {
    const events: AppEvent[] = [];
    const { candidates, moved, fired, notifications } = await db.transaction().execute(async (trx) => {
      // The audit chain's head first, before any obligation: a case change holds its case, may
      // write its audit row (taking the head until it commits) and then update the case's
      // obligations. Were the sweep to lock obligations first and then wait for the head, the two
      // would wait for each other. Taken first, the sweep waits holding nothing.
      await lockAuditChainHead(trx);
      const candidates = await lockSweepCandidates(trx, now, batchSize);
      const due: DueStep[] = [];
      const next: { obligationId: string; at: Date | null }[] = [];
      for (const c of candidates) {
        const done = new Set<string>(c.fired);
        // A closed case escalates no further; reopening re-arms its obligations.
        const steps = c.caseActive ? stepsOf(rules, c.level, c.category) : [];
        const ob = { startedAt: c.startedAt, dueAt: c.dueAt, kind: c.kind, metAt: null };
        for (const step of dueSteps(ob, steps, done, now, { hasDraft: c.hasDraft })) {
          due.push({ c, step, dueAt: stepFireAt(ob, step) });
          done.add(step.id); // fired now, or already by another transaction: either way not again
        }
        next.push({ obligationId: c.obligationId, at: nextStepAt(ob, steps, done, { hasDraft: c.hasDraft }) });
      }
      const { fired: nFired, notifications: nNotes } = await fireSteps(trx, due, next, now, fireOpts, events);
      const moved = next.filter((n) => n.at === null || n.at.getTime() > now.getTime()).length;
      return { candidates: candidates.length, moved, fired: nFired, notifications: nNotes };
    });
    total.fired += fired;
    total.notifications += notifications;
    if (opts.publish) for (const ev of events) await opts.publish(ev).catch(() => {});
    // A full batch that left nothing behind may have more after it; one that moved nothing would
    // come back unchanged: stop rather than spin.
    if (candidates < batchSize || moved === 0) return total;
  }
}

/** A step due in this batch (its fire record not yet attempted). */
interface DueStep {
  c: SweepCandidate;
  step: EscalationStep;
  dueAt: Date;
}

function stepsOf(rules: readonly PolicyRule[], level: Level, category: Category): readonly EscalationStep[] {
  try {
    return policyFor(rules, level, category).escalationSteps;
  } catch {
    return [];
  }
}

/**
 * Fires a batch's due steps and moves the batch's next_step_at on, with a fixed number of
 * statements: one insert of all fire records (a step another transaction already fired conflicts
 * and is skipped), then, for the fires actually inserted only, one statement for their
 * notifications and delivery rows, one for their audit rows (same transaction), and one update of
 * next_step_at. Batches travel as JSON parameters. Events are collected for publishing after commit.
 * What each notice says: step-notice.ts. A person reached by several steps of one obligation in the
 * same tick gets the latest step's notice only (the others are recorded as skipped in their audit rows).
 */
async function fireSteps(
  trx: Db,
  due: readonly DueStep[],
  next: readonly { obligationId: string; at: Date | null }[],
  now: Date,
  opts: SweepOptions,
  events: AppEvent[],
): Promise<SweepResult> {
  const fireIds =
    due.length === 0
      ? new Map<string, string>()
      : await insertFires(
          trx,
          due.map(({ c, step, dueAt }) => ({ caseId: c.caseId, obligationId: c.obligationId, stepId: step.id, target: step.target, dueAt, firedAt: now })),
        );
  const inserted = due.flatMap((d) => {
    const fireId = fireIds.get(fireKey(d.c.obligationId, d.step.id));
    return fireId === undefined ? [] : [{ ...d, fireId }];
  });
  if (inserted.length === 0) {
    await setNextStepAt(trx, next);
    return { fired: 0, notifications: 0 };
  }
  if (opts.afterFireInsert) for (const d of inserted) await opts.afterFireInsert({ obligationId: d.c.obligationId, stepId: d.step.id });

  const channels = await enabledChannels(trx);
  const targets = await resolveTargets(
    trx,
    inserted.map((d) => ({ target: d.step.target, leadDepartmentId: d.c.leadDepartmentId })),
  );
  const plans = inserted.map((d) => {
    const { c, step } = d;
    const notice = stepNotice(step, c.dueAt, now);
    const urgent = step.urgent || step.breach === true || notice.overdue || c.level === 'major' || c.level === 'especially_major';
    let deliverAfter = deferForQuietHours(now, opts.quiet, urgent);
    // A reminder whose delivery quiet hours would hold until the due time goes now.
    if (deliverAfter.getTime() >= c.dueAt.getTime()) deliverAfter = now;
    const target = targets.get(targetKey(step.target, c.leadDepartmentId)) ?? { recipients: [], fallback: 'none' };
    return { ...d, urgent, deliverAfter, target, notice, to: [] as Recipient[], skipped: [] as number[] };
  });
  // One notice per person and obligation per tick: the latest step's (plans are in fire-time order per obligation).
  const latest = new Map<string, number>();
  plans.forEach((p, i) => {
    for (const r of p.target.recipients) latest.set(`${p.c.obligationId}:${r.id}`, i);
  });
  plans.forEach((p, i) => {
    for (const r of p.target.recipients) {
      if (latest.get(`${p.c.obligationId}:${r.id}`) === i) p.to.push(r);
      else p.skipped.push(r.id);
    }
  });
  const notes: NewNotificationOf[] = plans.flatMap((p) => {
    const params = { caseNumber: p.c.caseNumber, caseTitle: p.c.caseTitle, obligationKind: p.c.kind, ...p.notice.params };
    const text = renderNotice(p.notice.key, params, 'zh');
    const later = p.deliverAfter.getTime() > now.getTime();
    const delivery = later ? renderNotice(p.notice.key, { ...params, ...paramsAsOf(p.notice, p.deliverAfter) }, 'zh') : undefined;
    return p.to.map((r) => ({
      userId: r.id,
      caseId: p.c.caseId,
      kind: noticeKind(p.notice.key),
      key: p.notice.key,
      params,
      title: text.title,
      body: text.body,
      urgent: p.urgent,
      deliverAfter: p.deliverAfter,
      user: { email: r.email, display_name: r.displayName },
      ...(delivery ? { delivery } : {}),
    }));
  });
  const ids = await insertNotifications(trx, notes, now, channels);
  let at = 0;
  const audit: AuditEntry[] = plans.map((p) => {
    const mine = ids.slice(at, at + p.to.length);
    at += p.to.length;
    return {
      actor: null,
      entity: 'obligation',
      entityId: p.c.obligationId,
      caseId: p.c.caseId,
      action: 'escalation.fire',
      after: {
        fireId: p.fireId,
        stepId: p.step.id,
        target: p.step.target,
        breach: p.step.breach === true,
        urgent: p.urgent,
        notice: p.notice.key,
        stepDueAt: p.dueAt.toISOString(),
        deliverAfter: p.deliverAfter.toISOString(),
        recipients: p.to.map((r) => r.id),
        ...(p.skipped.length > 0 ? { skippedForLaterStep: p.skipped } : {}),
        fallback: p.target.fallback,
        notifications: mine,
      },
    };
  });
  await writeAuditMany(trx, audit);
  await setNextStepAt(trx, next);
  at = 0;
  for (const p of plans) {
    for (const r of p.to) events.push({ type: 'notification.created', userId: r.id, notificationId: ids[at++]! });
    if (p.step.breach) events.push({ type: 'case.updated', caseId: p.c.caseId });
  }
  return { fired: inserted.length, notifications: ids.length };
}
