import {
  CHANNEL_LABELS,
  EFFECT_RATING_LABELS,
  ESCALATION_TARGET_LABELS,
  LEVEL_LABELS,
  OBLIGATION_KIND_LABELS,
  REFERRAL_TARGET_LABELS,
} from './vocabulary.js';

// Labels of the enumerated notice parameters, per language: a notice stores the key (`lead`,
// `press_conference`, `good`) and the reader sees 牵头单位 / lead department. A parameter named
// here whose value is not a known key is shown as it is.

type Labels = { zh: Readonly<Record<string, string>>; en: Readonly<Record<string, string>> };

export const NOTICE_PARAM_LABELS: Readonly<Record<string, Labels>> = {
  approvalStep: {
    zh: { reviewer: '审核人审核', leader_in_charge: '分管领导审批', principal_leader: '主要领导审批' },
    en: { reviewer: 'review', leader_in_charge: "the leader in charge's approval", principal_leader: "the principal leader's approval" },
  },
  verification: {
    zh: { true: '属实', partly_true: '部分属实', untrue: '不属实' },
    en: { true: 'true', partly_true: 'partly true', untrue: 'untrue' },
  },
  role: {
    zh: { lead: '牵头单位', co: '协办单位' },
    en: { lead: 'lead department', co: 'co-department' },
  },
  obligationKind: {
    zh: OBLIGATION_KIND_LABELS,
    en: {
      response: 'public response',
      report: 'report to the leadership',
      info: 'authoritative information',
      press: 'press conference',
      update: 'progress update',
      referral: 'referral to public security and the cyberspace office',
      instruction_report: "report on the leader's instruction",
      forward_feedback: 'feedback to the forwarding office',
    },
  },
  level: {
    zh: LEVEL_LABELS,
    en: { general: 'general', significant: 'significant', major: 'major', especially_major: 'especially major' },
  },
  channel: {
    zh: CHANNEL_LABELS,
    en: { website: 'website', new_media: 'government new media', press_conference: 'press conference', interview: 'media interview', reply: 'reply to netizens', other: 'other' },
  },
  effectRating: {
    zh: EFFECT_RATING_LABELS,
    en: { good: 'good', fairly_good: 'fairly good', average: 'average', poor: 'poor' },
  },
  callbackResult: {
    zh: { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' },
    en: { satisfied: 'satisfied', basically_satisfied: 'basically satisfied', dissatisfied: 'dissatisfied' },
  },
  referralTarget: {
    zh: REFERRAL_TARGET_LABELS,
    en: { public_security: 'the public security organ', cyberspace: 'the cyberspace office' },
  },
  target: {
    zh: ESCALATION_TARGET_LABELS,
    en: { handlers: 'handlers', department_head: 'department head', reviewer: 'reviewer', leader_in_charge: 'leader in charge', principal_leader: 'principal leader' },
  },
};
