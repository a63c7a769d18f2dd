import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.js';
import type { CaseOrigin, CaseStatus, Category, Channel, Level } from '../../core/vocabulary.js';
import { LEVELS } from '../../core/vocabulary.js';
import { viewerSeesCase, type Viewer } from './case-access.js';
import { escapeLike } from './items.js';
import { caseNamesTown, casePlaceLabels } from './places.js';
import type { CallbackResult } from '../../core/workflow/origin-windows.js';

// 回应台账: one row per case, filtered, sorted and paged by keyset.
//
// Two steps in one statement: `page` picks the ids (filters + sort key + id tiebreak, limit n+1),
// touching only cases and case_departments (and obligations when sorting by dueAt); the outer
// select then computes the wide row (names, first response, feedback, reviewers) for those ≤ n+1
// cases only. The keyset is (sort key, id) in the same direction, so equal keys never repeat or
// skip a row across pages. dueAt can be absent: it sorts as +infinity.

export const LEDGER_SORTS = ['openedAt', 'clockStartedAt', 'dueAt', 'level'] as const;
export type LedgerSort = (typeof LEDGER_SORTS)[number];

export interface LedgerFilter {
  from?: Date;
  to?: Date;
  level?: Level;
  category?: Category;
  departmentId?: number;
  status?: CaseStatus;
  overdue?: boolean;
  /** Cases with a response in this state: 待审核 submitted, 已退回 returned, 待发布 approved. */
  responseStatus?: LedgerResponseStatus;
  q?: string;
  /** Cases one of whose items names this town of the area (地域). */
  town?: string;
}

export const LEDGER_RESPONSE_STATUSES = ['submitted', 'returned', 'approved'] as const;
export type LedgerResponseStatus = (typeof LEDGER_RESPONSE_STATUSES)[number];

/** A leader's instruction (领导批示) as a ledger row lists it. */
export interface LedgerInstruction {
  authorName: string;
  content: string;
  reported: boolean;
}

export interface LedgerKey {
  /** The sort key as exact text: UTC timestamp to the microsecond, 'infinity', or the level rank. */
  value: string;
  id: string;
}

export interface LedgerQuery extends LedgerFilter {
  sort: LedgerSort;
  dir: 'asc' | 'desc';
  after?: LedgerKey;
  limit: number;
  viewer: { role: Viewer['role']; departmentId: number | null };
  now: Date;
}

const DUE = sql`coalesce(d.due_at, 'infinity'::timestamptz)`;
const LEVEL_RANK = sql`array_position(${sql.raw(`array[${LEVELS.map((l) => `'${l}'`).join(',')}]`)}, c.level)`;

function sortExpr(sort: LedgerSort): { expr: RawBuilder<unknown>; cast: RawBuilder<unknown>; text: RawBuilder<string> } {
  const ts = (e: RawBuilder<unknown>) => ({
    expr: e,
    cast: sql`timestamptz`,
    text: sql<string>`case when isfinite(${e}) then to_char(${e} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') else 'infinity' end`,
  });
  switch (sort) {
    case 'openedAt':
      return ts(sql`c.opened_at`);
    case 'clockStartedAt':
      return ts(sql`c.clock_started_at`);
    case 'dueAt':
      return ts(DUE);
    case 'level':
      return { expr: LEVEL_RANK, cast: sql`integer`, text: sql<string>`${LEVEL_RANK}::text` };
  }
}

/**
 * Due of the response obligation, else the earliest open one. `offset 0` keeps the planner from
 * pulling the subquery up: pulled up, its expression is copied into the sort key, the sort value
 * and its text, and the obligation probes run three times per matching case instead of once.
 */
const DUE_LATERAL = sql`left join lateral (
    select coalesce(
      (select o.due_at from obligations o where o.case_id = c.id and o.kind = 'response' and o.status <> 'cancelled' order by o.seq limit 1),
      (select min(o.due_at) from obligations o where o.case_id = c.id and o.status = 'open')) as due_at
    offset 0
  ) d on true`;

/**
 * The obligation columns of a ledger row in one pass over the case's obligations (one index probe
 * instead of four): due (as DUE_LATERAL), on time (the response obligation, else the info one; null
 * while open and not yet late), overdue (an open one past due, or one met late; null: none).
 */
const OBLIGATIONS_LATERAL = (now: Date) => sql`left join lateral (
    select coalesce(
        (array_agg(o.due_at order by o.seq) filter (where o.kind = 'response' and o.status <> 'cancelled'))[1],
        min(o.due_at) filter (where o.status = 'open')) as due_at,
      (array_agg(case when o.status = 'met' then o.on_time when o.due_at < ${now} then false end
         order by (o.kind = 'response') desc, o.seq) filter (where o.kind in ('response', 'info') and o.status <> 'cancelled'))[1] as on_time,
      bool_or((o.status = 'open' and o.due_at < ${now}) or (o.status = 'met' and o.on_time = false)) as overdue
    from obligations o where o.case_id = c.id
  ) ob on true`;

const PUBLISHED = sql`rp.status = 'published' and rp.published_at is not null`;

function whereOf(f: LedgerQuery): RawBuilder<unknown> {
  const conds: RawBuilder<unknown>[] = [viewerSeesCase(f.viewer, 'c')];
  if (f.from) conds.push(sql`c.clock_started_at >= ${f.from}`);
  if (f.to) conds.push(sql`c.clock_started_at < ${f.to}`);
  if (f.level) conds.push(sql`c.level = ${f.level}`);
  if (f.category) conds.push(sql`c.category = ${f.category}`);
  if (f.status) conds.push(sql`c.status = ${f.status}`);
  if (f.departmentId !== undefined) {
    conds.push(sql`exists (select 1 from case_departments cd2 where cd2.case_id = c.id and cd2.department_id = ${f.departmentId})`);
  }
  if (f.overdue !== undefined) {
    const late = sql`exists (select 1 from obligations o where o.case_id = c.id and
        ((o.status = 'open' and o.due_at < ${f.now}) or (o.status = 'met' and o.on_time = false)))`;
    conds.push(f.overdue ? late : sql`not ${late}`);
  }
  if (f.town !== undefined) conds.push(caseNamesTown('c.id', f.town));
  if (f.responseStatus) conds.push(sql`exists (select 1 from responses rq where rq.case_id = c.id and rq.status = ${f.responseStatus})`);
  if (f.q) {
    const p = `%${escapeLike(f.q)}%`;
    conds.push(sql`(c.title ilike ${p} or c.summary ilike ${p} or c.number ilike ${p})`);
  }
  return sql.join(conds, sql` and `);
}

export interface LedgerRow {
  id: string;
  number: string;
  title: string;
  summary: string;
  level: Level;
  category: Category;
  status: CaseStatus;
  origin: CaseOrigin;
  origin_note: string;
  source_names: string[];
  lead_department_id: number;
  lead_department_name: string;
  co_departments: { id: number; name: string }[];
  clock_started_at: Date;
  opened_at: Date;
  assigned_at: Date | null;
  due_at: Date | null;
  responded_at: Date | null;
  /** 补录: the first publication's time was typed in afterwards. */
  responded_backfilled: boolean;
  response_channel: Channel | null;
  on_time: boolean | null;
  overdue: boolean;
  feedback_count: number;
  feedback_latest_at: Date | null;
  feedback_latest_body: string | null;
  closed_at: Date | null;
  drafted_by_name: string | null;
  reviewed_by_name: string | null;
  instructions: LedgerInstruction[];
  /** 地域: the places of the area its items name (龙山镇石桥村). */
  places: string[];
  /** 回访结果 of a hotline / mailbox case: the latest 回访 (null: none recorded). */
  callback_result: CallbackResult | null;
  sort_key: string;
}

export async function listLedger(db: Db, f: LedgerQuery): Promise<LedgerRow[]> {
  const { expr, cast, text } = sortExpr(f.sort);
  const dir = sql.raw(f.dir);
  const cmp = sql.raw(f.dir === 'asc' ? '>' : '<');
  const where = whereOf(f);
  const keyset = f.after ? sql`and (${expr}, c.id) ${cmp} (${f.after.value}::${cast}, ${f.after.id}::bigint)` : sql``;
  const r = await sql<LedgerRow>`
    with page as (
      select c.id, ${text} as sort_key, ${expr} as sort_val
      from cases c ${f.sort === 'dueAt' ? DUE_LATERAL : sql``}
      where ${where} ${keyset}
      order by ${expr} ${dir}, c.id ${dir}
      limit ${f.limit}
    )
    select c.id::text, c.number, c.title, c.summary, c.level, c.category, c.status, c.origin, c.origin_note,
      (select coalesce(array_agg(x.source_name order by x.first, x.source_name), '{}') from (
         select ci.source_name, min(coalesce(ci.published_at, ci.captured_at)) as first from case_items ci
         where ci.case_id = c.id and ci.source_name <> '' group by ci.source_name order by first, ci.source_name limit 3) x) as source_names,
      c.lead_department_id, ld.name as lead_department_name,
      (select coalesce(json_agg(json_build_object('id', dd.id, 'name', dd.name) order by dd.id), '[]'::json)
         from case_departments cd join departments dd on dd.id = cd.department_id
         where cd.case_id = c.id and cd.role = 'co') as co_departments,
      c.clock_started_at, c.opened_at, c.assigned_at, ob.due_at,
      rs.responded_at, coalesce(rs.responded_backfilled, false) as responded_backfilled, rs.response_channel,
      ob.on_time, coalesce(ob.overdue, false) as overdue,
      fb.feedback_count, fb.feedback_latest_at, fb.feedback_latest_body,
      c.closed_at,
      (select u.display_name from users u where u.id = rs.drafted_by) as drafted_by_name,
      -- 审核人: who approved the 审核人 step of the latest response (the leaders' steps come after it), else its last reviewer.
      (select u.display_name from users u where u.id = coalesce(
         (select ra.decided_by from response_approvals ra
           where ra.response_id = rs.latest_id and ra.step_kind = 'reviewer' and ra.decision = 'approve'
           order by ra.decided_at desc, ra.id desc limit 1),
         rs.reviewed_by)) as reviewed_by_name,
      (select coalesce(json_agg(json_build_object('authorName', i.author_name, 'content', i.content, 'reported', i.reported_at is not null)
         order by i.created_at, i.id), '[]'::json) from instructions i where i.case_id = c.id) as instructions,
      ${casePlaceLabels('c.id')} as places,
      (select k.result from case_callbacks k where k.case_id = c.id order by k.called_at desc, k.id desc limit 1) as callback_result,
      page.sort_key
    from page
    join cases c on c.id = page.id
    join departments ld on ld.id = c.lead_department_id
    ${OBLIGATIONS_LATERAL(f.now)}
    left join lateral (
      select (array_agg(rp.published_at order by rp.published_at, rp.id) filter (where ${PUBLISHED}))[1] as responded_at,
        (array_agg(rp.channel order by rp.published_at, rp.id) filter (where ${PUBLISHED}))[1] as response_channel,
        (array_agg(rp.backfilled order by rp.published_at, rp.id) filter (where ${PUBLISHED}))[1] as responded_backfilled,
        (array_agg(rp.drafted_by order by rp.created_at desc, rp.id desc))[1] as drafted_by,
        (array_agg(rp.reviewed_by order by rp.created_at desc, rp.id desc))[1] as reviewed_by,
        (array_agg(rp.id order by rp.created_at desc, rp.id desc))[1] as latest_id
      from responses rp where rp.case_id = c.id) rs on true
    left join lateral (
      select count(*)::int as feedback_count,
        (array_agg(f.created_at order by f.created_at desc, f.id desc))[1] as feedback_latest_at,
        (array_agg(f.body order by f.created_at desc, f.id desc))[1] as feedback_latest_body
      from feedback f where f.case_id = c.id) fb on true
    order by page.sort_val ${dir}, page.id ${dir}`.execute(db);
  return r.rows;
}

export async function countLedger(db: Db, f: LedgerQuery): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from cases c where ${whereOf(f)}`.execute(db);
  return r.rows[0].n;
}
