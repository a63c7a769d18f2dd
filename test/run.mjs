// Runs the vitest suite and ends with the plain summary line CI reads: "N passed, N failed".
//   node test/run.mjs               every test (npm test)
//   node test/run.mjs --tier=fast   one tier of test/tiers.ts (npm run test:fast)
// Other arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const tierArg = process.argv.slice(2).find((a) => a.startsWith('--tier='));
const tier = tierArg?.slice('--tier='.length);
const rest = process.argv.slice(2).filter((a) => a !== tierArg);
const outDir = join('test', 'artifacts');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, tier ? `vitest-report-${tier}.json` : 'vitest-report.json');
rmSync(outFile, { force: true });
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${outFile}`, ...rest];
const env = { ...process.env, TZ: process.env.TZ ?? 'UTC', ...(tier ? { OD_TEST_TIER: tier } : {}) };
const started = Date.now();
const res = spawnSync('npx', args, { stdio: 'inherit', env });

let passed = 0;
let failed = 0;
if (existsSync(outFile)) {
  const report = JSON.parse(readFileSync(outFile, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  if (report.success === false && failed === 0) failed = 1;
} else {
  failed = 1;
}
if (tier) console.log(`tier ${tier}: ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(res.status === 0 && failed === 0 ? 0 : 1);
