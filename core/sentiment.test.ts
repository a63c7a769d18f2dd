import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { negativity, NEGATIVE_THRESHOLD } from './sentiment.js';
import { NEGATIVE_WORDS, NEGATORS, NON_NEGATING, POSITIVE_WORDS } from './sentiment-lexicon.js';

describe('negativity', () => {
  it.each([
    '某小区物业拖欠工资，农民工讨薪无门',
    '永济市蒲州镇强拆民房，村民愤怒',
    '化工厂偷排污水，附近居民闻到恶臭',
    '多次投诉无人管，相关部门推诿扯皮',
    '学校食堂发生食物中毒事件',
    '举报村干部贪污扶贫款',
    '工厂不断排放废气，居民非常愤怒',
    '我对处理结果不满意',
    '反映的问题迟迟未得到解决',
    '客服态度不耐心，处理不及时',
  ])('complaint is negative: %s', (text) => {
    expect(negativity(text)).toBeGreaterThanOrEqual(NEGATIVE_THRESHOLD);
  });

  it.each([
    '感谢环卫工人的辛苦付出，为他们点赞',
    '群众对便民服务中心的高效服务非常满意',
    '市民送来锦旗，感谢民警排忧解难',
    '投诉得到妥善解决，群众纷纷点赞',
    '今天天气晴朗，适合出游',
    '经检测，水质没有污染',
    '严禁拖欠农民工工资',
    '这家店有点坑',
  ])('praise, neutral or negated text is not negative: %s', (text) => {
    expect(negativity(text)).toBeLessThan(NEGATIVE_THRESHOLD);
  });

  it.each([
    ['没有污染', '有污染'],
    ['并未发生事故', '发生事故'],
    ['没有任何拖欠', '拖欠'],
  ])('a negator within two characters cancels a negative word: %s', (negated, plain) => {
    expect(negativity(negated)).toBe(0);
    expect(negativity(plain)).toBeGreaterThan(0);
  });

  it.each([
    ['不满意', '满意'],
    ['不及时', '及时'],
    ['问题尚未得到解决', '问题得到解决'],
  ])('a negator flips a positive word: %s', (negated, plain) => {
    expect(negativity(negated)).toBeGreaterThan(0);
    expect(negativity(plain)).toBe(0);
  });

  it('ignores negators that are part of a longer compound or too far away', () => {
    expect(negativity('不断污染')).toBe(negativity('污染'));
    expect(negativity('非常愤怒')).toBe(negativity('愤怒'));
    expect(negativity('没有想到会有污染')).toBe(negativity('污染'));
    expect(negativity('没有，污染')).toBe(negativity('污染'));
  });

  it('praise lowers the score', () => {
    expect(negativity('投诉后感谢工作人员')).toBeLessThan(negativity('投诉'));
  });

  it('more grievances score higher, and a long text needs more of them', () => {
    expect(negativity('拖欠')).toBeLessThan(negativity('拖欠，污染'));
    const padding = '今天召开会议研究部署相关工作。'.repeat(100);
    expect(negativity(`${padding}有群众投诉`)).toBeLessThan(negativity('有群众投诉'));
    expect(negativity(`${padding}有群众投诉`)).toBeLessThan(NEGATIVE_THRESHOLD);
  });

  it('stays within [0, 1) for any text (property)', () => {
    const unit = fc.constantFrom('不', '没有', '污染', '强拆', '死亡', '满意', '点赞', '，', '的', '非常');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 200 }), (parts) => {
        const score = negativity(parts.join(''));
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThan(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sentiment lexicon', () => {
  it('has a few hundred weighted negative words and some positive ones', () => {
    expect(NEGATIVE_WORDS.size).toBeGreaterThanOrEqual(300);
    expect(POSITIVE_WORDS.size).toBeGreaterThanOrEqual(50);
    for (const w of ['投诉', '欠薪', '拖欠', '污染', '恶臭', '强拆', '暴力', '腐败', '不作为', '推诿', '维权', '黑心', '坑', '愤怒', '曝光', '死亡', '事故', '中毒', '上访', '举报']) {
      expect(NEGATIVE_WORDS.get(w), w).toBeGreaterThan(0);
    }
  });

  it('lists every entry once across all lists', () => {
    const all = [...NEGATIVE_WORDS.keys(), ...POSITIVE_WORDS.keys(), ...NEGATORS, ...NON_NEGATING];
    const duplicates = all.filter((w, i) => all.indexOf(w) !== i);
    expect(duplicates).toEqual([]);
    expect(all.every((w) => w.length > 0 && !/\s/.test(w))).toBe(true);
  });
});
