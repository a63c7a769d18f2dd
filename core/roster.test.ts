import { describe, expect, it } from 'vitest';
import { daysOfMonth, fillMonth, minuteOfText, onDutyAt, shiftWindow, textOfMinute, type RosterEntry, type Shift } from './roster.js';
import { workCalendar } from './workflow/calendar.js';

const DAY: Shift = { id: 1, name: '白班', startMinute: 510, endMinute: 1050, position: 1 };
const NIGHT: Shift = { id: 2, name: '夜班', startMinute: 1050, endMinute: 510, position: 2 };
const shifts = [DAY, NIGHT];
const e = (day: string, shiftId: number, primary: number, backup: number | null = null, leader: number | null = null): RosterEntry => ({
  day,
  shiftId,
  primaryUserId: primary,
  backupUserId: backup,
  leaderUserId: leader,
});
const roster = [e('2026-12-07', 1, 11, 12, 13), e('2026-12-07', 2, 21, 22, 23), e('2026-12-08', 1, 31)];
const bj = (s: string) => new Date(`${s}+08:00`);

describe('onDutyAt', () => {
  it.each([
    ['2026-12-07T08:29:59', null],
    ['2026-12-07T08:30:00', 11],
    ['2026-12-07T12:00:00', 11],
    ['2026-12-07T17:29:59', 11],
    ['2026-12-07T17:30:00', 21],
    ['2026-12-07T23:59:00', 21],
    ['2026-12-08T03:00:00', 21], // the night shift started the day before
    ['2026-12-08T08:29:00', 21],
    ['2026-12-08T08:30:00', 31],
    ['2026-12-08T17:30:00', null], // no night shift on the 8th
    ['2026-12-06T20:00:00', null],
  ] as const)('at %s Beijing time → primary %s', (at, primary) => {
    expect(onDutyAt(roster, shifts, bj(at))?.primary ?? null).toBe(primary);
  });

  it('gives the backup, the leader and the shift window', () => {
    expect(onDutyAt(roster, shifts, bj('2026-12-08T01:00:00'))).toEqual({
      day: '2026-12-07',
      shiftId: 2,
      primary: 21,
      backup: 22,
      leader: 23,
      startsAt: bj('2026-12-07T17:30:00'),
      endsAt: bj('2026-12-08T08:30:00'),
    });
  });

  it('ignores entries of unknown shifts; overlapping shifts: the first by position wins', () => {
    const all: Shift = { id: 3, name: '全天', startMinute: 0, endMinute: 0, position: 0 };
    expect(onDutyAt([e('2026-12-07', 9, 1)], shifts, bj('2026-12-07T10:00:00'))).toBeNull();
    expect(onDutyAt([...roster, e('2026-12-07', 3, 99)], [...shifts, all], bj('2026-12-07T10:00:00'))?.primary).toBe(99);
  });
});

describe('shift windows and times', () => {
  it('a night shift ends the next morning', () => {
    expect(shiftWindow('2026-12-31', NIGHT)).toEqual({ startsAt: bj('2026-12-31T17:30:00'), endsAt: bj('2027-01-01T08:30:00') });
  });
  it.each([
    ['08:30', 510],
    ['00:00', 0],
    ['23:59', 1439],
    ['24:00', null],
    ['8:30', null],
  ] as const)('%s → %s', (text, min) => {
    expect(minuteOfText(text)).toBe(min);
    if (min !== null) expect(textOfMinute(min)).toBe(text);
  });
});

describe('fillMonth', () => {
  const cal = workCalendar();
  const slots = [1, 2, 3, 4, 5, 6, 7].flatMap((wd) => [
    { weekday: wd, shiftId: 1, primaryUserId: 100 + wd, backupUserId: 200 + wd, leaderUserId: 300 },
    { weekday: wd, shiftId: 2, primaryUserId: 400 + wd, backupUserId: null, leaderUserId: 300 },
  ]);

  it('fills every day of the month from the weekday pattern', () => {
    const r = fillMonth('2026-12', { slots }, cal);
    expect(daysOfMonth('2026-12')).toHaveLength(31);
    expect(r).toHaveLength(62);
    // 2026-12-07 is a Monday
    expect(r.filter((x) => x.day === '2026-12-07').map((x) => x.primaryUserId)).toEqual([101, 401]);
    expect(r.find((x) => x.day === '2026-12-06' && x.shiftId === 1)?.primaryUserId).toBe(107);
  });

  it('working days and days off from the calendar (holidays and 调休)', () => {
    const pattern = { slots, shiftsByDayKind: { workday: [2], offday: [1, 2] } };
    const r = fillMonth('2026-10', pattern, cal);
    // 2026-10-01 (Thursday) is 国庆 holiday: both shifts
    expect(r.filter((x) => x.day === '2026-10-01').map((x) => x.shiftId)).toEqual([1, 2]);
    // 2026-10-12 is an ordinary Monday: night only
    expect(r.filter((x) => x.day === '2026-10-12').map((x) => x.shiftId)).toEqual([2]);
    // a 调休 make-up Saturday or Sunday is a working day: night only, with that weekday's officer
    const makeUp = daysOfMonth('2026-10').filter((d) => cal.isWorkday(d) && [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()));
    expect(makeUp.length).toBeGreaterThan(0);
    for (const d of makeUp) expect(r.filter((x) => x.day === d).map((x) => x.shiftId)).toEqual([2]);
  });

  it('admin calendar overrides win', () => {
    const r = fillMonth('2026-12', { slots, shiftsByDayKind: { workday: [2], offday: [1, 2] } }, workCalendar(new Map([['2026-12-07', false]])));
    expect(r.filter((x) => x.day === '2026-12-07').map((x) => x.shiftId)).toEqual([1, 2]);
  });

  it('refuses a malformed month', () => {
    expect(() => fillMonth('2026-13', { slots }, cal)).toThrow(RangeError);
  });
});
