import pg from 'pg';
import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { Case, Obligation } from '../schema-workflow.js';
import { viewerSeesCase, type Viewer } from './case-access.js';

// Everything GET /api/cases/{id} shows, in ONE statement: the case row (with the visibility
// rule of every case read, viewerSeesCase in case-access.ts) and each of its lists as a json_agg subselect. The page is
// the most frequent request of the dashboard; as a dozen separate queries it cost a dozen round
// trips, and the server spent a quarter of its CPU writing to Postgres sockets.
//
// The lists come back as JSON, so each column is shaped to arrive as exactly what pg would have
// given for it as a column of its own (the API answer must not change):
//   'int8' → ::text        (pg returns bigint as a string; JSON would make it a number)
//   'ts'   → ::text, then parsed here with pg's own timestamptz parser (the same Date, to the ms)
//   'plain'                (int4, real, boolean, text, jsonb: JSON gives what pg gives)
// Columns are listed in table order, so rows shown verbatim (camelRow) keep their key order;
// test/cases/case-detail.test.ts checks these lists against the tables.

type Kind = 'plain' | 'int8' | 'ts';
/** [output key, kind, SQL expression (default: t.<key>)]. */
export type Col = readonly [key: string, kind: Kind, expr?: string];

const userName = (col: string) => `(select u.display_name from users u where u.id = t.${col})`;

export const RESPONSE_COLUMNS: readonly Col[] = [
  ['id', 'int8'],
  ['case_id', 'int8'],
  ['status', 'plain'],
  ['body', 'plain'],
  ['drafted_by', 'plain'],
  ['drafted_at', 'ts'],
  ['submitted_by', 'plain'],
  ['submitted_at', 'ts'],
  ['reviewed_by', 'plain'],
  ['reviewed_at', 'ts'],
  ['review_comment', 'plain'],
  ['published_by', 'plain'],
  ['published_at', 'ts'],
  ['channel', 'plain'],
  ['url', 'plain'],
  ['created_at', 'ts'],
  ['updated_at', 'ts'],
  ['edited_by', 'plain'],
  ['backfilled', 'plain'],
  ['approval_chain', 'plain'],
  ['approval_step', 'plain'],
  ['secrecy_confirmed_by', 'plain'],
  ['secrecy_confirmed_at', 'ts'],
  ['countersign_departments', 'plain'],
  ['countersign_pending', 'plain'],
];

export const FEEDBACK_COLUMNS: readonly Col[] = [
  ['id', 'int8'],
  ['case_id', 'int8'],
  ['author_id', 'plain'],
  ['kind', 'plain'],
  ['body', 'plain'],
  ['created_at', 'ts'],
];

export const REPORT_UP_COLUMNS: readonly Col[] = [
  ['id', 'int8'],
  ['case_id', 'int8'],
  ['reported_by', 'plain'],
  ['reported_at', 'ts'],
  ['recipient', 'plain'],
  ['content', 'plain'],
  ['backfilled', 'plain'],
];

export const REFERRAL_COLUMNS: readonly Col[] = [
  ['id', 'int8'],
  ['case_id', 'int8'],
  ['target', 'plain'],
  ['referred_by', 'plain'],
  ['referred_at', 'ts'],
  ['recipient', 'plain'],
  ['content', 'plain'],
];

export const OBLIGATION_COLUMNS: readonly Col[] = [
  ['id', 'int8'],
  ['case_id', 'int8'],
  ['kind', 'plain'],
  ['seq', 'plain'],
  ['window_hours', 'plain'],
  ['window_unit', 'plain'],
  ['started_at', 'ts'],
  ['due_at', 'ts'],
  ['status', 'plain'],
  ['met_at', 'ts'],
  ['on_time', 'plain'],
  ['met_by', 'plain'],
  ['note', 'plain'],
  ['created_at', 'ts'],
  ['updated_at', 'ts'],
  ['next_step_at', 'ts'],
  ['period_name', 'plain'],
  ['period_factor', 'plain'],
];

const ITEM_COLUMNS: readonly Col[] = [
  ['id', 'int8'],
  ['item_id', 'int8'],
  ['title', 'plain'],
  ['text', 'plain'],
  ['url', 'plain'],
  ['source_name', 'plain'],
  ['published_at', 'ts'],
  ['captured_at', 'ts'],
];

const STORY_COLUMNS: readonly Col[] = [
  ['id', 'int8'],
  ['title', 'plain'],
  ['item_count', 'plain'],
  ['source_count', 'plain'],
  ['first_seen_at', 'ts'],
  ['last_seen_at', 'ts'],
  ['alert_id', 'int8', 'a.id'],
  ['alert_status', 'plain', 'a.status'],
];

const DEPARTMENT_COLUMNS: readonly Col[] = [
  ['id', 'plain', 'd.id'],
  ['name', 'plain', 'd.name'],
  ['role', 'plain', 't.role'],
];

const AUDIT_COLUMNS: readonly Col[] = [
  ['id', 'int8'],
  ['at', 'ts'],
  ['actor_id', 'plain'],
  ['actor_name', 'plain'],
  ['entity', 'plain'],
  ['entity_id', 'plain'],
  ['action', 'plain'],
  ['before', 'plain'],
  ['after', 'plain'],
];

const named = (cols: readonly Col[], names: Record<string, string>): readonly Col[] => [
  ...cols,
  ...Object.entries(names).map(([key, col]): Col => [key, 'plain', userName(col)]),
];

const RESPONSES = named(RESPONSE_COLUMNS, { drafted_by_name: 'drafted_by', reviewed_by_name: 'reviewed_by', published_by_name: 'published_by' });
const FEEDBACK = named(FEEDBACK_COLUMNS, { author_name: 'author_id' });
const REPORTS_UP = named(REPORT_UP_COLUMNS, { reported_by_name: 'reported_by' });
const REFERRALS = named(REFERRAL_COLUMNS, { referred_by_name: 'referred_by' });

/** json_build_object of the columns (constants only: no input reaches this text). */
function jsonRow(cols: readonly Col[]): string {
  const args = cols.map(([key, kind, expr]) => {
    const e = expr ?? `t.${key}`;
    return `'${key}', ${kind === 'plain' ? e : `(${e})::text`}`;
  });
  return `json_build_object(${args.join(', ')})`;
}

/** `coalesce(json_agg(row order by …), '[]')` over `from …` (the rows of one list, in the page's order). */
function list(cols: readonly Col[], from: string, orderBy: string): string {
  return `coalesce((select json_agg(${jsonRow(cols)} order by ${orderBy}) ${from}), '[]'::json)`;
}

// One text for every case page (the case id and viewer are parameters), built once.
const PARTS_SQL = `json_build_object(
  'openedByName', (select u.display_name from users u where u.id = c.opened_by),
  'departments', ${list(DEPARTMENT_COLUMNS, 'from case_departments t join departments d on d.id = t.department_id where t.case_id = c.id', 't.role desc, d.id')},
  'stories', ${list(STORY_COLUMNS, 'from case_stories cs join stories t on t.id = cs.story_id left join alerts a on a.story_id = t.id where cs.case_id = c.id', 't.first_seen_at, t.id')},
  'items', ${list(ITEM_COLUMNS, 'from case_items t where t.case_id = c.id', 't.published_at, t.id')},
  'obligations', ${list(OBLIGATION_COLUMNS, 'from obligations t where t.case_id = c.id', 't.due_at, t.id')},
  'responses', ${list(RESPONSES, 'from responses t where t.case_id = c.id', 't.created_at, t.id')},
  'feedback', ${list(FEEDBACK, 'from feedback t where t.case_id = c.id', 't.created_at, t.id')},
  'reportsUp', ${list(REPORTS_UP, 'from reports_up t where t.case_id = c.id', 't.reported_at, t.id')},
  'referrals', ${list(REFERRALS, 'from referrals t where t.case_id = c.id', 't.referred_at, t.id')},
  'timeline', ${list(AUDIT_COLUMNS, 'from audit_log t where t.case_id = c.id', 't.id')}
)`;

const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (text: string) => Date;

/** The 'ts' columns of each row parsed back to Dates, as pg gives them (others as they came). */
function revive<T>(rows: Record<string, unknown>[], cols: readonly Col[]): T[] {
  const ts = cols.filter(([, kind]) => kind === 'ts').map(([key]) => key);
  for (const row of rows) {
    for (const key of ts) {
      const v = row[key];
      if (typeof v === 'string') row[key] = parseTimestamptz(v);
    }
  }
  return rows as T[];
}

export interface CaseDetailParts {
  departments: { id: number; name: string; role: 'lead' | 'co' }[];
  openedByName: string | null;
  stories: {
    id: string;
    title: string;
    item_count: number;
    source_count: number;
    first_seen_at: Date;
    last_seen_at: Date;
    alert_id: string | null;
    alert_status: string | null;
  }[];
  items: { id: string; item_id: string | null; title: string; text: string; url: string; source_name: string; published_at: Date | null; captured_at: Date }[];
  obligations: Obligation[];
  responses: Record<string, unknown>[];
  feedback: Record<string, unknown>[];
  reportsUp: Record<string, unknown>[];
  referrals: Record<string, unknown>[];
  timeline: {
    id: string;
    at: Date;
    actor_id: number | null;
    actor_name: string;
    entity: string;
    entity_id: string;
    action: string;
    before: unknown;
    after: unknown;
  }[];
}

type RawParts = { openedByName: string | null } & Record<Exclude<keyof CaseDetailParts, 'openedByName'>, Record<string, unknown>[]>;

/**
 * The case and everything its page shows, if this user may see it (else undefined → 404). The
 * visibility rule is viewerSeesCase (case-access.ts), as for every case read.
 */
export async function caseDetail(db: Db, caseId: string, viewer: Viewer): Promise<{ case: Case; parts: CaseDetailParts } | undefined> {
  if (!/^\d{1,18}$/.test(caseId)) return undefined;
  const res = await sql<Case & { detail_parts: RawParts }>`
    select c.*, ${sql.raw(PARTS_SQL)} as detail_parts
    from cases c
    where c.id = ${caseId} and ${viewerSeesCase(viewer, 'c')}`.execute(db);
  const row = res.rows[0];
  if (!row) return undefined;
  const { detail_parts: p, ...c } = row;
  return {
    case: c,
    parts: {
      openedByName: p.openedByName,
      departments: p.departments as CaseDetailParts['departments'],
      stories: revive(p.stories, STORY_COLUMNS),
      items: revive(p.items, ITEM_COLUMNS),
      obligations: revive(p.obligations, OBLIGATION_COLUMNS),
      responses: revive(p.responses, RESPONSES),
      feedback: revive(p.feedback, FEEDBACK),
      reportsUp: revive(p.reportsUp, REPORTS_UP),
      referrals: revive(p.referrals, REFERRALS),
      timeline: revive(p.timeline, AUDIT_COLUMNS),
    },
  };
}
