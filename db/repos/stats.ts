import pg from 'pg';
import { sql } from 'kysely';
import type { Db } from '../client.js';
import { BUSINESS_TZ } from '../../core/business-time.js';

// Statistics over a half-open range [from, to), all computed in SQL. The definitions (which rows
// count where) are spelled out on each function; services/stats/service.ts documents the
// API's fields, core/stats.ts holds the rates and rounding.
//
// "Judged" response obligation — the basis of every on-time figure: an obligation of kind
// 'response', not cancelled, whose judgement time J falls in [from, to), where
//   J = met_at   when it was met (on time or late: as recorded by on_time), or
//   J = due_at   when it is still open and due_at < now (overdue: counts as NOT on time).
// An open obligation not yet due is not judged. Each obligation has one J, so consecutive ranges
// never count it twice.

const TZ = BUSINESS_TZ;

export interface Range {
  from: Date;
  to: Date;
  now: Date;
}

export interface CountRow {
  key: string;
  count: number;
}

/** Cases opened in the range, by a column of cases. */
export async function countCasesBy(db: Db, r: Range, column: 'level' | 'category' | 'status'): Promise<CountRow[]> {
  const res = await sql<CountRow>`
    select ${sql.ref(column)} as key, count(*)::int as count
    from cases where opened_at >= ${r.from} and opened_at < ${r.to}
    group by 1 order by 2 desc, 1`.execute(db);
  return res.rows;
}

export async function countCasesByDepartment(db: Db, r: Range): Promise<{ id: number; name: string; count: number }[]> {
  const res = await sql<{ id: number; name: string; count: number }>`
    select d.id, d.name, count(*)::int as count
    from cases c join departments d on d.id = c.lead_department_id
    where c.opened_at >= ${r.from} and c.opened_at < ${r.to}
    group by d.id, d.name order by 3 desc, d.id`.execute(db);
  return res.rows;
}

/** Cases opened in the range per source of any item of their stories (a case counts once per source). */
export async function countCasesBySource(db: Db, r: Range): Promise<{ id: number; name: string; count: number }[]> {
  const res = await sql<{ id: number; name: string; count: number }>`
    select s.id, s.name, count(distinct c.id)::int as count
    from cases c
    join case_stories cs on cs.case_id = c.id
    join items i on i.story_id = cs.story_id
    join sources s on s.id = i.source_id
    where c.opened_at >= ${r.from} and c.opened_at < ${r.to}
    group by s.id, s.name order by 3 desc, s.id`.execute(db);
  return res.rows;
}

export async function countCases(db: Db, r: Range): Promise<number> {
  const res = await sql<{ n: number }>`select count(*)::int as n from cases where opened_at >= ${r.from} and opened_at < ${r.to}`.execute(db);
  return res.rows[0].n;
}

/** Judged response obligations (see the file comment) as a SQL fragment yielding (id, case_id, dept, on_time_met, late_met, open_overdue). */
const judged = (r: Range) => sql`
  select o.id, o.case_id, c.lead_department_id as dept,
         (o.status = 'met' and o.on_time) as on_time_met,
         (o.status = 'met' and not o.on_time) as late_met,
         (o.status = 'open') as open_overdue
  from obligations o join cases c on c.id = o.case_id
  where o.kind = 'response'
    and ((o.status = 'met' and o.met_at >= ${r.from} and o.met_at < ${r.to})
      or (o.status = 'open' and o.due_at < ${r.now} and o.due_at >= ${r.from} and o.due_at < ${r.to}))`;

export interface OnTimeCounts {
  judged: number;
  onTime: number;
  late: number;
  openOverdue: number;
}

export async function onTimeCounts(db: Db, r: Range): Promise<OnTimeCounts> {
  const res = await sql<OnTimeCounts>`
    with j as (${judged(r)})
    select count(*)::int as judged,
           count(*) filter (where on_time_met)::int as "onTime",
           count(*) filter (where late_met)::int as late,
           count(*) filter (where open_overdue)::int as "openOverdue"
    from j`.execute(db);
  return res.rows[0];
}

/**
 * Response time of a case: from clock_started_at to its first published response. A case counts in
 * the range when that first publication falls in [from, to).
 */
const firstResponses = (r: Range) => sql`
  select c.id as case_id, c.lead_department_id as dept, f.first_at,
         extract(epoch from (f.first_at - c.clock_started_at))::float8 / 3600 as hours
  from cases c
  join (select case_id, min(published_at) as first_at from responses where status = 'published' group by case_id) f on f.case_id = c.id
  where f.first_at >= ${r.from} and f.first_at < ${r.to}`;

/**
 * Response effect per lead department — one fragment for the statistics screen and the notices
 * (core/stats.ts effectOf turns it into rates and the combined score):
 * - closed / good: cases closed in the range with an effect rating, and those rated 好 or 较好;
 * - heat_before / heat_after: items of the case's stories published in the 24 h before and the
 *   24 h after its first publication, over the cases first responded in the range;
 * - reopened: cases reopened in the range (舆情反弹 after closing).
 */
const effects = (r: Range) => sql`
  select dept, sum(closed)::int as closed, sum(good)::int as good, sum(heat_before)::int as heat_before,
         sum(heat_after)::int as heat_after, sum(reopened)::int as reopened
  from (
    select c.lead_department_id as dept, 1 as closed, (c.effect_rating in ('good', 'fairly_good'))::int as good,
           0 as heat_before, 0 as heat_after, 0 as reopened
    from cases c where c.closed_at >= ${r.from} and c.closed_at < ${r.to} and c.effect_rating is not null
    union all
    select f.dept, 0, 0,
           (select count(*) from case_stories cs join items i on i.story_id = cs.story_id
             where cs.case_id = f.case_id and i.published_at >= f.first_at - interval '24 hours' and i.published_at < f.first_at)::int,
           (select count(*) from case_stories cs join items i on i.story_id = cs.story_id
             where cs.case_id = f.case_id and i.published_at >= f.first_at and i.published_at < f.first_at + interval '24 hours')::int,
           0
    from (${firstResponses(r)}) f
    union all
    select c.lead_department_id, 0, 0, 0, 0, 1
    from (select distinct case_id from audit_log where action = 'case.reopen' and at >= ${r.from} and at < ${r.to} and case_id is not null) a
    join cases c on c.id = a.case_id
  ) x group by dept`;

export interface ResponseTimes {
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
  averageHours: number | null;
}

export async function responseTimes(db: Db, r: Range): Promise<ResponseTimes> {
  const res = await sql<ResponseTimes>`
    with f as (${firstResponses(r)})
    select count(*)::int as count,
           percentile_cont(0.5) within group (order by hours) as "medianHours",
           percentile_cont(0.9) within group (order by hours) as "p90Hours",
           avg(hours)::float8 as "averageHours"
    from f`.execute(db);
  return res.rows[0];
}

export interface OverdueRow {
  obligationId: string;
  caseId: string;
  caseNumber: string;
  caseTitle: string;
  kind: string;
  seq: number;
  status: 'open' | 'met';
  dueAt: Date;
  metAt: Date | null;
  hoursLate: number;
  departmentId: number;
  departmentName: string;
}

/**
 * Obligations of every kind that broke their deadline, judged in the range: still open past due
 * (due_at in the range and before now; hours late counted to now) or met late (met_at in the range).
 * Most hours late first.
 */
export async function overdueList(db: Db, r: Range, limit: number): Promise<OverdueRow[]> {
  const res = await sql<OverdueRow>`
    select o.id::text as "obligationId", c.id::text as "caseId", c.number as "caseNumber", c.title as "caseTitle",
           o.kind, o.seq, o.status, o.due_at as "dueAt", o.met_at as "metAt",
           extract(epoch from (coalesce(o.met_at, ${r.now}::timestamptz) - o.due_at))::float8 / 3600 as "hoursLate",
           d.id as "departmentId", d.name as "departmentName"
    from obligations o
    join cases c on c.id = o.case_id
    join departments d on d.id = c.lead_department_id
    where (o.status = 'open' and o.due_at < ${r.now} and o.due_at >= ${r.from} and o.due_at < ${r.to})
       or (o.status = 'met' and o.on_time = false and o.met_at >= ${r.from} and o.met_at < ${r.to})
    order by 10 desc, o.id
    limit ${limit}`.execute(db);
  return res.rows;
}

/** One row per Asia/Shanghai day touched by the range: cases opened, cases first responded. */
export async function dailyTrend(db: Db, r: Range): Promise<{ day: string; opened: number; responded: number }[]> {
  const res = await sql<{ day: string; opened: number; responded: number }>`
    with days as (
      select d::date as day
      from generate_series((${r.from}::timestamptz at time zone ${TZ})::date,
                           ((${r.to}::timestamptz - interval '1 microsecond') at time zone ${TZ})::date,
                           interval '1 day') as d
    ),
    op as (
      select (opened_at at time zone ${TZ})::date as day, count(*)::int as n
      from cases where opened_at >= ${r.from} and opened_at < ${r.to} group by 1
    ),
    re as (
      select (first_at at time zone ${TZ})::date as day, count(*)::int as n
      from (${firstResponses(r)}) f group by 1
    )
    select to_char(days.day, 'YYYY-MM-DD') as day, coalesce(op.n, 0) as opened, coalesce(re.n, 0) as responded
    from days left join op on op.day = days.day left join re on re.day = days.day
    order by days.day`.execute(db);
  return res.rows;
}

export interface DepartmentRow {
  id: number;
  name: string;
  cases: number;
  judged: number;
  onTime: number;
  responded: number;
  averageResponseHours: number | null;
  /** Response effect (see `effects`). */
  closed: number;
  good: number;
  heatBefore: number;
  heatAfter: number;
  reopened: number;
}

/**
 * Per lead department: cases opened in the range, judged response obligations and how many on time,
 * cases first responded in the range and their average response hours. Departments with none of
 * these are left out.
 */
export async function departmentFigures(db: Db, r: Range): Promise<DepartmentRow[]> {
  const res = await sql<DepartmentRow>`
    with op as (
      select lead_department_id as dept, count(*)::int as n
      from cases where opened_at >= ${r.from} and opened_at < ${r.to} group by 1
    ),
    j as (
      select dept, count(*)::int as judged, count(*) filter (where on_time_met)::int as on_time
      from (${judged(r)}) x group by dept
    ),
    rt as (
      select dept, count(*)::int as responded, avg(hours)::float8 as avg_hours
      from (${firstResponses(r)}) f group by dept
    )
    ,
    ef as (${effects(r)})
    select d.id, d.name, coalesce(op.n, 0) as cases, coalesce(j.judged, 0) as judged, coalesce(j.on_time, 0) as "onTime",
           coalesce(rt.responded, 0) as responded, rt.avg_hours as "averageResponseHours",
           coalesce(ef.closed, 0) as closed, coalesce(ef.good, 0) as good, coalesce(ef.heat_before, 0) as "heatBefore",
           coalesce(ef.heat_after, 0) as "heatAfter", coalesce(ef.reopened, 0) as reopened
    from departments d
    left join op on op.dept = d.id
    left join j on j.dept = d.id
    left join rt on rt.dept = d.id
    left join ef on ef.dept = d.id
    where op.n is not null or j.judged is not null or rt.responded is not null or ef.dept is not null
    order by d.id`.execute(db);
  return res.rows;
}

/** Edges (hours) of the response-time histogram: [0,4) [4,8) … [72, ∞). */
export const RESPONSE_HISTOGRAM_EDGES = [4, 8, 12, 24, 48, 72] as const;

/**
 * The response times of `responseTimes` (cases first responded in the range) counted per bucket of
 * RESPONSE_HISTOGRAM_EDGES; every bucket is present, empty ones with 0.
 */
export async function responseHistogram(db: Db, r: Range): Promise<{ fromHours: number; toHours: number | null; count: number }[]> {
  const edges = [...RESPONSE_HISTOGRAM_EDGES];
  const res = await sql<{ bucket: number; count: number }>`
    with f as (${firstResponses(r)})
    select width_bucket(greatest(hours, 0), ${edges}::float8[])::int as bucket, count(*)::int as count
    from f group by 1`.execute(db);
  return histogramBuckets(res.rows);
}

/** Every bucket of RESPONSE_HISTOGRAM_EDGES from the (bucket, count) rows of width_bucket; empty ones with 0. */
function histogramBuckets(rows: { bucket: number; count: number }[]): { fromHours: number; toHours: number | null; count: number }[] {
  const edges = RESPONSE_HISTOGRAM_EDGES;
  const counts = new Map(rows.map((x) => [x.bucket, x.count]));
  return [0, ...edges].map((from, i) => ({ fromHours: from, toHours: i < edges.length ? edges[i] : null, count: counts.get(i) ?? 0 }));
}

// ── All of GET /api/stats in one statement ────────────────────────────────────────────────────
//
// The statistics page polls; as twelve queries (the functions above) it cost twelve round trips
// and computed the first responses four times and the judged obligations twice. statsFigures is
// the same figures in ONE statement: the shared row sets are CTEs computed once, each figure is a
// json subselect. GET /api/stats and the weekly notice both read statsFigures; the functions above
// stay as the readable definition of each figure, and test/stats/stats-figures.test.ts checks that
// statsFigures returns exactly what they return.
//
// Shapes across JSON: ints and float8 arrive as the same numbers pg would give (float8 is printed
// by the same output function either way); bigint ids are cast to text as above; timestamps go as
// text and are parsed back here with pg's own timestamptz parser (the same Date, to the ms).

export interface StatsFigures {
  total: number;
  byLevel: CountRow[];
  byCategory: CountRow[];
  byStatus: CountRow[];
  byDepartment: { id: number; name: string; count: number }[];
  bySource: { id: number; name: string; count: number }[];
  onTime: OnTimeCounts;
  responseTimes: ResponseTimes;
  histogram: { fromHours: number; toHours: number | null; count: number }[];
  overdue: OverdueRow[];
  daily: { day: string; opened: number; responded: number }[];
  departments: DepartmentRow[];
}

const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (text: string) => Date;

/** Count rows of one column of the cases opened in the range, ordered as countCasesBy orders them. */
const countsOf = (column: 'level' | 'category' | 'status') => sql`(
    select coalesce(json_agg(json_build_object('key', key, 'count', count) order by count desc, key), '[]'::json)
    from (select ${sql.ref(column)} as key, count(*)::int as count from opened group by 1) x)`;

/** The row as it comes: histogram as width_bucket rows, overdue times as timestamptz text. */
type StatsFiguresRow = Omit<StatsFigures, 'histogram' | 'overdue'> & {
  histogram: { bucket: number; count: number }[];
  overdue: (Omit<OverdueRow, 'dueAt' | 'metAt'> & { dueAt: string; metAt: string | null })[];
};

/** Every figure of GET /api/stats (the functions above, in one statement; see the section comment). */
export async function statsFigures(db: Db, r: Range, overdueLimit: number): Promise<StatsFigures> {
  const edges = [...RESPONSE_HISTOGRAM_EDGES];
  const res = await sql<StatsFiguresRow>`
    with opened as materialized (
      select id, level, category, status, lead_department_id, opened_at
      from cases where opened_at >= ${r.from} and opened_at < ${r.to}
    ),
    j as materialized (${judged(r)}),
    f as materialized (${firstResponses(r)})
    select
      (select count(*)::int from opened) as total,
      ${countsOf('level')} as "byLevel",
      ${countsOf('category')} as "byCategory",
      ${countsOf('status')} as "byStatus",
      (select coalesce(json_agg(json_build_object('id', id, 'name', name, 'count', count) order by count desc, id), '[]'::json)
       from (select d.id, d.name, count(*)::int as count
             from opened c join departments d on d.id = c.lead_department_id
             group by d.id, d.name) x) as "byDepartment",
      (select coalesce(json_agg(json_build_object('id', id, 'name', name, 'count', count) order by count desc, id), '[]'::json)
       from (select s.id, s.name, count(distinct c.id)::int as count
             from opened c
             join case_stories cs on cs.case_id = c.id
             join items i on i.story_id = cs.story_id
             join sources s on s.id = i.source_id
             group by s.id, s.name) x) as "bySource",
      (select json_build_object('judged', count(*)::int,
                                'onTime', count(*) filter (where on_time_met)::int,
                                'late', count(*) filter (where late_met)::int,
                                'openOverdue', count(*) filter (where open_overdue)::int)
       from j) as "onTime",
      (select json_build_object('count', count(*)::int,
                                'medianHours', percentile_cont(0.5) within group (order by hours),
                                'p90Hours', percentile_cont(0.9) within group (order by hours),
                                'averageHours', avg(hours)::float8)
       from f) as "responseTimes",
      (select coalesce(json_agg(json_build_object('bucket', bucket, 'count', count)), '[]'::json)
       from (select width_bucket(greatest(hours, 0), ${edges}::float8[])::int as bucket, count(*)::int as count from f group by 1) x) as histogram,
      (select coalesce(json_agg(json_build_object(
                'obligationId', id::text, 'caseId', case_id::text, 'caseNumber', number, 'caseTitle', title,
                'kind', kind, 'seq', seq, 'status', status, 'dueAt', due_at::text, 'metAt', met_at::text,
                'hoursLate', hours_late, 'departmentId', department_id, 'departmentName', department_name)
              order by hours_late desc, id), '[]'::json)
       from (select o.id, c.id as case_id, c.number, c.title, o.kind, o.seq, o.status, o.due_at, o.met_at,
                    extract(epoch from (coalesce(o.met_at, ${r.now}::timestamptz) - o.due_at))::float8 / 3600 as hours_late,
                    d.id as department_id, d.name as department_name
             from obligations o
             join cases c on c.id = o.case_id
             join departments d on d.id = c.lead_department_id
             where (o.status = 'open' and o.due_at < ${r.now} and o.due_at >= ${r.from} and o.due_at < ${r.to})
                or (o.status = 'met' and o.on_time = false and o.met_at >= ${r.from} and o.met_at < ${r.to})
             order by hours_late desc, o.id
             limit ${overdueLimit}) x) as overdue,
      (select coalesce(json_agg(json_build_object('day', to_char(days.day, 'YYYY-MM-DD'), 'opened', coalesce(op.n, 0), 'responded', coalesce(re.n, 0))
                                order by days.day), '[]'::json)
       from (select d::date as day
             from generate_series((${r.from}::timestamptz at time zone ${TZ})::date,
                                  ((${r.to}::timestamptz - interval '1 microsecond') at time zone ${TZ})::date,
                                  interval '1 day') as d) days
       left join (select (opened_at at time zone ${TZ})::date as day, count(*)::int as n from opened group by 1) op on op.day = days.day
       left join (select (first_at at time zone ${TZ})::date as day, count(*)::int as n from f group by 1) re on re.day = days.day) as daily,
      (select coalesce(json_agg(json_build_object('id', d.id, 'name', d.name, 'cases', coalesce(op.n, 0), 'judged', coalesce(jd.judged, 0),
                                                  'onTime', coalesce(jd.on_time, 0), 'responded', coalesce(rt.responded, 0),
                                                  'averageResponseHours', rt.avg_hours,
                                                  'closed', coalesce(ef.closed, 0), 'good', coalesce(ef.good, 0),
                                                  'heatBefore', coalesce(ef.heat_before, 0), 'heatAfter', coalesce(ef.heat_after, 0),
                                                  'reopened', coalesce(ef.reopened, 0))
                                order by d.id), '[]'::json)
       from departments d
       left join (select lead_department_id as dept, count(*)::int as n from opened group by 1) op on op.dept = d.id
       left join (select dept, count(*)::int as judged, count(*) filter (where on_time_met)::int as on_time from j group by dept) jd on jd.dept = d.id
       left join (select dept, count(*)::int as responded, avg(hours)::float8 as avg_hours from f group by dept) rt on rt.dept = d.id
       left join (${effects(r)}) ef on ef.dept = d.id
       where op.n is not null or jd.judged is not null or rt.responded is not null or ef.dept is not null) as departments`.execute(db);
  const row = res.rows[0];
  return {
    ...row,
    histogram: histogramBuckets(row.histogram),
    overdue: row.overdue.map((o) => ({ ...o, dueAt: parseTimestamptz(o.dueAt), metAt: o.metAt === null ? null : parseTimestamptz(o.metAt) })),
  };
}
