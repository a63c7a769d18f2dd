import { describe, expect, it } from 'vitest';
import { MAX_EXPRESSION_LENGTH, parseRule, positiveTerms, ruleTerms, RuleSyntaxError, type RuleExpr } from './parse.js';

/** S-expression form of a tree, for compact expectations. */
function show(e: RuleExpr): string {
  return e.kind === 'term' ? e.word : `(${e.kind} ${show(e.left)} ${show(e.right)})`;
}

/** The RuleSyntaxError parseRule throws for src, as plain fields. */
function failure(src: string): { position: number; zh: string; en: string; message: string } {
  try {
    parseRule(src);
  } catch (e) {
    if (!(e instanceof RuleSyntaxError)) throw e;
    return { position: e.position, zh: e.messageZh, en: e.messageEn, message: e.message };
  }
  throw new Error(`parsed without error: ${src}`);
}

describe('parseRule: valid expressions', () => {
  it.each([
    ['拆迁', '拆迁'],
    ['A+B', '(and A B)'],
    ['A|B', '(or A B)'],
    ['A-B', '(not A B)'],
    // + and - bind tighter than |
    ['A|B+C', '(or A (and B C))'],
    ['A+B|C', '(or (and A B) C)'],
    ['A|B-C', '(or A (not B C))'],
    // left-associative
    ['A-B+C', '(and (not A B) C)'],
    ['A+B-C', '(not (and A B) C)'],
    ['A-B-C', '(not (not A B) C)'],
    ['A|B|C', '(or (or A B) C)'],
    // parentheses override
    ['(A|B)+C', '(and (or A B) C)'],
    ['A-(B|C)', '(not A (or B C))'],
    ['((A))', 'A'],
    [
      '(永济|蒲州)+(拆迁|补偿|强拆)-(招聘|广告)',
      '(not (and (or 永济 蒲州) (or (or 拆迁 补偿) 强拆)) (or 招聘 广告))',
    ],
    // full-width operators and parentheses
    ['（永济｜蒲州）＋拆迁－广告', '(not (and (or 永济 蒲州) 拆迁) 广告)'],
    ['永济＋(拆迁|补偿）', '(and 永济 (or 拆迁 补偿))'],
    // whitespace around operators, including the ideographic space
    ['  永济  +  拆迁 ', '(and 永济 拆迁)'],
    ['永济\u3000|\t蒲州', '(or 永济 蒲州)'],
    // words may hold Latin letters, digits and other symbols
    ['WiFi+故障', '(and WiFi 故障)'],
    ['G5京昆高速+拥堵', '(and G5京昆高速 拥堵)'],
    ['12345热线|#话题#', '(or 12345热线 #话题#)'],
  ])('%s → %s', (src, tree) => {
    expect(show(parseRule(src))).toBe(tree);
  });

  it('records where each word starts in the source', () => {
    const expr = parseRule('（永济 | 蒲州）+ 拆迁');
    const positions: [string, number][] = [];
    const walk = (e: RuleExpr): void => {
      if (e.kind === 'term') positions.push([e.word, e.pos]);
      else {
        walk(e.left);
        walk(e.right);
      }
    };
    walk(expr);
    expect(positions).toEqual([
      ['永济', 1],
      ['蒲州', 6],
      ['拆迁', 11],
    ]);
  });
});

describe('parseRule: invalid expressions', () => {
  const parens = ['左括号没有闭合', 'Opening parenthesis is never closed'];
  const stray = ['右括号没有对应的左括号', 'Closing parenthesis without a matching opening one'];
  const missingOp = ['关键词之间缺少运算符（+、|、-）', 'Missing operator (+, |, -) before this word or parenthesis'];
  const empty = ['表达式为空', 'Expression is empty'];
  const emptyParens = ['括号内没有内容', 'Empty parentheses'];
  const right = (op: string, name: string) => [`运算符“${op}”右侧缺少关键词`, `Operator "${op}" (${name}) is missing its right operand`];
  const left = (op: string, name: string) => [`运算符“${op}”左侧缺少关键词`, `Operator "${op}" (${name}) is missing its left operand`];

  it.each([
    ['', 0, empty],
    ['  \u3000 ', 0, empty],
    ['(A|B', 0, parens],
    ['(A)+(B', 4, parens],
    ['((A)', 0, parens],
    ['(A+(B|C', 3, parens],
    ['A|B)', 3, stray],
    ['(A))+B', 3, stray],
    ['A）', 1, stray],
    ['A+', 1, right('+', 'and')],
    ['A |', 2, right('|', 'or')],
    ['A－', 1, right('－', 'and-not')],
    ['A++B', 1, right('+', 'and')],
    ['A+|B', 1, right('+', 'and')],
    ['(A-)', 2, right('-', 'and-not')],
    ['+A', 0, left('+', 'and')],
    ['|A', 0, left('|', 'or')],
    ['(|A)', 1, left('|', 'or')],
    ['B+(-A)', 3, left('-', 'and-not')],
    ['()', 0, emptyParens],
    ['A+( )', 2, emptyParens],
    ['A B', 2, missingOp],
    ['永济 拆迁+补偿', 3, missingOp],
    ['(A)B', 3, missingOp],
    ['A(B)', 1, missingOp],
    ['(A)(B)', 3, missingOp],
    ['A|B C', 4, missingOp],
  ] as const)('%j fails at %i', (src, position, [zh, en]) => {
    expect(failure(src)).toEqual({ position, zh, en, message: en });
  });

  it('rejects an expression longer than 2000 characters, pointing past the limit', () => {
    expect(show(parseRule('词'.repeat(MAX_EXPRESSION_LENGTH)))).toBe('词'.repeat(MAX_EXPRESSION_LENGTH));
    expect(failure('词'.repeat(MAX_EXPRESSION_LENGTH + 1))).toEqual({
      position: 2000,
      zh: '表达式过长（最多 2000 个字符）',
      en: 'Expression too long (at most 2000 characters)',
      message: 'Expression too long (at most 2000 characters)',
    });
  });

  it('rejects the 501st word', () => {
    expect(ruleTerms(parseRule(Array(500).fill('词').join('|')))).toEqual(['词']);
    expect(failure(Array(501).fill('词').join('|'))).toEqual({
      position: 1000,
      zh: '关键词过多（最多 500 个）',
      en: 'Too many words (at most 500)',
      message: 'Too many words (at most 500)',
    });
  });
});

describe('ruleTerms and positiveTerms', () => {
  it.each([
    ['A', ['A'], ['A']],
    ['A+B|A-C', ['A', 'B', 'C'], ['A', 'B']],
    ['(永济|蒲州)+(拆迁|补偿)-(招聘|广告)', ['永济', '蒲州', '拆迁', '补偿', '招聘', '广告'], ['永济', '蒲州', '拆迁', '补偿']],
    ['A-(B-C)', ['A', 'B', 'C'], ['A']],
    ['(A-B)|(C-A)', ['A', 'B', 'C'], ['A', 'C']],
  ])('%s', (src, all, positive) => {
    const expr = parseRule(src);
    expect(ruleTerms(expr)).toEqual(all);
    expect(positiveTerms(expr)).toEqual(positive);
  });
});
