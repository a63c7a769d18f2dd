import { caseTransition, kindsMetBy, nextRecurrence, obligationsFor, policyFor, responseTransition } from '../../core/workflow/index.js';
import { nextStepAt } from '../../core/workflow/escalation.js';
import type { Channel, ObligationKind } from '../../core/vocabulary.js';
import type { Db } from '../../db/client.js';
import type { Case } from '../../db/schema-workflow.js';
import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import { findOpenObligation, meetObligations } from '../../db/repos/obligations.js';
import { deadlineContext, loadPolicies } from '../../db/repos/policies.js';
import * as repo from '../../db/repos/responses.js';
import { conflict } from '../../platform/errors.js';
import { refuseClosedCase } from '../shared/closed-case.js';
import { recordedTime } from '../shared/recorded-time.js';
import { iso } from '../shared/present.js';
import { caseNotFound, decide } from './guard.js';
import type { PublishResult } from './schema.js';
import type { Who } from './guard.js';
import type { AppEvent } from '../../platform/queues.js';
import { notifyPublished } from '../notifications/handoffs.js';
import { scheduleForwardFeedback } from '../forwarding/service.js';
import { askCallback } from '../callbacks/service.js';

const HOUR_MS = 3_600_000;

export interface PublishArgs {
  caseId: string;
  rid: string;
  who: Who;
  channel: Channel;
  url: string;
  /** The publication time the person typed (补录), or undefined: now. */
  typedAt: string | undefined;
  /** How far back a handler may date it (BACKFILL_MAX_HOURS); further back only a reviewer. */
  maxBackfillHours: number;
  now: Date;
}

/**
 * Publishes an approved response, all in the caller's transaction: the response, the case status
 * (the first publication sets responded_at and the follow-up window), the obligations it meets,
 * the next recurring update for major levels, and one audit row per change.
 * Returns undefined when the response does not belong to the case.
 */
export async function publishInTransaction(trx: Db, a: PublishArgs): Promise<(Omit<PublishResult, 'response'> & { notices: AppEvent[] }) | undefined> {
  const c = await lockCase(trx, a.caseId, a.who.user);
  if (!c) throw caseNotFound();
  refuseClosedCase(c);
  const r = await repo.lockResponse(trx, c.id, a.rid);
  if (!r) return undefined;
  if (r.status !== 'approved') {
    throw conflict(`Only an approved response can be published; this one is ${r.status}`, '只有审核通过的回应才能发布', { status: r.status });
  }
  const nextStatus = decide(() => responseTransition(r.status, 'publish', a.who.user.role));
  const caseStatus = decide(() => caseTransition(c.status, 'publish'));
  // Never before the opinion was first seen or the response approved; 补录 beyond the limit: a reviewer.
  const { at: publishedAt, backfilled } = recordedTime({
    field: 'publishedAt',
    label: '发布时间',
    typed: a.typedAt,
    now: a.now,
    notBefore: [{ at: c.clock_started_at, what: 'case_start' }, ...(r.reviewed_at ? [{ at: r.reviewed_at, what: 'approval' as const }] : [])],
    maxHours: a.maxBackfillHours,
    role: a.who.user.role,
  });
  const rules = await loadPolicies(trx);
  const first = c.responded_at === null;
  const followUpUntil = first ? new Date(publishedAt.getTime() + policyFor(rules, c.level, c.category).followUpHours * HOUR_MS) : undefined;

  const published = await repo.updateResponse(
    trx,
    r.id,
    { status: nextStatus, published_by: a.who.user.id, published_at: publishedAt, channel: a.channel, url: a.url, backfilled },
    a.now,
  );
  await writeAudit(trx, {
    actor: a.who.actor,
    entity: 'response',
    entityId: r.id,
    caseId: c.id,
    action: 'response.publish',
    before: { status: r.status },
    after: { status: published.status, channel: a.channel, url: a.url, publishedAt: publishedAt.toISOString(), backfilled },
  });

  await repo.markCaseResponded(trx, c.id, { status: caseStatus, respondedAt: first ? publishedAt : undefined, followUpUntil, at: a.now });
  if (caseStatus !== c.status || first) {
    await writeAudit(trx, {
      actor: a.who.actor,
      entity: 'case',
      entityId: c.id,
      caseId: c.id,
      action: 'case.respond',
      before: { status: c.status, respondedAt: iso(c.responded_at), followUpUntil: iso(c.follow_up_until) },
      after: { status: caseStatus, respondedAt: iso(first ? publishedAt : c.responded_at), followUpUntil: iso(followUpUntil ?? c.follow_up_until) },
    });
  }

  const met = await meetObligations(trx, c.id, kindsMetBy(a.channel), publishedAt, `response:${r.id}`);
  for (const m of met) {
    await writeAudit(trx, {
      actor: a.who.actor,
      entity: 'obligation',
      entityId: m.id,
      caseId: c.id,
      action: 'obligation.met',
      before: { status: 'open' },
      after: { status: 'met', kind: m.kind, metAt: publishedAt.toISOString(), onTime: m.onTime, by: `response:${r.id}` },
    });
  }

  const nextUpdate = caseStatus === 'closed' ? null : await scheduleNextUpdate(trx, c, publishedAt, a.who, a.now, `response:${r.id}`);
  const notices = await notifyPublished(trx, c, { channel: a.channel, publishedAt: publishedAt }, a.who.user.id, a.now);
  // A forwarded opinion now owes its forwarding office feedback (向转办单位反馈办理情况).
  if (caseStatus !== 'closed') notices.push(...(await scheduleForwardFeedback(trx, c, publishedAt, a.who, a.now)));
  // A hotline / mailbox reply asks for a 回访 (services/callbacks).
  if (caseStatus !== 'closed') notices.push(...(await askCallback(trx, c, publishedAt, a.who.user.id, a.now)));

  return {
    case: {
      id: c.id,
      status: caseStatus,
      respondedAt: iso(first ? publishedAt : c.responded_at),
      followUpUntil: iso(followUpUntil ?? c.follow_up_until),
    },
    obligationsMet: met.map((m) => ({ id: m.id, kind: m.kind as ObligationKind, onTime: m.onTime })),
    nextUpdate,
    notices,
  };
}

/**
 * Major cases owe an update at least every 24 h until closed: the next recurring 'update'
 * obligation, counted from `from` (a publication, or a reopening), with its audit row. Nothing for
 * other levels, or when an update is already open.
 */
export async function scheduleNextUpdate(
  trx: Db,
  c: Case,
  from: Date,
  who: Who,
  now: Date,
  cause: string,
): Promise<PublishResult['nextUpdate']> {
  const rules = await loadPolicies(trx);
  const updateSpec = obligationsFor(rules, c.level, c.category).find((s) => s.kind === 'update');
  if (!updateSpec) return null;
  const open = await findOpenObligation(trx, c.id, 'update');
  if (open) return null;
  const next = nextRecurrence(updateSpec, from, await deadlineContext(trx));
  if (!next) return null;
  const seq = (await repo.lastSeq(trx, c.id, 'update')) + 1;
  const id = await repo.insertObligation(trx, {
    caseId: c.id,
    kind: 'update',
    seq,
    window: next.window,
    startedAt: next.startedAt,
    dueAt: next.dueAt,
    period: next.period,
    // Responses exist by now, so the "no draft yet" reminder never applies to an update.
    nextStepAt: nextStepAt({ ...next, kind: 'update', metAt: null }, policyFor(rules, c.level, c.category).escalationSteps, new Set(), { hasDraft: true }),
    note: `持续发布进展（第 ${seq} 次）`,
    now,
  });
  if (id === null) return null;
  await writeAudit(trx, {
    actor: who.actor,
    entity: 'obligation',
    entityId: id,
    caseId: c.id,
    action: 'obligation.create',
    after: {
      kind: 'update',
      seq,
      startedAt: next.startedAt.toISOString(),
      dueAt: next.dueAt.toISOString(),
      ...(next.period ? { period: next.period } : {}),
      after: cause,
    },
  });
  return { id, seq, dueAt: next.dueAt.toISOString() };
}
