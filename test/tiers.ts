import { existsSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';

// The test tiers, defined once: vitest.config.ts runs the tier named by OD_TEST_TIER (all of them
// when unset), test/run.mjs sets it (`npm test` → all, `npm run test:fast` → fast), and
// test/architecture/tiers.test.ts checks that every test file is in exactly one tier and that the
// fast tier starts no process. An entry ending in "/" stands for every *.test.ts below that folder;
// any other entry is one file. A new test file outside those folders belongs to no tier until it
// is listed here: decide by its duration (the vitest JSON report of a run names each file's).

export type TierName = 'fast' | 'slow' | 'browser';

export interface Tier {
  about: string;
  /** Needs the dashboard built by test/global-setup-web.ts (OD_TEST_WEB_DIR). */
  needsWeb: boolean;
  entries: readonly string[];
}

export const TIERS: Record<TierName, Tier> = {
  fast: {
    about: 'unit tests beside the code, and route and service tests on a real database and the in-process app',
    needsWeb: false,
    entries: [
      'core/',
      'db/',
      'platform/',
      'services/',
      'server/',
      'worker/',
      'demo/',
      'test/api/',
      'test/architecture/',
      'test/audit-chain/',
      'test/cases/',
      'test/responses/',
      'test/review/',
      'test/security/callback-double-submit.test.ts',
      'test/security/cursors.test.ts',
      'test/security/import-attacks.test.ts',
      'test/security/intake-revoke.test.ts',
      'test/security/live-events.test.ts',
      'test/security/sign-in.test.ts',
      'test/security/source-secrets.test.ts',
      'test/stats/',
      'test/places/',
      'test/stories/',
      'test/crawl/pipeline.test.ts',
      'test/crawl/lenient.test.ts',
      'test/crawl/generated-corpus.test.ts',
      'test/crawl/dates-in-text.test.ts',
      'test/crawl/steps.test.ts',
      'test/crawl/search-source.test.ts',
      'test/crawl/stories-alerts.test.ts',
      'test/escalation/api.test.ts',
      'test/escalation/deliveries.test.ts',
      'test/escalation/next-step.test.ts',
      'test/escalation/sse.test.ts',
      'test/escalation/sweep.test.ts',
      'test/instructions/',
      'test/integrity/backdated-publication.test.ts',
      'test/integrity/closed-case.test.ts',
      'test/integrity/self-approval.test.ts',
      'test/notifications/',
      'test/periods/',
      'test/push/',
      'test/roster/',
      'test/todos/',
      'test/wording/',
      'test/reports/daily.test.ts',
      'test/reports/effect-text.test.ts',
      'test/reports/export.test.ts',
      'test/reports/notice.test.ts',
      'test/reports/office-profile.test.ts',
      'test/reports/period.test.ts',
    ],
  },
  slow: {
    about: 'worker processes and BullMQ workers, the whole system in one process, big seeds, and the reliability suite',
    needsWeb: false,
    entries: [
      'test/crawl/worker.test.ts',
      'test/demo/history.test.ts',
      'test/demo/roster.test.ts',
      'test/escalation/worker.test.ts',
      'test/model/case-workflow.test.ts',
      'test/reports/export-memory.test.ts',
      'test/reports/render.test.ts',
      'test/reports/daily-render.test.ts',
      'test/reports/brief.test.ts',
      'test/reports/special-brief.test.ts',
      'test/reports/weekly-job.test.ts',
      'test/system/',
      'test/reliability/audit.test.ts',
      'test/reliability/backup.test.ts',
      'test/reliability/chaos-queue.test.ts',
      'test/reliability/chaos-services.test.ts',
      'test/reliability/chaos-timers.test.ts',
      'test/reliability/crawl-cycle.test.ts',
      'test/reliability/crawler-content.test.ts',
      'test/reliability/crawler-network.test.ts',
      'test/reliability/load.test.ts',
      'test/reliability/model-workflow.test.ts',
      'test/reliability/outbound-calls.test.ts',
      'test/reliability/scope-matrix.test.ts',
      'test/reliability/security.test.ts',
      'test/reliability/ssrf.test.ts',
    ],
  },
  browser: {
    about: 'the system as `npm start` runs it, driven through chromium',
    needsWeb: true,
    entries: ['test/e2e/', 'test/reliability/soak.test.ts', 'test/reliability/xss.test.ts'],
  },
};

export const TIER_NAMES = Object.keys(TIERS) as TierName[];

/** Where test files may live (vitest's include when no tier is chosen). */
export const TEST_ROOTS = ['core', 'db', 'server', 'worker', 'platform', 'services', 'demo', 'test'] as const;

/** vitest include globs of a tier. */
export function tierGlobs(name: TierName): string[] {
  return TIERS[name].entries.map((e) => (e.endsWith('/') ? `${e}**/*.test.ts` : e));
}

/** Whether a test file (a path relative to the project, with "/") is in a tier. */
export function inTier(name: TierName, file: string): boolean {
  return TIERS[name].entries.some((e) => (e.endsWith('/') ? file.startsWith(e) : file === e));
}

/** The tiers a test file is in (exactly one, when the list is right). */
export function tiersOf(file: string): TierName[] {
  return TIER_NAMES.filter((t) => inTier(t, file));
}

/** Every test file under the roots, relative to `dir` (the project), with "/". */
export function listTestFiles(dir: string): string[] {
  return TEST_ROOTS.flatMap((root) =>
    existsSync(join(dir, root))
      ? (readdirSync(join(dir, root), { recursive: true }) as string[])
          .map((f) => `${root}/${f.split(sep).join('/')}`)
          .filter((f) => f.endsWith('.test.ts') && !f.includes('/node_modules/'))
      : [],
  ).sort();
}

/**
 * Whether a run must build the dashboard. With a tier: whether it has browser tests. Without one:
 * `filters` are vitest's file filters (substrings of paths); the whole suite, or a filter that
 * could select a test needing the dashboard, builds it.
 */
export function runNeedsWeb(tier: TierName | undefined, filters: readonly string[], files: readonly string[]): boolean {
  if (tier) return TIERS[tier].needsWeb;
  if (filters.length === 0) return true;
  const web = files.filter((f) => tiersOf(f).some((t) => TIERS[t].needsWeb));
  return filters.some((filter) => web.some((f) => f.includes(filter.replace(/^\.\//, ''))));
}
