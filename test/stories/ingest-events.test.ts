import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ingestSet } from '../../bench/stories.js';
import { loadStorySet } from '../fixtures/stories/load.js';
import { clusterScores } from '../../core/cluster-metrics.js';

// Event grouping through the ingest command on a real database: candidates come from item_events
// (shared keywords, published-time window) and the stories' own fingerprints.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb('story_events');
});
afterAll(async () => t?.drop());

const items = loadStorySet().sort((a, b) => a.published.getTime() - b.published.getTime() || a.id.localeCompare(b.id));

describe('ingest groups items into events', () => {
  it('groups the labelled set as the pure grouping does: precision ≥ 0.95, recall ≥ 0.90', async () => {
    const { labels } = await ingestSet(t.db, items, true);
    const s = clusterScores(
      items.map((i) => i.story),
      labels,
    );
    expect(labels).not.toContain('missing');
    expect(s.pairPrecision).toBeGreaterThanOrEqual(0.95);
    expect(s.pairRecall).toBeGreaterThanOrEqual(0.9);

    const kept = await sql<{ n: number; founders: number }>`
      select (select count(*)::int from item_events) as n, (select count(*)::int from stories where features is not null) as founders`.execute(t.db);
    expect(kept.rows[0].n).toBe(items.length);
    expect(kept.rows[0].founders).toBe(new Set(labels).size);

    // The same notice every ~70 days, fetched at one moment: one story per notice.
    const notices = items.map((it, i) => ({ it, label: labels[i] })).filter((x) => x.it.title === '关于计划停电的通知' && x.it.kind === 'notice');
    expect(notices.length).toBeGreaterThanOrEqual(4);
    expect(new Set(notices.map((x) => x.label)).size).toBe(notices.length);
  }, 120_000);
});
