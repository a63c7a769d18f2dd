import { sql } from 'kysely';
import type { Db } from '../client.js';

// 交接班 records (services/handovers) and the reads that pre-fill one: alerts still untriaged,
// cases opened during the shift, deadlines falling in the next shift, pushes not acknowledged.

const PREFILL_LIMIT = 50;

export interface HandoverRow {
  id: number;
  day: string;
  shift_id: number;
  shift_name: string;
  starts_at: Date;
  ends_at: Date;
  from_user_id: number | null;
  from_name: string | null;
  to_user_id: number | null;
  to_name: string | null;
  next_day: string | null;
  next_shift_id: number | null;
  next_starts_at: Date | null;
  next_leader_user_id: number | null;
  notes: string;
  snapshot: unknown;
  submitted_at: Date | null;
  accepted_at: Date | null;
  accepted_by: number | null;
  accepted_by_name: string | null;
  accept_note: string;
  leader_notified_at: Date | null;
}

const SELECT = sql`
  h.id, to_char(h.day, 'YYYY-MM-DD') as day, h.shift_id, h.shift_name, h.starts_at, h.ends_at,
  h.from_user_id, f.display_name as from_name, h.to_user_id, t.display_name as to_name,
  to_char(h.next_day, 'YYYY-MM-DD') as next_day, h.next_shift_id, h.next_starts_at, h.next_leader_user_id,
  h.notes, h.snapshot, h.submitted_at, h.accepted_at, h.accepted_by, a.display_name as accepted_by_name,
  h.accept_note, h.leader_notified_at`;
const FROM = sql`duty_handovers h
  left join users f on f.id = h.from_user_id
  left join users t on t.id = h.to_user_id
  left join users a on a.id = h.accepted_by`;

export async function findHandover(db: Db, id: number): Promise<HandoverRow | undefined> {
  const r = await sql<HandoverRow>`select ${SELECT} from ${FROM} where h.id = ${id}`.execute(db);
  return r.rows[0];
}

export async function findHandoverOf(db: Db, day: string, shiftId: number): Promise<HandoverRow | undefined> {
  const r = await sql<HandoverRow>`select ${SELECT} from ${FROM} where h.day = ${day}::date and h.shift_id = ${shiftId}`.execute(db);
  return r.rows[0];
}

/** Locks one record (for accept) and returns it. */
export async function lockHandover(trx: Db, id: number): Promise<HandoverRow | undefined> {
  await sql`select 1 from duty_handovers where id = ${id} for update`.execute(trx);
  return findHandover(trx, id);
}

export interface HandoverSlotFields {
  day: string;
  shiftId: number;
  shiftName: string;
  startsAt: Date;
  endsAt: Date;
  fromUserId: number | null;
  toUserId: number | null;
  nextDay: string | null;
  nextShiftId: number | null;
  nextStartsAt: Date | null;
  nextLeaderUserId: number | null;
}

/**
 * Submits the handover of a shift: inserts it, or fills a record the sweep created before anyone
 * wrote it. Returns the id, or null if it was submitted already (one record per shift).
 */
export async function submitHandover(trx: Db, f: HandoverSlotFields, notes: string, snapshot: unknown, now: Date): Promise<number | null> {
  const r = await sql<{ id: number }>`
    insert into duty_handovers (day, shift_id, shift_name, starts_at, ends_at, from_user_id, to_user_id, next_day, next_shift_id,
      next_starts_at, next_leader_user_id, notes, snapshot, submitted_at, created_at)
    values (${f.day}::date, ${f.shiftId}, ${f.shiftName}, ${f.startsAt}, ${f.endsAt}, ${f.fromUserId}, ${f.toUserId}, ${f.nextDay}::date,
      ${f.nextShiftId}, ${f.nextStartsAt}, ${f.nextLeaderUserId}, ${notes}, ${JSON.stringify(snapshot)}::jsonb, ${now}, ${now})
    on conflict (day, shift_id) do update set
      from_user_id = excluded.from_user_id, to_user_id = excluded.to_user_id, next_day = excluded.next_day,
      next_shift_id = excluded.next_shift_id, next_starts_at = excluded.next_starts_at, next_leader_user_id = excluded.next_leader_user_id,
      notes = excluded.notes, snapshot = excluded.snapshot, submitted_at = excluded.submitted_at
      where duty_handovers.submitted_at is null
    returning id`.execute(trx);
  return r.rows[0]?.id ?? null;
}

/** Marks a submitted, unaccepted record accepted; false if it was accepted meanwhile. */
export async function acceptHandover(trx: Db, id: number, userId: number, note: string, now: Date): Promise<boolean> {
  const r = await sql`
    update duty_handovers set accepted_at = ${now}, accepted_by = ${userId}, accept_note = ${note}
    where id = ${id} and submitted_at is not null and accepted_at is null`.execute(trx);
  return Number(r.numAffectedRows ?? 0n) > 0;
}

/**
 * Takes the leader notice of a shift's handover (creating the record if nobody wrote one): true
 * exactly once per shift, and only while the handover is not accepted.
 */
export async function claimLeaderNotice(trx: Db, f: HandoverSlotFields, now: Date): Promise<HandoverRow | null> {
  await sql`
    insert into duty_handovers (day, shift_id, shift_name, starts_at, ends_at, from_user_id, to_user_id, next_day, next_shift_id,
      next_starts_at, next_leader_user_id, created_at)
    values (${f.day}::date, ${f.shiftId}, ${f.shiftName}, ${f.startsAt}, ${f.endsAt}, ${f.fromUserId}, ${f.toUserId}, ${f.nextDay}::date,
      ${f.nextShiftId}, ${f.nextStartsAt}, ${f.nextLeaderUserId}, ${now})
    on conflict (day, shift_id) do nothing`.execute(trx);
  const r = await sql<{ id: number }>`
    update duty_handovers set leader_notified_at = ${now}
    where day = ${f.day}::date and shift_id = ${f.shiftId} and accepted_at is null and leader_notified_at is null
    returning id`.execute(trx);
  const id = r.rows[0]?.id;
  return id === undefined ? null : ((await findHandover(trx, id)) ?? null);
}

/** Past handovers starting in [from, to), newest first. */
export async function listHandovers(db: Db, from: Date, to: Date): Promise<HandoverRow[]> {
  const r = await sql<HandoverRow>`
    select ${SELECT} from ${FROM} where h.starts_at >= ${from} and h.starts_at < ${to}
    order by h.starts_at desc, h.shift_id desc limit 500`.execute(db);
  return r.rows;
}

/** Submitted handovers waiting for `userId` to accept. */
export async function handoversToAccept(db: Db, userId: number): Promise<HandoverRow[]> {
  const r = await sql<HandoverRow>`
    select ${SELECT} from ${FROM} where h.to_user_id = ${userId} and h.submitted_at is not null and h.accepted_at is null
    order by h.starts_at limit 20`.execute(db);
  return r.rows;
}

// ── Pre-fill ────────────────────────────────────────────────────────────────────────────────────

export async function untriagedAlertList(db: Db) {
  const r = await sql<{ id: string; title: string; created_at: Date; total: number }>`
    select a.id::text as id, s.title, a.created_at, count(*) over ()::int as total
    from alerts a join stories s on s.id = a.story_id
    where a.status = 'new' order by a.created_at limit ${PREFILL_LIMIT}`.execute(db);
  return r.rows;
}

export async function casesOpenedBetween(db: Db, from: Date, to: Date) {
  const r = await sql<{ id: string; number: string; title: string; level: string; department: string | null; opened_at: Date }>`
    select c.id::text as id, c.number, c.title, c.level, d.name as department, c.opened_at
    from cases c left join departments d on d.id = c.lead_department_id
    where c.opened_at >= ${from} and c.opened_at < ${to} order by c.opened_at limit ${PREFILL_LIMIT}`.execute(db);
  return r.rows;
}

export async function deadlinesBetween(db: Db, from: Date, to: Date) {
  const r = await sql<{ case_id: string; number: string; title: string; kind: string; due_at: Date }>`
    select c.id::text as case_id, c.number, c.title, o.kind, o.due_at
    from obligations o join cases c on c.id = o.case_id
    where o.status = 'open' and c.status <> 'closed' and o.due_at >= ${from} and o.due_at < ${to}
    order by o.due_at limit ${PREFILL_LIMIT}`.execute(db);
  return r.rows;
}

/** Alert pushes nobody acknowledged yet (the alert still new). */
export async function unacknowledgedPushList(db: Db) {
  const r = await sql<{ alert_id: string; title: string; pushed_at: Date; next_due_at: Date | null }>`
    select p.alert_id::text as alert_id, s.title, p.pushed_at, p.next_due_at
    from alert_pushes p join alerts a on a.id = p.alert_id join stories s on s.id = a.story_id
    where p.acknowledged_at is null and a.status = 'new'
    order by p.pushed_at limit ${PREFILL_LIMIT}`.execute(db);
  return r.rows;
}
