import { PNG } from 'pngjs';

// The heat-trend chart of a notice as a PNG drawn in plain JavaScript (pngjs encodes): bars for the
// items monitored per day, a line for the cases opened (own scale, right), light grid lines. No
// text in the image — the numbers go in the table under it. Deterministic: same series, same bytes.

export interface TrendPoint {
  items: number;
  opened: number;
}

type Rgb = readonly [number, number, number];
const BAR: Rgb = [64, 117, 189];
const LINE: Rgb = [200, 40, 40];
const GRID: Rgb = [225, 225, 225];
const AXIS: Rgb = [90, 90, 90];

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 480;

export function trendChartPng(points: readonly TrendPoint[], width = CHART_WIDTH, height = CHART_HEIGHT): Buffer {
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  const data = Buffer.alloc(width * height * 3, 255);
  const set = (x: number, y: number, c: Rgb) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (Math.round(y) * width + Math.round(x)) * 3;
    data[i] = c[0];
    data[i + 1] = c[1];
    data[i + 2] = c[2];
  };
  const rect = (x0: number, y0: number, x1: number, y1: number, c: Rgb) => {
    const xa = Math.max(0, Math.floor(x0));
    const xb = Math.min(width, Math.ceil(x1));
    if (xb <= xa) return;
    // Paint one row of the rectangle, then copy it to the others.
    const ya = Math.max(0, Math.floor(y0));
    const yb = Math.min(height, Math.ceil(y1));
    if (yb <= ya) return;
    for (let x = xa; x < xb; x++) set(x, ya, c);
    const start = (ya * width + xa) * 3;
    const end = (ya * width + xb) * 3;
    for (let y = ya + 1; y < yb; y++) data.copyWithin((y * width + xa) * 3, start, end);
  };
  const line = (x0: number, y0: number, x1: number, y1: number, c: Rgb, thick = 2) => {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let s = 0; s <= steps; s++) {
      const x = x0 + ((x1 - x0) * s) / steps;
      const y = y0 + ((y1 - y0) * s) / steps;
      rect(x - thick / 2, y - thick / 2, x + thick / 2 + 1, y + thick / 2 + 1, c);
    }
  };

  const left = 40;
  const right = width - 40;
  const top = 20;
  const bottom = height - 30;
  for (let g = 0; g <= 4; g++) rect(left, top + ((bottom - top) * g) / 4, right, top + ((bottom - top) * g) / 4 + 1, GRID);
  const n = Math.max(1, points.length);
  const slot = (right - left) / n;
  const maxItems = Math.max(1, ...points.map((p) => p.items));
  const maxOpened = Math.max(1, ...points.map((p) => p.opened));
  const barW = Math.max(1, slot * 0.6);
  points.forEach((p, i) => {
    const h = ((bottom - top) * p.items) / maxItems;
    const x = left + slot * i + (slot - barW) / 2;
    rect(x, bottom - h, x + barW, bottom, BAR);
  });
  const yOf = (v: number) => bottom - ((bottom - top) * v) / maxOpened;
  const xOf = (i: number) => left + slot * i + slot / 2;
  for (let i = 1; i < points.length; i++) line(xOf(i - 1), yOf(points[i - 1].opened), xOf(i), yOf(points[i].opened), LINE);
  points.forEach((p, i) => rect(xOf(i) - 4, yOf(p.opened) - 4, xOf(i) + 5, yOf(p.opened) + 5, LINE));
  rect(left, bottom, right, bottom + 2, AXIS);
  rect(left - 2, top, left, bottom + 2, AXIS);
  rect(right, top, right + 2, bottom + 2, AXIS);
  png.data = data;
  // One filter (Sub) and the filtered deflate strategy: pngjs would otherwise try all five filters on every line.
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, filterType: 1, deflateStrategy: 1 });
}
