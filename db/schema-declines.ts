import type { ColumnType } from 'kysely';

// 退回交办 (migration 20261207_0024_case_declines).

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedInt8 = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;

export interface CaseDeclinesTable {
  id: GeneratedInt8;
  case_id: Int8;
  department_id: number;
  declined_by: number | null;
  reason: string;
  declined_at: Timestamp;
  resolution: 'reassigned' | 'overruled' | null;
  resolved_by: number | null;
  resolved_at: Timestamp | null;
  resolution_note: ColumnType<string, string | undefined, string>;
}

export interface DeclineTables {
  case_declines: CaseDeclinesTable;
}

