import type { Category, Level } from '../vocabulary.js';
import type { ObligationSpec, PolicyRule } from './types.js';
/** The defaults of DESIGN.md / the issue: 48 h response; major: report 1 h, info 5 h, press 24 h, updates every 24 h; rumour adds a referral. */
export const DEFAULT_POLICY: PolicyRule[] = [];
/** The rule for a level and category: the category's override if any, else the level's default. */
export function policyFor(rules: readonly PolicyRule[], level: Level, category: Category): PolicyRule {
  throw new Error('not implemented');
}
export function obligationsFor(rules: readonly PolicyRule[], level: Level, category: Category): ObligationSpec[] {
  throw new Error('not implemented');
}
