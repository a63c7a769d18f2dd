import { describe, expect, it } from 'vitest';
import { isSpike } from './spike.js';

describe('isSpike', () => {
  it.each([
    [{ lastHour: 4, before: 0, hoursBefore: 0 }, false],
    [{ lastHour: 5, before: 0, hoursBefore: 0 }, true],
    [{ lastHour: 6, before: 48, hoursBefore: 24 }, true],
    [{ lastHour: 5, before: 48, hoursBefore: 24 }, false],
    [{ lastHour: 20, before: 200, hoursBefore: 10 }, false],
    [{ lastHour: 60, before: 200, hoursBefore: 10 }, true],
  ])('%o → %s', (input, expected) => {
    expect(isSpike(input)).toBe(expected);
  });
});
