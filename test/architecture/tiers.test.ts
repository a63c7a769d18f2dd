import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listTestFiles, TIER_NAMES, TIERS, tiersOf } from '../tiers.js';

// The tier list of test/tiers.ts against the test files on disk: each file in exactly one tier, no
// entry pointing at nothing, and nothing in the fast tier that starts processes or the system.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const files = listTestFiles(ROOT);
const text = (f: string) => readFileSync(`${ROOT}${f}`, 'utf8');
const STARTS_PROCESSES = /node:child_process|\bstartSystem\(|\blaunchBrowser\(|\bforkProc\(|worker-proc/;

describe('test tiers', () => {
  it('finds the test files', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('test/architecture/tiers.test.ts');
  });

  it('puts every test file in exactly one tier (add a new one to test/tiers.ts)', () => {
    const misplaced = files.map((f) => ({ file: f, tiers: tiersOf(f) })).filter((x) => x.tiers.length !== 1);
    expect(misplaced).toEqual([]);
  });

  it('names only test files that exist (a folder entry may be empty yet)', () => {
    const stale = TIER_NAMES.flatMap((t) => TIERS[t].entries.filter((e) => !e.endsWith('/') && !files.includes(e)).map((e) => `${t}: ${e}`));
    expect(stale).toEqual([]);
  });

  it('keeps process-starting tests out of the fast tier', () => {
    const fast = files.filter((f) => tiersOf(f).includes('fast') && f !== 'test/architecture/tiers.test.ts'); // this file names the pattern
    expect(fast.filter((f) => STARTS_PROCESSES.test(text(f)))).toEqual([]);
  });

  it('runs every test that starts the system in a tier that builds the dashboard', () => {
    const system = files.filter((f) => /\bstartSystem\(/.test(text(f)));
    expect(system.length).toBeGreaterThan(0);
    expect(system.filter((f) => !tiersOf(f).some((t) => TIERS[t].needsWeb))).toEqual([]);
  });
});
