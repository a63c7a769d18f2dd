import type { ColumnType, Generated, Selectable } from 'kysely';

// Tables of the duty roster (值班表) and alert pushes (migration 20261206_0012_roster).

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type GeneratedInt8 = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Json<T> = ColumnType<T, string, string>;

export interface DutyShiftsTable {
  id: Generated<number>;
  name: string;
  /** Beijing wall-clock minutes after midnight; end <= start: the shift ends the next day. */
  start_minute: number;
  end_minute: number;
  position: Defaulted<number>;
  created_at: GeneratedTimestamp;
}

export interface DutyRosterTable {
  day: ColumnType<string, string, string>;
  shift_id: number;
  primary_user_id: number;
  backup_user_id: number | null;
  leader_user_id: number | null;
  note: Defaulted<string>;
  updated_at: GeneratedTimestamp;
}

export interface AlertPushSettingsTable {
  id: Defaulted<number>;
  policy: Json<unknown>;
  updated_by: number | null;
  updated_at: GeneratedTimestamp;
}

export interface AlertPushesTable {
  id: GeneratedInt8;
  alert_id: Int8;
  rule_id: number | null;
  text: string;
  ack_window_s: number;
  group_channel_id: number | null;
  pushed_at: Timestamp;
  recipient_ids: Defaulted<number[]>;
  next_step: 'backup' | 'leader' | null;
  next_due_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: number | null;
  acknowledged_via: 'opened' | 'triaged' | null;
}

export interface AlertPushFiresTable {
  push_id: Int8;
  step: 'initial' | 'backup' | 'leader';
  fired_at: Timestamp;
  recipient_ids: Defaulted<number[]>;
}

/** 交接班 (migration 20261207_0014_handover). */
export interface DutyHandoversTable {
  id: Generated<number>;
  day: ColumnType<string, string, string>;
  shift_id: number;
  shift_name: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  from_user_id: number | null;
  to_user_id: number | null;
  next_day: ColumnType<string | null, string | null, string | null>;
  next_shift_id: number | null;
  next_starts_at: Timestamp | null;
  next_leader_user_id: number | null;
  notes: Defaulted<string>;
  snapshot: ColumnType<unknown, string | undefined, string>;
  submitted_at: Timestamp | null;
  accepted_at: Timestamp | null;
  accepted_by: number | null;
  accept_note: Defaulted<string>;
  leader_notified_at: Timestamp | null;
  created_at: GeneratedTimestamp;
}

export interface RosterTables {
  duty_handovers: DutyHandoversTable;
  duty_shifts: DutyShiftsTable;
  duty_roster: DutyRosterTable;
  alert_push_settings: AlertPushSettingsTable;
  alert_pushes: AlertPushesTable;
  alert_push_fires: AlertPushFiresTable;
}

export type DutyShift = Selectable<DutyShiftsTable>;
