import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { CaseStatus, EffectRating } from '../../core/vocabulary.js';

// Follow-up (跟踪反馈): feedback entries, closing and reopening a case, and the story heat around
// the first publication.

export type FeedbackKind = 'reaction' | 'action' | 'release' | 'other';

export interface FeedbackRow {
  id: string;
  case_id: string;
  author_id: number | null;
  author_name: string | null;
  kind: FeedbackKind;
  body: string;
  created_at: Date;
}

function feedbackWithAuthor(db: Db) {
  return db
    .selectFrom('feedback as f')
    .leftJoin('users as u', 'u.id', 'f.author_id')
    .select(['f.id', 'f.case_id', 'f.author_id', 'u.display_name as author_name', 'f.kind', 'f.body', 'f.created_at']);
}

export async function listFeedback(db: Db, caseId: string): Promise<FeedbackRow[]> {
  return feedbackWithAuthor(db).where('f.case_id', '=', caseId).orderBy('f.created_at').orderBy('f.id').execute();
}

export async function findFeedback(db: Db, id: string): Promise<FeedbackRow | undefined> {
  return feedbackWithAuthor(db).where('f.id', '=', id).executeTakeFirst();
}

export async function insertFeedback(trx: Db, v: { caseId: string; authorId: number | null; kind: FeedbackKind; body: string; at: Date }): Promise<string> {
  const r = await trx
    .insertInto('feedback')
    .values({ case_id: v.caseId, author_id: v.authorId, kind: v.kind, body: v.body, created_at: v.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function closeCase(
  trx: Db,
  caseId: string,
  v: { status: CaseStatus; by: number | null; at: Date; rating: EffectRating; conclusion: string },
): Promise<void> {
  await trx
    .updateTable('cases')
    .set({ status: v.status, closed_at: v.at, closed_by: v.by, effect_rating: v.rating, conclusion: v.conclusion, updated_at: v.at })
    .where('id', '=', caseId)
    .execute();
}

/** Back in work: the closing fields are cleared (the audit log keeps what they were). */
export async function reopenCase(trx: Db, caseId: string, v: { status: CaseStatus; at: Date }): Promise<void> {
  await trx
    .updateTable('cases')
    .set({ status: v.status, closed_at: null, closed_by: null, effect_rating: null, updated_at: v.at })
    .where('id', '=', caseId)
    .execute();
}

/** Cancels the case's open obligations of these kinds; returns what was cancelled. */
export async function cancelOpenObligations(
  trx: Db,
  caseId: string,
  kinds: readonly string[],
  note: string,
  at: Date,
): Promise<{ id: string; kind: string; seq: number; due_at: Date }[]> {
  return trx
    .updateTable('obligations')
    .set({ status: 'cancelled', note, updated_at: at })
    .where('case_id', '=', caseId)
    .where('status', '=', 'open')
    .where('kind', 'in', kinds as string[] as never[])
    .returning(['id', 'kind', 'seq', 'due_at'])
    .execute();
}

/** Time of the case's first published response, or null. */
export async function firstPublishedAt(db: Db, caseId: string): Promise<Date | null> {
  const r = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.min('published_at').as('at'))
    .where('case_id', '=', caseId)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return (r?.at as Date | null | undefined) ?? null;
}

export interface HeatWindow {
  items: number;
  sources: number;
}

/**
 * Items of the case's stories (by their publication time) in the `hours` whole hours before `at`
 * and the `hours` after it, with distinct sources; newSources: sources in the after window that
 * had no item of these stories before `at`. Plus one count per hour, hour 0 starting at `at`.
 */
export async function caseHeat(
  db: Db,
  caseId: string,
  at: Date,
  hours: number,
): Promise<{ before: HeatWindow; after: HeatWindow; newSourcesAfter: number; series: { hour: number; items: number }[] }> {
  const totals = await sql<{ b_items: number; b_sources: number; a_items: number; a_sources: number; a_new: number }>`
    with i as (
      select it.source_id, it.published_at as t
      from case_stories cs join items it on it.story_id = cs.story_id
      where cs.case_id = ${caseId}
    ), earlier as (select distinct source_id from i where t < ${at})
    select
      count(*) filter (where t >= ${at}::timestamptz - make_interval(hours => ${hours}) and t < ${at})::int as b_items,
      count(distinct source_id) filter (where t >= ${at}::timestamptz - make_interval(hours => ${hours}) and t < ${at})::int as b_sources,
      count(*) filter (where t >= ${at} and t < ${at}::timestamptz + make_interval(hours => ${hours}))::int as a_items,
      count(distinct source_id) filter (where t >= ${at} and t < ${at}::timestamptz + make_interval(hours => ${hours}))::int as a_sources,
      count(distinct source_id) filter (
        where t >= ${at} and t < ${at}::timestamptz + make_interval(hours => ${hours})
          and source_id not in (select source_id from earlier)
      )::int as a_new
    from i`.execute(db);
  const series = await sql<{ hour: number; items: number }>`
    with i as (
      select it.published_at as t
      from case_stories cs join items it on it.story_id = cs.story_id
      where cs.case_id = ${caseId}
    )
    select g.h::int as hour, count(i.t)::int as items
    from generate_series(-${hours}::int, ${hours}::int - 1) as g(h)
    left join i on i.t >= ${at}::timestamptz + make_interval(hours => g.h)
               and i.t < ${at}::timestamptz + make_interval(hours => g.h + 1)
    group by g.h
    order by g.h`.execute(db);
  const t = totals.rows[0];
  return {
    before: { items: t.b_items, sources: t.b_sources },
    after: { items: t.a_items, sources: t.a_sources },
    newSourcesAfter: t.a_new,
    series: series.rows,
  };
}
