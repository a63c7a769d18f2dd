import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workCalendar, type WorkCalendar } from './calendar.js';
import { appliedPeriod, computeDueAt, effectiveWindow, heightenedFactor, nextRecurrence, scheduleDue } from './deadlines.js';
import { HOUR, sh, withTimeZone } from './test-helpers.js';
import type { HeightenedPeriod, Window } from './types.js';

const calendar = workCalendar();
const ctx = { calendar, periods: [] as HeightenedPeriod[] };
const wd = (n: number): Window => ({ hours: 24 * n, unit: 'working_days' });
const nat = (hours: number): Window => ({ hours, unit: 'natural' });

describe('computeDueAt — natural hours', () => {
  it.each([
    ['2026-09-30 10:00', 48, '2026-10-02 10:00'], // holidays do not matter
    ['2026-03-07 23:30', 1, '2026-03-08 00:30'],
    ['2026-03-06 16:00', 5, '2026-03-06 21:00'],
    ['2026-03-06 16:00', 0, '2026-03-06 16:00'],
  ])('%s + %i h → %s', (start, hours, due) => {
    expect(computeDueAt(sh(start), nat(hours), ctx)).toEqual(sh(due));
  });
});

describe('computeDueAt — working days (2026 calendar with 调休)', () => {
  it.each([
    // plain weekend
    ['Fri 16:30 + 1 wd → Mon 16:30', '2026-03-06 16:30', 1, '2026-03-09 16:30'],
    ['Mon 09:00 + 5 wd → next Mon', '2026-03-09 09:00', 5, '2026-03-16 09:00'],
    ['0 wd on a working day → the start', '2026-03-06 16:30', 0, '2026-03-06 16:30'],
    // National Day: 10-01..10-07 off, Sun 09-20 and Sat 10-10 make-up workdays
    ['eve of National Day + 1 wd → first day after it', '2026-09-30 10:00', 1, '2026-10-08 10:00'],
    ['eve of National Day + 3 wd → the make-up Saturday', '2026-09-30 10:00', 3, '2026-10-10 10:00'],
    ['eve of National Day + 4 wd → Monday (Sunday 10-11 off)', '2026-09-30 10:00', 4, '2026-10-12 10:00'],
    ['Saturday before a make-up Sunday: anchor Sun 00:00', '2026-09-19 15:00', 1, '2026-09-21 00:00'],
    ['on the make-up Sunday itself', '2026-09-20 15:00', 1, '2026-09-21 15:00'],
    ['on a holiday: anchor 10-08 00:00', '2026-10-01 09:00', 1, '2026-10-09 00:00'],
    ['on a holiday, 0 wd → the next working day 00:00', '2026-10-03 09:00', 0, '2026-10-08 00:00'],
    // Spring Festival: 02-15..02-23 off, Sat 02-14 and Sat 02-28 make-up
    ['Fri before Spring Festival + 1 wd → make-up Sat 02-14', '2026-02-13 10:00', 1, '2026-02-14 10:00'],
    ['Fri before Spring Festival + 2 wd → Tue 02-24', '2026-02-13 10:00', 2, '2026-02-24 10:00'],
    ['Fri 02-27 + 1 wd → make-up Sat 02-28', '2026-02-27 10:00', 1, '2026-02-28 10:00'],
    // Labour Day: 05-01..05-05 off, Sat 05-09 make-up
    ['Thu 04-30 + 1 wd → Wed 05-06', '2026-04-30 09:00', 1, '2026-05-06 09:00'],
    ['Thu 04-30 + 4 wd → make-up Sat 05-09', '2026-04-30 09:00', 4, '2026-05-09 09:00'],
    // New Year across the year boundary: 01-01..01-03 off, Sun 01-04 make-up
    ['Wed 2025-12-31 + 1 wd → make-up Sun 2026-01-04', '2025-12-31 18:00', 1, '2026-01-04 18:00'],
    // Shanghai day, not UTC day: 23:30 on 10-07 is 15:30 UTC the same day; 00:30 on 10-08 is 10-07 in UTC
    ['late on the last holiday', '2026-10-07 23:30', 1, '2026-10-09 00:00'],
    ['just after midnight on the first working day', '2026-10-08 00:30', 1, '2026-10-09 00:30'],
  ])('%s', (_name, start, n, due) => {
    expect(computeDueAt(sh(start), wd(n), ctx)).toEqual(sh(due));
  });

  it('a fractional rest of a working day is added as natural hours', () => {
    // 36 h = 1.5 working days: Wed 10:00 → Thu 10:00 + 12 h
    expect(computeDueAt(sh('2026-03-04 10:00'), { hours: 36, unit: 'working_days' }, ctx)).toEqual(sh('2026-03-05 22:00'));
  });

  it('admin overrides count: a year the package lacks', () => {
    const withOverride = workCalendar(new Map([['2027-01-01', false]]));
    // 2027-01-01 is a Friday; without data it is a plain working day
    expect(computeDueAt(sh('2026-12-31 10:00'), wd(1), ctx)).toEqual(sh('2027-01-01 10:00'));
    expect(computeDueAt(sh('2026-12-31 10:00'), wd(1), { calendar: withOverride, periods: [] })).toEqual(sh('2027-01-04 10:00'));
  });

  it('a calendar with no working day fails loudly instead of looping', () => {
    const never: WorkCalendar = { isWorkday: () => false };
    expect(() => computeDueAt(sh('2026-03-06 10:00'), wd(1), { calendar: never, periods: [] })).toThrow(RangeError);
  });

  it('refuses invalid windows and starts', () => {
    expect(() => computeDueAt(sh('2026-03-06 10:00'), nat(-1), ctx)).toThrow(RangeError);
    expect(() => computeDueAt(sh('2026-03-06 10:00'), nat(Number.NaN), ctx)).toThrow(RangeError);
    expect(() => computeDueAt(new Date(Number.NaN), nat(1), ctx)).toThrow(RangeError);
  });

  it('does not depend on the process time zone', () => {
    const cases: [string, Window, string][] = [
      ['2026-09-30 10:00', wd(3), '2026-10-10 10:00'],
      ['2026-09-19 15:00', wd(1), '2026-09-21 00:00'],
      ['2026-10-08 00:30', wd(1), '2026-10-09 00:30'],
      ['2026-10-07 23:30', wd(1), '2026-10-09 00:00'],
      ['2026-02-13 10:00', wd(2), '2026-02-24 10:00'],
      ['2026-03-07 23:30', nat(48), '2026-03-09 23:30'],
    ];
    for (const tz of ['UTC', 'America/Los_Angeles', 'America/New_York', 'Pacific/Kiritimati', 'Asia/Kolkata', 'Asia/Shanghai']) {
      withTimeZone(tz, () => {
        for (const [start, window, due] of cases) {
          // instants built from explicit UTC fields: 10:00 Shanghai = 02:00 UTC
          expect(computeDueAt(sh(start), window, { calendar: workCalendar(), periods: [] }).toISOString()).toBe(sh(due).toISOString());
        }
      });
    }
    expect(sh('2026-09-30 10:00').toISOString()).toBe('2026-09-30T02:00:00.000Z');
  });
});

describe('computeDueAt — heightened periods (重点时段)', () => {
  const period = (from: string, to: string, factor: number): HeightenedPeriod => ({ startsAt: sh(from), endsAt: sh(to), factor });
  const start = sh('2026-10-01 10:00');

  it.each([
    ['no period', [], 48],
    ['a period containing the start halves the window', [period('2026-09-30 00:00', '2026-10-08 00:00', 0.5)], 24],
    ['the strictest of several wins', [period('2026-09-30 00:00', '2026-10-08 00:00', 0.5), period('2026-10-01 00:00', '2026-10-02 00:00', 0.25)], 12],
    ['a period starting after the start does not apply', [period('2026-10-01 10:01', '2026-10-08 00:00', 0.5)], 48],
    ['a period ending at the start does not apply (end exclusive)', [period('2026-09-30 00:00', '2026-10-01 10:00', 0.5)], 48],
    ['a period starting exactly at the start applies (start inclusive)', [period('2026-10-01 10:00', '2026-10-02 00:00', 0.5)], 24],
    ['a factor above 1 never lengthens the window', [period('2026-09-30 00:00', '2026-10-08 00:00', 2)], 48],
    ['a non-positive factor is ignored', [period('2026-09-30 00:00', '2026-10-08 00:00', 0)], 48],
  ] as [string, HeightenedPeriod[], number][])('%s', (_name, periods, hours) => {
    expect(computeDueAt(start, nat(48), { calendar, periods })).toEqual(new Date(start.getTime() + hours * HOUR));
  });

  it('shortens working-day windows too (4 wd × 0.5 = 2 wd)', () => {
    const periods = [period('2026-09-01 00:00', '2026-10-31 00:00', 0.5)];
    expect(computeDueAt(sh('2026-09-30 10:00'), wd(4), { calendar, periods })).toEqual(sh('2026-10-09 10:00'));
    // 3 wd × 0.5 = 1.5 wd: 10-08 10:00 + 12 h
    expect(computeDueAt(sh('2026-09-30 10:00'), wd(3), { calendar, periods })).toEqual(sh('2026-10-08 22:00'));
  });

  it('heightenedFactor is 1 outside every period', () => {
    expect(heightenedFactor(start, [])).toBe(1);
    expect(heightenedFactor(start, [period('2026-11-01 00:00', '2026-11-02 00:00', 0.5)])).toBe(1);
  });
});

describe('computeDueAt — properties', () => {
  // instants across 2025-2026 (data years), minute resolution
  const instant = fc.integer({ min: Date.UTC(2025, 0, 1) / 60_000, max: Date.UTC(2026, 11, 1) / 60_000 }).map((m) => new Date(m * 60_000));
  const shanghaiYmd = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 10);
  const shanghaiMsOfDay = (d: Date) => (d.getTime() + 8 * HOUR) % (24 * HOUR);

  it('natural windows add exactly their hours', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 500 }), (start, hours) => {
        expect(computeDueAt(start, nat(hours), ctx).getTime() - start.getTime()).toBe(hours * HOUR);
      }),
    );
  });

  it('N working days end on a working day, at the start time of day (or 00:00 after a day off), with exactly N working days counted', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 15 }), (start, n) => {
        const due = computeDueAt(start, wd(n), ctx);
        expect(due.getTime()).toBeGreaterThan(start.getTime());
        expect(calendar.isWorkday(shanghaiYmd(due))).toBe(true);
        const startsOnWorkday = calendar.isWorkday(shanghaiYmd(start));
        expect(shanghaiMsOfDay(due)).toBe(startsOnWorkday ? shanghaiMsOfDay(start) : 0);
        // working days strictly after the start's day, up to and including the due day
        let count = 0;
        for (let t = start.getTime() + 24 * HOUR; shanghaiYmd(new Date(t)) <= shanghaiYmd(due); t += 24 * HOUR) {
          if (calendar.isWorkday(shanghaiYmd(new Date(t)))) count++;
        }
        expect(count).toBe(startsOnWorkday ? n : n + 1);
      }),
    );
  });

  it('more working days never end earlier; a heightened period never ends later', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 10 }), fc.double({ min: 0.1, max: 1, noNaN: true }), (start, n, factor) => {
        expect(computeDueAt(start, wd(n + 1), ctx).getTime()).toBeGreaterThan(computeDueAt(start, wd(n), ctx).getTime());
        const periods = [{ startsAt: new Date(start.getTime() - HOUR), endsAt: new Date(start.getTime() + HOUR), factor }];
        expect(computeDueAt(start, wd(n), { calendar, periods }).getTime()).toBeLessThanOrEqual(computeDueAt(start, wd(n), ctx).getTime());
        expect(computeDueAt(start, nat(n), { calendar, periods }).getTime()).toBeLessThanOrEqual(computeDueAt(start, nat(n), ctx).getTime());
      }),
    );
  });
});

describe('nextRecurrence', () => {
  it('the next update starts when the previous one was met and is due repeatEveryHours later', () => {
    const metAt = sh('2026-03-06 13:00');
    expect(nextRecurrence({ kind: 'update', window: nat(24), repeatEveryHours: 24 }, metAt, ctx)).toEqual({
      startedAt: metAt,
      dueAt: sh('2026-03-07 13:00'),
      window: nat(24),
      period: null,
    });
  });

  it('an update met inside a heightened period recurs on the shortened interval and names the period', () => {
    const metAt = sh('2026-03-06 13:00');
    const periods = [{ startsAt: sh('2026-03-01 00:00'), endsAt: sh('2026-03-15 00:00'), factor: 0.5, name: '全国两会' }];
    expect(nextRecurrence({ kind: 'update', window: nat(24), repeatEveryHours: 24 }, metAt, { calendar, periods })).toEqual({
      startedAt: metAt,
      dueAt: sh('2026-03-07 01:00'),
      window: nat(24),
      period: { name: '全国两会', factor: 0.5 },
    });
  });

  it('a one-off obligation has no next occurrence', () => {
    expect(nextRecurrence({ kind: 'response', window: nat(48) }, sh('2026-03-06 13:00'), ctx)).toBeNull();
  });
});

describe('appliedPeriod / scheduleDue — which rule set the due time', () => {
  const named = (name: string, from: string, to: string, factor: number): HeightenedPeriod => ({ name, startsAt: sh(from), endsAt: sh(to), factor });
  const lianghui = named('全国两会', '2026-03-04 00:00', '2026-03-12 00:00', 0.5);

  it('a case whose clock starts in 全国两会 (factor 0.5) is due in 24 h instead of 48 h, and says so', () => {
    const start = sh('2026-03-05 09:00');
    expect(scheduleDue(start, nat(48), { calendar, periods: [lianghui] })).toEqual({ dueAt: sh('2026-03-06 09:00'), period: { name: '全国两会', factor: 0.5 } });
    expect(effectiveWindow(nat(48), { name: '全国两会', factor: 0.5 })).toEqual(nat(24));
  });

  it('a hotline reply of 5 working days in the period is due after 2.5 working days (2 working days and 12 h)', () => {
    // Thu 03-05 09:00 → 2 working days: Mon 03-09 09:00 → + 12 h: Mon 21:00
    const start = sh('2026-03-05 09:00');
    expect(scheduleDue(start, wd(5), { calendar, periods: [lianghui] })).toEqual({ dueAt: sh('2026-03-09 21:00'), period: { name: '全国两会', factor: 0.5 } });
    expect(effectiveWindow(wd(5), { name: '全国两会', factor: 0.5 })).toEqual(wd(2.5));
  });

  it('outside every period, or under a period of factor 1, no period is recorded and the window is the normal one', () => {
    expect(scheduleDue(sh('2026-03-12 00:00'), nat(48), { calendar, periods: [lianghui] })).toEqual({ dueAt: sh('2026-03-14 00:00'), period: null });
    expect(appliedPeriod(sh('2026-03-05 09:00'), [named('春季防汛', '2026-03-01 00:00', '2026-04-01 00:00', 1)])).toBeNull();
    expect(effectiveWindow(wd(5), null)).toEqual(wd(5));
  });

  it('of overlapping periods the strictest is named, the earliest-starting on a tie', () => {
    const a = named('甲', '2026-03-01 00:00', '2026-03-20 00:00', 0.5);
    const b = named('乙', '2026-03-03 00:00', '2026-03-20 00:00', 0.25);
    const c = named('丙', '2026-03-02 00:00', '2026-03-20 00:00', 0.25);
    expect(appliedPeriod(sh('2026-03-05 09:00'), [a, b, c])).toEqual({ name: '丙', factor: 0.25 });
  });
});
