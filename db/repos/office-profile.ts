import { sql, type ColumnType, type Selectable } from 'kysely';
import type { Db } from '../client.js';
import type { Disclosure, OfficeProfile } from '../../core/reports/office.js';
import type { ReportKind } from '../../core/reports/period.js';

// The office profile (单位信息, one row, migration 0020) and the 期号 counters of issued notices.

export interface OfficeProfileTable {
  id: ColumnType<number, never, never>;
  organ: string;
  mark: string;
  serial_formats: ColumnType<Record<ReportKind, string> & { flash?: string; daily?: string; special?: string }, string, string>;
  recipients: string;
  copy_to: string;
  printing_organ: string;
  signature: string;
  disclosure: Disclosure;
  rectification_to: string;
  updated_at: Date;
  updated_by: number | null;
}

interface ReportSerialsTable {
  kind: SerialKind;
  year: number;
  last_no: number;
}

/** What a 期号 counter numbers: the notice kinds, the 舆情快报 ('flash'), 舆情专报 ('special') and 舆情日报 ('daily'). */
export type SerialKind = ReportKind | 'flash' | 'daily' | 'special';

const profileDb = (db: Db) => db.withTables<{ office_profile: OfficeProfileTable; report_serials: ReportSerialsTable }>();

export interface OfficeProfileRow extends OfficeProfile {
  updatedAt: Date;
  updatedBy: number | null;
}

const fromRow = (r: Omit<Selectable<OfficeProfileTable>, 'id'>): OfficeProfileRow => ({
  organ: r.organ,
  mark: r.mark,
  serialFormats: r.serial_formats,
  recipients: r.recipients,
  copyTo: r.copy_to,
  printingOrgan: r.printing_organ,
  signature: r.signature,
  disclosure: r.disclosure,
  rectificationTo: r.rectification_to,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const COLUMNS = ['organ', 'mark', 'serial_formats', 'recipients', 'copy_to', 'printing_organ', 'signature', 'disclosure', 'rectification_to', 'updated_at', 'updated_by'] as const;

/** The profile (the migration inserts its one row). */
export async function getOfficeProfile(db: Db): Promise<OfficeProfileRow> {
  const r = await profileDb(db).selectFrom('office_profile').select(COLUMNS).where('id', '=', 1).executeTakeFirstOrThrow();
  return fromRow(r);
}

/** The profile, its row locked until the transaction ends. */
export async function lockOfficeProfile(trx: Db): Promise<OfficeProfileRow> {
  const r = await profileDb(trx).selectFrom('office_profile').select(COLUMNS).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  return fromRow(r);
}

export async function updateOfficeProfile(trx: Db, p: OfficeProfile, by: number | null, at: Date): Promise<OfficeProfileRow> {
  const r = await profileDb(trx)
    .updateTable('office_profile')
    .set({
      organ: p.organ,
      mark: p.mark,
      serial_formats: JSON.stringify(p.serialFormats),
      recipients: p.recipients,
      copy_to: p.copyTo,
      printing_organ: p.printingOrgan,
      signature: p.signature,
      disclosure: p.disclosure,
      rectification_to: p.rectificationTo,
      updated_at: at,
      updated_by: by,
    })
    .where('id', '=', 1)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return fromRow(r);
}

/**
 * The next 期号 of a kind in a year: the counter row is created or incremented in one statement,
 * holding its row lock until the caller's transaction ends — so concurrent issues are numbered in
 * turn, and a rolled-back issue gives its number back (none skipped, none reused).
 */
export async function takeSerial(trx: Db, kind: SerialKind, year: number): Promise<number> {
  const r = await sql<{ last_no: number }>`
    insert into report_serials (kind, year, last_no) values (${kind}, ${year}, 1)
    on conflict (kind, year) do update set last_no = report_serials.last_no + 1
    returning last_no
  `.execute(trx);
  return r.rows[0]!.last_no;
}
