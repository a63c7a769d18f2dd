export type RuleExpr =
  | { kind: 'term'; word: string; pos: number }
  | { kind: 'and'; left: RuleExpr; right: RuleExpr }
  | { kind: 'or'; left: RuleExpr; right: RuleExpr }
  | { kind: 'not'; left: RuleExpr; right: RuleExpr };

export class RuleSyntaxError extends Error {
  constructor(
    /** 0-based character offset in the source expression. */
    public readonly position: number,
    public readonly messageZh: string,
    messageEn: string,
  ) {
    super(messageEn);
  }
}

export function parseRule(src: string): RuleExpr {
  throw new Error('not implemented');
}

export function ruleTerms(expr: RuleExpr): string[] {
  throw new Error('not implemented');
}
