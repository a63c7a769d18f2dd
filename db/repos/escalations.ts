import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { Category, EscalationTarget, Level, ObligationKind, ReferralTarget } from '../../core/vocabulary.js';

// Escalation state: which open obligations have a due step (obligations.next_step_at), the
// fired-step records (unique per obligation × step: the guarantee that each step fires exactly
// once), who a target means, and the typed escalation records (上报 / 移交 / 协调).

export interface SweepCandidate {
  obligationId: string;
  caseId: string;
  kind: ObligationKind;
  startedAt: Date;
  dueAt: Date;
  caseNumber: string;
  caseTitle: string;
  level: Level;
  category: Category;
  leadDepartmentId: number;
  /** The case is open or responded (a closed case's obligations escalate no further). */
  caseActive: boolean;
  hasDraft: boolean;
  /** Step ids already fired for this obligation (read in the same statement). */
  fired: string[];
}

/**
 * Open obligations whose next step is due (`next_step_at <= now`, on the partial index
 * obligations_open_next_step: met, cancelled and fully fired obligations never enter), earliest
 * first, with the steps already fired for each (no second round trip), locked (`for update of o skip locked`: concurrent sweepers split the work instead of
 * waiting). The caller fires what is due and moves next_step_at on (setNextStepAt) in the same
 * transaction. Call inside a transaction: the locks last until it ends.
 */
export async function lockSweepCandidates(trx: Db, now: Date, limit: number): Promise<SweepCandidate[]> {
  const rows = await sweepCandidatesQuery(now, limit).execute(trx);
  return rows.rows.map((r) => ({
    obligationId: r.id,
    caseId: r.case_id,
    kind: r.kind,
    startedAt: r.started_at,
    dueAt: r.due_at,
    caseNumber: r.number,
    caseTitle: r.title,
    level: r.level,
    category: r.category,
    leadDepartmentId: r.lead_department_id,
    caseActive: r.case_active,
    hasDraft: r.has_draft,
    fired: r.fired,
  }));
}

/** The candidate query itself (exported for EXPLAIN in tests and benchmarks). */
export function sweepCandidatesQuery(now: Date, limit: number) {
  return sql<{
    id: string;
    case_id: string;
    kind: ObligationKind;
    started_at: Date;
    due_at: Date;
    number: string;
    title: string;
    level: Level;
    category: Category;
    lead_department_id: number;
    case_active: boolean;
    has_draft: boolean;
    fired: string[];
  }>`
    select o.id::text, o.case_id::text, o.kind, o.started_at, o.due_at,
           c.number, c.title, c.level, c.category, c.lead_department_id,
           c.status in ('open', 'responded') as case_active,
           exists (select 1 from responses r where r.case_id = o.case_id) as has_draft,
           array(select f.step_id from escalation_fires f where f.obligation_id = o.id) as fired
    from obligations o
    join cases c on c.id = o.case_id
    where o.status = 'open' and o.next_step_at is not null and o.next_step_at <= ${now}
    order by o.next_step_at, o.id
    limit ${limit}
    for update of o skip locked`;
}

/** Moves each obligation's next_step_at on (null: no step left), one statement for a batch. */
export async function setNextStepAt(trx: Db, next: readonly { obligationId: string; at: Date | null }[]): Promise<void> {
  if (next.length === 0) return;
  await sql`${updateNextStepAt(next)} select 1`.execute(trx);
}

/**
 * The update behind setNextStepAt as a CTE (`with next as (…)`). The batch travels as one JSON
 * parameter. The `= any(ids)` lets the planner look the rows up by primary key instead of
 * hash-joining the batch with a scan of every obligation (the cost would grow with history).
 */
function updateNextStepAt(next: readonly { obligationId: string; at: Date | null }[]) {
  const ids = next.map((n) => n.obligationId);
  const rows = JSON.stringify(next.map((n) => ({ id: n.obligationId, at: n.at })));
  return sql`with next as (
      update obligations o set next_step_at = v.at
      from json_to_recordset(${rows}::json) as v(id bigint, at timestamptz)
      where o.id = v.id and o.id = any(${ids}::bigint[]))`;
}

/** Re-arms a case's open obligations (reopened case, changed policy): the next sweep recomputes them. */
export async function rearmObligations(trx: Db, at: Date, caseId?: string): Promise<void> {
  let q = trx
    .updateTable('obligations')
    .set({ next_step_at: at })
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('next_step_at', 'is', null), eb('next_step_at', '>', at)]));
  if (caseId !== undefined) q = q.where('case_id', '=', caseId);
  await q.execute();
}

/** Fired step ids per obligation. */
export async function firedSteps(db: Db, obligationIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (obligationIds.length === 0) return out;
  const rows = await db
    .selectFrom('escalation_fires')
    .select([sql<string>`obligation_id::text`.as('obligation_id'), 'step_id'])
    .where(sql<boolean>`obligation_id = any(${obligationIds as string[]}::bigint[])`)
    .execute();
  for (const r of rows) {
    let set = out.get(r.obligation_id);
    if (!set) out.set(r.obligation_id, (set = new Set()));
    set.add(r.step_id);
  }
  return out;
}

/**
 * Records a step as fired. Returns the fire id, or undefined when it was already recorded (by
 * another sweeper, or an earlier run): only the inserting transaction goes on to notify.
 */
export async function insertFire(
  trx: Db,
  f: { caseId: string; obligationId: string; stepId: string; target: string; dueAt: Date; firedAt: Date },
): Promise<string | undefined> {
  const r = await trx
    .insertInto('escalation_fires')
    .values({ case_id: f.caseId, obligation_id: f.obligationId, step_id: f.stepId, target: f.target, due_at: f.dueAt, fired_at: f.firedAt })
    .onConflict((oc) => oc.columns(['obligation_id', 'step_id']).doNothing())
    .returning(sql<string>`id::text`.as('id'))
    .executeTakeFirst();
  return r?.id;
}

/** One fire to record (insertFires). */
export interface NewFire {
  caseId: string;
  obligationId: string;
  stepId: string;
  target: string;
  dueAt: Date;
  firedAt: Date;
}

/** Key of a fire in the map insertFires returns. */
export const fireKey = (obligationId: string, stepId: string): string => `${obligationId}:${stepId}`;

/**
 * Records a batch of steps as fired, one statement. Returns the fire id of each row actually
 * inserted, keyed by fireKey(obligationId, stepId); a step already recorded (by another sweeper, or
 * an earlier run) is absent: only the inserting transaction goes on to notify.
 */
export async function insertFires(trx: Db, fires: readonly NewFire[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (fires.length === 0) return out;
  const rows = await sql<{ id: string; obligation_id: string; step_id: string }>`
    insert into escalation_fires (case_id, obligation_id, step_id, target, due_at, fired_at)
    select v.case_id, v.obligation_id, v.step_id, v.target, v.due_at, v.fired_at
    from json_to_recordset(${JSON.stringify(fires.map((f) => ({ case_id: f.caseId, obligation_id: f.obligationId, step_id: f.stepId, target: f.target, due_at: f.dueAt, fired_at: f.firedAt })))}::json)
      as v(case_id bigint, obligation_id bigint, step_id text, target text, due_at timestamptz, fired_at timestamptz)
    on conflict (obligation_id, step_id) do nothing
    returning id::text, obligation_id::text, step_id`.execute(trx);
  for (const r of rows.rows) out.set(fireKey(r.obligation_id, r.step_id), r.id);
  return out;
}

export interface Recipient {
  id: number;
  displayName: string;
  email: string | null;
}

export interface ResolvedTarget {
  recipients: Recipient[];
  /** Set when nobody matched the target and the notice went to someone else (recorded in the audit row). */
  fallback: string | null;
}

type Who = 'handlers' | 'department_head' | 'reviewer' | 'leader_in_charge' | 'principal_leader' | 'any_leader' | 'admin';

/** Who receives a step's notice when nobody matches its target: the next in line, finally the admins. */
const FALLBACKS: Record<EscalationTarget, Who[]> = {
  handlers: ['department_head', 'reviewer', 'admin'],
  department_head: ['handlers', 'reviewer', 'admin'],
  reviewer: ['admin'],
  leader_in_charge: ['principal_leader', 'any_leader', 'admin'],
  principal_leader: ['leader_in_charge', 'any_leader', 'admin'],
};

async function usersFor(db: Db, who: Who, leadDepartmentId: number): Promise<Recipient[]> {
  let q = db.selectFrom('users').select(['id', 'display_name', 'email']).where('disabled', '=', false);
  switch (who) {
    case 'handlers':
      q = q.where('role', '=', 'handler').where('department_id', '=', leadDepartmentId);
      break;
    case 'department_head':
      q = q.where('is_department_head', '=', true).where('department_id', '=', leadDepartmentId);
      break;
    case 'reviewer':
      q = q.where('role', '=', 'reviewer');
      break;
    case 'leader_in_charge':
      q = q.where('role', '=', 'leader').where('leader_rank', '=', 'in_charge');
      break;
    case 'principal_leader':
      q = q.where('role', '=', 'leader').where('leader_rank', '=', 'principal');
      break;
    case 'any_leader':
      q = q.where('role', '=', 'leader');
      break;
    case 'admin':
      q = q.where('role', '=', 'admin');
      break;
  }
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, email: r.email }));
}

/** The users a target means for a case of this lead department, with the fallback used if any. */
export async function resolveTarget(db: Db, target: EscalationTarget, leadDepartmentId: number): Promise<ResolvedTarget> {
  const direct = await usersFor(db, target, leadDepartmentId);
  if (direct.length > 0) return { recipients: direct, fallback: null };
  for (const who of FALLBACKS[target]) {
    const users = await usersFor(db, who, leadDepartmentId);
    if (users.length > 0) return { recipients: users, fallback: who };
  }
  return { recipients: [], fallback: 'none' };
}

/** Key of a target in the map resolveTargets returns. */
export const targetKey = (target: EscalationTarget, leadDepartmentId: number): string => `${target}:${leadDepartmentId}`;

interface UserRow {
  id: number;
  display_name: string;
  email: string | null;
  role: string;
  department_id: number | null;
  is_department_head: boolean;
  leader_rank: string | null;
}

/** The same selection as usersFor, over rows already loaded (ordered by id). */
function matches(u: UserRow, who: Who, leadDepartmentId: number): boolean {
  switch (who) {
    case 'handlers':
      return u.role === 'handler' && u.department_id === leadDepartmentId;
    case 'department_head':
      return u.is_department_head && u.department_id === leadDepartmentId;
    case 'reviewer':
      return u.role === 'reviewer';
    case 'leader_in_charge':
      return u.role === 'leader' && u.leader_rank === 'in_charge';
    case 'principal_leader':
      return u.role === 'leader' && u.leader_rank === 'principal';
    case 'any_leader':
      return u.role === 'leader';
    case 'admin':
      return u.role === 'admin';
  }
}

/**
 * resolveTarget for many (target, lead department) pairs with one query: every enabled user who
 * could match any of them (the lead departments' users, reviewers, leaders, admins) is read once and
 * the targets and their fallbacks are resolved in memory. Keyed by targetKey.
 */
export async function resolveTargets(
  db: Db,
  pairs: readonly { target: EscalationTarget; leadDepartmentId: number }[],
): Promise<Map<string, ResolvedTarget>> {
  const out = new Map<string, ResolvedTarget>();
  if (pairs.length === 0) return out;
  const departments = [...new Set(pairs.map((p) => p.leadDepartmentId))];
  const users = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'email', 'role', 'department_id', 'is_department_head', 'leader_rank'])
    .where('disabled', '=', false)
    .where((eb) => eb.or([eb('role', 'in', ['reviewer', 'leader', 'admin']), eb('department_id', 'in', departments)]))
    .orderBy('id')
    .execute();
  const pick = (who: Who, dept: number): Recipient[] =>
    (users as UserRow[]).filter((u) => matches(u, who, dept)).map((u) => ({ id: u.id, displayName: u.display_name, email: u.email }));
  for (const { target, leadDepartmentId } of pairs) {
    const key = targetKey(target, leadDepartmentId);
    if (out.has(key)) continue;
    let resolved: ResolvedTarget = { recipients: [], fallback: 'none' };
    const direct = pick(target, leadDepartmentId);
    if (direct.length > 0) resolved = { recipients: direct, fallback: null };
    else
      for (const who of FALLBACKS[target]) {
        const found = pick(who, leadDepartmentId);
        if (found.length > 0) {
          resolved = { recipients: found, fallback: who };
          break;
        }
      }
    out.set(key, resolved);
  }
  return out;
}

/** Handlers of the case's co-departments (recipients of a coordination note). */
export async function coDepartmentHandlers(db: Db, caseId: string): Promise<Recipient[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('case_departments as cd', 'cd.department_id', 'users.department_id')
    .select(['users.id', 'users.display_name', 'users.email'])
    .where('cd.case_id', '=', caseId)
    .where('cd.role', '=', 'co')
    .where('users.role', '=', 'handler')
    .where('users.disabled', '=', false)
    .orderBy('users.id')
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, email: r.email }));
}

// ── Typed escalation records ──────────────────────────────────────────────────────────────────

export async function insertReportUp(trx: Db, r: { caseId: string; by: number | null; at: Date; backfilled?: boolean; recipient: string; content: string }) {
  return trx
    .insertInto('reports_up')
    .values({ case_id: r.caseId, reported_by: r.by, reported_at: r.at, backfilled: r.backfilled ?? false, recipient: r.recipient, content: r.content })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertReferral(
  trx: Db,
  r: { caseId: string; target: ReferralTarget; by: number | null; at: Date; recipient: string; content: string },
) {
  return trx
    .insertInto('referrals')
    .values({ case_id: r.caseId, target: r.target, referred_by: r.by, referred_at: r.at, recipient: r.recipient, content: r.content })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertCoordination(trx: Db, r: { caseId: string; fromDepartmentId: number | null; by: number | null; at: Date; content: string }) {
  return trx
    .insertInto('coordinations')
    .values({ case_id: r.caseId, from_department_id: r.fromDepartmentId, author_id: r.by, created_at: r.at, content: r.content })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The lead department of a case. */
export async function leadDepartmentOf(db: Db, caseId: string): Promise<number | undefined> {
  const r = await db.selectFrom('cases').select('lead_department_id').where('id', '=', caseId).executeTakeFirst();
  return r?.lead_department_id;
}

/** A case's reports up, referrals, coordinations and fired escalation steps, each oldest first. */
export async function caseEscalationRecords(db: Db, caseId: string) {
  const [reports, referrals, coordinations, fires] = await Promise.all([
    db.selectFrom('reports_up').selectAll().where('case_id', '=', caseId).orderBy('reported_at').orderBy('id').execute(),
    db.selectFrom('referrals').selectAll().where('case_id', '=', caseId).orderBy('referred_at').orderBy('id').execute(),
    db.selectFrom('coordinations').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute(),
    db
      .selectFrom('escalation_fires')
      .select([sql<string>`obligation_id::text`.as('obligation_id'), 'step_id', 'target', 'due_at', 'fired_at'])
      .where('case_id', '=', caseId)
      .orderBy('fired_at')
      .orderBy('id')
      .execute(),
  ]);
  return { reports, referrals, coordinations, fires };
}
