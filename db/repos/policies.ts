import { sql } from 'kysely';
import type { Db } from '../client.js';
import { DEFAULT_POLICY } from '../../core/workflow/policy.js';
import { workCalendar, type WorkCalendar } from '../../core/workflow/calendar.js';
import type { EscalationStep, HeightenedPeriod, ObligationSpec, PolicyRule } from '../../core/workflow/types.js';

// The response policy (per level and category), heightened periods and calendar overrides: the
// inputs of every deadline computation. Policy rows are seeded from DEFAULT_POLICY when empty.

interface PolicyRow {
  level: PolicyRule['level'];
  category: PolicyRule['category'];
  obligations: unknown;
  escalation_steps: unknown;
  follow_up_hours: number;
}

function toRule(r: PolicyRow): PolicyRule {
  return {
    level: r.level,
    category: r.category,
    obligations: r.obligations as ObligationSpec[],
    escalationSteps: r.escalation_steps as EscalationStep[],
    followUpHours: r.follow_up_hours,
  };
}

function toRow(r: PolicyRule, updatedBy: number | null) {
  return {
    level: r.level,
    category: r.category,
    obligations: JSON.stringify(r.obligations),
    escalation_steps: JSON.stringify(r.escalationSteps),
    follow_up_hours: r.followUpHours,
    updated_by: updatedBy,
  };
}

async function readPolicies(db: Db): Promise<PolicyRule[]> {
  const rows = await db
    .selectFrom('policies')
    .select(['level', 'category', 'obligations', 'escalation_steps', 'follow_up_hours'])
    .orderBy('level')
    .orderBy(sql`coalesce(category, '')`)
    .execute();
  return rows.map(toRule);
}

/**
 * The policy rules; when the table is empty, the defaults are stored first (idempotent: two
 * processes seeding at once both end with the one set of default rows).
 */
export async function loadPolicies(db: Db): Promise<PolicyRule[]> {
  const rules = await readPolicies(db);
  if (rules.length > 0 || DEFAULT_POLICY.length === 0) return rules;
  await db
    .insertInto('policies')
    .values(DEFAULT_POLICY.map((r) => toRow(r, null)))
    .onConflict((oc) => oc.doNothing())
    .execute();
  return readPolicies(db);
}

/** Replaces the whole policy (in the caller's transaction). Existing obligations keep their due times. */
export async function replacePolicies(trx: Db, rules: readonly PolicyRule[], updatedBy: number | null, now: Date): Promise<void> {
  await trx.deleteFrom('policies').execute();
  if (rules.length === 0) return;
  await trx
    .insertInto('policies')
    .values(rules.map((r) => ({ ...toRow(r, updatedBy), updated_at: now })))
    .execute();
}

// ── Heightened periods ─────────────────────────────────────────────────────────────────────────

export async function listPeriods(db: Db) {
  return db.selectFrom('heightened_periods').selectAll().orderBy('starts_at', 'desc').orderBy('id', 'desc').execute();
}

export async function findPeriod(db: Db, id: number) {
  return db.selectFrom('heightened_periods').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface PeriodInput {
  name: string;
  startsAt: Date;
  endsAt: Date;
  factor: number;
}

export async function insertPeriod(trx: Db, p: PeriodInput, createdBy: number | null) {
  return trx
    .insertInto('heightened_periods')
    .values({ name: p.name, starts_at: p.startsAt, ends_at: p.endsAt, factor: p.factor, created_by: createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updatePeriod(trx: Db, id: number, p: PeriodInput) {
  return trx
    .updateTable('heightened_periods')
    .set({ name: p.name, starts_at: p.startsAt, ends_at: p.endsAt, factor: p.factor })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deletePeriod(trx: Db, id: number): Promise<boolean> {
  const r = await trx.deleteFrom('heightened_periods').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

// ── Calendar overrides ─────────────────────────────────────────────────────────────────────────

export interface CalendarOverride {
  day: string;
  isWorkday: boolean;
  note: string;
}

const dayText = sql<string>`to_char(day, 'YYYY-MM-DD')`;

export async function listCalendarOverrides(db: Db, year?: number): Promise<CalendarOverride[]> {
  let q = db.selectFrom('calendar_overrides').select([dayText.as('day'), 'is_workday', 'note']);
  if (year !== undefined) q = q.where(sql`extract(year from day)`, '=', year);
  const rows = await q.orderBy('calendar_overrides.day').execute();
  return rows.map((r) => ({ day: r.day, isWorkday: r.is_workday, note: r.note }));
}

export async function findCalendarOverride(db: Db, day: string): Promise<CalendarOverride | undefined> {
  const r = await db
    .selectFrom('calendar_overrides')
    .select([dayText.as('day'), 'is_workday', 'note'])
    .where('day', '=', day)
    .executeTakeFirst();
  return r && { day: r.day, isWorkday: r.is_workday, note: r.note };
}

export async function upsertCalendarOverride(trx: Db, o: CalendarOverride): Promise<void> {
  await trx
    .insertInto('calendar_overrides')
    .values({ day: o.day, is_workday: o.isWorkday, note: o.note })
    .onConflict((oc) => oc.column('day').doUpdateSet({ is_workday: o.isWorkday, note: o.note }))
    .execute();
}

export async function deleteCalendarOverride(trx: Db, day: string): Promise<boolean> {
  const r = await trx.deleteFrom('calendar_overrides').where('day', '=', day).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

// ── What computeDueAt needs ────────────────────────────────────────────────────────────────────

export interface DeadlineContext {
  calendar: WorkCalendar;
  periods: HeightenedPeriod[];
}

/** The working-day calendar (package data + admin overrides) and every heightened period. */
export async function deadlineContext(db: Db): Promise<DeadlineContext> {
  const [overrides, periods] = await Promise.all([
    listCalendarOverrides(db),
    db.selectFrom('heightened_periods').select(['starts_at', 'ends_at', 'factor']).execute(),
  ]);
  return {
    calendar: workCalendar(new Map(overrides.map((o) => [o.day, o.isWorkday]))),
    periods: periods.map((p) => ({ startsAt: p.starts_at, endsAt: p.ends_at, factor: p.factor })),
  };
}
