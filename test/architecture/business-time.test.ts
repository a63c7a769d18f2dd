import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './import-graph.js';
import { BUSINESS_ISO_OFFSET, BUSINESS_OFFSET_MS, BUSINESS_TZ, businessLocalInput, shanghaiInstant, shanghaiParts } from '../../core/business-time.js';

// One business-time module: the zone name and its offset are written in core/business-time.ts
// only; everything else (SQL `at time zone` included) takes the constants from there.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FLOORS = ['core', 'db', 'platform', 'services', 'server', 'worker', 'demo', 'web', 'bin'];
const HOME = 'core/business-time.ts';

/** What defines the zone or the offset anew: the zone's name in code, +8 h as arithmetic, "+08:00" / "+0800" in a string. */
const PATTERNS: readonly [string, RegExp][] = [
  ['the zone name', /Asia\/Shanghai/],
  ['the offset in hours', /\b8\s*\*\s*(?:3_?600\w*|HOUR\w*|60\s*\*\s*60)/],
  ['the offset written out', /\b(?:28_?800(?:_?000)?)\b/],
  ['the offset as text', /\+08:?00/],
];

/** Source text without comments (a `//` after a quote or colon, as in a URL, stays). */
export function codeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function offsetDefinitions(text: string): string[] {
  const found: string[] = [];
  codeOf(text)
    .split('\n')
    .forEach((line, i) => {
      for (const [what, re] of PATTERNS) if (re.test(line)) found.push(`${i + 1}: ${what}: ${line.trim()}`);
    });
  return found;
}

describe('one business-time module', () => {
  it('defines the Asia/Shanghai zone and its offset in core/business-time.ts only', () => {
    const bad: string[] = [];
    for (const floor of FLOORS) {
      for (const file of sourceFiles(ROOT, floor)) {
        if (file === HOME || /\.test\.tsx?$/.test(file)) continue;
        for (const hit of offsetDefinitions(readFileSync(join(ROOT, file), 'utf8'))) bad.push(`${file}:${hit}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('catches each way of writing the zone or the offset, and not comments or SQL taking the constant', () => {
    expect(offsetDefinitions("const TZ = 'Asia/Shanghai';")).toHaveLength(1);
    expect(offsetDefinitions('const s = new Date(Date.now() + 8 * 3600_000);')).toHaveLength(1);
    expect(offsetDefinitions('const OFFSET = 8 * HOUR_MS;')).toHaveLength(1);
    expect(offsetDefinitions('const OFFSET = 28_800_000;')).toHaveLength(1);
    expect(offsetDefinitions('const d = new Date(`${v}:00+08:00`);')).toHaveLength(1);
    expect(offsetDefinitions('// dates are Asia/Shanghai days, UTC+8\n/* 8 * 3600 */')).toEqual([]);
    expect(offsetDefinitions('sql`select (opened_at at time zone ${BUSINESS_TZ})::date`')).toEqual([]);
    expect(offsetDefinitions("const url = 'http://a/b'; // Asia/Shanghai")).toEqual([]);
    expect(offsetDefinitions('const DUE_MS = (8 * 60 + 30) * 60_000;')).toEqual([]);
  });

  it('agrees with itself: the offset, its text and the zone name describe one zone', () => {
    const at = new Date('2026-12-05T02:42:00Z');
    expect(BUSINESS_OFFSET_MS).toBe(8 * 60 * 60 * 1000);
    expect(new Date(`2026-12-05T10:42:00${BUSINESS_ISO_OFFSET}`).toISOString()).toBe(at.toISOString());
    const zoned = new Intl.DateTimeFormat('en-GB', { timeZone: BUSINESS_TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    expect(zoned).toBe('10:42');
    expect(businessLocalInput(at)).toBe('2026-12-05T10:42');
    const { day, msOfDay } = shanghaiParts(at);
    expect(shanghaiInstant(day, msOfDay).toISOString()).toBe(at.toISOString());
  });
});
