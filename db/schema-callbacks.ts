import type { ColumnType } from 'kysely';
import type { CallbackResult } from '../core/workflow/origin-windows.js';

// Windows by origin and 回访 (migration 20261207_0035_origin_windows).

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type GeneratedInt8 = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface OriginWindowsTable {
  origin: 'hotline' | 'mailbox';
  enabled: Defaulted<boolean>;
  default_days: number;
  /** {requestType: working days} (jsonb). */
  by_request_type: ColumnType<unknown, string, string>;
  updated_by: number | null;
  updated_at: GeneratedTimestamp;
}

export interface CaseCallbacksTable {
  id: GeneratedInt8;
  case_id: Int8;
  caller: string;
  callee: Defaulted<string>;
  called_at: Timestamp;
  backfilled: Defaulted<boolean>;
  result: CallbackResult;
  note: Defaulted<string>;
  recorded_by: number | null;
  recorded_at: Timestamp;
}

export interface CallbackTables {
  origin_windows: OriginWindowsTable;
  case_callbacks: CaseCallbacksTable;
}
