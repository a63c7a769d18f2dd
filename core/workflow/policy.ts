// Default response policy (admin-editable copies live in the policies table) and its lookup.
import type { Category, Level } from '../vocabulary.js';
import type { EscalationStep, ObligationSpec, PolicyRule } from './types.js';

/** Follow-up window after publication (跟踪反馈), hours. */
export const DEFAULT_FOLLOW_UP_HOURS = 72;

/** Stable step ids: escalation_fires is unique per obligation × step id, so never rename them. */
export const STEP_IDS = { remind: 'remind-50', warn: 'warn-12h', breach: 'breach', breachLater: 'breach-24h' } as const;

/**
 * The default ladder: at 50 % of the window with no draft → remind the handlers; 12 h before due →
 * warn the reviewer (a before-due step never fires before the window's midpoint, see
 * escalation.ts, so on a 1 h or 5 h window it fires at 30 min / 2.5 h); at due → breached, notify
 * the leader in charge; 24 h after due → the principal leader. Reminders and warnings are
 * non-urgent (they wait for the end of quiet hours) except on major cases, where every step is
 * urgent; breaches are always urgent.
 */
export function defaultEscalationSteps(allUrgent: boolean): EscalationStep[] {
  return [
    { id: STEP_IDS.remind, trigger: { type: 'fraction', fraction: 0.5 }, target: 'handlers', onlyWithoutDraft: true, urgent: allUrgent },
    { id: STEP_IDS.warn, trigger: { type: 'before_due', hours: 12 }, target: 'reviewer', urgent: allUrgent },
    { id: STEP_IDS.breach, trigger: { type: 'after_due', hours: 0 }, target: 'leader_in_charge', urgent: true, breach: true },
    { id: STEP_IDS.breachLater, trigger: { type: 'after_due', hours: 24 }, target: 'principal_leader', urgent: true },
  ];
}

const natural = (hours: number) => ({ hours, unit: 'natural' as const });

/** 一般性政务舆情: a public response within 48 hours (国办发〔2016〕61号). */
const ORDINARY: ObligationSpec[] = [{ kind: 'response', window: natural(48) }];

/**
 * 特别重大、重大: report at once (1 h), authoritative information within 5 h, a press conference
 * within 24 h, then updates: update #1 is due 24 h after the clock's start; each time one is met the
 * workflow creates the next, due `repeatEveryHours` after it was met (deadlines.ts nextRecurrence).
 */
const MAJOR: ObligationSpec[] = [
  { kind: 'report', window: natural(1) },
  { kind: 'info', window: natural(5) },
  { kind: 'press', window: natural(24) },
  { kind: 'update', window: natural(24), repeatEveryHours: 24 },
];

/**
 * 一般、较大突发事件: the 48 h public response and a report upward at once (1 h); no press
 * conference — 61号 asks that of 重大、特别重大 突发事件 only (those take the level's major track).
 */
const MINOR_EMERGENCY: ObligationSpec[] = [
  { kind: 'report', window: natural(1) },
  { kind: 'response', window: natural(48) },
];

/** 谣言: clarify (the level's obligations) AND refer the clues to public security and the cyberspace office. */
const REFERRAL: ObligationSpec = { kind: 'referral', window: natural(24) };

function rule(level: Level, category: Category | null, obligations: ObligationSpec[], urgent = level === 'major' || level === 'especially_major'): PolicyRule {
  return {
    level,
    category,
    obligations: obligations.map((o) => ({ ...o, window: { ...o.window } })),
    escalationSteps: defaultEscalationSteps(urgent),
    followUpHours: DEFAULT_FOLLOW_UP_HOURS,
  };
}

/**
 * The defaults as 国办发〔2016〕61号 reads: 48 h response; 重大、特别重大 (any category, 突发事件
 * included): report 1 h, info 5 h, press conference 24 h, updates every 24 h; rumour adds a
 * referral; a general or significant 突发事件 owes the 48 h response and a 1 h report upward, and
 * its reminders are urgent. (Migration 0023 moves a stored copy of the earlier defaults, where
 * every 突发事件 took the major track, onto these rules.)
 */
export const DEFAULT_POLICY: PolicyRule[] = [
  rule('general', null, ORDINARY),
  rule('significant', null, ORDINARY),
  rule('major', null, MAJOR),
  rule('especially_major', null, MAJOR),
  rule('general', 'rumour', [...ORDINARY, REFERRAL]),
  rule('significant', 'rumour', [...ORDINARY, REFERRAL]),
  rule('major', 'rumour', [...MAJOR, REFERRAL]),
  rule('especially_major', 'rumour', [...MAJOR, REFERRAL]),
  rule('general', 'emergency', MINOR_EMERGENCY, true),
  rule('significant', 'emergency', MINOR_EMERGENCY, true),
];

function find(rules: readonly PolicyRule[], level: Level, category: Category | null): PolicyRule | undefined {
  return rules.find((r) => r.level === level && r.category === category);
}

/**
 * The rule for a level and category: the category's override if any, else the level's default
 * (category null) in `rules`; if `rules` has neither (an empty or partial admin table), the same
 * lookup in DEFAULT_POLICY.
 */
export function policyFor(rules: readonly PolicyRule[], level: Level, category: Category): PolicyRule {
  const found = find(rules, level, category) ?? find(rules, level, null) ?? find(DEFAULT_POLICY, level, category) ?? find(DEFAULT_POLICY, level, null);
  if (!found) throw new Error(`No policy for level ${level}`); // unreachable: DEFAULT_POLICY covers every level
  return found;
}

/** The obligations a new case of this level and category owes (copies: safe to mutate). */
export function obligationsFor(rules: readonly PolicyRule[], level: Level, category: Category): ObligationSpec[] {
  return policyFor(rules, level, category).obligations.map((o) => ({ ...o, window: { ...o.window } }));
}
