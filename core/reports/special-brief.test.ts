import { describe, expect, it } from 'vitest';
import { excerpt, heatCurve, pickViews } from './special-brief.js';

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);

describe('舆情专报 text', () => {
  it('draws the heat per Beijing hour over the first two days, with the running total and empty hours as zero', () => {
    const h = heatCurve({ firstSeenAt: sh('2026-12-06 23:20'), heat: [{ hour: sh('2026-12-06 23:00'), n: 2 }, { hour: sh('2026-12-07 01:00'), n: 3 }] }, sh('2026-12-07 02:10'));
    expect(h.unit).toBe('hour');
    expect(h.points.map((p) => [p.label, p.items, p.total])).toEqual([
      ['23', 2, 2],
      ['0', 0, 2],
      ['1', 3, 5],
      ['2', 0, 5],
    ]);
    expect([h.from, h.to]).toEqual(['12月6日23时', '12月7日2时']);
  });

  it('draws it per day once the case is older than two days, the last 60 days at most (earlier items in the total)', () => {
    const h = heatCurve({ firstSeenAt: sh('2026-12-01 10:00'), heat: [{ hour: sh('2026-12-01 10:00'), n: 4 }, { hour: sh('2026-12-03 09:00'), n: 1 }] }, sh('2026-12-04 08:00'));
    expect(h.unit).toBe('day');
    expect(h.points.map((p) => `${p.label}:${p.items}/${p.total}`)).toEqual(['12.1:4/4', '12.2:0/4', '12.3:1/5', '12.4:0/5']);
    expect(h.points[0].when).toBe('12月1日');
    const long = heatCurve({ firstSeenAt: sh('2026-08-01 10:00'), heat: [{ hour: sh('2026-08-01 10:00'), n: 7 }, { hour: sh('2026-12-04 09:00'), n: 1 }] }, sh('2026-12-04 18:00'));
    expect(long.points).toHaveLength(60);
    expect(long.points[0].total).toBe(7);
    expect(long.points[59]).toMatchObject({ label: '12.4', items: 1, total: 8 });
  });

  it('picks distinct views: the same words whatever the spacing and quotes are one, too short ones are skipped, at most five', () => {
    const v = (text: string, source = '微博') => ({ source, title: '', text });
    const picked = pickViews([v('三天没水了，“等通知”！'), v('三天 没水了 ‘等通知’'), v('？？'), v('送水车太少'), ...['甲乙丙丁一', '甲乙丙丁二', '甲乙丙丁三', '甲乙丙丁四'].map((t) => v(t))]);
    expect(picked.map((p) => p.text)).toEqual(['三天没水了，“等通知”！', '送水车太少', '甲乙丙丁一', '甲乙丙丁二', '甲乙丙丁三']);
  });

  it('quotes a whole sentence ending inside the quote, cut at a full stop or marked …… when long', () => {
    expect(excerpt('什么时候来水？')).toBe('什么时候来水？');
    expect(excerpt('希望尽快恢复供水，')).toBe('希望尽快恢复供水。');
    expect(excerpt(`${'停水'.repeat(20)}。${'很久'.repeat(20)}`)).toBe(`${'停水'.repeat(20)}。`);
    expect(excerpt('很'.repeat(80))).toBe(`${'很'.repeat(60)}……`);
  });
});
