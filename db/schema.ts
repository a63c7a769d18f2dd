import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AuthTables } from './schema-auth.js';
import type { WorkflowTables } from './schema-workflow.js';
import type { RosterTables } from './schema-roster.js';
import type { DeclineTables } from './schema-declines.js';
import type { ForwardingTables } from './schema-forwarding.js';
import type { CallbackTables } from './schema-callbacks.js';
import type { TokenTables } from './schema-tokens.js';
import type { ImportTables } from './schema-imports.js';
import type { InstructionTables } from './schema-instructions.js';
import type { AlertStatus, DepartmentKind, DismissReason, FetchStatus, Level, Category, MediaType, RuleScope, SourceKind } from '../core/vocabulary.js';
import type { JsonSourceConfig } from '../core/json-source.js';
import type { EventFeatures } from '../core/event-features.js';
import type { QueryStatus, SearchSourceConfig } from '../core/search-source.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint columns come back from pg as strings; we keep them as strings in TS. */
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type GeneratedInt8 = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;

export interface SiteSelectors {
  /** CSS selector of each entry on the list page (a row / card). */
  item: string;
  /**
   * Within an entry: the link (href is read, or the attribute named after `@`: `a@data-url`);
   * defaults to the first `a[href]`. Link, title and date selectors are core/field-selector.ts's.
   */
  link?: string;
  /** Within an entry: the title text (`a!span` leaves children out, `a@title` reads an attribute); defaults to the link's text. */
  title?: string;
  /** Within an entry: the date text (its element's whole text); without it the date is looked for in the entry's text. */
  date?: string;
  /** On the detail page: the main text. When absent the detail page is not fetched. */
  text?: string;
}

export interface DepartmentsTable {
  id: Generated<number>;
  name: string;
  kind: ColumnType<DepartmentKind, DepartmentKind | undefined, DepartmentKind>;
  parent_id: number | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface FetchAllowlistTable {
  id: Generated<number>;
  host_port: string;
  note: ColumnType<string, string | undefined, string>;
  created_at: GeneratedTimestamp;
}

export interface SourcesTable {
  id: Generated<number>;
  name: string;
  url: string;
  kind: SourceKind;
  media_type: ColumnType<MediaType, MediaType | undefined, MediaType>;
  region: ColumnType<string, string | undefined, string>;
  charset: string | null;
  selectors: ColumnType<SiteSelectors | null, string | null | undefined, string | null>;
  /** A JSON source's request and mapping (kind 'json'), else null. */
  json_config: ColumnType<JsonSourceConfig | null, string | null | undefined, string | null>;
  /** A news search source's template use, queries and result format (kind 'search'), else null. */
  search_config: ColumnType<SearchSourceConfig | null, string | null | undefined, string | null>;
  /** The API token whose pushes this source holds (kind 'intake'), else null. */
  intake_token_id: ColumnType<number | null, number | null | undefined, number | null>;
  poll_interval_s: ColumnType<number, number | undefined, number>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  etag: string | null;
  last_modified: string | null;
  body_hash: string | null;
  status: ColumnType<FetchStatus, FetchStatus | undefined, FetchStatus>;
  status_message: ColumnType<string, string | undefined, string>;
  http_status: number | null;
  last_fetch_at: Date | null;
  last_success_at: Date | null;
  last_new_item_at: Date | null;
  next_fetch_at: GeneratedTimestamp;
  /** The crawl job currently holding the source's lease, if any. */
  claimed_by: string | null;
  failure_score: ColumnType<number, number | undefined, number>;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  selector_misses: ColumnType<number, number | undefined, number>;
  typical_gap_s: number | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SourceFetchesTable {
  id: GeneratedInt8;
  source_id: number;
  started_at: Timestamp;
  duration_ms: number;
  status: FetchStatus;
  http_status: number | null;
  items_seen: ColumnType<number, number | undefined, number>;
  items_new: ColumnType<number, number | undefined, number>;
  message: ColumnType<string, string | undefined, string>;
}

/** One query of a news search source (kind 'search'): its own health and backoff. */
export interface SourceQueriesTable {
  source_id: number;
  query: string;
  status: ColumnType<QueryStatus, QueryStatus | undefined, QueryStatus>;
  /** The last fetch's outcome as the crawler words fetches. */
  fetch_status: ColumnType<FetchStatus, FetchStatus | undefined, FetchStatus>;
  http_status: number | null;
  message: ColumnType<string, string | undefined, string>;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  failure_score: ColumnType<number, number | undefined, number>;
  items_seen: ColumnType<number, number | undefined, number>;
  /** Result pages the last fetch read, and the page that failed (null: none). */
  pages_read: ColumnType<number, number | undefined, number>;
  failed_page: number | null;
  last_fetch_at: Date | null;
  last_success_at: Date | null;
  next_due_at: ColumnType<Date, Date | undefined, Date>;
}

export interface StoriesTable {
  id: GeneratedInt8;
  title: string;
  simhash: Int8;
  band0: number;
  band1: number;
  band2: number;
  band3: number;
  band4: number;
  band5: number;
  minhash: ColumnType<number[], number[] | undefined, number[]>;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  item_count: ColumnType<number, number | undefined, number>;
  source_count: ColumnType<number, number | undefined, number>;
  created_at: GeneratedTimestamp;
  /** The founder's event features (core/event-features.ts); null on stories older than event grouping. */
  features: ColumnType<EventFeatures | null, string | null | undefined, string | null>;
}

/** Per item, what it is about (event grouping's candidate lookup). */
export interface ItemEventsTable {
  item_id: Int8;
  published_at: Timestamp;
  keywords: string[];
  features: ColumnType<EventFeatures, string, string>;
}

export interface StoryKeysTable {
  key: Int8;
  story_id: Int8;
}

export interface ItemsTable {
  id: GeneratedInt8;
  source_id: number;
  story_id: Int8 | null;
  url_key: string;
  url: string;
  guid: string | null;
  title: string;
  text: ColumnType<string, string | undefined, string>;
  author: ColumnType<string, string | undefined, string>;
  published_at: Timestamp;
  published_at_estimated: ColumnType<boolean, boolean | undefined, boolean>;
  fetched_at: Timestamp;
  simhash: Int8;
  negativity: ColumnType<number, number | undefined, number>;
  matched_rule_ids: ColumnType<number[], number[] | undefined, number[]>;
  matched_words: ColumnType<string[], string[] | undefined, string[]>;
  /** Codes of the towns and villages of the office's area the item names (migration 0034). */
  place_towns: ColumnType<string[], string[] | undefined, string[]>;
  place_villages: ColumnType<string[], string[] | undefined, string[]>;
}

export interface RulesTable {
  id: Generated<number>;
  name: string;
  expression: string;
  scope: ColumnType<RuleScope, RuleScope | undefined, RuleScope>;
  negative_only: ColumnType<boolean, boolean | undefined, boolean>;
  suggested_level: ColumnType<Level, Level | undefined, Level>;
  suggested_category: ColumnType<Category, Category | undefined, Category>;
  suggested_department_id: number | null;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** Alert push policy of the rule (core/alert-push.ts PushPolicy); null: the office default. */
  push_policy: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface AlertsTable {
  id: GeneratedInt8;
  story_id: Int8;
  status: ColumnType<AlertStatus, AlertStatus | undefined, AlertStatus>;
  rule_ids: ColumnType<number[], number[] | undefined, number[]>;
  matched_words: ColumnType<string[], string[] | undefined, string[]>;
  suggested_level: ColumnType<Level, Level | undefined, Level>;
  suggested_category: ColumnType<Category, Category | undefined, Category>;
  suggested_department_id: number | null;
  negativity: ColumnType<number, number | undefined, number>;
  spike: ColumnType<boolean, boolean | undefined, boolean>;
  spike_at: Date | null;
  dismiss_reason: DismissReason | null;
  dismissed_at: Date | null;
  dismissed_by: number | null;
  dismiss_note: ColumnType<string, string | undefined, string>;
  case_id: Int8 | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface DB extends AuthTables, WorkflowTables, InstructionTables, RosterTables, DeclineTables, TokenTables, ImportTables, ForwardingTables, CallbackTables {
  departments: DepartmentsTable;
  fetch_allowlist: FetchAllowlistTable;
  sources: SourcesTable;
  source_fetches: SourceFetchesTable;
  source_queries: SourceQueriesTable;
  stories: StoriesTable;
  story_keys: StoryKeysTable;
  item_events: ItemEventsTable;
  items: ItemsTable;
  rules: RulesTable;
  alerts: AlertsTable;
}

export type Source = Selectable<SourcesTable>;
export type NewSource = Insertable<SourcesTable>;
export type SourceUpdate = Updateable<SourcesTable>;
export type Item = Selectable<ItemsTable>;
export type NewItem = Insertable<ItemsTable>;
export type Story = Selectable<StoriesTable>;
export type Rule = Selectable<RulesTable>;
export type NewRule = Insertable<RulesTable>;
export type Alert = Selectable<AlertsTable>;
export type Department = Selectable<DepartmentsTable>;
