import { sql, type ColumnType, type Generated, type Selectable } from 'kysely';
import type { Db } from '../client.js';
import { BUSINESS_TZ } from '../../core/business-time.js';
import type { FigureInputs } from '../../core/reports/figures.js';
import { BLOCKED_STATUSES, OVERDUE_LIMIT, UNREACHABLE_STATUSES } from '../../core/reports/figures.js';
import type { Period, ReportKind } from '../../core/reports/period.js';
import * as stats from './stats.js';

// Reports (周通报 and its siblings): the figures they are made from and the rows they are kept in.
// The case figures come from db/repos/stats.ts — the same SQL as GET /api/stats — so a notice and
// the statistics API agree to the case. The table is typed here (migration 0006).

const TZ = BUSINESS_TZ;

export interface ReportsTable {
  id: Generated<string>;
  kind: ReportKind;
  period: string;
  period_from: Date;
  period_to: Date;
  status: ColumnType<'draft' | 'issued', 'draft' | 'issued' | undefined, 'draft' | 'issued'>;
  title: string;
  figures: ColumnType<unknown, string, string>;
  notable: ColumnType<string, string | undefined, string>;
  requirements: ColumnType<string, string | undefined, string>;
  file: Buffer;
  file_name: string;
  generated_at: Date;
  generated_by: number | null;
  issued_at: Date | null;
  issued_by: number | null;
  /** 期号 of an issued notice (migration 0020): its year, number and text as printed. */
  serial_year: ColumnType<number | null, never, number | null>;
  serial_no: ColumnType<number | null, never, number | null>;
  serial_text: ColumnType<string | null, never, string | null>;
  created_at: ColumnType<Date, Date | undefined, Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
export type ReportRow = Selectable<ReportsTable>;
export type ReportMeta = Omit<ReportRow, 'file'>;

const reportsDb = (db: Db) => db.withTables<{ reports: ReportsTable }>();

const META = [
  'id',
  'kind',
  'period',
  'period_from',
  'period_to',
  'status',
  'title',
  'figures',
  'notable',
  'requirements',
  'file_name',
  'generated_at',
  'generated_by',
  'issued_at',
  'issued_by',
  'serial_year',
  'serial_no',
  'serial_text',
  'created_at',
  'updated_at',
] as const;

// ── figures ─────────────────────────────────────────────────────────────────────────────────

/** Everything a notice's figures are composed from, read at `now` (see core/reports/figures.ts). */
export async function figureInputs(db: Db, period: Period, now: Date): Promise<FigureInputs> {
  const r: stats.Range = { from: period.from, to: period.to, now };
  const [figures, monitoring, itemsDaily, alertsDaily, goodResponses, sources, effectCases] =
    await Promise.all([
      stats.statsFigures(db, r, OVERDUE_LIMIT),
      monitoringCounts(db, r),
      perDay(db, r, 'items', 'fetched_at'),
      perDay(db, r, 'alerts', 'created_at'),
      goodResponseCandidates(db, r, 5),
      sourceHealth(db, r),
      caseEffects(db, r),
    ]);
  return {
    period,
    now,
    totalCases: figures.total,
    byLevel: figures.byLevel,
    byCategory: figures.byCategory,
    onTime: figures.onTime,
    responseTimes: figures.responseTimes,
    overdue: figures.overdue,
    daily: figures.daily,
    departments: figures.departments,
    itemsMonitored: monitoring.items,
    alerts: monitoring.alerts,
    itemsDaily,
    alertsDaily,
    goodResponses,
    sources,
    effectCases,
  };
}

/**
 * The effect of each case of the period, for 经验做法 (best) and 下一步工作要求 (weakest): cases
 * closed in the range with an effect rating, first responded in the range, or reopened in it — with
 * the rating, the items of their stories in the 24 h before and after the first publication (as the
 * `effects` fragment of db/repos/stats.ts counts them) and whether they were reopened in the range.
 */
async function caseEffects(db: Db, r: stats.Range): Promise<FigureInputs['effectCases']> {
  const res = await sql<NonNullable<FigureInputs['effectCases']>[number]>`
    with reopened as (
      select distinct case_id from audit_log where action = 'case.reopen' and at >= ${r.from} and at < ${r.to} and case_id is not null
    ), base as (
      select c.id, c.number, c.title, c.effect_rating, c.lead_department_id,
             (select min(rp.published_at) from responses rp where rp.case_id = c.id and rp.status = 'published' and rp.published_at is not null) as first_at,
             exists (select 1 from reopened o where o.case_id = c.id) as reopened
      from cases c
      where (c.closed_at >= ${r.from} and c.closed_at < ${r.to} and c.effect_rating is not null)
         or c.id in (select case_id from reopened)
         or exists (select 1 from responses rp where rp.case_id = c.id and rp.status = 'published' and rp.published_at >= ${r.from} and rp.published_at < ${r.to})
    )
    select b.id::text as "caseId", b.number as "caseNumber", b.title as "caseTitle", d.name as "departmentName",
           b.effect_rating as "effectRating", b.reopened,
           case when b.first_at is null then null else (select count(*) from case_stories cs join items i on i.story_id = cs.story_id
             where cs.case_id = b.id and i.published_at >= b.first_at - interval '24 hours' and i.published_at < b.first_at)::int end as "heatBefore",
           case when b.first_at is null then null else (select count(*) from case_stories cs join items i on i.story_id = cs.story_id
             where cs.case_id = b.id and i.published_at >= b.first_at and i.published_at < b.first_at + interval '24 hours')::int end as "heatAfter"
    from base b join departments d on d.id = b.lead_department_id
    order by b.id`.execute(db);
  return res.rows;
}

/** Items captured (fetched_at) and alerts raised (created_at) in the range. */
async function monitoringCounts(db: Db, r: stats.Range): Promise<{ items: number; alerts: number }> {
  const res = await sql<{ items: number; alerts: number }>`
    select (select count(*) from items where fetched_at >= ${r.from} and fetched_at < ${r.to})::int as items,
           (select count(*) from alerts where created_at >= ${r.from} and created_at < ${r.to})::int as alerts`.execute(db);
  return res.rows[0];
}

async function perDay(db: Db, r: stats.Range, table: 'items' | 'alerts', column: 'fetched_at' | 'created_at'): Promise<{ day: string; n: number }[]> {
  const res = await sql<{ day: string; n: number }>`
    select to_char((${sql.ref(column)} at time zone ${TZ})::date, 'YYYY-MM-DD') as day, count(*)::int as n
    from ${sql.table(table)} where ${sql.ref(column)} >= ${r.from} and ${sql.ref(column)} < ${r.to}
    group by 1 order by 1`.execute(db);
  return res.rows;
}

/**
 * Candidates for 经验做法: cases first responded in the range whose response (or, for major
 * events, authoritative information) obligation was met on time; best effect rating first, then
 * the quickest.
 */
async function goodResponseCandidates(db: Db, r: stats.Range, limit: number): Promise<FigureInputs['goodResponses']> {
  const res = await sql<FigureInputs['goodResponses'][number]>`
    select c.id::text as "caseId", c.number as "caseNumber", c.title as "caseTitle", d.name as "departmentName",
           extract(epoch from (f.first_at - c.clock_started_at))::float8 / 3600 as hours,
           f.channel, c.effect_rating as "effectRating"
    from cases c
    join departments d on d.id = c.lead_department_id
    join lateral (select rp.published_at as first_at, rp.channel from responses rp
                  where rp.case_id = c.id and rp.status = 'published' and rp.published_at is not null
                  order by rp.published_at, rp.id limit 1) f on true
    where f.first_at >= ${r.from} and f.first_at < ${r.to}
      and exists (select 1 from obligations o where o.case_id = c.id and o.kind in ('response', 'info')
                  and o.status = 'met' and o.on_time)
      and not exists (select 1 from obligations o where o.case_id = c.id and o.kind in ('response', 'info')
                      and o.status = 'met' and not o.on_time)
    order by array_position(array['good', 'fairly_good', 'average', 'poor'], c.effect_rating) nulls last, 5, c.id
    limit ${limit}`.execute(db);
  return res.rows;
}

/** Every source that existed during the range (or was fetched in it), with its fetch outcomes in the range and the items it brought. */
async function sourceHealth(db: Db, r: stats.Range): Promise<FigureInputs['sources']> {
  const res = await sql<FigureInputs['sources'][number]>`
    select s.id, s.name, s.enabled,
           count(f.id)::int as fetches,
           count(f.id) filter (where f.status = any(${[...UNREACHABLE_STATUSES]}::text[]))::int as unreachable,
           count(f.id) filter (where f.status = any(${[...BLOCKED_STATUSES]}::text[]))::int as blocked,
           coalesce((select count(*) from items i where i.source_id = s.id and i.fetched_at >= ${r.from} and i.fetched_at < ${r.to}), 0)::int as "itemsNew",
           (array_agg(f.status order by f.started_at desc, f.id desc) filter (where f.id is not null))[1] as "lastStatus"
    from sources s
    left join source_fetches f on f.source_id = s.id and f.started_at >= ${r.from} and f.started_at < ${r.to}
    group by s.id
    having s.created_at < ${r.to} or count(f.id) > 0
    order by s.id`.execute(db);
  return res.rows;
}

// ── rows ────────────────────────────────────────────────────────────────────────────────────

export interface NewReport {
  kind: ReportKind;
  period: string;
  periodFrom: Date;
  periodTo: Date;
  title: string;
  figures: unknown;
  notable: string;
  requirements: string;
  file: Buffer;
  fileName: string;
  generatedAt: Date;
  generatedBy: number | null;
}

/** Inserts the period's report unless one exists (unique (kind, period)); the new id, or null when it existed. */
export async function insertReport(db: Db, r: NewReport): Promise<string | null> {
  const row = await reportsDb(db)
    .insertInto('reports')
    .values({
      kind: r.kind,
      period: r.period,
      period_from: r.periodFrom,
      period_to: r.periodTo,
      title: r.title,
      figures: JSON.stringify(r.figures),
      notable: r.notable,
      requirements: r.requirements,
      file: r.file,
      file_name: r.fileName,
      generated_at: r.generatedAt,
      generated_by: r.generatedBy,
      created_at: r.generatedAt,
      updated_at: r.generatedAt,
    })
    .onConflict((oc) => oc.columns(['kind', 'period']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function findReportByPeriod(db: Db, kind: ReportKind, period: string): Promise<ReportMeta | undefined> {
  return reportsDb(db).selectFrom('reports').select(META).where('kind', '=', kind).where('period', '=', period).executeTakeFirst();
}

export async function findReport(db: Db, id: string): Promise<ReportMeta | undefined> {
  return reportsDb(db).selectFrom('reports').select(META).where('id', '=', id).executeTakeFirst();
}

/** The row locked for an update in the caller's transaction. */
export async function lockReport(trx: Db, id: string): Promise<ReportMeta | undefined> {
  return reportsDb(trx).selectFrom('reports').select(META).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function reportFile(db: Db, id: string): Promise<{ file: Buffer; file_name: string } | undefined> {
  return reportsDb(db).selectFrom('reports').select(['file', 'file_name']).where('id', '=', id).executeTakeFirst();
}

export async function listReports(
  db: Db,
  q: { kind?: ReportKind; status?: 'draft' | 'issued'; after?: { at: string; id: string }; limit: number },
): Promise<(ReportMeta & { sort_key: string })[]> {
  let query = reportsDb(db)
    .selectFrom('reports')
    .select(META)
    .select(sql<string>`to_char(period_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('sort_key'));
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.after) query = query.where(sql<boolean>`(period_from, id) < (${q.after.at}::timestamptz, ${q.after.id}::bigint)`);
  return query.orderBy('period_from', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

export async function updateReportText(trx: Db, id: string, set: { notable: string; requirements: string; file: Buffer; updatedAt: Date }): Promise<void> {
  await reportsDb(trx)
    .updateTable('reports')
    .set({ notable: set.notable, requirements: set.requirements, file: set.file, updated_at: set.updatedAt })
    .where('id', '=', id)
    .execute();
}

export async function markIssued(
  trx: Db,
  id: string,
  by: number | null,
  at: Date,
  file: Buffer,
  serial: { year: number; no: number; text: string },
): Promise<void> {
  await reportsDb(trx)
    .updateTable('reports')
    .set({ status: 'issued', issued_at: at, issued_by: by, file, updated_at: at, serial_year: serial.year, serial_no: serial.no, serial_text: serial.text })
    .where('id', '=', id)
    .execute();
}

export async function userName(db: Db, id: number | null): Promise<string | null> {
  if (id === null) return null;
  const r = await db.selectFrom('users').select(['display_name', 'username']).where('id', '=', id).executeTakeFirst();
  return r ? r.display_name || r.username : null;
}
