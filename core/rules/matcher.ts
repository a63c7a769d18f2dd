import type { RuleScope } from '../vocabulary.js';

export interface RuleInput {
  id: number;
  expression: string;
  scope: RuleScope;
  negativeOnly: boolean;
}
export interface MatchableItem {
  title: string;
  text: string;
  /** 0..1 from core/sentiment.ts */
  negativity: number;
}
export interface RuleHit {
  ruleId: number;
  /** The words of the rule's positive part that occurred, deduplicated, in expression order. */
  words: string[];
}
export interface CompiledRules {
  readonly ruleCount: number;
  /** Rules that failed to parse are skipped and listed here. */
  readonly errors: { ruleId: number; position: number; message: string }[];
}

export function compileRules(rules: readonly RuleInput[]): CompiledRules {
  throw new Error('not implemented');
}

export function matchItem(compiled: CompiledRules, item: MatchableItem): RuleHit[] {
  throw new Error('not implemented');
}
