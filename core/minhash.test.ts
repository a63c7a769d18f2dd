import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bandKeys, jaccard, minhash, MINHASH_BANDS, MINHASH_SIZE } from './minhash.js';

describe('minhash', () => {
  it('is deterministic, sized, and 1.0 for identical text', () => {
    const a = minhash('清河市召开冬季供暖工作部署会');
    expect(a).toHaveLength(MINHASH_SIZE);
    expect(Array.from(minhash('清河市召开冬季供暖工作部署会'))).toEqual(Array.from(a));
    expect(jaccard(a, a)).toBe(1);
  });

  it('ignores punctuation, spaces and full-width forms', () => {
    expect(jaccard(minhash('清河市，召开 冬季供暖会议ＡＢＣ'), minhash('清河市召开冬季供暖会议abc'))).toBe(1);
  });

  it('estimates the Jaccard similarity of 3-gram sets within a reasonable error', () => {
    const base = '龙山镇多名农民工反映某建筑工地拖欠工资已有三个月涉及金额约四十万元工人们多次找到项目负责人讨薪未果';
    const edited = base.slice(0, 30) + '网友称' + base.slice(30);
    const grams = (s: string) => new Set(Array.from({ length: s.length - 2 }, (_, i) => s.slice(i, i + 3)));
    const A = grams(base);
    const B = grams(edited);
    const exact = [...A].filter((g) => B.has(g)).length / new Set([...A, ...B]).size;
    expect(Math.abs(jaccard(minhash(base), minhash(edited)) - exact)).toBeLessThan(0.2);
  });

  it('gives unrelated texts a low estimate', () => {
    expect(jaccard(minhash('市政府召开常务会议研究部署冬季供暖和安全生产工作'), minhash('龙山镇学校食堂饭菜变质多名学生腹泻家长投诉'))).toBeLessThan(0.2);
  });

  it('band keys: one per band, distinct bands never collide, equal signatures share all keys', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 3, maxLength: 80 }), (s) => {
        const k = bandKeys(minhash(s));
        expect(k).toHaveLength(MINHASH_BANDS);
        k.forEach((key, band) => {
          expect(Number.isSafeInteger(key)).toBe(true);
          expect(Math.floor(key / 2 ** 32)).toBe(band);
        });
        expect(bandKeys(minhash(s))).toEqual(k);
      }),
    );
  });
});
