// The product's vocabulary: keys used in code, database CHECKs and the API, with Chinese labels for the UI.

import { BUSINESS_OFFSET_MS } from './business-time.js';

export const LEVELS = ['general', 'significant', 'major', 'especially_major'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_LABELS: Record<Level, string> = {
  general: '一般',
  significant: '较大',
  major: '重大',
  especially_major: '特别重大',
};

export const CATEGORIES = ['suggestion', 'difficulty', 'misunderstanding', 'wrong_view', 'rumour', 'emergency', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS: Record<Category, string> = {
  suggestion: '建设性意见',
  difficulty: '实际困难',
  misunderstanding: '模糊认识',
  wrong_view: '错误看法',
  rumour: '谣言',
  emergency: '突发事件',
  other: '其他',
};

/** The kinds an admin registers (and the crawler fetches). */
export const SOURCE_KINDS = ['feed', 'site', 'json', 'search'] as const;
/** Every stored kind: also 'intake', items pushed through the intake API (接口推送), never fetched. */
export const STORED_SOURCE_KINDS = [...SOURCE_KINDS, 'intake'] as const;
export type SourceKind = (typeof STORED_SOURCE_KINDS)[number];

export const MEDIA_TYPES = ['news', 'forum', 'gov_media', 'mailbox', 'other'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export const MEDIA_TYPE_LABELS: Record<MediaType, string> = {
  news: '新闻网站',
  forum: '论坛',
  gov_media: '政务新媒体',
  mailbox: '领导信箱',
  other: '其他',
};

/** Outcome of one fetch of a source; also the source's current health status. */
export const FETCH_STATUSES = [
  'pending', // never fetched yet
  'ok',
  'not_modified', // 304 or identical body hash: nothing to parse
  'dns_error',
  'connect_error',
  'timeout',
  'tls_error',
  'http_4xx',
  'http_5xx',
  'rate_limited', // 429
  'blocked_challenge', // anti-bot challenge: 412/521 with a JS cookie page, WAF pages
  'too_many_redirects',
  'ssrf_refused',
  'too_large',
  'parse_error',
  'selector_empty', // a site source whose selectors match nothing
  'network_error',
] as const;
export type FetchStatus = (typeof FETCH_STATUSES)[number];
export const FETCH_STATUS_LABELS: Record<FetchStatus, string> = {
  pending: '待抓取',
  ok: '正常',
  not_modified: '正常（无更新）',
  dns_error: '域名解析失败',
  connect_error: '无法连接',
  timeout: '超时',
  tls_error: '证书/加密连接错误',
  http_4xx: '请求被拒绝（4xx）',
  http_5xx: '网站服务器错误',
  rate_limited: '请求过于频繁（429）',
  blocked_challenge: '被反爬验证拦截',
  too_many_redirects: '重定向次数过多',
  ssrf_refused: '安全策略拒绝（内网地址）',
  too_large: '内容超过大小上限',
  parse_error: '内容解析失败',
  selector_empty: '选择器未匹配到任何条目',
  network_error: '网络错误',
};
export function isFetchSuccess(s: FetchStatus): boolean {
  return s === 'ok' || s === 'not_modified';
}

export const ALERT_STATUSES = ['new', 'dismissed', 'case'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const ALERT_STATUS_LABELS: Record<AlertStatus, string> = { new: '待研判', dismissed: '已排除', case: '已交办' };

export const DISMISS_REASONS = ['irrelevant', 'false_positive', 'duplicate', 'handled'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];
export const DISMISS_REASON_LABELS: Record<DismissReason, string> = {
  irrelevant: '无关',
  false_positive: '误报',
  duplicate: '重复',
  handled: '已处置',
};

export const RULE_SCOPES = ['title', 'title_text'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

export const DEPARTMENT_KINDS = ['office', 'bureau', 'town'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/** Business time zone: every date shown or computed for the office is in this zone. */
export { BUSINESS_TZ } from './business-time.js';
export const BUSINESS_UTC_OFFSET_MINUTES = BUSINESS_OFFSET_MS / 60_000;

// ── Response workflow ────────────────────────────────────────────────────────────────────────

export const ROLES = ['duty', 'handler', 'reviewer', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  duty: '舆情值班员',
  handler: '责任单位经办人',
  reviewer: '审核人',
  leader: '领导',
  admin: '系统管理员',
};

/** open: awaiting its public response; responded: published, in follow-up; closed: 办结. */
export const CASE_STATUSES = ['open', 'responded', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = { open: '处置中', responded: '已回应（跟踪中）', closed: '已办结' };

/** Where a case came from: an alert, or registered by hand. */
export const CASE_ORIGINS = ['alert', 'cyberspace_office', 'government_office', 'hotline', 'mailbox', 'other'] as const;
export type CaseOrigin = (typeof CASE_ORIGINS)[number];
export const CASE_ORIGIN_LABELS: Record<CaseOrigin, string> = {
  alert: '监测预警',
  cyberspace_office: '网信办转办',
  government_office: '政府办转办',
  hotline: '热线',
  mailbox: '信箱来信',
  other: '其他',
};

/** Something owed by a deadline. */
export const OBLIGATION_KINDS = ['response', 'report', 'info', 'press', 'update', 'referral', 'instruction_report', 'forward_feedback'] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];
export const OBLIGATION_KIND_LABELS: Record<ObligationKind, string> = {
  response: '公开回应',
  report: '向领导和上级报告',
  info: '发布权威信息',
  press: '召开新闻发布会（吹风会）',
  update: '持续发布进展',
  referral: '移交公安机关、网信部门',
  instruction_report: '报告批示办理情况',
  forward_feedback: '向转办单位反馈办理情况',
};

/** Obligations created by an event on the case (a leader's 批示 with a time limit), not by the policy: re-levelling keeps them. */
export const EVENT_OBLIGATION_KINDS: readonly ObligationKind[] = ['instruction_report', 'forward_feedback'];

export const RESPONSE_STATUSES = ['draft', 'submitted', 'approved', 'returned', 'published'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];
export const RESPONSE_STATUS_LABELS: Record<ResponseStatus, string> = {
  draft: '草稿',
  submitted: '待审核',
  approved: '已审核',
  returned: '已退回',
  published: '已发布',
};

export const CHANNELS = ['website', 'new_media', 'press_conference', 'interview', 'reply', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = {
  website: '网站发布',
  new_media: '政务新媒体',
  press_conference: '新闻发布会',
  interview: '媒体专访',
  reply: '回复网民',
  other: '其他',
};

/** The kind of response each category expects (分类处理). */
export const EXPECTED_RESPONSE: Record<Category, string> = {
  suggestion: '采纳情况',
  difficulty: '解决情况',
  misunderstanding: '权威信息',
  wrong_view: '澄清引导',
  rumour: '澄清引导（并移交线索）',
  emergency: '权威信息和处置进展',
  other: '回应情况',
};

export const EFFECT_RATINGS = ['good', 'fairly_good', 'average', 'poor'] as const;
export type EffectRating = (typeof EFFECT_RATINGS)[number];
export const EFFECT_RATING_LABELS: Record<EffectRating, string> = { good: '好', fairly_good: '较好', average: '一般', poor: '差' };

export const ESCALATION_TARGETS = ['handlers', 'department_head', 'reviewer', 'leader_in_charge', 'principal_leader'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];
export const ESCALATION_TARGET_LABELS: Record<EscalationTarget, string> = {
  handlers: '经办人',
  department_head: '责任单位负责人',
  reviewer: '审核人',
  leader_in_charge: '分管领导',
  principal_leader: '主要领导',
};

export const REFERRAL_TARGETS = ['public_security', 'cyberspace'] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];
export const REFERRAL_TARGET_LABELS: Record<ReferralTarget, string> = { public_security: '公安机关', cyberspace: '网信部门' };
