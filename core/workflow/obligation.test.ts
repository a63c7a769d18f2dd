import { describe, expect, it } from 'vitest';
import { obligationView } from './obligation.js';
import { HOUR, sh } from './test-helpers.js';

const startedAt = sh('2026-03-02 09:00');
const dueAt = sh('2026-03-04 09:00'); // 48 h
const at = (hours: number) => new Date(startedAt.getTime() + hours * HOUR);

describe('obligationView', () => {
  it.each([
    // name, now h, met h, elapsed h, remaining h, breached, onTime
    ['open, not yet due', 10, null, 10, 38, false, null],
    ['open, exactly at due: not breached yet', 48, null, 48, 0, false, null],
    ['open, overdue: breached, not on time', 50, null, 50, -2, true, false],
    ['met on time: elapsed stops at metAt', 60, 20, 20, 28, false, true],
    ['met exactly at due: on time', 60, 48, 48, 0, false, true],
    ['met late: breached, not on time, remaining negative', 60, 51, 51, -3, true, false],
    ['a metAt after now is not yet met (history replay)', 10, 20, 10, 38, false, null],
    ['now before the start: elapsed never negative', -1, null, 0, 49, false, null],
  ] as [string, number, number | null, number, number, boolean, boolean | null][])('%s', (_name, nowH, metH, elapsedH, remainingH, breached, onTime) => {
    const metAt = metH === null ? null : at(metH);
    const view = obligationView({ startedAt, dueAt, metAt }, at(nowH));
    expect(view).toEqual({
      goalMs: 48 * HOUR,
      elapsedMs: elapsedH * HOUR,
      remainingMs: remainingH * HOUR,
      dueAt,
      metAt: metH !== null && metH <= nowH ? metAt : null,
      breached,
      onTime,
    });
  });
});
