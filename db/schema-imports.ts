import type { ColumnType, Generated } from 'kysely';

// Imports of 12345 / 领导信箱 exports (migration 20261207_0031_ticket_imports).

type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export const IMPORT_ORIGINS = ['hotline', 'mailbox'] as const;
export type ImportOrigin = (typeof IMPORT_ORIGINS)[number];
export const IMPORT_MODES = ['case', 'item'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export interface RefusedRowRecord {
  row: number;
  ticketNo: string;
  reason: string;
  reasonZh: string;
}

export interface TicketImportsTable {
  id: Generated<number>;
  origin: ImportOrigin;
  mode: ImportMode;
  file_name: string;
  file_sha256: string;
  mapping: Json<Record<string, number>>;
  rows_total: ColumnType<number, number | undefined, number>;
  imported: ColumnType<number, number | undefined, number>;
  duplicates: ColumnType<number, number | undefined, number>;
  refused: ColumnType<number, number | undefined, number>;
  refused_rows: Json<RefusedRowRecord[]>;
  created_by: number | null;
  created_at: GeneratedTimestamp;
}

export interface ImportTicketsTable {
  origin: ImportOrigin;
  ticket_no: string;
  import_id: number | null;
  case_id: ColumnType<string | null, string | null | undefined, string | null>;
  item_key: string | null;
  created_at: GeneratedTimestamp;
}

export interface TicketImportProfilesTable {
  origin: ImportOrigin;
  headers: string[];
  mapping: Json<Record<string, number>>;
  updated_by: number | null;
  updated_at: GeneratedTimestamp;
}

export interface ImportTables {
  ticket_imports: TicketImportsTable;
  import_tickets: ImportTicketsTable;
  ticket_import_profiles: TicketImportProfilesTable;
}
