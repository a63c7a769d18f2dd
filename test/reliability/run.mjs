// npm run test:reliability [-- --long]: runs the reliability suite (test/reliability) and writes the
// figures its tests recorded to reliability-report.json, then prints them and the usual
// "N passed, N failed" line. --long runs the long variants (bigger corpora, longer soaks).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const long = process.argv.includes('--long');
const rest = process.argv.slice(2).filter((a) => a !== '--long');
const outDir = join('test', 'artifacts', 'reliability');
mkdirSync(outDir, { recursive: true });
const figures = join(outDir, `figures-${process.pid}.jsonl`);
rmSync(figures, { force: true });
const report = join(outDir, 'vitest-report.json');
// One file at a time: the load and soak figures must not share the two cores with the chaos tests.
const args = ['vitest', 'run', 'test/reliability', '--no-file-parallelism', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...rest];
const res = spawnSync('npx', args, {
  stdio: 'inherit',
  env: { ...process.env, TZ: process.env.TZ ?? 'UTC', OD_RELIABILITY_OUT: figures, OD_RELIABILITY_LONG: long ? '1' : '0' },
});

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  if (r.success === false && failed === 0) failed = 1;
} else {
  failed = 1;
}
const rows = existsSync(figures)
  ? readFileSync(figures, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
rows.sort((a, b) => a.area.localeCompare(b.area) || a.name.localeCompare(b.name));
writeFileSync(
  'reliability-report.json',
  `${JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      variant: long ? 'long' : 'short',
      machine: { cpus: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
      tests: { passed, failed },
      figures: rows,
    },
    null,
    2,
  )}\n`,
);
// The README's "Reliability" table, ready to paste: one row per figure.
const cell = (v) => String(v ?? '').replace(/\|/g, '\\|');
const table = [
  '| area | figure | value | goal | met |',
  '|---|---|---|---|---|',
  ...rows.map((f) => `| ${cell(f.area)} | ${cell(f.name)} | ${cell(f.value)} ${cell(f.unit)} | ${cell(f.goal) || '—'} | ${f.met === null ? '—' : f.met ? 'yes' : '**no**'} |`),
].join('\n');
writeFileSync(join(outDir, 'table.md'), `${table}\n`);
console.log(`\nReliability figures (${long ? 'long' : 'short'} variants) → reliability-report.json`);
for (const f of rows) {
  const mark = f.met === null ? '    ' : f.met ? 'MET ' : 'MISS';
  console.log(`${mark} [${f.area}] ${f.name}: ${f.value} ${f.unit}${f.goal ? ` (goal ${f.goal})` : ''}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(res.status === 0 && failed === 0 ? 0 : 1);
