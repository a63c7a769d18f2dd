import { describe, expect, it } from 'vitest';
import { NEGATIVE_THRESHOLD } from '../sentiment.js';
import { compileRules, matchItem, type CompiledRules, type RuleInput } from './matcher.js';

function rule(id: number, expression: string, extra: Partial<RuleInput> = {}): RuleInput {
  return { id, expression, scope: 'title_text', negativeOnly: false, ...extra };
}

function item(title: string, text = '', negativity = 0.9) {
  return { title, text, negativity };
}

describe('compileRules', () => {
  it('compiles the good rules and lists the bad ones with position and both messages', () => {
    const compiled = compileRules([rule(1, '永济+拆迁'), rule(2, '永济+'), rule(3, '(拆迁|补偿'), rule(4, '蒲州')]);
    expect(compiled.ruleCount).toBe(2);
    expect(compiled.errors).toEqual([
      {
        ruleId: 2,
        position: 2,
        message: '运算符“+”右侧缺少关键词 / Operator "+" (and) is missing its right operand',
        messageZh: '运算符“+”右侧缺少关键词',
        messageEn: 'Operator "+" (and) is missing its right operand',
      },
      {
        ruleId: 3,
        position: 0,
        message: '左括号没有闭合 / Opening parenthesis is never closed',
        messageZh: '左括号没有闭合',
        messageEn: 'Opening parenthesis is never closed',
      },
    ]);
    expect(matchItem(compiled, item('永济拆迁，蒲州'))).toEqual([
      { ruleId: 1, words: ['永济', '拆迁'] },
      { ruleId: 4, words: ['蒲州'] },
    ]);
  });

  it('matches nothing with no rules', () => {
    const compiled = compileRules([]);
    expect(compiled.ruleCount).toBe(0);
    expect(matchItem(compiled, item('永济拆迁'))).toEqual([]);
  });

  it('refuses objects that did not come from compileRules', () => {
    const fake: CompiledRules = { ruleCount: 0, errors: [] };
    expect(() => matchItem(fake, item('永济'))).toThrow(TypeError);
  });
});

describe('matchItem semantics', () => {
  const example = '(永济|蒲州)+(拆迁|补偿|强拆)-(招聘|广告)';
  it.each([
    // and / or / and-not
    ['and: both present', 'A+B', item('xAyB'), ['A', 'B']],
    ['and: one missing', 'A+B', item('xAy'), null],
    ['or: either', 'A|B', item('B only'), ['B']],
    ['or: both, in expression order', 'A|B', item('B then A'), ['A', 'B']],
    ['not: excluded word absent', 'A-B', item('A'), ['A']],
    ['not: excluded word present', 'A-B', item('A B'), null],
    ['example rule', example, item('永济市蒲州镇强拆事件'), ['永济', '蒲州', '强拆']],
    ['example rule vetoed by an ad', example, item('永济拆迁补偿咨询', '广告'), null],
    ['example rule without a region', example, item('某地拆迁补偿'), null],
    ['excluded words are not reported', 'A|B-C', item('A C'), ['A']],
    ['positive words of a false branch still count as occurred', 'A|B-C', item('A B C'), ['A', 'B']],
    ['double negation is still exclusion', 'A-(B-C)', item('A B'), null],
    ['double negation lets the inner exclusion rescue', 'A-(B-C)', item('A B C'), ['A']],
    // precedence as parsed: A|(B+C)
    ['precedence: + over |', 'A|B+C', item('C only'), null],
    ['precedence: + over | (B+C)', 'A|B+C', item('B C'), ['B', 'C']],
    // substrings, overlapping words, prefixes
    ['overlapping words', '拆迁+迁补', item('拆迁补偿'), ['拆迁', '迁补']],
    ['a word that is a prefix of another', '拆|拆迁', item('拆迁'), ['拆', '拆迁']],
    ['a word that is a suffix of another', '强拆+拆', item('强拆'), ['强拆', '拆']],
    ['repeated words are reported once', '拆迁|补偿|拆迁', item('拆迁补偿拆迁'), ['拆迁', '补偿']],
    // Latin letters: case-insensitive, full-width folded
    ['Latin case', 'WiFi+故障', item('wifi故障'), ['WiFi', '故障']],
    ['full-width Latin', 'wifi+故障', item('ＷＩＦＩ故障'), ['wifi', '故障']],
    ['full-width word', 'ＰＭ2.5+超标', item('pm2.5 严重超标'), ['ＰＭ2.5', '超标']],
    ['case variants are one word', 'WiFi|wifi', item('WIFI'), ['WiFi']],
  ])('%s', (_name, expression, it, words) => {
    const hits = matchItem(compileRules([rule(7, expression)]), it);
    expect(hits).toEqual(words === null ? [] : [{ ruleId: 7, words }]);
  });

  it.each([
    ['title scope ignores the text', 'title', item('永济新闻', '拆迁'), null],
    ['title scope sees the title', 'title', item('永济拆迁', ''), ['永济', '拆迁']],
    ['title scope: an excluded word in the text does not veto', 'title', item('永济拆迁', '广告'), ['永济', '拆迁']],
    ['title_text combines both', 'title_text', item('永济新闻', '拆迁'), ['永济', '拆迁']],
    ['title_text: an excluded word in the text vetoes', 'title_text', item('永济拆迁', '广告'), null],
  ] as const)('%s', (_name, scope, it, words) => {
    const hits = matchItem(compileRules([rule(1, '永济+拆迁-广告', { scope })]), it);
    expect(hits).toEqual(words === null ? [] : [{ ruleId: 1, words }]);
  });

  it.each([
    [0, false],
    [NEGATIVE_THRESHOLD - 0.01, false],
    [NEGATIVE_THRESHOLD, true],
    [1, true],
  ])('negativeOnly with negativity %f matches: %s', (negativity, matches) => {
    const compiled = compileRules([rule(1, '拆迁', { negativeOnly: true }), rule(2, '拆迁')]);
    const ids = matchItem(compiled, item('拆迁', '', negativity)).map((h) => h.ruleId);
    expect(ids).toEqual(matches ? [1, 2] : [2]);
  });

  it('returns hits in rule order and evaluates rules sharing words independently', () => {
    const compiled = compileRules([
      rule(30, '补偿-广告'),
      rule(10, '拆迁+补偿'),
      rule(20, '蒲州|拆迁'),
      rule(40, '招聘'),
    ]);
    expect(matchItem(compiled, item('拆迁补偿'))).toEqual([
      { ruleId: 30, words: ['补偿'] },
      { ruleId: 10, words: ['拆迁', '补偿'] },
      { ruleId: 20, words: ['拆迁'] },
    ]);
    expect(matchItem(compiled, item('拆迁补偿广告'))).toEqual([
      { ruleId: 10, words: ['拆迁', '补偿'] },
      { ruleId: 20, words: ['拆迁'] },
    ]);
    expect(matchItem(compiled, item('无关'))).toEqual([]);
  });

  it('gives the same answers over many items (no state leaks between items)', () => {
    const compiled = compileRules([rule(1, '永济+拆迁'), rule(2, '蒲州', { scope: 'title' })]);
    for (let k = 0; k < 1000; k++) {
      const hits = matchItem(compiled, k % 2 === 0 ? item('永济拆迁', '蒲州') : item('永济', '无关'));
      expect(hits).toEqual(k % 2 === 0 ? [{ ruleId: 1, words: ['永济', '拆迁'] }] : []);
    }
  });

  it('finds the one matching rule among thousands', () => {
    const rules = Array.from({ length: 5000 }, (_, i) => rule(i, `地${i}号+事${i}号-广告`));
    const compiled = compileRules(rules);
    expect(compiled.ruleCount).toBe(5000);
    expect(matchItem(compiled, item('地4321号发生事4321号'))).toEqual([{ ruleId: 4321, words: ['地4321号', '事4321号'] }]);
    // Substring semantics: 地4 and 事4 occur inside 地43 … as well.
    expect(matchItem(compileRules([rule(1, '地4+事4')]), item('地43发生事43'))).toEqual([{ ruleId: 1, words: ['地4', '事4'] }]);
  });
});
