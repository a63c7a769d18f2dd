import { describe, expect, it } from 'vitest';
import { isSilent } from './present.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000);

describe('isSilent', () => {
  it.each([
    // typicalGapS, lastNewItemAt, silent
    [null, hoursAgo(100), false], // rhythm unknown
    [600, null, false], // never had a new item
    [600, hoursAgo(23), false], // 6 × 10 min = 1 h, but never less than a day
    [600, hoursAgo(25), true],
    [6 * 3600, hoursAgo(35), false], // 6 × 6 h = 36 h
    [6 * 3600, hoursAgo(37), true],
    [3600, hoursAgo(24), false], // exactly the bound is not beyond it
  ])('gap %s, last new %s → %s', (gap, last, expected) => {
    expect(isSilent(gap, last, NOW)).toBe(expected);
  });
});
