import { REQUEST_TYPE_LABELS, REQUEST_TYPE_LABELS_EN } from '../../../core/workflow/origin-windows.js';
import {
  ALERT_STATUS_LABELS,
  CASE_ORIGIN_LABELS,
  CASE_STATUS_LABELS,
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  DISMISS_REASON_LABELS,
  EFFECT_RATING_LABELS,
  ESCALATION_TARGET_LABELS,
  EXPECTED_RESPONSE,
  FETCH_STATUS_LABELS,
  LEVEL_LABELS,
  MEDIA_TYPE_LABELS,
  OBLIGATION_KIND_LABELS,
  REFERRAL_TARGET_LABELS,
  RESPONSE_STATUS_LABELS,
  ROLE_LABELS,
  type AlertStatus,
  type CaseOrigin,
  type CaseStatus,
  type Category,
  type Channel,
  type DismissReason,
  type EffectRating,
  type EscalationTarget,
  type FetchStatus,
  type Level,
  type MediaType,
  type ObligationKind,
  type ReferralTarget,
  type ResponseStatus,
  type Role,
} from '../../../core/vocabulary.js';
import { useLang, type Lang } from './index.js';

// Labels of the product's enumerations: Chinese from core/vocabulary (one name per idea, shared
// with the server and the reports), English here.

const EN = {
  level: { general: 'General', significant: 'Significant', major: 'Major', especially_major: 'Especially major' } satisfies Record<Level, string>,
  category: {
    suggestion: 'Suggestion',
    difficulty: 'Practical difficulty',
    misunderstanding: 'Misunderstanding',
    wrong_view: 'Wrong view',
    rumour: 'Rumour',
    emergency: 'Emergency',
    other: 'Other',
  } satisfies Record<Category, string>,
  mediaType: { news: 'News site', forum: 'Forum', gov_media: 'Government new media', mailbox: "Mayor's mailbox", other: 'Other' } satisfies Record<MediaType, string>,
  fetchStatus: {
    pending: 'Not fetched yet',
    ok: 'OK',
    not_modified: 'OK (unchanged)',
    dns_error: 'DNS lookup failed',
    connect_error: 'Cannot connect',
    timeout: 'Timed out',
    tls_error: 'TLS / certificate error',
    http_4xx: 'Refused (4xx)',
    http_5xx: 'Server error (5xx)',
    rate_limited: 'Rate limited (429)',
    blocked_challenge: 'Blocked by an anti-bot challenge',
    too_many_redirects: 'Too many redirects',
    ssrf_refused: 'Refused: private address',
    too_large: 'Too large',
    parse_error: 'Could not parse',
    selector_empty: 'Selectors matched nothing',
    network_error: 'Network error',
  } satisfies Record<FetchStatus, string>,
  alertStatus: { new: 'To triage', dismissed: 'Dismissed', case: 'Case opened' } satisfies Record<AlertStatus, string>,
  dismissReason: { irrelevant: 'Irrelevant', false_positive: 'False positive', duplicate: 'Duplicate', handled: 'Already handled' } satisfies Record<DismissReason, string>,
  role: { duty: 'Duty officer', handler: 'Department handler', reviewer: 'Reviewer', leader: 'Leader', admin: 'Administrator' } satisfies Record<Role, string>,
  caseStatus: { open: 'In progress', responded: 'Responded (follow-up)', closed: 'Closed' } satisfies Record<CaseStatus, string>,
  caseOrigin: {
    alert: 'Monitoring alert',
    cyberspace_office: 'Forwarded by the cyberspace office',
    government_office: 'Forwarded by the government office',
    hotline: 'Hotline',
    mailbox: 'Mailbox letter',
    other: 'Other',
  } satisfies Record<CaseOrigin, string>,
  obligationKind: {
    response: 'Public response',
    report: 'Report to leadership and superior',
    info: 'Authoritative information',
    press: 'Press conference (briefing)',
    update: 'Progress updates',
    referral: 'Referral to police / cyberspace office',
    instruction_report: 'Report on the leader\'s instruction',
    forward_feedback: 'Feedback to the forwarding office',
  } satisfies Record<ObligationKind, string>,
  responseStatus: { draft: 'Draft', submitted: 'Awaiting review', approved: 'Approved', returned: 'Returned', published: 'Published' } satisfies Record<ResponseStatus, string>,
  channel: {
    website: 'Website',
    new_media: 'Government new media',
    press_conference: 'Press conference',
    interview: 'Media interview',
    reply: 'Reply to netizens',
    other: 'Other',
  } satisfies Record<Channel, string>,
  expectedResponse: {
    suggestion: 'What was adopted',
    difficulty: 'How it is being solved',
    misunderstanding: 'Authoritative information',
    wrong_view: 'Correction and guidance',
    rumour: 'Clarification (and refer the clues)',
    emergency: 'Authoritative information and progress',
    other: 'Response',
  } satisfies Record<Category, string>,
  effectRating: { good: 'Good', fairly_good: 'Fairly good', average: 'Average', poor: 'Poor' } satisfies Record<EffectRating, string>,
  escalationTarget: {
    handlers: 'Handlers',
    department_head: 'Head of the lead department',
    reviewer: 'Reviewer',
    leader_in_charge: 'Leader in charge',
    principal_leader: 'Principal leader',
  } satisfies Record<EscalationTarget, string>,
  referralTarget: { public_security: 'Public security organ', cyberspace: 'Cyberspace office' } satisfies Record<ReferralTarget, string>,
  requestType: REQUEST_TYPE_LABELS_EN,
};

const ZH = {
  level: LEVEL_LABELS,
  category: CATEGORY_LABELS,
  mediaType: MEDIA_TYPE_LABELS,
  fetchStatus: FETCH_STATUS_LABELS,
  alertStatus: ALERT_STATUS_LABELS,
  dismissReason: DISMISS_REASON_LABELS,
  role: ROLE_LABELS,
  caseStatus: CASE_STATUS_LABELS,
  caseOrigin: CASE_ORIGIN_LABELS,
  obligationKind: OBLIGATION_KIND_LABELS,
  responseStatus: RESPONSE_STATUS_LABELS,
  channel: CHANNEL_LABELS,
  expectedResponse: EXPECTED_RESPONSE,
  effectRating: EFFECT_RATING_LABELS,
  escalationTarget: ESCALATION_TARGET_LABELS,
  referralTarget: REFERRAL_TARGET_LABELS,
  requestType: REQUEST_TYPE_LABELS,
} satisfies typeof EN;

export type LabelSet = keyof typeof EN;

/** label('level', 'major') → 重大 / Major; unknown keys are shown as they are. */
export function labelOf(lang: Lang, set: LabelSet, key: string): string {
  const table = (lang === 'zh' ? ZH : EN)[set] as Record<string, string>;
  return table[key] ?? key;
}

export function useLabel(): (set: LabelSet, key: string | null | undefined) => string {
  const { lang } = useLang();
  return (set, key) => (key ? labelOf(lang, set, key) : '');
}
