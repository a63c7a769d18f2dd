import { describe, expect, it } from 'vitest';
import { nextCaseNumber } from './numbers.js';

describe('nextCaseNumber', () => {
  it.each([
    [2026, 1, 'YQ-2026-0001'],
    [2026, 42, 'YQ-2026-0042'],
    [2026, 9999, 'YQ-2026-9999'],
    [2026, 10000, 'YQ-2026-10000'],
    [2027, 123456, 'YQ-2027-123456'],
  ])('%i, %i → %s', (year, n, expected) => {
    expect(nextCaseNumber(year, n)).toBe(expected);
  });

  it('numbers sort by sequence within 4 digits', () => {
    expect(nextCaseNumber(2026, 9) < nextCaseNumber(2026, 10)).toBe(true);
  });

  it.each([
    [2026, 0],
    [2026, -1],
    [2026, 1.5],
    [26, 1],
  ])('refuses year %i, n %f', (year, n) => {
    expect(() => nextCaseNumber(year, n)).toThrow(RangeError);
  });
});
