import { describe, expect, it } from 'vitest';
import { dateTimeZh, dateZh, dayRangeZh, formatSerial, monthDayZh, quoteZh, serialFormatValid } from './office.js';

describe('dates in the Chinese form of a document', () => {
  it('writes a day without leading zeros', () => {
    expect(dateZh('2026-12-07')).toBe('2026年12月7日');
    expect(dateZh({ y: 2027, m: 1, d: 1 })).toBe('2027年1月1日');
    expect(monthDayZh('2026-03-09')).toBe('3月9日');
  });

  it('writes a run of days, naming the years only across a new year', () => {
    expect(dayRangeZh('2026-11-30', '2026-12-06')).toBe('11月30日至12月6日');
    expect(dayRangeZh('2026-12-28', '2027-01-03')).toBe('2026年12月28日至2027年1月3日');
    expect(dayRangeZh('2026-12-05', '2026-12-05')).toBe('12月5日');
  });

  it('writes an instant in Beijing time', () => {
    expect(dateTimeZh(new Date('2026-12-05T02:42:00Z'))).toBe('12月5日10时42分');
    expect(dateTimeZh(new Date('2026-12-05T16:05:00Z'))).toBe('12月6日0时5分');
    expect(dateTimeZh(new Date('2026-12-05T01:00:00Z'))).toBe('12月5日9时');
  });
});

describe('期号', () => {
  it('fills the year and the number into the scheme', () => {
    expect(formatSerial('〔{年}〕第{号}期', 2026, 1)).toBe('〔2026〕第1期');
    expect(formatSerial('第{号}期', 2027, 12)).toBe('第12期');
  });

  it('accepts a scheme with the number exactly once', () => {
    expect(serialFormatValid('〔{年}〕第{号}期')).toBe(true);
    expect(serialFormatValid('〔{年}〕第期')).toBe(false);
    expect(serialFormatValid('{号}-{号}')).toBe(false);
  });
});

describe('quotation marks nested as “…‘…’…”', () => {
  it('turns inner double quotes into single ones', () => {
    expect(quoteZh('某小区物业“乱收费”问题')).toBe('“某小区物业‘乱收费’问题”');
    expect(quoteZh('某小区物业"乱收费"问题')).toBe('“某小区物业‘乱收费’问题”');
    expect(quoteZh('无引号')).toBe('“无引号”');
  });

  it('turns a third level back to double quotes', () => {
    expect(quoteZh('他说‘“好”’')).toBe('“他说“‘好’””');
  });
});
