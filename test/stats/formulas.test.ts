import { describe, expect, it } from 'vitest';
import { compareDepartments, rangeBound, rate, round, shanghaiYmd, statsRange } from '../../core/stats.js';

describe('core/stats formulas', () => {
  it('reads a date as a whole Asia/Shanghai day and an ISO time as an instant', () => {
    expect(rangeBound('2026-11-16', 'from')?.toISOString()).toBe('2026-11-15T16:00:00.000Z');
    expect(rangeBound('2026-11-16', 'to')?.toISOString()).toBe('2026-11-16T16:00:00.000Z');
    expect(rangeBound('2026-11-16T09:30:00+08:00', 'from')?.toISOString()).toBe('2026-11-16T01:30:00.000Z');
    expect(rangeBound('2026-02-30', 'from')).toBeNull();
    expect(rangeBound('last week', 'to')).toBeNull();
  });

  it('defaults to the 30 Shanghai days ending now, and refuses reversed or overlong ranges', () => {
    const now = new Date('2026-11-24T08:00:00Z'); // 16:00 in Shanghai
    const r = statsRange({}, now);
    expect(r).toEqual({ from: new Date('2026-10-25T16:00:00Z'), to: now });
    expect(statsRange({ from: '2026-11-20', to: '2026-11-19' }, now)).toEqual({ error: 'order' });
    expect(statsRange({ from: '2025-01-01', to: '2026-11-19' }, now)).toEqual({ error: 'span' });
    expect(statsRange({ from: 'x' }, now)).toEqual({ error: 'from' });
    expect(shanghaiYmd(new Date('2026-11-15T16:00:00Z'))).toBe('2026-11-16');
  });

  it('rates and rounding', () => {
    expect(rate(5, 9)).toBe(0.5556);
    expect(rate(0, 0)).toBeNull();
    expect(round(41.55, 1)).toBe(41.6);
    expect(round(-2.25, 1)).toBe(-2.3);
    expect(round(null)).toBeNull();
  });

  it('ranks departments by on-time rate, then volume judged, then faster average response', () => {
    const d = (id: number, onTimeRate: number | null, judged: number, averageResponseHours: number | null) => ({ id, name: `部门${id}`, onTimeRate, judged, averageResponseHours });
    const sorted = [d(1, 0.5, 2, 10), d(2, null, 0, null), d(3, 0.5, 4, 30), d(4, 0.9, 1, 40), d(5, 0.5, 4, 20)].sort(compareDepartments);
    expect(sorted.map((x) => x.id)).toEqual([4, 5, 3, 1, 2]);
  });
});
