// Windows by origin (热线 / 信箱) and 回访 (issue 13 §4). Pure.
//
// A 12345 hotline or 领导信箱 case is answered on the hotline's terms, not in the 48 natural hours of
// an opinion found on the web: its 公开回应 (办理/答复) obligation is due N working days after the
// clock's start, N by its 诉求类型 (咨询 3, 投诉 / 求助 5, 需调查核实 10, otherwise the origin's
// default 7). The windows are part of the admin-editable policy (origin_windows rows); an origin
// switched off, or a case of another origin, keeps the policy's windows unchanged. Only the
// response obligation changes: a major case's report / info / press / update track stays as it is.
//
// 回访: after the reply is published, the lead department calls the requester back and records the
// result (满意 / 基本满意 / 不满意). 不满意 is recorded and the reviewers and the duty officer who
// registered the case are told (they decide whether the department handles it again); a later 回访
// may be recorded, and the latest one is the case's result.
import type { CaseOrigin, Category, Level } from '../vocabulary.js';
import { obligationsFor } from './policy.js';
import type { ObligationSpec, PolicyRule, Window } from './types.js';

/** 诉求类型 of a hotline or mailbox case. */
export const REQUEST_TYPES = ['consultation', 'complaint', 'help', 'suggestion', 'investigation', 'other'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const REQUEST_TYPE_LABELS: Record<RequestType, string> = {
  consultation: '咨询',
  complaint: '投诉',
  help: '求助',
  suggestion: '建议',
  investigation: '需调查核实',
  other: '其他',
};
export const REQUEST_TYPE_LABELS_EN: Record<RequestType, string> = {
  consultation: 'enquiry',
  complaint: 'complaint',
  help: 'request for help',
  suggestion: 'suggestion',
  investigation: 'needs investigation',
  other: 'other',
};

/** A change of 诉求类型 moves the reply deadline: it takes a reason of 1 to this many characters. */
export const REQUEST_TYPE_REASON_MAX = 200;

/** Origins with their own window and a 回访. */
export const WINDOW_ORIGINS = ['hotline', 'mailbox'] as const;
export type WindowOrigin = (typeof WINDOW_ORIGINS)[number];

export function isWindowOrigin(origin: CaseOrigin): origin is WindowOrigin {
  return (WINDOW_ORIGINS as readonly string[]).includes(origin);
}

export const MIN_WINDOW_DAYS = 1;
export const MAX_WINDOW_DAYS = 60;

/** One origin's windows: a default in working days and per 诉求类型 overrides. */
export interface OriginWindow {
  origin: WindowOrigin;
  /** Off: the origin's cases take the policy's windows like any other case. */
  enabled: boolean;
  defaultDays: number;
  byRequestType: Partial<Record<RequestType, number>>;
}

const DEFAULT_OVERRIDES: Partial<Record<RequestType, number>> = { consultation: 3, complaint: 5, help: 5, investigation: 10 };

export const DEFAULT_ORIGIN_WINDOWS: readonly OriginWindow[] = WINDOW_ORIGINS.map((origin) => ({
  origin,
  enabled: true,
  defaultDays: 7,
  byRequestType: { ...DEFAULT_OVERRIDES },
}));

/** The stored windows completed with the defaults for an origin not stored. */
export function completeOriginWindows(stored: readonly OriginWindow[]): OriginWindow[] {
  return WINDOW_ORIGINS.map((origin) => {
    const w = stored.find((s) => s.origin === origin) ?? DEFAULT_ORIGIN_WINDOWS.find((d) => d.origin === origin)!;
    return { origin, enabled: w.enabled, defaultDays: w.defaultDays, byRequestType: { ...w.byRequestType } };
  });
}

/** Working days a case of this origin and 诉求类型 has for its reply; null: the policy's window applies. */
export function originWindowDays(windows: readonly OriginWindow[], origin: CaseOrigin, requestType: RequestType | null): number | null {
  if (!isWindowOrigin(origin)) return null;
  const w = completeOriginWindows(windows).find((x) => x.origin === origin)!;
  if (!w.enabled) return null;
  return (requestType !== null ? w.byRequestType[requestType] : undefined) ?? w.defaultDays;
}

/** The reply window of a hotline / mailbox case, or null for the policy's own. */
export function originWindow(windows: readonly OriginWindow[], origin: CaseOrigin, requestType: RequestType | null): Window | null {
  const days = originWindowDays(windows, origin, requestType);
  return days === null ? null : { hours: days * 24, unit: 'working_days' };
}

/**
 * The obligations a case owes: the policy's for its level and category, with the response
 * obligation's window replaced by its origin's working-day window (hotline / mailbox only).
 */
export function caseObligationSpecs(
  rules: readonly PolicyRule[],
  windows: readonly OriginWindow[],
  c: { level: Level; category: Category; origin: CaseOrigin; requestType: RequestType | null },
): ObligationSpec[] {
  const specs = obligationsFor(rules, c.level, c.category);
  const w = originWindow(windows, c.origin, c.requestType);
  if (!w) return specs;
  return specs.map((s) => (s.kind === 'response' && s.repeatEveryHours === undefined ? { ...s, window: { ...w } } : s));
}

/**
 * The 诉求类型 a 12345 / 信箱 export writes (工单类型, 诉求分类 …), as one of ours; null when it
 * names none. 调查 / 核实 / 查处 first (a 投诉 that needs investigation takes the longer window).
 */
export function requestTypeOf(raw: string): RequestType | null {
  const s = raw.replace(/\s/g, '');
  if (s === '') return null;
  if (/调查|核实|查处|核查/.test(s)) return 'investigation';
  if (/咨询|询问|查询/.test(s)) return 'consultation';
  if (/投诉|举报/.test(s)) return 'complaint';
  if (/求助|求决|救助/.test(s)) return 'help';
  if (/建议|意见|献策/.test(s)) return 'suggestion';
  return 'other';
}

// ── 回访 ──────────────────────────────────────────────────────────────────────────────────────

export const CALLBACK_RESULTS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type CallbackResult = (typeof CALLBACK_RESULTS)[number];
export const CALLBACK_RESULT_LABELS: Record<CallbackResult, string> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };
export const CALLBACK_RESULT_LABELS_EN: Record<CallbackResult, string> = { satisfied: 'satisfied', basically_satisfied: 'basically satisfied', dissatisfied: 'dissatisfied' };

/** Whether a case owes a 回访: a hotline or mailbox case whose reply is published and not yet called back. */
export function callbackDue(c: { origin: CaseOrigin; published: boolean; callbacks: number; closed: boolean }): boolean {
  return isWindowOrigin(c.origin) && c.published && c.callbacks === 0 && !c.closed;
}

/**
 * 满意率 of hotline / mailbox cases called back: (满意 + 基本满意) / cases with a 回访, each case by
 * its latest 回访; null when none was called back.
 */
export function satisfactionRate(latest: readonly CallbackResult[]): { calledBack: number; satisfied: number; rate: number | null } {
  const satisfied = latest.filter((r) => r !== 'dissatisfied').length;
  return { calledBack: latest.length, satisfied, rate: latest.length === 0 ? null : Math.round((satisfied / latest.length) * 1000) / 1000 };
}
