// How well a grouping matches a labelled truth: pairwise precision and recall (over all pairs of
// items put together), and B-cubed precision, recall and F1 (per item, averaged). Pure.

export interface ClusterScores {
  pairPrecision: number;
  pairRecall: number;
  pairF1: number;
  bcubedPrecision: number;
  bcubedRecall: number;
  bcubedF1: number;
  /** Pairs the grouping joined, pairs the truth joins, pairs both join. */
  predictedPairs: number;
  truePairs: number;
  correctPairs: number;
}

const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** `truth[i]` and `predicted[i]` are the cluster labels of item i. */
export function clusterScores(truth: readonly string[], predicted: readonly string[]): ClusterScores {
  if (truth.length !== predicted.length) throw new Error('truth and predicted differ in length');
  const n = truth.length;
  const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const byTruth = new Map<string, number>();
  const byPred = new Map<string, number>();
  const byBoth = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    count(byTruth, truth[i]);
    count(byPred, predicted[i]);
    count(byBoth, `${truth[i]}\u0000${predicted[i]}`);
  }
  const pairs = (m: Map<string, number>) => [...m.values()].reduce((s, c) => s + (c * (c - 1)) / 2, 0);
  const truePairs = pairs(byTruth);
  const predictedPairs = pairs(byPred);
  const correctPairs = pairs(byBoth);
  let bp = 0;
  let br = 0;
  for (let i = 0; i < n; i++) {
    const both = byBoth.get(`${truth[i]}\u0000${predicted[i]}`)!;
    bp += both / byPred.get(predicted[i])!;
    br += both / byTruth.get(truth[i])!;
  }
  const pairPrecision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const pairRecall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const bcubedPrecision = n === 0 ? 1 : bp / n;
  const bcubedRecall = n === 0 ? 1 : br / n;
  return {
    pairPrecision,
    pairRecall,
    pairF1: f1(pairPrecision, pairRecall),
    bcubedPrecision,
    bcubedRecall,
    bcubedF1: f1(bcubedPrecision, bcubedRecall),
    predictedPairs,
    truePairs,
    correctPairs,
  };
}
