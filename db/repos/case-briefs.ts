import { sql, type ColumnType, type Generated, type Selectable } from 'kysely';
import type { Db } from '../client.js';
import type { BriefContent, BriefFacts, BriefKind } from '../../core/reports/brief.js';
import type { SpecialContent, SpecialFacts } from '../../core/reports/special-brief.js';
import type { CaseOrigin, Category, Channel, Level, ObligationKind } from '../../core/vocabulary.js';

// 舆情快报 and 舆情专报 of a case (migrations 0022, 0029): the facts a brief is written from, and the
// issued briefs (never updated: a trigger refuses it).

export interface CaseBriefsTable {
  id: Generated<string>;
  case_id: string;
  kind: ColumnType<BriefKind, BriefKind, never>;
  title: string;
  recipient: string;
  content: ColumnType<BriefContent | SpecialContent, string, never>;
  serial_year: number;
  serial_no: number;
  serial_text: string;
  file: Buffer;
  file_name: string;
  report_up_id: string | null;
  issued_by: number | null;
  issued_at: Date;
}

const briefsDb = (db: Db) => db.withTables<{ case_briefs: CaseBriefsTable }>();

export type CaseBriefMeta = Omit<Selectable<CaseBriefsTable>, 'file' | 'content'> & { issued_by_name: string | null };

export async function insertBrief(
  trx: Db,
  b: { kind: BriefKind; caseId: string; title: string; recipient: string; content: BriefContent | SpecialContent; serial: { year: number; no: number; text: string }; file: Buffer; fileName: string; reportUpId: string; by: number | null; at: Date },
): Promise<string> {
  const r = await briefsDb(trx)
    .insertInto('case_briefs')
    .values({
      kind: b.kind,
      case_id: b.caseId,
      title: b.title,
      recipient: b.recipient,
      content: JSON.stringify(b.content),
      serial_year: b.serial.year,
      serial_no: b.serial.no,
      serial_text: b.serial.text,
      file: b.file,
      file_name: b.fileName,
      report_up_id: b.reportUpId,
      issued_by: b.by,
      issued_at: b.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(r.id);
}

export async function listBriefs(db: Db, caseId: string): Promise<CaseBriefMeta[]> {
  const r = await sql<CaseBriefMeta>`
    select b.id::text, b.case_id::text, b.kind, b.title, b.recipient, b.serial_year, b.serial_no, b.serial_text, b.file_name,
      b.report_up_id::text, b.issued_by, b.issued_at, coalesce(nullif(u.display_name, ''), u.username) as issued_by_name
    from case_briefs b left join users u on u.id = b.issued_by
    where b.case_id = ${caseId}
    order by b.issued_at desc, b.id desc
  `.execute(db);
  return r.rows;
}

export async function briefFile(db: Db, caseId: string, briefId: string): Promise<{ file: Buffer; file_name: string } | undefined> {
  return briefsDb(db).selectFrom('case_briefs').select(['file', 'file_name']).where('case_id', '=', caseId).where('id', '=', briefId).executeTakeFirst();
}

/** What a brief says about a case, read in the issuing transaction (after its 上报 is recorded). */
export async function briefFacts(trx: Db, caseId: string): Promise<(BriefFacts & Pick<SpecialFacts, 'sourceCounts'>) | undefined> {
  const c = (
    await sql<{
      number: string;
      title: string;
      summary: string;
      level: Level;
      category: Category;
      origin: CaseOrigin;
      origin_note: string;
      clock_started_at: Date;
      lead: string;
      co: string[];
    }>`
      select c.number, c.title, c.summary, c.level, c.category, c.origin, c.origin_note, c.clock_started_at,
        coalesce(d.name, '') as lead,
        coalesce((select array_agg(dd.name order by dd.name) from case_departments cd join departments dd on dd.id = cd.department_id
          where cd.case_id = c.id and cd.role = 'co'), '{}') as co
      from cases c left join departments d on d.id = c.lead_department_id
      where c.id = ${caseId}
    `.execute(trx)
  ).rows[0];
  if (!c) return undefined;
  const suggested = (
    await sql<{ level: Level; category: Category }>`
      select a.suggested_level as level, a.suggested_category as category
      from alerts a join case_stories cs on cs.story_id = a.story_id
      where cs.case_id = ${caseId}
      order by a.id
      limit 1
    `.execute(trx)
  ).rows[0];
  // The spread: the items of the case's stories; a case registered by hand has only its evidence.
  const spread = (
    await sql<{ source: string; n: number }>`
      select s.name as source, count(*)::int as n
      from items i join case_stories cs on cs.story_id = i.story_id join sources s on s.id = i.source_id
      where cs.case_id = ${caseId}
      group by s.name
      union all
      select coalesce(nullif(ci.source_name, ''), '（未注明来源）') as source, count(*)::int as n
      from case_items ci
      where ci.case_id = ${caseId} and not exists (select 1 from case_stories cs where cs.case_id = ${caseId})
      group by 1
      order by n desc, source
    `.execute(trx)
  ).rows;
  const obligations = (
    await sql<{ kind: ObligationKind; seq: number; due_at: Date; status: 'open' | 'met' | 'cancelled'; met_at: Date | null; on_time: boolean | null }>`
      select kind, seq, due_at, status, met_at, on_time from obligations where case_id = ${caseId} order by due_at, seq
    `.execute(trx)
  ).rows;
  const published = (
    await sql<{ at: Date; channel: Channel }>`
      select published_at as at, channel from responses
      where case_id = ${caseId} and status = 'published' and published_at is not null
      order by published_at limit 1
    `.execute(trx)
  ).rows[0];
  return {
    number: c.number,
    title: c.title,
    summary: c.summary,
    level: c.level,
    category: c.category,
    origin: c.origin,
    originNote: c.origin_note,
    firstSeenAt: c.clock_started_at,
    leadDepartment: c.lead,
    coDepartments: c.co,
    suggested: suggested ?? null,
    itemCount: spread.reduce((a, r) => a + r.n, 0),
    sourceCount: spread.filter((r) => r.source !== '（未注明来源）').length,
    topSources: spread.filter((r) => r.source !== '（未注明来源）').slice(0, 3).map((r) => r.source),
    obligations: obligations.map((o) => ({ kind: o.kind, seq: o.seq, dueAt: o.due_at, status: o.status, metAt: o.met_at, onTime: o.on_time })),
    published: published ? { at: published.at, channel: published.channel } : null,
    sourceCounts: spread.filter((r) => r.source !== '（未注明来源）'),
  };
}

/** What a 舆情专报 says about a case: the brief's facts and the heat by hour, the items to quote and the timeline. */
export async function specialFacts(trx: Db, caseId: string, except: { reportUpId?: string } = {}): Promise<SpecialFacts | undefined> {
  const base = await briefFacts(trx, caseId);
  if (!base) return undefined;
  const heat = (
    await sql<{ hour: Date; n: number }>`
      select date_trunc('hour', i.published_at) as hour, count(*)::int as n
      from items i join case_stories cs on cs.story_id = i.story_id
      where cs.case_id = ${caseId}
      group by 1 order by 1
    `.execute(trx)
  ).rows;
  // The most telling first: the most negative, then the earliest; one per source and text is left to the composer.
  const voices = (
    await sql<{ source: string; title: string; text: string }>`
      select s.name as source, i.title, left(i.text, 400) as text
      from items i join case_stories cs on cs.story_id = i.story_id join sources s on s.id = i.source_id
      where cs.case_id = ${caseId}
      order by i.negativity desc, i.published_at, i.id
      limit 100
    `.execute(trx)
  ).rows;
  const c = (await sql<{ at: Date }>`select coalesce(assigned_at, opened_at) as at from cases where id = ${caseId}`.execute(trx)).rows[0]!;
  const responses = (
    await sql<{ at: Date; channel: SpecialFacts['responses'][number]['channel'] }>`
      select published_at as at, channel from responses
      where case_id = ${caseId} and status = 'published' and published_at is not null and channel is not null
      order by published_at
    `.execute(trx)
  ).rows;
  const reportsUp = (
    await sql<{ at: Date; recipient: string }>`
      select reported_at as at, recipient from reports_up
      where case_id = ${caseId} and id::text <> ${except.reportUpId ?? ''}
      order by reported_at, id
    `.execute(trx)
  ).rows;
  return { ...base, heat, voices, assignedAt: c.at, responses, reportsUp };
}
