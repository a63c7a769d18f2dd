import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { beijingClock, beijingDateTime, beijingYmdHm } from '../../core/business-time.js';
import { format } from '../../web/src/i18n/index.js';
import { common } from '../../web/src/i18n/common.js';
import { fmtDate, fmtDateTime, fmtDay, fmtDuration, fmtTime, setDisplayLang, shanghaiDay, shanghaiInput } from '../../web/src/lib/time.js';

// The one way the dashboard shows a time (web/src/lib/time.ts over core/business-time.ts): Beijing
// time in the office's form, whatever zone the process (a browser) runs in.

const ZONES = ['UTC', 'America/New_York', 'Asia/Shanghai', 'Pacific/Kiritimati'];

describe('the office form of a time, Beijing time', () => {
  const savedTz = process.env.TZ;
  beforeEach(() => setDisplayLang('zh'));
  afterEach(() => {
    process.env.TZ = savedTz;
    setDisplayLang('zh');
  });

  for (const tz of ZONES) {
    it(`reads the same in a process running in ${tz}`, () => {
      process.env.TZ = tz;
      const now = new Date('2026-12-07T06:00:00Z');
      const at = new Date('2026-12-05T02:42:00Z'); // 12月5日 10:42 in Beijing
      expect(fmtDateTime(at, 'zh', now)).toBe('12月5日 10:42');
      expect(fmtDateTime(at.toISOString(), 'en', now)).toBe('Dec 5 10:42');
      expect(fmtDate(at, 'zh', now)).toBe('12月5日');
      expect(fmtTime(at)).toBe('10:42');
      // a time whose Beijing day is the next day of its UTC (and New York) day
      const late = new Date('2026-03-01T17:05:00Z'); // 3月2日 01:05 in Beijing
      expect(fmtDateTime(late, 'zh', now)).toBe('3月2日 01:05');
      expect(shanghaiDay(late)).toBe('2026-03-02');
      expect(shanghaiInput(late)).toBe('2026-03-02T01:05');
      if (tz === 'America/New_York') expect(late.getDate()).toBe(1); // the zone really is in effect
    });
  }

  it('names the year of a time in another year, counted in Beijing (a year boundary)', () => {
    process.env.TZ = 'America/New_York';
    // 2026-01-01 00:30 in Beijing is still 2025-12-31 in UTC and New York.
    const newYear = new Date('2025-12-31T16:30:00Z');
    const lastEve = new Date('2025-12-31T15:59:00Z'); // 2025-12-31 23:59 in Beijing
    expect(fmtDateTime(newYear, 'zh', newYear)).toBe('1月1日 00:30');
    expect(fmtDateTime(lastEve, 'zh', newYear)).toBe('2025年12月31日 23:59');
    expect(fmtDateTime(lastEve, 'en', newYear)).toBe('Dec 31, 2025 23:59');
    expect(fmtDate(lastEve, 'zh', newYear)).toBe('2025年12月31日');
    // seen from 2025-12-31 23:59 Beijing, the new year's first minutes carry their year
    expect(fmtDateTime(newYear, 'zh', lastEve)).toBe('2026年1月1日 00:30');
    expect(beijingDateTime(new Date('2024-02-29T04:00:00Z'), 'zh', newYear)).toBe('2024年2月29日 12:00');
    // a calendar day (a statistics range) in the same form
    expect(fmtDay('2026-01-01', 'zh', newYear)).toBe('1月1日');
    expect(fmtDay('2025-12-31', 'zh', newYear)).toBe('2025年12月31日');
    expect(fmtDay('2025-12-31', 'en', newYear)).toBe('Dec 31, 2025');
    expect(fmtDay('2026-02-30', 'zh', newYear)).toBe('2026-02-30');
  });

  it('uses the interface language LangProvider set when a caller names none', () => {
    const at = new Date('2026-12-05T02:42:00Z');
    const now = new Date('2026-12-07T06:00:00Z');
    expect(fmtDateTime(at, undefined, now)).toBe('12月5日 10:42');
    setDisplayLang('en');
    expect(fmtDateTime(at, undefined, now)).toBe('Dec 5 10:42');
  });

  it('shows a dash for no time or a bad one', () => {
    expect(fmtDateTime(null)).toBe('—');
    expect(fmtDateTime('')).toBe('—');
    expect(fmtDateTime('not a date')).toBe('—');
    expect(fmtDate(undefined)).toBe('—');
    expect(fmtTime(null)).toBe('—');
    expect(shanghaiInput(null)).toBe('');
  });

  it('writes durations as the office does: 剩余 5小时20分, 已超时 2小时', () => {
    const H = 3_600_000;
    expect(format(common.zh.dueIn, { t: fmtDuration(5 * H + 20 * 60_000 + 30_000, 'zh') })).toBe('剩余 5小时20分');
    expect(format(common.zh.overdueBy, { t: fmtDuration(2 * H, 'zh') })).toBe('已超时 2小时');
    expect(fmtDuration(26 * H + 5 * 60_000, 'zh')).toBe('1天2小时');
    expect(fmtDuration(45 * 60_000, 'zh')).toBe('45分');
    expect(fmtDuration(5 * H + 20 * 60_000, 'en')).toBe('5h 20m');
  });

  it('the server side: exports write a sortable Beijing time; the clock alone', () => {
    process.env.TZ = 'UTC';
    expect(beijingYmdHm(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01 00:30');
    expect(beijingClock(new Date('2025-12-31T16:30:00Z'))).toBe('00:30');
  });
});
