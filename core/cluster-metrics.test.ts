import { describe, expect, it } from 'vitest';
import { clusterScores } from './cluster-metrics.js';

describe('clusterScores', () => {
  it('scores a perfect grouping 1 whatever the labels are called', () => {
    const s = clusterScores(['a', 'a', 'b', 'c'], ['x', 'x', 'y', 'z']);
    expect(s).toMatchObject({ pairPrecision: 1, pairRecall: 1, bcubedPrecision: 1, bcubedRecall: 1, bcubedF1: 1, truePairs: 1, correctPairs: 1 });
  });

  it('counts pairs: one true story of three split 2+1, and a wrong join', () => {
    // truth: {0,1,2} {3} {4}; predicted: {0,1} {2} {3,4}
    const s = clusterScores(['a', 'a', 'a', 'b', 'c'], ['p', 'p', 'q', 'r', 'r']);
    expect(s.truePairs).toBe(3);
    expect(s.predictedPairs).toBe(2);
    expect(s.correctPairs).toBe(1);
    expect(s.pairPrecision).toBeCloseTo(0.5);
    expect(s.pairRecall).toBeCloseTo(1 / 3);
    // B-cubed precision per item: 1, 1, 1, 1/2, 1/2 → 0.8; recall: 2/3, 2/3, 1/3, 1, 1 → 11/15
    expect(s.bcubedPrecision).toBeCloseTo(0.8);
    expect(s.bcubedRecall).toBeCloseTo(11 / 15);
    expect(s.bcubedF1).toBeCloseTo((2 * 0.8 * (11 / 15)) / (0.8 + 11 / 15));
  });

  it('everything in one cluster has full recall and low precision; singletons the reverse', () => {
    const truth = ['a', 'a', 'b', 'b'];
    const one = clusterScores(truth, ['x', 'x', 'x', 'x']);
    expect(one.pairRecall).toBe(1);
    expect(one.pairPrecision).toBeCloseTo(2 / 6);
    const single = clusterScores(truth, ['1', '2', '3', '4']);
    expect(single.pairPrecision).toBe(1);
    expect(single.pairRecall).toBe(0);
    expect(single.bcubedRecall).toBeCloseTo(0.5);
  });

  it('refuses arrays of different length', () => {
    expect(() => clusterScores(['a'], [])).toThrow();
  });
});
