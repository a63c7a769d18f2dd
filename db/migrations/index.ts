import type { Migration } from 'kysely';
import * as m0001 from './20261125_0001_monitoring.js';
import * as m0002 from './20261125_0002_auth.js';
import * as m0003 from './20261125_0003_workflow.js';
import * as m0004 from './20261125_0004_next_step.js';
import * as m0005 from './20261125_0005_ledger_indexes.js';
import * as m0006 from './20261125_0006_reports.js';
import * as m0007 from './20261125_0007_perf.js';
import * as m0008 from './20261125_0008_audit_chain.js';
import * as m0009 from './20261125_0009_case_record_indexes.js';
import * as m0010 from './20261206_0010_notice_keys.js';
import * as m0011 from './20261206_0011_instructions.js';
import * as m0012 from './20261206_0012_roster.js';
import * as m0013 from './20261206_0013_alert_triage.js';
import * as m0014 from './20261207_0014_handover.js';
import * as m0015 from './20261207_0015_period_poll_factor.js';
import * as m0018 from './20261207_0018_response_integrity.js';
import * as m0019 from './20261207_0019_audit_integrity.js';
import * as m0020 from './20261207_0020_office_profile.js';
import * as m0021 from './20261207_0021_source_providers.js';
import * as m0022 from './20261207_0022_case_briefs.js';
import * as m0023 from './20261207_0023_emergency_policy.js';
import * as m0024 from './20261207_0024_case_declines.js';
import * as m0025 from './20261207_0025_approval_chain.js';
import * as m0026 from './20261207_0026_daily_briefs.js';
import * as m0027 from './20261207_0027_api_tokens.js';
import * as m0029 from './20261207_0029_special_briefs.js';
import * as m0034 from './20261207_0034_places.js';
import * as m0035 from './20261207_0035_origin_windows.js';
import * as m0028 from './20261207_0028_countersign_forwarding.js';
import * as m0031 from './20261207_0031_ticket_imports.js';
import * as m0033 from './20261207_0033_event_features.js';
import * as m0037 from './20261207_0037_search_paging.js';
import * as m0030 from './20261207_0030_search_sources.js';
import * as m0038 from './20261207_0038_place_backfill.js';
import * as m0039 from './20261207_0039_place_hand_label_progress.js';
import * as m0040 from './20261207_0040_obligation_period.js';

/** Every migration, in order. Add new ones here; never edit an applied one. */
export const migrations: Record<string, Migration> = {
  '20261125_0001_monitoring': m0001,
  '20261125_0002_auth': m0002,
  '20261125_0003_workflow': m0003,
  '20261125_0004_next_step': m0004,
  '20261125_0005_ledger_indexes': m0005,
  '20261125_0006_reports': m0006,
  '20261125_0007_perf': m0007,
  '20261125_0008_audit_chain': m0008,
  '20261125_0009_case_record_indexes': m0009,
  '20261206_0010_notice_keys': m0010,
  '20261206_0011_instructions': m0011,
  '20261206_0012_roster': m0012,
  '20261206_0013_alert_triage': m0013,
  '20261207_0014_handover': m0014,
  '20261207_0015_period_poll_factor': m0015,
  '20261207_0018_response_integrity': m0018,
  '20261207_0019_audit_integrity': m0019,
  '20261207_0020_office_profile': m0020,
  '20261207_0021_source_providers': m0021,
  '20261207_0022_case_briefs': m0022,
  '20261207_0023_emergency_policy': m0023,
  '20261207_0024_case_declines': m0024,
  '20261207_0025_approval_chain': m0025,
  '20261207_0026_daily_briefs': m0026,
  '20261207_0027_api_tokens': m0027,
  '20261207_0029_special_briefs': m0029,
  '20261207_0034_places': m0034,
  '20261207_0035_origin_windows': m0035,
  '20261207_0028_countersign_forwarding': m0028,
  '20261207_0031_ticket_imports': m0031,
  '20261207_0033_event_features': m0033,
  '20261207_0037_search_paging': m0037,
  '20261207_0030_search_sources': m0030,
  '20261207_0038_place_backfill': m0038,
  '20261207_0039_place_hand_label_progress': m0039,
  '20261207_0040_obligation_period': m0040,
};
