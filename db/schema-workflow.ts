import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ApprovalStepKind } from '../core/workflow/approval.js';
import type { VerificationResult } from '../core/workflow/forwarding.js';
import type { RequestType } from '../core/workflow/origin-windows.js';
import type { CaseOrigin, CaseStatus, Category, Channel, EffectRating, Level, ObligationKind, ReferralTarget, ResponseStatus } from '../core/vocabulary.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type GeneratedInt8 = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Json<T> = ColumnType<T, string, string>;

/** One obligation of a policy (see core/workflow/policy.ts for the shapes stored in jsonb). */
export interface PoliciesTable {
  id: Generated<number>;
  level: Level;
  category: Category | null;
  obligations: Json<unknown>;
  escalation_steps: Json<unknown>;
  follow_up_hours: Defaulted<number>;
  /** 审批链: null = the level's default chain. */
  approval_steps: ColumnType<unknown, string | null | undefined, string | null>;
  /** 会签 before the reviewer: null = the default (on for 较大 and above). */
  countersign: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  /** Working days a forwarding office waits for feedback after publication: null = 2 (numeric: a string). */
  forward_feedback_days: ColumnType<string | null, number | null | undefined, number | null>;
  updated_by: number | null;
  updated_at: GeneratedTimestamp;
}

export interface HeightenedPeriodsTable {
  id: Generated<number>;
  name: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  factor: number;
  /** Multiplies every source's poll interval while the period is active (0.1–1, default 0.5). */
  poll_factor: Defaulted<number>;
  created_by: number | null;
  created_at: GeneratedTimestamp;
}

export interface CalendarOverridesTable {
  day: ColumnType<string, string, string>;
  is_workday: boolean;
  note: Defaulted<string>;
}

export interface CaseCountersTable {
  year: number;
  last: number;
}

export interface CasesTable {
  id: GeneratedInt8;
  number: string;
  title: string;
  summary: Defaulted<string>;
  level: Level;
  category: Category;
  status: Defaulted<CaseStatus>;
  origin: Defaulted<CaseOrigin>;
  origin_note: Defaulted<string>;
  lead_department_id: number;
  clock_started_at: Timestamp;
  opened_at: Timestamp;
  opened_by: number | null;
  assigned_at: Date | null;
  responded_at: Date | null;
  follow_up_until: Date | null;
  closed_at: Date | null;
  closed_by: number | null;
  effect_rating: EffectRating | null;
  conclusion: Defaulted<string>;
  /** 核实 of a forwarded opinion (migration 0028). */
  verification: Defaulted<VerificationResult | null>;
  verification_note: Defaulted<string>;
  verified_by: Defaulted<number | null>;
  verified_at: Defaulted<Date | null>;
  /** 诉求类型 of a hotline / mailbox case (migration 0035). */
  request_type: Defaulted<RequestType | null>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface CaseDepartmentsTable {
  case_id: Int8;
  department_id: number;
  role: 'lead' | 'co';
}

export interface CaseStoriesTable {
  case_id: Int8;
  story_id: Int8;
}

export interface CaseItemsTable {
  id: GeneratedInt8;
  case_id: Int8;
  item_id: Int8 | null;
  title: string;
  text: Defaulted<string>;
  url: Defaulted<string>;
  source_name: Defaulted<string>;
  published_at: Date | null;
  captured_at: GeneratedTimestamp;
}

export interface ObligationsTable {
  id: GeneratedInt8;
  case_id: Int8;
  kind: ObligationKind;
  seq: Defaulted<number>;
  window_hours: number;
  window_unit: Defaulted<'natural' | 'working_days'>;
  started_at: Timestamp;
  due_at: Timestamp;
  status: Defaulted<'open' | 'met' | 'cancelled'>;
  met_at: Date | null;
  on_time: boolean | null;
  met_by: string | null;
  note: Defaulted<string>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  /** When the next unfired escalation step is due; null: no more steps (migration 0004). */
  next_step_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The 重点时段 that shortened the window when due_at was computed (name, factor); null: none (migration 0040). */
  period_name: ColumnType<string | null, string | null | undefined, string | null>;
  period_factor: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface EscalationFiresTable {
  id: GeneratedInt8;
  case_id: Int8;
  obligation_id: Int8;
  step_id: string;
  target: string;
  due_at: Timestamp;
  fired_at: Timestamp;
}

export interface NotificationsTable {
  id: GeneratedInt8;
  user_id: number;
  case_id: Int8 | null;
  kind: string;
  title: string;
  body: Defaulted<string>;
  urgent: Defaulted<boolean>;
  created_at: GeneratedTimestamp;
  read_at: Date | null;
  /** Message key (core/notices.ts) and its parameters; null on rows written before keys (their title/body stand). */
  key: string | null;
  params: ColumnType<Record<string, string | number> | null, string | null, string | null>;
}

export interface NotificationChannelsTable {
  id: Generated<number>;
  kind: 'email' | 'webhook' | 'sms';
  name: string;
  config: Json<Record<string, unknown>>;
  enabled: Defaulted<boolean>;
  created_at: GeneratedTimestamp;
}

export interface NotificationDeliveriesTable {
  id: GeneratedInt8;
  notification_id: Int8 | null;
  channel_id: number | null;
  target: string;
  payload: Json<Record<string, unknown>>;
  status: Defaulted<'pending' | 'sent' | 'failed'>;
  attempts: Defaulted<number>;
  last_error: Defaulted<string>;
  next_attempt_at: GeneratedTimestamp;
  created_at: GeneratedTimestamp;
  sent_at: Date | null;
}

export interface ResponsesTable {
  id: GeneratedInt8;
  case_id: Int8;
  status: Defaulted<ResponseStatus>;
  body: string;
  drafted_by: number | null;
  drafted_at: GeneratedTimestamp;
  submitted_by: number | null;
  submitted_at: Date | null;
  reviewed_by: number | null;
  reviewed_at: Date | null;
  review_comment: Defaulted<string>;
  published_by: number | null;
  published_at: Date | null;
  channel: Channel | null;
  url: Defaulted<string>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  /** Who last edited the body (with the drafter, never its approver). */
  edited_by: Defaulted<number | null>;
  /** 补录: published with a time typed in afterwards (more than a few minutes back). */
  backfilled: Defaulted<boolean>;
  /** 审批链 fixed at submission, and the index of the step it waits at while submitted. */
  approval_chain: Defaulted<ApprovalStepKind[]>;
  approval_step: Defaulted<number>;
  /** 保密审查 confirmed on submit: by whom, when. */
  secrecy_confirmed_by: Defaulted<number | null>;
  secrecy_confirmed_at: Defaulted<Date | null>;
  /** 会签: the co-departments asked when it was submitted, and those that have not confirmed yet. */
  countersign_departments: Defaulted<number[]>;
  countersign_pending: Defaulted<number[]>;
}

export interface ResponseApprovalsTable {
  id: GeneratedInt8;
  response_id: Int8;
  case_id: Int8;
  step: number;
  step_kind: ApprovalStepKind;
  decision: 'approve' | 'return';
  comment: Defaulted<string>;
  decided_by: number | null;
  decided_at: Date;
}

export interface FeedbackTable {
  id: GeneratedInt8;
  case_id: Int8;
  author_id: number | null;
  kind: 'reaction' | 'action' | 'release' | 'other';
  body: string;
  created_at: GeneratedTimestamp;
}

export interface ReportsUpTable {
  id: GeneratedInt8;
  case_id: Int8;
  reported_by: number | null;
  reported_at: Timestamp;
  recipient: string;
  content: string;
  /** 补录: recorded with a time typed in afterwards (more than a few minutes back). */
  backfilled: Defaulted<boolean>;
}

export interface ReferralsTable {
  id: GeneratedInt8;
  case_id: Int8;
  target: ReferralTarget;
  referred_by: number | null;
  referred_at: Timestamp;
  recipient: string;
  content: string;
}

export interface CoordinationsTable {
  id: GeneratedInt8;
  case_id: Int8;
  from_department_id: number | null;
  author_id: number | null;
  created_at: GeneratedTimestamp;
  content: string;
}

export interface AuditLogTable {
  id: GeneratedInt8;
  at: GeneratedTimestamp;
  actor_id: number | null;
  actor_name: Defaulted<string>;
  ip: Defaulted<string>;
  entity: string;
  entity_id: string;
  case_id: Int8 | null;
  action: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  /** Position in the hash chain and sha256(previous hash ‖ content); set by a trigger (migration 0008). */
  chain_seq: GeneratedInt8;
  hash: Generated<string>;
}

export interface WorkflowTables {
  policies: PoliciesTable;
  heightened_periods: HeightenedPeriodsTable;
  calendar_overrides: CalendarOverridesTable;
  case_counters: CaseCountersTable;
  cases: CasesTable;
  case_departments: CaseDepartmentsTable;
  case_stories: CaseStoriesTable;
  case_items: CaseItemsTable;
  obligations: ObligationsTable;
  escalation_fires: EscalationFiresTable;
  notifications: NotificationsTable;
  notification_channels: NotificationChannelsTable;
  notification_deliveries: NotificationDeliveriesTable;
  responses: ResponsesTable;
  response_approvals: ResponseApprovalsTable;
  feedback: FeedbackTable;
  reports_up: ReportsUpTable;
  referrals: ReferralsTable;
  coordinations: CoordinationsTable;
  audit_log: AuditLogTable;
}

export type Case = Selectable<CasesTable>;
export type Obligation = Selectable<ObligationsTable>;
export type ResponseRow = Selectable<ResponsesTable>;
