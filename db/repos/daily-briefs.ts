import { sql, type ColumnType } from 'kysely';
import type { Db } from '../client.js';
import type { DailyCase, DailyDeadline, DailyFigures } from '../../core/reports/daily.js';
import type { Level, ObligationKind } from '../../core/vocabulary.js';
import { NEGATIVE_THRESHOLD } from '../../core/sentiment.js';

// 舆情日报 rows (migration 0026) and the figures a brief reports, computed in SQL at `now`.

interface DailyBriefsTable {
  id: ColumnType<string, never, never>;
  day: ColumnType<string, string, never>;
  since: Date;
  title: string;
  figures: ColumnType<DailyFigures, string, never>;
  serial_year: number;
  serial_no: number;
  serial_text: string;
  file: Buffer;
  file_name: string;
  generated_at: Date;
}

const briefsDb = (db: Db) => db.withTables<{ daily_briefs: DailyBriefsTable }>();

/** Serialises the making of briefs (a transaction-scoped advisory lock): numbers are taken in turn. */
export async function lockDailyBriefs(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('daily_briefs'))`.execute(trx);
}

export async function findDailyBriefByDay(db: Db, day: string): Promise<{ id: string } | undefined> {
  return briefsDb(db).selectFrom('daily_briefs').select('id').where(sql<boolean>`day = ${day}::date`).executeTakeFirst();
}

/** The time the latest brief before `day` was made; null: none yet. */
export async function lastBriefBefore(db: Db, day: string): Promise<Date | null> {
  const r = await briefsDb(db)
    .selectFrom('daily_briefs')
    .select('generated_at')
    .where(sql<boolean>`day < ${day}::date`)
    .orderBy('day', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.generated_at ?? null;
}

export interface NewDailyBrief {
  day: string;
  since: Date;
  title: string;
  figures: DailyFigures;
  serial: { year: number; no: number; text: string };
  file: Buffer;
  fileName: string;
  generatedAt: Date;
}

export async function insertDailyBrief(trx: Db, b: NewDailyBrief): Promise<string> {
  const r = await briefsDb(trx)
    .insertInto('daily_briefs')
    .values({
      day: b.day,
      since: b.since,
      title: b.title,
      figures: JSON.stringify(b.figures),
      serial_year: b.serial.year,
      serial_no: b.serial.no,
      serial_text: b.serial.text,
      file: b.file,
      file_name: b.fileName,
      generated_at: b.generatedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(r.id);
}

export interface DailyBriefSummary {
  id: string;
  day: string;
  title: string;
  serial: string;
  figures: DailyFigures;
  generatedAt: Date;
}

/** The newest briefs first (at most `limit`). */
export async function listDailyBriefs(db: Db, limit: number): Promise<DailyBriefSummary[]> {
  const rows = await briefsDb(db)
    .selectFrom('daily_briefs')
    .select(['id', sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day_text'), 'title', 'serial_text', 'figures', 'generated_at'])
    .orderBy('day', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: String(r.id), day: r.day_text, title: r.title, serial: r.serial_text, figures: r.figures, generatedAt: r.generated_at }));
}

export async function dailyBriefFile(db: Db, id: string): Promise<{ file: Buffer; file_name: string } | undefined> {
  return briefsDb(db).selectFrom('daily_briefs').select(['file', 'file_name']).where('id', '=', id as never).executeTakeFirst();
}

/** What a brief reports: alerts and cases in [since, now), open obligations due by `horizon` and past due, periods in force. */
export async function dailyFigures(db: Db, since: Date, now: Date, horizon: Date): Promise<DailyFigures> {
  const alerts = await sql<{ total: number; untriaged: number; negative: number; spikes: number }>`
    select
      (select count(*)::int from alerts where created_at >= ${since} and created_at < ${now}) as total,
      (select count(*)::int from alerts where status = 'new' and created_at < ${now}) as untriaged,
      (select count(*)::int from alerts where created_at >= ${since} and created_at < ${now} and negativity >= ${NEGATIVE_THRESHOLD}) as negative,
      (select count(*)::int from alerts where created_at >= ${since} and created_at < ${now} and spike) as spikes
  `.execute(db);
  const cases = await sql<DailyCase>`
    select number, title, level from cases where opened_at >= ${since} and opened_at < ${now} order by opened_at, id
  `.execute(db);
  const obligations = (from: Date | null, to: Date) => sql<{ caseNumber: string; caseTitle: string; kind: ObligationKind; dueAt: Date }>`
    select c.number as "caseNumber", c.title as "caseTitle", o.kind, o.due_at as "dueAt"
    from obligations o join cases c on c.id = o.case_id
    where o.status = 'open' and c.status <> 'closed' and o.due_at < ${to} ${from ? sql`and o.due_at >= ${from}` : sql``}
    order by o.due_at, o.id
  `.execute(db);
  const [due, late] = await Promise.all([obligations(now, horizon), obligations(null, now)]);
  const periods = await sql<{ name: string; endsAt: Date }>`
    select name, ends_at as "endsAt" from heightened_periods where starts_at <= ${now} and ends_at > ${now} order by ends_at, id
  `.execute(db);
  const dl = (r: { caseNumber: string; caseTitle: string; kind: ObligationKind; dueAt: Date }): DailyDeadline => ({ ...r, dueAt: new Date(r.dueAt).toISOString() });
  return {
    since: since.toISOString(),
    until: now.toISOString(),
    alerts: alerts.rows[0]!,
    newCases: cases.rows.map((c) => ({ number: c.number, title: c.title, level: c.level as Level })),
    deadlines: due.rows.map(dl),
    breaches: late.rows.map(dl),
    periods: periods.rows.map((p) => ({ name: p.name, endsAt: new Date(p.endsAt).toISOString() })),
  };
}
