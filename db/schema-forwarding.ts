import type { ColumnType } from 'kysely';

// 会签 sign-offs and replies to a forwarding office (migration 20261207_0028_countersign_forwarding).

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedInt8 = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface ResponseCountersignsTable {
  id: GeneratedInt8;
  response_id: Int8;
  case_id: Int8;
  department_id: number | null;
  decision: 'confirm' | 'return';
  comment: Defaulted<string>;
  decided_by: number | null;
  decided_at: Timestamp;
}

export interface ForwardRepliesTable {
  id: GeneratedInt8;
  case_id: Int8;
  obligation_id: Int8 | null;
  recipient: string;
  content: string;
  replied_at: Timestamp;
  backfilled: Defaulted<boolean>;
  recorded_by: number | null;
  recorded_at: Timestamp;
}

export interface ForwardingTables {
  response_countersigns: ResponseCountersignsTable;
  forward_replies: ForwardRepliesTable;
}
