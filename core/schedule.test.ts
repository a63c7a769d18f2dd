import { describe, expect, it } from 'vitest';
import { healthAfterFetch, isSilent, nextSchedule, sourceJitter, updateTypicalGap, type SourceHealth } from './schedule.js';

const now = new Date('2026-11-25T02:00:00Z');
const base = { pollIntervalS: 300, failureScore: 0, consecutiveFailures: 0, now, backoffMaxS: 6 * 3600, jitter: 0.5 };
const minutesAfterNow = (d: Date) => (d.getTime() - now.getTime()) / 60_000;

describe('nextSchedule', () => {
  it('polls again after the interval on success and resets the failure streak', () => {
    const r = nextSchedule({ ...base, status: 'ok', failureScore: 4, consecutiveFailures: 3 });
    expect(minutesAfterNow(r.nextFetchAt)).toBe(5);
    expect(r.consecutiveFailures).toBe(0);
    expect(r.failureScore).toBe(2);
  });

  it('polls at the shortened interval in a heightened period (poll factor), never backs off shorter', () => {
    expect(minutesAfterNow(nextSchedule({ ...base, status: 'ok', pollFactor: 0.5 }).nextFetchAt)).toBe(2.5);
    expect(minutesAfterNow(nextSchedule({ ...base, status: 'not_modified', pollFactor: 0.2 }).nextFetchAt)).toBe(1);
    expect(minutesAfterNow(nextSchedule({ ...base, status: 'ok', pollFactor: 0.01 }).nextFetchAt)).toBe(0.5); // at least 0.1
    expect(minutesAfterNow(nextSchedule({ ...base, status: 'ok', pollFactor: 3 }).nextFetchAt)).toBe(5); // at most 1
    expect(minutesAfterNow(nextSchedule({ ...base, status: 'http_5xx', pollFactor: 0.5 }).nextFetchAt)).toBe(5);
  });

  it.each([
    [0, 5],
    [1, 10],
    [2, 20],
    [3, 40],
    [6, 320],
  ])('backs off exponentially after %i earlier failures (%i min)', (earlier, minutes) => {
    const r = nextSchedule({ ...base, status: 'http_5xx', consecutiveFailures: earlier });
    expect(minutesAfterNow(r.nextFetchAt)).toBe(minutes);
    expect(r.consecutiveFailures).toBe(earlier + 1);
  });

  it('caps the backoff so a failing source is retried at least every 6 h, forever', () => {
    for (const n of [7, 20, 1000]) {
      const r = nextSchedule({ ...base, status: 'timeout', consecutiveFailures: n });
      expect(minutesAfterNow(r.nextFetchAt)).toBe(360);
    }
  });

  it('honours Retry-After when it asks for longer, within a day', () => {
    expect(minutesAfterNow(nextSchedule({ ...base, status: 'rate_limited', retryAfterMs: 3_600_000 }).nextFetchAt)).toBe(60);
    expect(minutesAfterNow(nextSchedule({ ...base, status: 'rate_limited', retryAfterMs: 10 * 86_400_000 }).nextFetchAt)).toBe(24 * 60);
  });

  it('weights failures by kind and decays the score', () => {
    const dns = nextSchedule({ ...base, status: 'dns_error', failureScore: 1 });
    const timeout = nextSchedule({ ...base, status: 'timeout', failureScore: 1 });
    expect(dns.failureScore).toBeCloseTo(2.8);
    expect(timeout.failureScore).toBeCloseTo(1.8);
  });

  it('spreads retries with jitter', () => {
    const a = nextSchedule({ ...base, status: 'timeout', consecutiveFailures: 2, jitter: 0 });
    const b = nextSchedule({ ...base, status: 'timeout', consecutiveFailures: 2, jitter: 1 });
    expect(minutesAfterNow(a.nextFetchAt)).toBe(16);
    expect(minutesAfterNow(b.nextFetchAt)).toBe(24);
  });
});

describe('silence', () => {
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
  it.each([
    [3600, 23, false],
    [3600, 25, true],
    [6 * 3600, 30, false],
    [6 * 3600, 37, true],
    [null, 100, false],
  ])('typical gap %s s, last new item %i h ago → silent %s', (gap, h, expected) => {
    expect(isSilent(gap, hoursAgo(h), now)).toBe(expected);
  });

  it('learns the typical gap as a weighted mean', () => {
    expect(updateTypicalGap(null, hoursAgo(1), now)).toBe(3600);
    expect(updateTypicalGap(3600, hoursAgo(2), now)).toBe(Math.round(3600 * 0.7 + 7200 * 0.3));
    expect(updateTypicalGap(500, null, now)).toBe(500);
  });
});

describe('healthAfterFetch', () => {
  const site: SourceHealth = {
    id: 7,
    kind: 'site',
    pollIntervalS: 300,
    failureScore: 2,
    consecutiveFailures: 1,
    selectorMisses: 2,
    typicalGapS: 600,
    lastNewItemAt: new Date(now.getTime() - 1200_000),
  };
  const feed: SourceHealth = { ...site, kind: 'feed', selectorMisses: 0 };
  const backoffMaxS = 6 * 3600;

  it.each([
    // source, status, new items → selector misses, typical gap (undefined: left as it is)
    ['site', 'ok', 3, 0, 780],
    ['site', 'ok', 0, 0, undefined],
    ['site', 'not_modified', 0, 0, undefined],
    ['site', 'selector_empty', 0, 3, undefined],
    ['site', 'timeout', 0, undefined, undefined],
    ['feed', 'ok', 3, undefined, 780],
    ['feed', 'not_modified', 0, undefined, undefined],
    ['feed', 'parse_error', 0, undefined, undefined],
  ] as const)('a %s answering %s with %i new items: selector misses %s, typical gap %s', (kind, status, itemsNew, misses, gap) => {
    const r = healthAfterFetch(kind === 'site' ? site : feed, { status, itemsNew }, now, backoffMaxS);
    expect(r.selectorMisses).toBe(misses);
    expect(r.typicalGapS).toBe(gap);
  });

  it('schedules exactly as nextSchedule does, with the jitter fixed per source', () => {
    for (const status of ['ok', 'timeout', 'http_5xx'] as const) {
      const r = healthAfterFetch(site, { status, itemsNew: 0, retryAfterMs: 3_600_000 }, now, backoffMaxS);
      const expected = nextSchedule({ ...site, status, now, backoffMaxS, retryAfterMs: 3_600_000, jitter: sourceJitter(site.id) });
      expect({ nextFetchAt: r.nextFetchAt, failureScore: r.failureScore, consecutiveFailures: r.consecutiveFailures }).toEqual(expected);
    }
    expect(sourceJitter(1)).toBe(0.761);
    expect(sourceJitter(7)).toBeGreaterThanOrEqual(0);
    expect(sourceJitter(7)).toBeLessThan(1);
  });
});
