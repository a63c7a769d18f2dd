import type { ColumnType, Selectable } from 'kysely';

type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type GeneratedInt8 = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** 领导批示 (migration 0011): a leader's instruction on a case and the lead department's report. */
export interface InstructionsTable {
  id: GeneratedInt8;
  case_id: Int8;
  author_id: number | null;
  author_name: Defaulted<string>;
  content: string;
  /** "请于 N 小时内报告办理情况"; null: no time limit. */
  report_within_hours: number | null;
  /** The `instruction_report` obligation of a time-limited instruction. */
  obligation_id: Int8 | null;
  created_at: Timestamp;
  reported_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  reported_by: number | null;
  reporter_name: Defaulted<string>;
  report_content: Defaulted<string>;
}

export interface InstructionTables {
  instructions: InstructionsTable;
}

export type Instruction = Selectable<InstructionsTable>;
