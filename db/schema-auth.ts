import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Role } from '../core/vocabulary.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: Role;
  department_id: number | null;
  is_department_head: Defaulted<boolean>;
  leader_rank: 'in_charge' | 'principal' | null;
  email: string | null;
  /** Mobile number for SMS pushes. */
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  password_hash: string;
  password_changed_at: GeneratedTimestamp;
  failed_logins: Defaulted<number>;
  locked_until: Date | null;
  disabled: Defaulted<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the cookie's token. */
  id: string;
  user_id: number;
  csrf_token: string;
  ip: Defaulted<string>;
  user_agent: Defaulted<string>;
  created_at: GeneratedTimestamp;
  last_seen_at: GeneratedTimestamp;
  expires_at: Timestamp;
}

export interface LoginThrottleTable {
  ip: string;
  failures: Defaulted<number>;
  window_started_at: GeneratedTimestamp;
}

export interface AuthTables {
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
}

export type User = Selectable<UsersTable>;
