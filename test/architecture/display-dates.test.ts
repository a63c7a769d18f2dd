import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './import-graph.js';

// Every date and time the dashboard shows goes through web/src/lib/time.ts (Beijing time, the
// office's form "12月5日 10:42"). This scan fails when a screen formats an instant another way: the
// browser's zone (toLocale…String, Intl.DateTimeFormat, local getters), raw ISO text
// (toISOString), or a cut of the helper's text (fmtDateTime(…).slice). Uses that are not display
// (a query parameter, a value sent to the API, a count formatted with its thousands separator) are
// listed below by file, with how many and why; the list must match the source exactly, so a new
// use is either routed through lib/time or added here with its reason.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOME = 'web/src/lib/time.ts';

const PATTERNS: readonly [string, RegExp][] = [
  ['toLocaleString', /\.toLocale(?:Date|Time)?String\(/g],
  ['toISOString', /\.toISOString\(\)/g],
  ['Intl.DateTimeFormat', /Intl\.DateTimeFormat/g],
  ['local getter', /\.get(?:Hours|Minutes|Seconds|Month|Date|FullYear|Day|TimezoneOffset)\(\)/g],
  ['cut of a formatted time', /\b(?:fmtDateTime|fmtDate|fmtTime|beijingShort)\([^()]*(?:\([^()]*\)[^()]*)*\)\s*\.(?:slice|substring|substr|replace|split)\(/g],
];

/** Non-display uses, by file and pattern: how many, and why they are not a time shown to a reader. */
const ALLOWED: Record<string, Partial<Record<string, { n: number; why: string }>>> = {
  'web/src/pages/ledger/LedgerPage.tsx': { toLocaleString: { n: 5, why: 'row counts with a thousands separator (1,234), not dates' } },
  'web/src/pages/case/data.ts': { toISOString: { n: 1, why: 'a datetime-local value read as Beijing time, sent to the API' } },
  'web/src/pages/desk/RegisterDialog.tsx': { toISOString: { n: 1, why: 'the received-at time sent to the API' } },
  'web/src/pages/search/data.ts': { toISOString: { n: 1, why: 'the start of a Beijing day as a query parameter' } },
  'web/src/pages/stats/data.ts': { toISOString: { n: 1, why: 'YYYY-MM-DD day arithmetic on UTC midnights for the range query' } },
  'web/src/pages/ledger/query.ts': { toISOString: { n: 1, why: 'YYYY-MM-DD day arithmetic on UTC midnights for the filter query' } },
};

/** Source text without comments (a `//` after a quote or colon, as in a URL, stays). */
function codeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function displayDateUses(text: string): Record<string, number> {
  const code = codeOf(text);
  const out: Record<string, number> = {};
  for (const [name, re] of PATTERNS) {
    const n = [...code.matchAll(re)].length;
    if (n > 0) out[name] = n;
  }
  return out;
}

describe('dates on screen go through web/src/lib/time.ts', () => {
  it('finds no raw date formatting in web/src beyond the listed non-display uses', () => {
    const found: Record<string, Record<string, number>> = {};
    for (const file of sourceFiles(ROOT, 'web/src')) {
      if (file === HOME) continue;
      const uses = displayDateUses(readFileSync(join(ROOT, file), 'utf8'));
      if (Object.keys(uses).length > 0) found[file] = uses;
    }
    const allowed = Object.fromEntries(Object.entries(ALLOWED).map(([f, p]) => [f, Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v!.n]))]));
    expect(found).toEqual(allowed);
  });

  it('catches each raw form, and not the helpers or UTC arithmetic', () => {
    expect(displayDateUses('<td>{new Date(r.dueAt).toLocaleString()}</td>')).toEqual({ toLocaleString: 1 });
    expect(displayDateUses("<span>{d.toLocaleDateString('zh-CN')} {d.toLocaleTimeString()}</span>")).toEqual({ toLocaleString: 2 });
    expect(displayDateUses('<td>{new Date(at).toISOString().slice(0, 16)}</td>')).toEqual({ toISOString: 1 });
    expect(displayDateUses("const f = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit' });")).toEqual({ 'Intl.DateTimeFormat': 1 });
    expect(displayDateUses('const h = new Date(at).getHours();')).toEqual({ 'local getter': 1 });
    expect(displayDateUses('const end = fmtDateTime(d.endsAt).slice(-5);')).toEqual({ 'cut of a formatted time': 1 });
    expect(displayDateUses('const v = fmtDateTime(new Date(x)).replace(" ", "T");')).toEqual({ 'cut of a formatted time': 1 });
    expect(displayDateUses('<td>{fmtDateTime(r.dueAt)}</td> {fmtTime(q.at)} d.setUTCDate(d.getUTCDate() + 1);')).toEqual({});
    expect(displayDateUses('// was: new Date(at).toLocaleString()')).toEqual({});
  });
});
