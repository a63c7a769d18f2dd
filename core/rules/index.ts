// Monitoring rule language (监测方案) and the one automaton that matches all enabled rules.
// Contract (implemented in parse.ts / automaton.ts / matcher.ts):
export { parseRule, ruleTerms, RuleSyntaxError, type RuleExpr } from './parse.js';
export { Automaton } from './automaton.js';
export { compileRules, matchItem, type RuleInput, type CompiledRules, type RuleHit, type MatchableItem } from './matcher.js';
