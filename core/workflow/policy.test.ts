import { describe, expect, it } from 'vitest';
import { CATEGORIES, LEVELS, OBLIGATION_KINDS, OBLIGATION_KIND_LABELS, ESCALATION_TARGETS, type Level } from '../vocabulary.js';
import { DEFAULT_POLICY, obligationsFor, policyFor, STEP_IDS } from './policy.js';
import type { PolicyRule } from './types.js';

const kinds = (level: Level, category: (typeof CATEGORIES)[number], rules: PolicyRule[] = DEFAULT_POLICY) =>
  obligationsFor(rules, level, category).map((o) => `${o.kind}:${o.window.hours}${o.window.unit === 'natural' ? 'h' : 'wd'}`);

describe('DEFAULT_POLICY', () => {
  it.each([
    ['general', 'suggestion', ['response:48h']],
    ['significant', 'difficulty', ['response:48h']],
    ['general', 'rumour', ['response:48h', 'referral:24h']],
    ['significant', 'rumour', ['response:48h', 'referral:24h']],
    // 国办发〔2016〕61号: the 1 h / 5 h / 24 h press-conference track for 重大、特别重大 (突发事件 or
    // not); a general or significant 突发事件 owes a report upward at once and the 48 h response.
    ['general', 'emergency', ['report:1h', 'response:48h']],
    ['significant', 'emergency', ['report:1h', 'response:48h']],
    ['major', 'emergency', ['report:1h', 'info:5h', 'press:24h', 'update:24h']],
    ['especially_major', 'emergency', ['report:1h', 'info:5h', 'press:24h', 'update:24h']],
    ['general', 'other', ['response:48h']],
    ['significant', 'other', ['response:48h']],
    ['major', 'other', ['report:1h', 'info:5h', 'press:24h', 'update:24h']],
    ['especially_major', 'other', ['report:1h', 'info:5h', 'press:24h', 'update:24h']],
    ['major', 'rumour', ['report:1h', 'info:5h', 'press:24h', 'update:24h', 'referral:24h']],
    ['especially_major', 'rumour', ['report:1h', 'info:5h', 'press:24h', 'update:24h', 'referral:24h']],
  ] as [Level, (typeof CATEGORIES)[number], string[]][])('%s / %s → %j', (level, category, expected) => {
    expect(kinds(level, category)).toEqual(expected);
  });

  it('names the press obligation as 61号 does', () => {
    expect(OBLIGATION_KIND_LABELS.press).toBe('召开新闻发布会（吹风会）');
  });

  it('updates recur every 24 h', () => {
    const update = obligationsFor(DEFAULT_POLICY, 'major', 'other').find((o) => o.kind === 'update');
    expect(update?.repeatEveryHours).toBe(24);
  });

  it('has one default per level, one rule per level × category, valid vocabulary and a 72 h follow-up', () => {
    for (const level of LEVELS) expect(DEFAULT_POLICY.filter((r) => r.level === level && r.category === null)).toHaveLength(1);
    const keys = DEFAULT_POLICY.map((r) => `${r.level}/${r.category}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of DEFAULT_POLICY) {
      expect(r.followUpHours).toBe(72);
      for (const o of r.obligations) expect(OBLIGATION_KINDS).toContain(o.kind);
      for (const s of r.escalationSteps) expect(ESCALATION_TARGETS).toContain(s.target);
      expect(r.escalationSteps.map((s) => s.id)).toEqual([STEP_IDS.remind, STEP_IDS.warn, STEP_IDS.breach, STEP_IDS.breachLater]);
    }
  });

  it('ordinary levels: reminders and warnings respect quiet hours, breaches are urgent; major levels: all urgent', () => {
    const urgency = (level: Level) => Object.fromEntries(policyFor(DEFAULT_POLICY, level, 'other').escalationSteps.map((s) => [s.id, s.urgent]));
    expect(urgency('general')).toEqual({ 'remind-50': false, 'warn-12h': false, breach: true, 'breach-24h': true });
    expect(urgency('significant')).toEqual({ 'remind-50': false, 'warn-12h': false, breach: true, 'breach-24h': true });
    expect(urgency('major')).toEqual({ 'remind-50': true, 'warn-12h': true, breach: true, 'breach-24h': true });
    expect(urgency('especially_major')).toEqual({ 'remind-50': true, 'warn-12h': true, breach: true, 'breach-24h': true });
    const emergency = Object.fromEntries(policyFor(DEFAULT_POLICY, 'general', 'emergency').escalationSteps.map((s) => [s.id, s.urgent]));
    expect(emergency).toEqual({ 'remind-50': true, 'warn-12h': true, breach: true, 'breach-24h': true });
  });

  it('the ladder: 50 % handlers without draft, 12 h before due reviewer, breach leader in charge, +24 h principal leader', () => {
    const steps = policyFor(DEFAULT_POLICY, 'general', 'other').escalationSteps;
    expect(steps.map((s) => [s.id, s.trigger, s.target, !!s.onlyWithoutDraft, !!s.breach])).toEqual([
      ['remind-50', { type: 'fraction', fraction: 0.5 }, 'handlers', true, false],
      ['warn-12h', { type: 'before_due', hours: 12 }, 'reviewer', false, false],
      ['breach', { type: 'after_due', hours: 0 }, 'leader_in_charge', false, true],
      ['breach-24h', { type: 'after_due', hours: 24 }, 'principal_leader', false, false],
    ]);
  });
});

describe('policyFor', () => {
  const adminDefault: PolicyRule = { ...DEFAULT_POLICY[0], level: 'general', category: null, obligations: [{ kind: 'response', window: { hours: 5, unit: 'working_days' } }] };
  const adminSuggestion: PolicyRule = { ...adminDefault, category: 'suggestion', obligations: [{ kind: 'response', window: { hours: 120, unit: 'working_days' } }] };
  const rules = [adminDefault, adminSuggestion];

  it('a category override wins over the level default', () => {
    expect(policyFor(rules, 'general', 'suggestion')).toBe(adminSuggestion);
  });
  it('else the level default of the given rules', () => {
    expect(policyFor(rules, 'general', 'difficulty')).toBe(adminDefault);
    expect(policyFor(rules, 'general', 'rumour')).toBe(adminDefault); // the admin's table has no rumour row
  });
  it('else DEFAULT_POLICY (category override, then level default)', () => {
    expect(kinds('significant', 'rumour', rules)).toEqual(['response:48h', 'referral:24h']);
    expect(kinds('major', 'other', [])).toEqual(['report:1h', 'info:5h', 'press:24h', 'update:24h']);
  });
  it('every level × category has a rule', () => {
    for (const level of LEVELS) for (const category of CATEGORIES) expect(policyFor([], level, category).obligations.length).toBeGreaterThan(0);
  });
  it('obligationsFor returns copies: mutating them leaves the policy intact', () => {
    const obs = obligationsFor(DEFAULT_POLICY, 'general', 'other');
    obs[0].window.hours = 1;
    expect(kinds('general', 'other')).toEqual(['response:48h']);
  });
});
