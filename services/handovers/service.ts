import { handoverSlotOf, handoversDueAt, nextSlot, slotsOf, type OnDuty, type Shift } from '../../core/roster.js';
import { addDays, formatYmd, shanghaiInstant, shanghaiParts } from '../../core/business-time.js';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../../db/repos/audit.js';
import * as repo from '../../db/repos/handovers.js';
import type { HandoverRow, HandoverSlotFields } from '../../db/repos/handovers.js';
import { leadersInCharge, listRoster, listShifts, toEntry, userNames } from '../../db/repos/roster.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import type { AppEvent } from '../../platform/queues.js';
import { createdEvents, notify, type Notice } from '../notifications/notify.js';
import type { Actor, SessionUser } from '../shared/actor.js';
import type { HandoverAcceptInput, HandoverCurrentView, HandoverSnapshot, HandoverSubmitInput, HandoverView } from './schema.js';

// 交接班. At the end of a shift the outgoing duty officer writes the handover: the product
// pre-fills what the next shift must know (alerts still untriaged, cases opened in the shift,
// deadlines falling in the next shift, pushes nobody acknowledged) and keeps it as a snapshot
// with the officer's notes; the incoming officer is told and accepts it. Both are audited. The
// sweep (handovers.sweep) tells the leader on duty, once, when a handover is not accepted 30
// minutes into the next shift (or was never written).

/** Events to publish after commit. */
export type Publish = (ev: AppEvent) => Promise<void>;

const handoverNotFound = () => notFound('Handover', '交接班记录');
const NO_DEADLINE_SHIFT_MS = 16 * 3600_000;

/** The roster slots around `t` (three days back, two ahead) with their shifts. */
async function slotsAround(db: Db, t: Date): Promise<{ slots: OnDuty[]; shifts: Shift[] }> {
  const day = shanghaiParts(t).day;
  const [shifts, rows] = await Promise.all([listShifts(db), listRoster(db, formatYmd(addDays(day, -3)), formatYmd(addDays(day, 2)))]);
  return { slots: slotsOf(rows.map(toEntry), shifts), shifts };
}

const shiftName = (shifts: readonly Shift[], id: number) => shifts.find((s) => s.id === id)?.name ?? '';

function slotFields(from: OnDuty, to: OnDuty | null, shifts: readonly Shift[]): HandoverSlotFields {
  return {
    day: from.day,
    shiftId: from.shiftId,
    shiftName: shiftName(shifts, from.shiftId),
    startsAt: from.startsAt,
    endsAt: from.endsAt,
    fromUserId: from.primary,
    toUserId: to?.primary ?? null,
    nextDay: to?.day ?? null,
    nextShiftId: to?.shiftId ?? null,
    nextStartsAt: to?.startsAt ?? null,
    nextLeaderUserId: to?.leader ?? null,
  };
}

/** What the product pre-fills at `now` for a shift handing over to `next`. */
export async function prefill(db: Db, slot: OnDuty, next: OnDuty | null, now: Date): Promise<HandoverSnapshot> {
  const openedTo = new Date(Math.min(now.getTime(), slot.endsAt.getTime()));
  const dlFrom = next?.startsAt ?? slot.endsAt;
  const dlTo = next?.endsAt ?? new Date(slot.endsAt.getTime() + NO_DEADLINE_SHIFT_MS);
  const [alerts, opened, deadlines, pushes] = await Promise.all([
    repo.untriagedAlertList(db),
    repo.casesOpenedBetween(db, slot.startsAt, openedTo),
    repo.deadlinesBetween(db, dlFrom, dlTo),
    repo.unacknowledgedPushList(db),
  ]);
  return {
    untriaged: { total: alerts[0]?.total ?? 0, items: alerts.map((a) => ({ id: a.id, title: a.title, createdAt: a.created_at.toISOString() })) },
    opened: opened.map((c) => ({ id: c.id, number: c.number, title: c.title, level: c.level, department: c.department, openedAt: c.opened_at.toISOString() })),
    deadlines: {
      from: dlFrom.toISOString(),
      to: dlTo.toISOString(),
      items: deadlines.map((d) => ({ caseId: d.case_id, number: d.number, title: d.title, kind: d.kind, dueAt: d.due_at.toISOString() })),
    },
    pushes: pushes.map((p) => ({ alertId: p.alert_id, title: p.title, pushedAt: p.pushed_at.toISOString(), nextDueAt: p.next_due_at ? p.next_due_at.toISOString() : null })),
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const person = (id: number | null, name: string | null) => (id === null ? null : { id, name: name ?? '' });

export function presentHandover(r: HandoverRow): HandoverView {
  const snap = r.snapshot && typeof r.snapshot === 'object' && 'untriaged' in (r.snapshot as object) ? (r.snapshot as HandoverSnapshot) : null;
  return {
    id: r.id,
    day: r.day,
    shiftId: r.shift_id,
    shiftName: r.shift_name,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    from: person(r.from_user_id, r.from_name),
    to: person(r.to_user_id, r.to_name),
    nextStartsAt: iso(r.next_starts_at),
    notes: r.notes,
    snapshot: r.submitted_at ? snap : null,
    submittedAt: iso(r.submitted_at),
    acceptedAt: iso(r.accepted_at),
    acceptedBy: person(r.accepted_by, r.accepted_by_name),
    acceptNote: r.accept_note,
    leaderNotifiedAt: iso(r.leader_notified_at),
    state: r.accepted_at ? 'accepted' : r.submitted_at ? 'submitted' : 'missing',
  };
}

async function presentSlot(db: Db, s: OnDuty | null, shifts: readonly Shift[]) {
  if (!s) return null;
  const names = await userNames(db, [s.primary, s.leader].filter((x): x is number => x !== null));
  return {
    day: s.day,
    shiftId: s.shiftId,
    shiftName: shiftName(shifts, s.shiftId),
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    primary: person(s.primary, names.get(s.primary) ?? null),
    leader: s.leader === null ? null : person(s.leader, names.get(s.leader) ?? null),
  };
}

/** The handover screen of `user` at `now`: their shift, the next one, the pre-filled draft (or what they submitted), and what waits for them to accept. */
export async function currentHandover(db: Db, user: SessionUser, now: Date): Promise<HandoverCurrentView> {
  const { slots, shifts } = await slotsAround(db, now);
  const slot = handoverSlotOf(slots, user.id, now);
  const next = slot ? nextSlot(slots, slot) : null;
  const [existing, toAccept] = await Promise.all([slot ? repo.findHandoverOf(db, slot.day, slot.shiftId) : undefined, repo.handoversToAccept(db, user.id)]);
  const submitted = existing?.submitted_at ? presentHandover(existing) : null;
  return {
    slot: await presentSlot(db, slot, shifts),
    next: await presentSlot(db, next, shifts),
    submitted,
    prefill: slot && !submitted ? await prefill(db, slot, next, now) : null,
    toAccept: toAccept.map(presentHandover),
  };
}

function counts(s: HandoverSnapshot) {
  return { untriaged: s.untriaged.total, opened: s.opened.length, deadlines: s.deadlines.items.length, pushes: s.pushes.length };
}

async function commitEvents(events: readonly AppEvent[], publish: Publish | undefined): Promise<void> {
  if (publish) for (const ev of events) await publish(ev).catch(() => {});
}

/** The outgoing officer submits the handover of their shift (once); the incoming officer is told. */
export async function submitHandover(db: Db, user: SessionUser, actor: Actor, input: HandoverSubmitInput, now: Date, publish?: Publish): Promise<HandoverView> {
  const { slots, shifts } = await slotsAround(db, now);
  const slot = handoverSlotOf(slots, user.id, now);
  if (!slot) throw conflict('You are not on a rostered shift now; only the duty officer of a shift writes its handover', '您当前不在值班表的班次上，只有本班值班员可以填写交接班记录');
  const next = nextSlot(slots, slot);
  const snapshot = await prefill(db, slot, next, now);
  const fields = slotFields(slot, next, shifts);
  const events: AppEvent[] = [];
  const view = await db.transaction().execute(async (trx) => {
    const id = await repo.submitHandover(trx, { ...fields, fromUserId: user.id }, input.notes, snapshot, now);
    if (id === null) throw conflict('The handover of this shift was already submitted', '本班的交接班记录已提交，不能重复提交');
    const row = (await repo.findHandover(trx, id))!;
    await writeAudit(trx, { actor, entity: 'handover', entityId: String(id), action: 'handover.submit', after: { day: slot.day, shiftId: slot.shiftId, toUserId: fields.toUserId, notes: input.notes, ...counts(snapshot) } });
    if (fields.toUserId !== null && fields.toUserId !== user.id) {
      const notices: Notice[] = [
        {
          userId: fields.toUserId,
          caseId: null,
          key: 'handover.submitted',
          params: { fromName: user.displayName, shiftName: fields.shiftName, startsAt: slot.startsAt.toISOString(), notes: input.notes || '无', ...counts(snapshot) },
        },
      ];
      const ids = await notify(trx, notices, now);
      events.push(...createdEvents(notices, ids));
    }
    return presentHandover(row);
  });
  await commitEvents(events, publish);
  return view;
}

/** The incoming officer (the one it was handed to, or whoever the roster now puts on that next shift) accepts. */
export async function acceptHandover(db: Db, user: SessionUser, actor: Actor, id: number, input: HandoverAcceptInput, now: Date, publish?: Publish): Promise<HandoverView> {
  const events: AppEvent[] = [];
  const view = await db.transaction().execute(async (trx) => {
    const row = await repo.lockHandover(trx, id);
    if (!row) throw handoverNotFound();
    if (!row.submitted_at) throw conflict('The handover was not submitted yet', '交接班记录尚未提交，不能接班');
    if (row.accepted_at) throw conflict('The handover was already accepted', '该交接班已确认接班');
    let allowed = row.to_user_id === user.id;
    if (!allowed && row.next_day !== null && row.next_shift_id !== null) {
      const next = (await listRoster(trx, row.next_day, row.next_day)).find((r) => r.shift_id === row.next_shift_id);
      allowed = next !== undefined && (next.primary_user_id === user.id || next.backup_user_id === user.id);
    }
    if (!allowed) throw new AppError({ code: 'FORBIDDEN', message: 'Only the incoming duty officer accepts a handover', messageZh: '只有下一班的值班员可以确认接班' });
    if (!(await repo.acceptHandover(trx, id, user.id, input.note, now))) throw conflict('The handover was already accepted', '该交接班已确认接班');
    await writeAudit(trx, { actor, entity: 'handover', entityId: String(id), action: 'handover.accept', after: { note: input.note } });
    if (row.from_user_id !== null && row.from_user_id !== user.id) {
      const notices: Notice[] = [
        {
          userId: row.from_user_id,
          caseId: null,
          key: 'handover.accepted',
          params: { toName: user.displayName, shiftName: row.shift_name, startsAt: row.starts_at.toISOString(), acceptedAt: now.toISOString(), note: input.note },
        },
      ];
      const ids = await notify(trx, notices, now);
      events.push(...createdEvents(notices, ids));
    }
    return presentHandover((await repo.findHandover(trx, id))!);
  });
  await commitEvents(events, publish);
  return view;
}

export async function getHandover(db: Db, id: number): Promise<HandoverView> {
  const row = await repo.findHandover(db, id);
  if (!row) throw handoverNotFound();
  return presentHandover(row);
}

/** The handovers of shifts starting in a month (Beijing), newest first. */
export async function handoversOfMonth(db: Db, month: string): Promise<HandoverView[]> {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = shanghaiInstant({ y, m, d: 1 }, 0);
  const to = shanghaiInstant(m === 12 ? { y: y + 1, m: 1, d: 1 } : { y, m: m + 1, d: 1 }, 0);
  return (await repo.listHandovers(db, from, to)).map(presentHandover);
}

/**
 * One sweep tick: for every shift whose next shift began 30 minutes ago or more (within a day),
 * a handover not accepted — or never written — is reported to the next shift's leader on duty
 * (else the leaders in charge), exactly once per shift (the record's leader_notified_at).
 */
export async function sweepHandovers(db: Db, now: Date, opts: { publish?: Publish } = {}): Promise<{ notified: number }> {
  const { slots, shifts } = await slotsAround(db, now);
  let notified = 0;
  for (const { from, to } of handoversDueAt(slots, now)) {
    const existing = await repo.findHandoverOf(db, from.day, from.shiftId);
    if (existing && (existing.accepted_at || existing.leader_notified_at)) continue;
    const events: AppEvent[] = [];
    await db.transaction().execute(async (trx) => {
      const row = await repo.claimLeaderNotice(trx, slotFields(from, to, shifts), now);
      if (!row) return;
      const leaders = to.leader !== null ? [to.leader] : await leadersInCharge(trx);
      const names = await userNames(trx, [from.primary, to.primary]);
      const key = row.submitted_at ? ('handover.not_accepted' as const) : ('handover.not_submitted' as const);
      const params = {
        shiftName: row.shift_name,
        startsAt: from.startsAt.toISOString(),
        endsAt: from.endsAt.toISOString(),
        fromName: names.get(from.primary) ?? '',
        toName: names.get(to.primary) ?? '',
      };
      const notices: Notice[] = leaders.map((userId) => ({ userId, caseId: null, key, params, urgent: true }));
      const ids = await notify(trx, notices, now);
      events.push(...createdEvents(notices, ids));
      await writeAudit(trx, { actor: null, entity: 'handover', entityId: String(row.id), action: 'handover.leader_notified', after: { key, leaders } });
      notified += 1;
    });
    await commitEvents(events, opts.publish);
  }
  return { notified };
}
