// The monitoring-rule language (监测方案): words combined with `+` (and), `|` (or), `-` (and
// not: `A-B` = A and not B) and parentheses, in ASCII or full-width form (＋ ｜ － （ ）).
//
//   expr    := andExpr ('|' andExpr)*
//   andExpr := primary (('+' | '-') primary)*        — `+` and `-` bind tighter than `|`
//   primary := word | '(' expr ')'
//
// All operators are left-associative: `A-B+C` is (A-B)+C. Whitespace separates tokens and is
// never part of a word; two operands in a row (`A B`, `A(B)`) are a "missing operator" error.

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
    public readonly messageEn: string,
  ) {
    super(messageEn);
    this.name = 'RuleSyntaxError';
  }
}

export const MAX_EXPRESSION_LENGTH = 2000;
export const MAX_TERMS = 500;

type Op = '+' | '|' | '-';
type Token =
  | { kind: 'word'; text: string; pos: number }
  | { kind: 'op'; op: Op; char: string; pos: number }
  | { kind: 'open'; pos: number }
  | { kind: 'close'; pos: number };

const OPERATORS: Record<string, Op> = { '+': '+', '＋': '+', '|': '|', '｜': '|', '-': '-', '－': '-' };
const OPEN = new Set(['(', '（']);
const CLOSE = new Set([')', '）']);
const WHITESPACE = /\s/;

function isSpecial(ch: string): boolean {
  return ch in OPERATORS || OPEN.has(ch) || CLOSE.has(ch) || WHITESPACE.test(ch);
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (WHITESPACE.test(ch)) i++;
    else if (ch in OPERATORS) tokens.push({ kind: 'op', op: OPERATORS[ch], char: ch, pos: i++ });
    else if (OPEN.has(ch)) tokens.push({ kind: 'open', pos: i++ });
    else if (CLOSE.has(ch)) tokens.push({ kind: 'close', pos: i++ });
    else {
      const start = i;
      while (i < src.length && !isSpecial(src[i])) i++;
      tokens.push({ kind: 'word', text: src.slice(start, i), pos: start });
    }
  }
  return tokens;
}

/** Points at the unmatched parenthesis, if any: a stray `)`, or the innermost unclosed `(`. */
function checkParentheses(tokens: readonly Token[]): void {
  const open: number[] = [];
  for (const t of tokens) {
    if (t.kind === 'open') open.push(t.pos);
    else if (t.kind === 'close' && open.pop() === undefined) {
      throw new RuleSyntaxError(t.pos, '右括号没有对应的左括号', 'Closing parenthesis without a matching opening one');
    }
  }
  if (open.length > 0) {
    throw new RuleSyntaxError(open[open.length - 1], '左括号没有闭合', 'Opening parenthesis is never closed');
  }
}

const OP_NAME_EN: Record<Op, string> = { '+': 'and', '|': 'or', '-': 'and-not' };

function missingRight(op: Token & { kind: 'op' }): RuleSyntaxError {
  return new RuleSyntaxError(
    op.pos,
    `运算符“${op.char}”右侧缺少关键词`,
    `Operator "${op.char}" (${OP_NAME_EN[op.op]}) is missing its right operand`,
  );
}

class Parser {
  private at = 0;
  private terms = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): RuleExpr {
    const expr = this.orExpr(null);
    const next = this.tokens[this.at];
    // Parentheses are balanced and operators always take an operand, so only an operand can follow.
    if (next) throw this.missingOperator(next);
    return expr;
  }

  private orExpr(after: (Token & { kind: 'op' }) | null): RuleExpr {
    let left = this.andExpr(after);
    for (let t = this.tokens[this.at]; t?.kind === 'op' && t.op === '|'; t = this.tokens[this.at]) {
      this.at++;
      left = { kind: 'or', left, right: this.andExpr(t) };
    }
    return left;
  }

  private andExpr(after: (Token & { kind: 'op' }) | null): RuleExpr {
    let left = this.primary(after);
    for (let t = this.tokens[this.at]; t?.kind === 'op' && t.op !== '|'; t = this.tokens[this.at]) {
      this.at++;
      left = { kind: t.op === '+' ? 'and' : 'not', left, right: this.primary(t) };
    }
    const next = this.tokens[this.at];
    if (next && (next.kind === 'word' || next.kind === 'open')) throw this.missingOperator(next);
    return left;
  }

  /** An operand; `after` is the operator it is the right operand of (null at the start of a group). */
  private primary(after: (Token & { kind: 'op' }) | null): RuleExpr {
    const t = this.tokens[this.at];
    if (t === undefined || t.kind === 'close') {
      if (after) throw missingRight(after);
      const open = this.tokens[this.at - 1];
      throw new RuleSyntaxError(open.pos, '括号内没有内容', 'Empty parentheses');
    }
    if (t.kind === 'op') {
      if (after) throw missingRight(after);
      throw new RuleSyntaxError(
        t.pos,
        `运算符“${t.char}”左侧缺少关键词`,
        `Operator "${t.char}" (${OP_NAME_EN[t.op]}) is missing its left operand`,
      );
    }
    this.at++;
    if (t.kind === 'open') {
      const inner = this.orExpr(null);
      this.at++; // the matching ')': parentheses were checked to balance
      return inner;
    }
    if (++this.terms > MAX_TERMS) {
      throw new RuleSyntaxError(t.pos, `关键词过多（最多 ${MAX_TERMS} 个）`, `Too many words (at most ${MAX_TERMS})`);
    }
    return { kind: 'term', word: t.text, pos: t.pos };
  }

  private missingOperator(t: Token): RuleSyntaxError {
    return new RuleSyntaxError(
      t.pos,
      '关键词之间缺少运算符（+、|、-）',
      'Missing operator (+, |, -) before this word or parenthesis',
    );
  }
}

/** Parses a rule expression; throws RuleSyntaxError with the offending position. */
export function parseRule(src: string): RuleExpr {
  if (src.length > MAX_EXPRESSION_LENGTH) {
    throw new RuleSyntaxError(
      MAX_EXPRESSION_LENGTH,
      `表达式过长（最多 ${MAX_EXPRESSION_LENGTH} 个字符）`,
      `Expression too long (at most ${MAX_EXPRESSION_LENGTH} characters)`,
    );
  }
  const tokens = tokenize(src);
  if (tokens.length === 0) throw new RuleSyntaxError(0, '表达式为空', 'Expression is empty');
  checkParentheses(tokens);
  return new Parser(tokens).parse();
}

/** The distinct words of an expression, in order of first appearance. */
export function ruleTerms(expr: RuleExpr): string[] {
  const seen = new Set<string>();
  visitTerms(expr, false, (word) => seen.add(word));
  return [...seen];
}

/**
 * The distinct words of the positive part, in order: those not inside the right operand of any
 * `-`. Only these can make a rule match; the others can only veto it.
 */
export function positiveTerms(expr: RuleExpr): string[] {
  const seen = new Set<string>();
  visitTerms(expr, true, (word) => seen.add(word));
  return [...seen];
}

function visitTerms(expr: RuleExpr, positiveOnly: boolean, visit: (word: string) => void): void {
  if (expr.kind === 'term') visit(expr.word);
  else {
    visitTerms(expr.left, positiveOnly, visit);
    if (!positiveOnly || expr.kind !== 'not') visitTerms(expr.right, positiveOnly, visit);
  }
}
