import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { listTestFiles, runNeedsWeb, TEST_ROOTS, TIER_NAMES, tierGlobs, type TierName } from './test/tiers.js';

// OD_TEST_TIER (set by test/run.mjs) picks one tier of test/tiers.ts; unset, every test runs. The
// dashboard is built (test/global-setup-web.ts) only when the run may include tests that need it.
const tier = process.env.OD_TEST_TIER as TierName | undefined;
if (tier && !TIER_NAMES.includes(tier)) throw new Error(`OD_TEST_TIER=${tier}: not one of ${TIER_NAMES.join(', ')}`);
const root = fileURLToPath(new URL('.', import.meta.url));
const cli = process.argv.findIndex((a) => /\bvitest(\.mjs)?$/.test(a));
const cliFilters = cli < 0 ? [] : process.argv.slice(cli + 1).filter((a) => !a.startsWith('-') && existsSync(a));
const needsWeb = runNeedsWeb(tier, cliFilters, tier ? [] : listTestFiles(root));

export default defineConfig({
  test: {
    include: tier ? tierGlobs(tier) : TEST_ROOTS.map((r) => `${r}/**/*.test.ts`),
    globalSetup: ['test/global-setup.ts', ...(needsWeb ? ['test/global-setup-web.ts'] : [])],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The fast tier's files mostly wait on Postgres: two forks even on two cores.
    ...(tier === 'fast' ? { maxWorkers: Math.max(2, availableParallelism() - 1) } : {}),
  },
});
