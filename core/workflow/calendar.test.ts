import { describe, expect, it } from 'vitest';
import { calendarYearsCovered, calendarYearsMissing, packageCoversYear, workCalendar } from './calendar.js';
import { withTimeZone } from './test-helpers.js';

const cal = workCalendar();

describe('workCalendar (chinese-days)', () => {
  it('covers 2004 through 2026 and not 2027 (the State Council publishes a year in November)', () => {
    const years = calendarYearsCovered(1990, 2100);
    expect(years[0]).toBe(2004);
    expect(years).toContain(2026);
    expect(years).not.toContain(2027);
    expect(packageCoversYear(2026)).toBe(true);
    expect(packageCoversYear(2027)).toBe(false);
  });

  it.each([
    // 2026 元旦: 1-01..1-03 off, Sun 1-04 make-up
    ['2026-01-01', false],
    ['2026-01-02', false],
    ['2026-01-04', true],
    // 春节: 2-15..2-23 off, Sat 2-14 and Sat 2-28 make-up
    ['2026-02-14', true],
    ['2026-02-16', false],
    ['2026-02-23', false],
    ['2026-02-24', true],
    ['2026-02-28', true],
    // 清明 4-04..4-06 (Mon 4-06 off)
    ['2026-04-06', false],
    // 劳动节 5-01..5-05, Sat 5-09 make-up
    ['2026-05-05', false],
    ['2026-05-09', true],
    // 端午 6-19 (Fri) off; 中秋 9-25 (Fri) off
    ['2026-06-19', false],
    ['2026-09-25', false],
    // 国庆 10-01..10-07, Sun 9-20 and Sat 10-10 make-up
    ['2026-09-20', true],
    ['2026-10-01', false],
    ['2026-10-07', false],
    ['2026-10-08', true],
    ['2026-10-10', true],
    ['2026-10-11', false],
    // ordinary days
    ['2026-03-06', true], // Friday
    ['2026-03-07', false], // Saturday
    ['2026-03-08', false], // Sunday
  ])('%s is a workday: %s', (day, work) => {
    expect(cal.isWorkday(day)).toBe(work);
  });

  it('National Day 2026-10-01..07 are all days off', () => {
    for (let d = 1; d <= 7; d++) expect(cal.isWorkday(`2026-10-0${d}`)).toBe(false);
  });

  it('gives the same answers in any process time zone (unlike the package functions)', () => {
    const days = ['2026-09-20', '2026-10-01', '2026-10-08', '2026-10-10', '2026-02-14', '2026-03-07', '2026-03-09'];
    const expected = days.map((d) => cal.isWorkday(d));
    expect(expected).toEqual([true, false, true, true, true, false, true]);
    for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Honolulu', 'Pacific/Kiritimati', 'Asia/Shanghai', 'Europe/London']) {
      withTimeZone(tz, () => expect(days.map((d) => workCalendar().isWorkday(d))).toEqual(expected));
    }
  });

  it('admin overrides win over the package, and fill a year it lacks', () => {
    const c = workCalendar(
      new Map([
        ['2026-10-01', true], // asked to work on a holiday
        ['2026-03-09', false], // a local holiday on a Monday
        ['2027-02-06', true], // a 2027 make-up Saturday entered by hand
      ]),
    );
    expect(c.isWorkday('2026-10-01')).toBe(true);
    expect(c.isWorkday('2026-03-09')).toBe(false);
    expect(c.isWorkday('2027-02-06')).toBe(true);
    expect(c.isWorkday('2026-10-02')).toBe(false); // not overridden: the package decides
    // without data, 2027 falls back to plain weekdays
    expect(cal.isWorkday('2027-02-06')).toBe(false);
    expect(cal.isWorkday('2027-01-01')).toBe(true);
  });

  it('reports years missing from both the package and the overrides', () => {
    expect(calendarYearsMissing([2025, 2026, 2027, 2028])).toEqual([2027, 2028]);
    expect(calendarYearsMissing([2027, 2026, 2027], new Map([['2027-01-01', false]]))).toEqual([]);
  });

  it('refuses malformed dates, in queries and in overrides', () => {
    expect(() => cal.isWorkday('2026-2-30')).toThrow(RangeError);
    expect(() => cal.isWorkday('2026-02-30')).toThrow(RangeError);
    expect(() => workCalendar(new Map([['20261001', true]]))).toThrow(RangeError);
  });
});
