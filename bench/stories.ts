// Story grouping on the labelled set (test/fixtures/stories): pairwise precision and recall and
// B-cubed F1 of the event grouping against today's fingerprints-only grouping, measured in the
// same run on the same items in published order, plus items/s of both (features included).
import { simhash } from '../core/simhash.js';
import { minhash } from '../core/minhash.js';
import { groupIntoStories, storyText, type StoryItem } from '../core/stories.js';
import { eventFeatures } from '../core/event-features.js';
import { clusterScores, type ClusterScores } from '../core/cluster-metrics.js';
import { loadStorySet, type LabelledStoryItem } from '../test/fixtures/stories/load.js';
import { type BenchFigure } from './lib.js';

export function prepare(items: readonly LabelledStoryItem[], withFeatures: boolean): StoryItem[] {
  return items.map((it) => {
    const t = storyText(it.title, it.text);
    const fp: StoryItem = { simhash: simhash(t), minhash: minhash(t) };
    if (withFeatures) fp.features = eventFeatures(it.title, it.text, it.published);
    return fp;
  });
}

/** Groups the set in published order; returns each item's story label. */
export function groupSet(items: readonly LabelledStoryItem[], withFeatures: boolean): string[] {
  const { assignments } = groupIntoStories(prepare(items, withFeatures), []);
  return assignments.map((a) => (a.kind === 'new' ? `n${a.index}` : a.storyId));
}

export function scoreSet(withFeatures: boolean): ClusterScores {
  const items = inOrder();
  return clusterScores(
    items.map((i) => i.story),
    groupSet(items, withFeatures),
  );
}

function inOrder(): LabelledStoryItem[] {
  return loadStorySet().sort((a, b) => a.published.getTime() - b.published.getTime() || a.id.localeCompare(b.id));
}

function itemsPerSecond(items: readonly LabelledStoryItem[], withFeatures: boolean): number {
  groupSet(items, withFeatures);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    groupSet(items, withFeatures);
    best = Math.min(best, performance.now() - t);
  }
  return (items.length * 1000) / best;
}

const figure = (name: string, value: number, baseline: number, goal: number): BenchFigure => ({
  name,
  value,
  unit: 'ratio',
  baseline,
  baselineName: 'fingerprints only',
  ratio: baseline === 0 ? Infinity : value / baseline,
  goal: `value ≥ ${goal}`,
  met: value >= goal,
});

export default async function bench(): Promise<BenchFigure[]> {
  const items = inOrder();
  const old = scoreSet(false);
  const now = scoreSet(true);
  const oldRate = itemsPerSecond(items, false);
  const newRate = itemsPerSecond(items, true);
  return [
    figure(`pairwise precision, ${items.length} items in ${new Set(items.map((i) => i.story)).size} stories`, now.pairPrecision, old.pairPrecision, 0.95),
    figure('pairwise recall', now.pairRecall, old.pairRecall, 0.9),
    figure('B-cubed precision', now.bcubedPrecision, old.bcubedPrecision, 0.95),
    figure('B-cubed recall', now.bcubedRecall, old.bcubedRecall, 0.9),
    figure('B-cubed F1', now.bcubedF1, old.bcubedF1, 0.92),
    {
      name: 'grouping speed in memory (fingerprints + features)',
      value: newRate,
      unit: 'items/s',
      baseline: oldRate,
      baselineName: 'fingerprints only',
      ratio: newRate / oldRate,
      goal: 'value ≥ 500 items/s',
      met: newRate >= 500,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printFigures } = await import('./lib.js');
  printFigures('stories', await bench());
}
