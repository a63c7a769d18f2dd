import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { Case } from '../schema-workflow.js';
import type { CaseOrigin, Category, Level } from '../../core/vocabulary.js';
import type { RequestType } from '../../core/workflow/origin-windows.js';

// Case writes of triage (numbering, rows, departments, stories, evidence, alerts). The reads behind
// GET /api/cases/{id} are in case-detail.ts, the ledger query in cases-ledger.ts.

/** The next number of the year (upsert … returning: race-free across processes). */
export async function takeCaseSeq(trx: Db, year: number): Promise<number> {
  const r = await sql<{ last: number }>`
    insert into case_counters (year, last) values (${year}, 1)
    on conflict (year) do update set last = case_counters.last + 1
    returning last`.execute(trx);
  return r.rows[0].last;
}

export interface NewCase {
  number: string;
  title: string;
  summary: string;
  level: Level;
  category: Category;
  origin: CaseOrigin;
  originNote: string;
  leadDepartmentId: number;
  clockStartedAt: Date;
  openedAt: Date;
  openedBy: number | null;
  /** 诉求类型 of a hotline / mailbox case. */
  requestType?: RequestType | null;
}

export async function insertCase(trx: Db, c: NewCase): Promise<Case> {
  return trx
    .insertInto('cases')
    .values({
      number: c.number,
      title: c.title,
      summary: c.summary,
      level: c.level,
      category: c.category,
      origin: c.origin,
      origin_note: c.originNote,
      request_type: c.requestType ?? null,
      lead_department_id: c.leadDepartmentId,
      clock_started_at: c.clockStartedAt,
      opened_at: c.openedAt,
      opened_by: c.openedBy,
      assigned_at: c.openedAt,
      created_at: c.openedAt,
      updated_at: c.openedAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces the case's departments: one lead, any co-departments. */
export async function setCaseDepartments(trx: Db, caseId: string, leadId: number, coIds: readonly number[]): Promise<void> {
  await trx.deleteFrom('case_departments').where('case_id', '=', caseId).execute();
  await trx
    .insertInto('case_departments')
    .values([
      { case_id: caseId, department_id: leadId, role: 'lead' as const },
      ...coIds.filter((d) => d !== leadId).map((d) => ({ case_id: caseId, department_id: d, role: 'co' as const })),
    ])
    .execute();
}

export async function caseDepartmentIds(db: Db, caseId: string): Promise<{ lead: number; co: number[] }> {
  const rows = await db.selectFrom('case_departments').select(['department_id', 'role']).where('case_id', '=', caseId).orderBy('department_id').execute();
  return { lead: rows.find((r) => r.role === 'lead')?.department_id ?? -1, co: rows.filter((r) => r.role === 'co').map((r) => r.department_id) };
}

/** Links stories to the case (idempotent). */
export async function linkStories(trx: Db, caseId: string, storyIds: readonly string[]): Promise<void> {
  if (storyIds.length === 0) return;
  await trx
    .insertInto('case_stories')
    .values(storyIds.map((s) => ({ case_id: caseId, story_id: s })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Evidence: a snapshot of every item of these stories not yet kept for the case. Returns how many were added. */
export async function snapshotStoryItems(trx: Db, caseId: string, storyIds: readonly string[], now: Date): Promise<number> {
  if (storyIds.length === 0) return 0;
  const r = await sql`
    insert into case_items (case_id, item_id, title, text, url, source_name, published_at, captured_at)
    select ${caseId}::bigint, i.id, i.title, i.text, i.url, s.name, i.published_at, ${now}::timestamptz
    from items i join sources s on s.id = i.source_id
    where i.story_id = any(${storyIds as string[]}::bigint[])
      and not exists (select 1 from case_items ci where ci.case_id = ${caseId}::bigint and ci.item_id = i.id)
    order by i.published_at, i.id`.execute(trx);
  return Number(r.numAffectedRows ?? 0n);
}

export async function insertManualEvidence(
  trx: Db,
  caseId: string,
  e: { title: string; text: string; url: string; sourceName: string; publishedAt: Date },
  now: Date,
): Promise<void> {
  await trx
    .insertInto('case_items')
    .values({ case_id: caseId, item_id: null, title: e.title, text: e.text, url: e.url, source_name: e.sourceName, published_at: e.publishedAt, captured_at: now })
    .execute();
}

/** The alerts, locked for the transaction, with the first-seen time of their stories. */
export async function lockAlertsWithStories(trx: Db, alertIds: readonly string[]) {
  return trx
    .selectFrom('alerts')
    .innerJoin('stories', 'stories.id', 'alerts.story_id')
    .select(['alerts.id', 'alerts.status', 'alerts.case_id', 'alerts.story_id', 'stories.title', 'stories.first_seen_at'])
    .where('alerts.id', 'in', [...alertIds])
    .orderBy('alerts.id')
    .forUpdate('alerts')
    .execute();
}

export async function markAlertsCase(trx: Db, alertIds: readonly string[], caseId: string, now: Date): Promise<void> {
  if (alertIds.length === 0) return;
  await trx.updateTable('alerts').set({ status: 'case', case_id: caseId, updated_at: now }).where('id', 'in', [...alertIds]).execute();
}

export async function updateCaseFields(
  trx: Db,
  caseId: string,
  set: Partial<{ title: string; summary: string; level: Level; category: Category; lead_department_id: number; assigned_at: Date; request_type: RequestType | null }>,
  now: Date,
): Promise<Case> {
  return trx
    .updateTable('cases')
    .set({ ...set, updated_at: now })
    .where('id', '=', caseId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The case row (no visibility check: callers have checked it or locked the case). */
export async function findCase(db: Db, caseId: string): Promise<Case | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
}

/** The story of each of these alerts (for the alert.updated events after a triage commits). */
export async function alertStories(db: Db, alertIds: readonly string[]): Promise<{ id: string; story_id: string }[]> {
  if (alertIds.length === 0) return [];
  return db.selectFrom('alerts').select(['id', 'story_id']).where('id', 'in', alertIds).execute();
}
