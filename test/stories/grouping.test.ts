import { describe, expect, it } from 'vitest';
import { scoreSet } from '../../bench/stories.js';

// The goals of `npm run bench -- stories`, held as a test: event grouping on the labelled set.

describe('event grouping on the labelled story set', () => {
  it('reaches pairwise precision ≥ 0.95 and recall ≥ 0.90, far above fingerprints alone', () => {
    const events = scoreSet(true);
    const prints = scoreSet(false);
    expect(events.pairPrecision).toBeGreaterThanOrEqual(0.95);
    expect(events.pairRecall).toBeGreaterThanOrEqual(0.9);
    expect(events.bcubedF1).toBeGreaterThan(prints.bcubedF1 + 0.3);
    // Fingerprints alone merge the template notices and template complaints.
    expect(prints.pairPrecision).toBeLessThan(0.5);
  }, 60_000);
});
