// 会签 and forwarded opinions (issue 15 §2). Pure.
//
// 会签: when a case has co-departments and its policy rule says so, each co-department's handlers
// sign off a submitted response ("内容准确一致") or return it with a comment, before the first
// approval step. A rule without the flag takes the default: on for 较大 and above, off for 一般
// (a general case's co-departments are told of it, but the lead answers alone).
//
// Forwarded opinions (网信办 / 政府办转办): the 核实 result (属实 / 部分属实 / 不属实) is recorded
// before a response is drafted; publishing creates the obligation 向转办单位反馈办理情况, due N
// working days after the publication (the rule's forwardFeedbackDays, default 2), met by a reply
// recorded to the forwarding office.
import type { Category, CaseOrigin, Level } from '../vocabulary.js';
import { policyFor } from './policy.js';
import type { PolicyRule, Window } from './types.js';

export const VERIFICATION_RESULTS = ['true', 'partly_true', 'untrue'] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];
export const VERIFICATION_LABELS: Record<VerificationResult, string> = { true: '属实', partly_true: '部分属实', untrue: '不属实' };

export const FORWARDING_ORIGINS: readonly CaseOrigin[] = ['cyberspace_office', 'government_office'];

/** Whether a case came to the office forwarded by another office (转办). */
export function isForwarded(origin: CaseOrigin): boolean {
  return FORWARDING_ORIGINS.includes(origin);
}

export const DEFAULT_FORWARD_FEEDBACK_DAYS = 2;

/** The default 会签 flag of a level: on for 较大 and above. */
export function defaultCountersign(level: Level): boolean {
  return level !== 'general';
}

/** Whether a response of a case at this level and category needs the co-departments' 会签. */
export function countersignRequired(rules: readonly PolicyRule[], level: Level, category: Category, coDepartments: readonly number[]): boolean {
  if (coDepartments.length === 0) return false;
  return policyFor(rules, level, category).countersign ?? defaultCountersign(level);
}

/** The window of the 向转办单位反馈办理情况 obligation: N working days (policy, default 2). */
export function forwardFeedbackWindow(rules: readonly PolicyRule[], level: Level, category: Category): Window {
  const days = policyFor(rules, level, category).forwardFeedbackDays ?? DEFAULT_FORWARD_FEEDBACK_DAYS;
  return { hours: days * 24, unit: 'working_days' };
}

/** The departments still to sign off after `departmentId` confirms. */
export function afterConfirm(pending: readonly number[], departmentId: number): number[] {
  return pending.filter((d) => d !== departmentId);
}

const OFFICE_OF: Partial<Record<CaseOrigin, string>> = { cyberspace_office: '网信办', government_office: '政府办' };

/** The forwarding office a reply goes to: the origin note (转办单位 as registered), else the origin's office. */
export function forwardingOffice(origin: CaseOrigin, originNote: string): string {
  const note = originNote.trim();
  return note.length > 0 ? note.slice(0, 200) : (OFFICE_OF[origin] ?? '转办单位');
}
