import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { dateTextIn, isDateText, parseItemDate, splitTrailingDate } from './dates.js';
import { CORPUS_URL } from '../demo/corpus.js';

// 2024-05-10 12:00 in Beijing.
const NOW = new Date('2024-05-10T04:00:00Z');
const iso = (raw: string, now = NOW) => {
  const r = parseItemDate(raw, now);
  return r.estimated ? 'estimated' : r.date.toISOString();
};

const CASES: [string, string][] = [
  // RFC 822 / 1123 with their own zones
  ['Wed, 03 Jan 2018 14:11:52 GMT', '2018-01-03T14:11:52.000Z'],
  ['Wed, 03 Jan 2018 14:11:52 GMT\n      ', '2018-01-03T14:11:52.000Z'],
  ['Wed, 03 Jan 2018 14:11:52 +0800', '2018-01-03T06:11:52.000Z'],
  ['Wed, 03 Jan 2018 14:11:52 +08:00', '2018-01-03T06:11:52.000Z'],
  ['Wed, 03 Jan 2018 14:11:52 -0500', '2018-01-03T19:11:52.000Z'],
  ['Wed, 03 Jan 2018 14:11:52 EST', '2018-01-03T19:11:52.000Z'],
  ['Tue, 10 Jun 2003 04:00:00 PDT', '2003-06-10T11:00:00.000Z'],
  ['03 Jan 2018 14:11 UT', '2018-01-03T14:11:00.000Z'],
  ['Wed, 3 Jan 18 14:11:52 UTC', '2018-01-03T14:11:52.000Z'],
  ['Friday, 01 December 2017 08:00:00 EST', '2017-12-01T13:00:00.000Z'],
  ['Wed, 03 Jan 2018 14:11:52 GMT+0800', '2018-01-03T06:11:52.000Z'],
  // CST in Chinese feeds is China Standard Time
  ['Wed, 03 Jan 2018 14:11:52 CST', '2018-01-03T06:11:52.000Z'],
  ['Wed Jan 03 14:11:52 CST 2018', '2018-01-03T06:11:52.000Z'],
  // no zone: Beijing time
  ['Wed, 03 Jan 2018 14:11:52', '2018-01-03T06:11:52.000Z'],
  // ISO 8601
  ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T10:00:00.123Z', '2024-05-01T10:00:00.123Z'],
  ['2024-05-01T10:00:00.5+08:00', '2024-05-01T02:00:00.500Z'],
  ['03 Apr 02 1500 GMT', '2002-04-03T15:00:00.000Z'],
  ['2024-05-01T10:00:00+08:00', '2024-05-01T02:00:00.000Z'],
  ['2024-05-01T10:00:00-04:00', '2024-05-01T14:00:00.000Z'],
  ['2024-05-01T10:00:00+0530', '2024-05-01T04:30:00.000Z'],
  ['2024-05-01 10:00:00 +0000', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01t10:00z', '2024-05-01T10:00:00.000Z'],
  // naive: Beijing time
  ['2024-05-01T10:00:00', '2024-05-01T02:00:00.000Z'],
  ['2024-05-01 10:00:00', '2024-05-01T02:00:00.000Z'],
  ['2024-05-01 10:00', '2024-05-01T02:00:00.000Z'],
  ['2024-5-1 8:05', '2024-05-01T00:05:00.000Z'],
  ['2024-05-01', '2024-04-30T16:00:00.000Z'],
  ['2024/05/01', '2024-04-30T16:00:00.000Z'],
  ['2024/5/1 23:59:59', '2024-05-01T15:59:59.000Z'],
  ['2024.05.01', '2024-04-30T16:00:00.000Z'],
  ['２０２４－０５－０１　１０：００', '2024-05-01T02:00:00.000Z'],
  ['发布时间：2024-05-01 10:00', '2024-05-01T02:00:00.000Z'],
  // Chinese calendar forms
  ['2024年5月1日 10:00', '2024-05-01T02:00:00.000Z'],
  ['2024年05月01日', '2024-04-30T16:00:00.000Z'],
  ['2024年5月1日10:20:30', '2024-05-01T02:20:30.000Z'],
  ['2024年5月1日 10时20分', '2024-05-01T02:20:00.000Z'],
  ['2024年5月1日 星期三 10:00', '2024-05-01T02:00:00.000Z'],
  ['2024年5月1号', '2024-04-30T16:00:00.000Z'],
  ['5月1日 10:00', '2024-05-01T02:00:00.000Z'],
  ['5月11日 10:00', '2024-05-11T02:00:00.000Z'], // tomorrow morning: within a day, this year
  ['5月12日 10:00', '2023-05-12T02:00:00.000Z'], // two days ahead: must be last year
  ['12月31日', '2023-12-30T16:00:00.000Z'],
  ['05-01 10:20', '2024-05-01T02:20:00.000Z'],
  // relative
  ['刚刚', '2024-05-10T04:00:00.000Z'],
  ['30秒前', '2024-05-10T03:59:30.000Z'],
  ['5分钟前', '2024-05-10T03:55:00.000Z'],
  ['5 分钟前', '2024-05-10T03:55:00.000Z'],
  ['半小时前', '2024-05-10T03:30:00.000Z'],
  ['3小时前', '2024-05-10T01:00:00.000Z'],
  ['3个小时前', '2024-05-10T01:00:00.000Z'],
  ['2天前', '2024-05-08T04:00:00.000Z'],
  ['1周前', '2024-05-03T04:00:00.000Z'],
  ['今天 10:20', '2024-05-10T02:20:00.000Z'],
  ['今天', '2024-05-10T04:00:00.000Z'],
  ['昨天 10:20', '2024-05-09T02:20:00.000Z'],
  ['昨天 23:59', '2024-05-09T15:59:00.000Z'],
  ['前天 08:00', '2024-05-08T00:00:00.000Z'],
  ['前天', '2024-05-08T04:00:00.000Z'],
  ['10:20', '2024-05-10T02:20:00.000Z'],
  ['23:00', '2024-05-09T15:00:00.000Z'], // later today has not happened yet: yesterday
  // forum and list-page forms
  ['09/25 2020', '2020-09-24T16:00:00.000Z'],
  ['09/25/2020 10:00', '2020-09-25T02:00:00.000Z'],
  ['7-3', '2023-07-02T16:00:00.000Z'], // 贴吧: July 3rd is still to come this year, so last year
  ['5-9', '2024-05-08T16:00:00.000Z'],
  ['2019-12', '2019-11-30T16:00:00.000Z'],
  ['2019年12月', '2019-11-30T16:00:00.000Z'],
  ['11:38', '2024-05-10T03:38:00.000Z'],
  // dates inside other text: the first date-like run, a labelled one preferred
  ['(发布时间：2020-12-31 11:06:22 阅读次数：)', '2020-12-31T03:06:22.000Z'],
  ['(发布时间：2020-12-31 11:06:22 阅读次数：1234)', '2020-12-31T03:06:22.000Z'],
  ['[2020-12-31]', '2020-12-30T16:00:00.000Z'],
  ['(2020-08-16 22:26:38)', '2020-08-16T14:26:38.000Z'],
  ['【2020年12月31日 11:06】', '2020-12-31T03:06:00.000Z'],
  ['作者：张三 2020/12/31 浏览：88', '2020-12-30T16:00:00.000Z'],
  ['浏览 2020-01-01 发布日期：2020-02-02', '2020-02-01T16:00:00.000Z'],
  ['楼主 回复 3天前', '2024-05-07T04:00:00.000Z'],
  ['最后回复 昨天 10:20', '2024-05-09T02:20:00.000Z'],
  ['来源：县政府办 时间：2020-12-31 11:06', '2020-12-31T03:06:00.000Z'],
  ['回复 12 | 11:38', '2024-05-10T03:38:00.000Z'],
  // Unix time
  ['1714528800', '2024-05-01T02:00:00.000Z'],
  ['1714528800000', '2024-05-01T02:00:00.000Z'],
];

const UNUSABLE = [
  '',
  '   ',
  '未知',
  'yesterday-ish',
  'Wed, 03 Foo 2018 14:11:52 GMT',
  '2024-13-01',
  '2024-02-30 10:00',
  '2023年2月29日',
  '2024-05-01 25:00',
  '2024-05-01T10:61:00Z',
  '2024年5月32日',
  '2024-05-12 10:00', // two days ahead of now
  '2030-01-01T00:00:00Z',
  '明天 10:00',
  '9999999999999',
  // numbers that are not dates
  '阅读次数：1234',
  '电话：0359-1234567',
  '共2020条',
  '2020',
  '2020-2021学年',
  '第1-2页',
  '明天 10:00 开会',
  '1889-12',
];

describe('parseItemDate', () => {
  it.each(CASES)('%j → %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it.each(UNUSABLE)('%j → now, estimated', (raw) => {
    const r = parseItemDate(raw, NOW);
    expect(r).toEqual({ date: NOW, estimated: true });
    expect(r.date).not.toBe(NOW); // a copy: callers may not mutate our input
  });

  it('falls back on null and undefined', () => {
    expect(parseItemDate(null, NOW)).toEqual({ date: NOW, estimated: true });
    expect(parseItemDate(undefined, NOW)).toEqual({ date: NOW, estimated: true });
  });

  it('accepts up to one day into the future (clock skew, zone mistakes)', () => {
    expect(iso('2024-05-11 11:59')).toBe('2024-05-11T03:59:00.000Z');
    expect(iso('2024-05-11 12:01')).toBe('estimated');
  });

  it('reads a year-less date around new year in Beijing', () => {
    // 2025-01-01 00:30 in Beijing is still 2024 in UTC
    const newYear = new Date('2024-12-31T16:30:00Z');
    expect(iso('1月1日 00:10', newYear)).toBe('2024-12-31T16:10:00.000Z');
    expect(iso('12月31日 23:50', newYear)).toBe('2024-12-31T15:50:00.000Z');
    expect(iso('昨天 23:50', newYear)).toBe('2024-12-31T15:50:00.000Z');
    expect(iso('今天 00:10', newYear)).toBe('2024-12-31T16:10:00.000Z');
  });

  describe('does not depend on the process time zone', () => {
    const original = process.env.TZ;
    afterAll(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });
    it.each(['UTC', 'Asia/Shanghai', 'America/New_York', 'Pacific/Kiritimati', 'America/St_Johns', 'Australia/Lord_Howe'])('TZ=%s', (tz) => {
      process.env.TZ = tz;
      const probe = new Date('2024-01-15T12:00:00Z');
      const expectedOffset = { UTC: 0, 'Asia/Shanghai': -480, 'America/New_York': 300, 'Pacific/Kiritimati': -840, 'America/St_Johns': 210, 'Australia/Lord_Howe': -660 }[tz];
      expect(probe.getTimezoneOffset()).toBe(expectedOffset); // the zone really changed
      for (const [raw, expected] of CASES) expect([raw, iso(raw)]).toEqual([raw, expected]);
    });
  });
});

describe('splitTrailingDate', () => {
  it.each([
    ['城区停水通知 [2020-12-31]', '城区停水通知', '2020-12-31'],
    ['回复：7号线早高峰 11:38', '回复：7号线早高峰', '11:38'],
    ['关于停水的说明（2020-08-16 22:26:38）', '关于停水的说明', '2020-08-16 22:26:38'],
    ['关于停水的说明 发布时间：2020-12-31', '关于停水的说明', '2020-12-31'],
    ['关于2020-12-31停水的通知', '关于2020-12-31停水的通知', null],
    ['2020-12-31', '2020-12-31', null],
    ['7号线 第3-4节车厢', '7号线 第3-4节车厢', null],
  ])('%j → %j, %j', (title, expected, date) => {
    expect(splitTrailingDate(title)).toEqual({ title: expected, date });
  });

  it('isDateText: a text that is one date and nothing else', () => {
    expect(['11:38', ' 7-3 ', '2020-12-31 11:06', '3天前', '09/25 2020'].every(isDateText)).toBe(true);
    expect(['标题 11:38', '1234', '', '[2020-12-31]'].some(isDateText)).toBe(false);
  });
});

describe('dateTextIn', () => {
  it.each([
    ['(发布时间：2020-12-31 11:06:22 阅读次数：)', '2020-12-31 11:06:22'],
    ['浏览 2020-01-01 发布日期：2020-02-02', '2020-02-02'],
    ['楼主 回复 12 7-3', '7-3'],
    ['09/25 2020 by admin', '09/25 2020'],
    ['阅读次数：1234 电话：0359-1234567', null],
  ])('%j → %j', (text, expected) => {
    expect(dateTextIn(text)).toBe(expected);
  });
});

describe('parseItemDate on the real feed corpus', () => {
  const dir = CORPUS_URL;
  const dates: { file: string; raw: string }[] = [];
  for (const file of readdirSync(dir)) {
    const text = readFileSync(new URL(file, dir), 'latin1');
    for (const m of text.matchAll(/<(pubDate|published|updated|dc:date|lastBuildDate)>([^<]+)<\//g)) dates.push({ file, raw: m[2] });
  }

  it('finds dates in the corpus', () => {
    expect(dates.length).toBeGreaterThan(1000);
  });

  it('parses every date of the corpus', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const failed = dates.filter(({ raw }) => parseItemDate(raw, now).estimated);
    expect(failed).toEqual([]);
  });

  // (V8 reads the obsolete '03 Apr 02 1500 GMT' of heraldsun.rss as midnight: only hh:mm times are compared.)
  it('agrees with Date.parse wherever the date names its zone in English', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const zoned = dates.filter(({ raw }) => /(GMT|UTC|UT|Z|EST|EDT|PST|PDT|[+-]\d\d:?\d\d)\s*$/.test(raw) && /\d:\d\d/.test(raw) && !/^[A-Z][a-z]{2}, \d+ (Set|Out|Dez|Fev|Abr|Mai|Ago) /.test(raw.trim()));
    expect(zoned.length).toBeGreaterThan(1000);
    const disagree = zoned.filter(({ raw }) => parseItemDate(raw, now).date.getTime() !== Date.parse(raw.trim()));
    expect(disagree).toEqual([]);
  });

  it('reads the naive dates of the GB2312 feed (news.qq.com) as Beijing time', () => {
    const qq = dates.filter((d) => d.file === 'encoding-gb2312.xml');
    expect(qq.length).toBeGreaterThan(0);
    expect(iso(qq[0].raw, new Date('2030-01-01T00:00:00Z'))).toBe('2018-09-18T06:38:10.000Z');
  });
});
