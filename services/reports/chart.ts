import { PNG } from 'pngjs';

// The heat-trend chart of a notice as a PNG drawn in plain JavaScript (pngjs encodes): bars for the
// items monitored per day (scale on the left axis), a line for the cases opened (own scale, on the
// right axis), light grid lines at round values, the values on both axes and the days under the
// bars in a small built-in digit font (the units are named in the caption under the chart).
// Deterministic: same series, same bytes.

export interface TrendPoint {
  items: number;
  opened: number;
  /** Under the bar: digits, '.' and '-' only, e.g. '11.30'. */
  label?: string;
}

/** 5×7 glyphs: each row a 5-bit mask, top row first. */
const GLYPHS: Record<string, number[]> = {
  '0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  '1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  '2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  '3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  '4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  '5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  '6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  '7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  '8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  '9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  '.': [0, 0, 0, 0, 0, 0x0c, 0x0c],
  '-': [0, 0, 0, 0x1f, 0, 0, 0],
};
const GLYPH_SCALE = 4;
const GLYPH_W = 6 * GLYPH_SCALE; // 5 columns and a gap

/** The width in pixels of a text drawn with the digit font. */
export function textWidthPx(text: string): number {
  return Math.max(0, text.length * GLYPH_W - GLYPH_SCALE);
}

/** A round axis maximum at or above `v`, in `ticks` equal steps of 1, 2, 2.5 or 5 × 10^k. */
export function niceMax(v: number, ticks = 4): number {
  const raw = Math.max(1, v) / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw - 1e-9)!;
  return Math.max(ticks, Math.ceil(step) * ticks);
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

  const text = (t: string, x: number, y: number, c: Rgb) => {
    [...t].forEach((ch, k) => {
      const g = GLYPHS[ch];
      if (!g) return;
      g.forEach((mask, row) => {
        for (let col = 0; col < 5; col++) {
          if (mask & (0x10 >> col)) rect(x + k * GLYPH_W + col * GLYPH_SCALE, y + row * GLYPH_SCALE, x + k * GLYPH_W + (col + 1) * GLYPH_SCALE, y + (row + 1) * GLYPH_SCALE, c);
        }
      });
    });
  };
  const TICKS = 4;
  const maxItems = niceMax(Math.max(0, ...points.map((p) => p.items)), TICKS);
  const maxOpened = niceMax(Math.max(0, ...points.map((p) => p.opened)), TICKS);
  const left = 24 + textWidthPx(String(maxItems));
  const right = width - 24 - textWidthPx(String(maxOpened));
  const top = 24;
  const bottom = height - 56;
  const glyphH = 7 * GLYPH_SCALE;
  for (let g = 0; g <= TICKS; g++) {
    const y = top + ((bottom - top) * g) / TICKS;
    rect(left, y, right, y + 1, GRID);
    const itemsValue = String(Math.round((maxItems * (TICKS - g)) / TICKS));
    const openedValue = String(Math.round((maxOpened * (TICKS - g)) / TICKS));
    text(itemsValue, left - 10 - textWidthPx(itemsValue), y - glyphH / 2, BAR);
    text(openedValue, right + 10, y - glyphH / 2, LINE);
  }
  const n = Math.max(1, points.length);
  const slot = (right - left) / n;
  // Day labels under the bars, thinned so they never touch.
  const labelW = Math.max(1, ...points.map((p) => textWidthPx(p.label ?? '')));
  const every = Math.max(1, Math.ceil((labelW + 16) / slot));
  points.forEach((p, i) => {
    if (!p.label || i % every !== 0) return;
    text(p.label, left + slot * i + slot / 2 - textWidthPx(p.label) / 2, bottom + 16, AXIS);
  });
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
