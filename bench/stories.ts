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
import { benchDb } from './db.js';
import type { Db } from '../db/client.js';
import { ingestItems, type IngestItem } from '../services/crawl/ingest.js';

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

const INGEST_BATCH = 20;
/** Rounds of each DB path, taken in turns; the best of each counts. */
const DB_ROUNDS = 3;

/**
 * The DB path: the set through ingestItems in published order, batches of INGEST_BATCH in their own
 * transactions, all fetched at one moment (so only published time can keep months apart). Returns
 * each item's story id and the items/s.
 */
export async function ingestSet(db: Db, items: readonly LabelledStoryItem[], eventGrouping: boolean): Promise<{ labels: string[]; perSecond: number }> {
  const run = `${eventGrouping ? 'events' : 'prints'}-${Date.now()}`;
  const source = await db
    .insertInto('sources')
    .values({ name: `stories ${run}`, url: `http://stories.example/${run}.xml`, kind: 'feed' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const fetchedAt = new Date(Math.max(...items.map((i) => i.published.getTime())) + 3_600_000);
  const toIngest = (it: LabelledStoryItem): IngestItem => {
    const t = storyText(it.title, it.text);
    return {
      sourceId: source.id,
      urlKey: `${run}/${it.id}`,
      url: `http://stories.example/${run}/${it.id}`,
      guid: it.id,
      title: it.title,
      text: it.text,
      author: '',
      publishedAt: it.published,
      publishedAtEstimated: false,
      fetchedAt,
      simhash: simhash(t),
      minhash: minhash(t),
      negativity: 0,
      hits: [],
    };
  };
  const start = performance.now();
  for (let i = 0; i < items.length; i += INGEST_BATCH) {
    const batch = items.slice(i, i + INGEST_BATCH).map(toIngest);
    await db.transaction().execute((trx) => ingestItems(trx, batch, new Map(), fetchedAt, { eventGrouping }));
  }
  const perSecond = (items.length * 1000) / (performance.now() - start);
  const rows = await db.selectFrom('items').select(['guid', 'story_id']).where('source_id', '=', source.id).execute();
  const storyOf = new Map(rows.map((r) => [r.guid, String(r.story_id)]));
  return { labels: items.map((i) => storyOf.get(i.id) ?? 'missing'), perSecond };
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
  // One database per path and round: no other run's stories may be candidates. The paths take
  // turns (the machine's load changes while they run) and each keeps its best round.
  const onFreshDb = async (eventGrouping: boolean) => {
    const work = await benchDb(eventGrouping ? 'stories_events' : 'stories_prints');
    try {
      return await ingestSet(work.db, items, eventGrouping);
    } finally {
      await work.drop();
    }
  };
  const best = (a: Awaited<ReturnType<typeof onFreshDb>> | undefined, b: Awaited<ReturnType<typeof onFreshDb>>) => (a && a.perSecond >= b.perSecond ? a : b);
  let dbOld: Awaited<ReturnType<typeof onFreshDb>> | undefined;
  let dbNew: Awaited<ReturnType<typeof onFreshDb>> | undefined;
  for (let round = 0; round < DB_ROUNDS; round++) {
    dbOld = best(dbOld, await onFreshDb(false));
    dbNew = best(dbNew, await onFreshDb(true));
  }
  if (!dbOld || !dbNew) throw new Error('no rounds');
  const truth = items.map((i) => i.story);
  const dbScores = clusterScores(truth, dbNew.labels);
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
    figure('DB path (ingestItems): pairwise precision', dbScores.pairPrecision, clusterScores(truth, dbOld.labels).pairPrecision, 0.95),
    figure('DB path (ingestItems): pairwise recall', dbScores.pairRecall, clusterScores(truth, dbOld.labels).pairRecall, 0.9),
    {
      name: `ingest speed, DB path (batches of ${INGEST_BATCH}, one transaction each; best of ${DB_ROUNDS} rounds in turns)`,
      value: dbNew.perSecond,
      unit: 'items/s',
      baseline: dbOld.perSecond,
      baselineName: 'the same ingest, fingerprints only',
      ratio: dbNew.perSecond / dbOld.perSecond,
      goal: 'ratio ≥ 0.5',
      met: dbNew.perSecond / dbOld.perSecond >= 0.5,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printFigures } = await import('./lib.js');
  printFigures('stories', await bench());
}
