// Monitoring rule language (监测方案) and the one automaton that matches all enabled rules.
// Contract (implemented in parse.ts / automaton.ts / matcher.ts):
export {
  parseRule,
  ruleTerms,
  positiveTerms,
  RuleSyntaxError,
  MAX_EXPRESSION_LENGTH,
  MAX_TERMS,
  type RuleExpr,
} from './parse.js';
export { Automaton, normalizeText, type AutomatonOptions } from './automaton.js';
export {
  compileRules,
  matchItem,
  type RuleInput,
  type CompiledRules,
  type RuleHit,
  type MatchableItem,
  type RuleError,
} from './matcher.js';
