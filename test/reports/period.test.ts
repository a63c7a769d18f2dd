import { describe, expect, it } from 'vitest';
import { daysPeriod, isoWeekOfDay, isoWeeksInYear, monthPeriod, periodOf, quarterPeriod, weekOf, weekPeriod, weeklyPeriodDue } from '../../core/reports/period.js';
import { percentText } from '../../core/reports/figures.js';
import { noticeFileName, noticeTitle } from '../../core/reports/text.js';

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);

describe('report periods (Asia/Shanghai, ISO weeks)', () => {
  it.each([
    ['2026-W47', '2026-11-16 00:00', '2026-11-23 00:00', '2026年第47周'],
    ['2026-W01', '2025-12-29 00:00', '2026-01-05 00:00', '2026年第1周'],
    ['2026-W53', '2026-12-28 00:00', '2027-01-04 00:00', '2026年第53周'],
    ['2021-W01', '2021-01-04 00:00', '2021-01-11 00:00', '2021年第1周'],
    ['2020-W53', '2020-12-28 00:00', '2021-01-04 00:00', '2020年第53周'],
  ])('%s is [%s, %s) Shanghai', (key, from, to, label) => {
    const p = weekPeriod(key)!;
    expect(p.from.toISOString()).toBe(sh(from).toISOString());
    expect(p.to.toISOString()).toBe(sh(to).toISOString());
    expect(p.label).toBe(label);
    expect(periodOf('weekly', key)).toEqual(p);
  });

  it('refuses weeks that do not exist', () => {
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2027)).toBe(52);
    for (const bad of ['2027-W53', '2026-W00', '2026-W54', '2026-47', '2026-W7']) expect(weekPeriod(bad)).toBeNull();
  });

  it('numbers days by ISO week, across year ends', () => {
    expect(isoWeekOfDay({ y: 2027, m: 1, d: 3 })).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOfDay({ y: 2025, m: 12, d: 29 })).toEqual({ year: 2026, week: 1 });
    expect(isoWeekOfDay({ y: 2026, m: 11, d: 22 })).toEqual({ year: 2026, week: 47 });
    // Sunday 23:59 Shanghai is still that week although it is Sunday 15:59 UTC; Monday 00:00 is the next.
    expect(weekOf(sh('2026-11-22 23:59')).key).toBe('2026-W47');
    expect(weekOf(sh('2026-11-23 00:00')).key).toBe('2026-W48');
  });

  it('the weekly notice due: the previous week from Monday 08:30 Shanghai on', () => {
    expect(weeklyPeriodDue(sh('2026-11-23 08:30')).key).toBe('2026-W47');
    expect(weeklyPeriodDue(sh('2026-11-23 08:25')).key).toBe('2026-W47'); // an early tick
    expect(weeklyPeriodDue(sh('2026-11-23 08:00')).key).toBe('2026-W46');
    expect(weeklyPeriodDue(sh('2026-11-26 15:00')).key).toBe('2026-W47');
    expect(weeklyPeriodDue(sh('2026-11-29 23:59')).key).toBe('2026-W47');
    expect(weeklyPeriodDue(sh('2027-01-04 09:00')).key).toBe('2026-W53');
  });

  it('months, quarters and runs of days', () => {
    const feb = monthPeriod('2028-02')!;
    expect([feb.from, feb.to].map((d) => d.toISOString())).toEqual([sh('2028-02-01 00:00').toISOString(), sh('2028-03-01 00:00').toISOString()]);
    expect(monthPeriod('2026-12')!.to.toISOString()).toBe(sh('2027-01-01 00:00').toISOString());
    expect(monthPeriod('2026-13')).toBeNull();
    const q4 = quarterPeriod('2026-Q4')!;
    expect(q4.label).toBe('2026年第四季度');
    expect([q4.from, q4.to].map((d) => d.toISOString())).toEqual([sh('2026-10-01 00:00').toISOString(), sh('2027-01-01 00:00').toISOString()]);
    expect(quarterPeriod('2026-Q5')).toBeNull();
    const r = daysPeriod('2026-11-01', '2026-11-15');
    expect(r).toMatchObject({ kind: 'range', key: '2026-11-01..2026-11-15', label: '2026年11月1日至11月15日' });
    expect(periodOf('range', '2026-11-01..2026-11-15')).toEqual(r);
    expect(daysPeriod('2026-11-15', '2026-11-01')).toEqual({ error: 'order' });
    expect(daysPeriod('2026-02-30', '2026-03-01')).toEqual({ error: 'from' });
    expect(daysPeriod('2025-01-01', '2026-12-31')).toEqual({ error: 'span' });
  });

  it('titles, file names and percentages', () => {
    expect(noticeTitle('2026年第47周')).toBe('关于2026年第47周政务舆情回应情况的通报');
    expect(noticeFileName('weekly', '2026-W47')).toBe('周通报_2026-W47.docx');
    expect(noticeFileName('range', '2026-11-01..2026-11-15')).toBe('舆情回应通报_2026-11-01至2026-11-15.docx');
    expect([0.5556, 0.5, 1, 0, 0.105, null].map(percentText)).toEqual(['55.56%', '50%', '100%', '0%', '10.5%', '—']);
  });
});
