import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { niceMax, textWidthPx, trendChartPng } from './chart.js';

describe('the trend chart', () => {
  it('puts round values on its axes', () => {
    expect(niceMax(0)).toBe(4);
    expect(niceMax(20)).toBe(20);
    expect(niceMax(21)).toBe(40);
    expect(niceMax(7)).toBe(8);
    expect(niceMax(930)).toBe(1000);
  });

  it('draws the axis values and day labels (ink left of the plot and under it)', () => {
    const points = [{ items: 14, opened: 7, label: '11.30' }, { items: 20, opened: 10, label: '12.1' }];
    const png = PNG.sync.read(trendChartPng(points));
    const inkIn = (x0: number, x1: number, y0: number, y1: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (png.data[(y * png.width + x) * 4] < 200) return true;
      return false;
    };
    // "20" on the left axis, at the top grid line.
    expect(inkIn(0, 24 + textWidthPx('20') - 10, 10, 40)).toBe(true);
    // Labels under the bars.
    expect(inkIn(100, png.width - 100, png.height - 44, png.height - 10)).toBe(true);
    // Same series, same bytes.
    expect(trendChartPng(points).equals(trendChartPng(points))).toBe(true);
  });
});
