// The product's vocabulary: keys used in code, database CHECKs and the API, with Chinese labels for the UI.

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

export const SOURCE_KINDS = ['feed', 'site'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const MEDIA_TYPES = ['news', 'forum', 'gov_media', 'mailbox', 'other'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export const MEDIA_TYPE_LABELS: Record<MediaType, string> = {
  news: '新闻网站',
  forum: '论坛',
  gov_media: '政务新媒体',
  mailbox: '市长信箱',
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
  http_5xx: '网站服务器错误（5xx）',
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
export const ALERT_STATUS_LABELS: Record<AlertStatus, string> = { new: '待研判', dismissed: '已排除', case: '已立案' };

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
export const BUSINESS_TZ = 'Asia/Shanghai';
export const BUSINESS_UTC_OFFSET_MINUTES = 8 * 60;
