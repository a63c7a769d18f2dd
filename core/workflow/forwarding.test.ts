import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './policy.js';
import { afterConfirm, countersignRequired, forwardFeedbackWindow, forwardingOffice, isForwarded } from './forwarding.js';
import type { PolicyRule } from './types.js';

const withRule = (patch: Partial<PolicyRule>, level: PolicyRule['level'] = 'general'): PolicyRule[] =>
  DEFAULT_POLICY.map((r) => (r.level === level && r.category === null ? { ...r, ...patch } : r));

describe('会签 and forwarded opinions (pure rules)', () => {
  it('会签 by default only with co-departments and from 较大 up; a rule turns it on or off', () => {
    expect(countersignRequired(DEFAULT_POLICY, 'general', 'difficulty', [7])).toBe(false);
    expect(countersignRequired(DEFAULT_POLICY, 'significant', 'difficulty', [7])).toBe(true);
    expect(countersignRequired(DEFAULT_POLICY, 'especially_major', 'rumour', [7])).toBe(true);
    expect(countersignRequired(DEFAULT_POLICY, 'major', 'difficulty', [])).toBe(false);
    expect(countersignRequired(withRule({ countersign: true }), 'general', 'difficulty', [7])).toBe(true);
    expect(countersignRequired(withRule({ countersign: false }, 'major'), 'major', 'difficulty', [7])).toBe(false);
  });

  it('the feedback window: 2 working days by default, the rule’s days otherwise', () => {
    expect(forwardFeedbackWindow(DEFAULT_POLICY, 'general', 'difficulty')).toEqual({ hours: 48, unit: 'working_days' });
    expect(forwardFeedbackWindow(withRule({ forwardFeedbackDays: 3.5 }), 'general', 'suggestion')).toEqual({ hours: 84, unit: 'working_days' });
  });

  it('only 网信办 / 政府办转办 are forwarded; the reply goes to the registered office, else the origin’s', () => {
    expect(isForwarded('cyberspace_office')).toBe(true);
    expect(isForwarded('government_office')).toBe(true);
    expect(isForwarded('hotline')).toBe(false);
    expect(isForwarded('alert')).toBe(false);
    expect(forwardingOffice('cyberspace_office', '  市委网信办舆情处 ')).toBe('市委网信办舆情处');
    expect(forwardingOffice('government_office', '')).toBe('政府办');
    expect(afterConfirm([3, 5, 9], 5)).toEqual([3, 9]);
  });
});
