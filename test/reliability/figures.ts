import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The reliability suite (issue "prove it holds") records what it measured as figures: each test
// calls recordFigure, which appends one JSON line to a file shared by the run; `npm run
// test:reliability` (test/reliability/run.mjs) gathers them into reliability-report.json and the
// README's "Reliability" table quotes them. Under plain `npm test` the same tests run their short
// variants and still record (into test/artifacts), so CI exercises the very code the report uses.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The long variants (bigger corpora, longer soaks) run only under `npm run test:reliability -- --long`. */
export const LONG = process.env.OD_RELIABILITY_LONG === '1';

/** Pick the short or the long variant of a size or a duration. */
export function variant<T>(short: T, long: T): T {
  return LONG ? long : short;
}

export interface Figure {
  /** Section of the report: crawler, ssrf, queue, timers, security, load, backup. */
  area: string;
  /** What was measured, in plain words. */
  name: string;
  value: number;
  unit: string;
  /** The goal in words ("0", "≤ 300 ms", "≥ 80 URLs"), or '' when the figure is only reported. */
  goal: string;
  /** Whether the goal was met (null: reported only). */
  met: boolean | null;
  /** Free-form details (counts by class, the worst case, …). */
  detail?: Record<string, unknown>;
}

export function figuresFile(): string {
  return process.env.OD_RELIABILITY_OUT ?? join(ROOT, 'test', 'artifacts', 'reliability', 'figures.jsonl');
}

/** Records one figure (appends a JSON line; safe from parallel test files: one short write each). */
export function recordFigure(f: Figure): void {
  const file = figuresFile();
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ ...f, at: new Date().toISOString(), long: LONG })}\n`);
}
