import type { CrawlContext } from '../context.js';

// The crawl's steps, in the order a crawl runs them. Each lives in steps/<name>.ts and may import
// only the steps before it (test/crawl/steps.test.ts): the walk from source to stored item moves
// forward only. A site source with a detail selector fetches its new entries' pages too.

export const STEP_ORDER = ['fetch', 'decode', 'parse', 'normalise', 'filter-known', 'fetch-details', 'fingerprint', 'match', 'store'] as const;

export type StepName = (typeof STEP_ORDER)[number];

export type Step<A extends unknown[], R> = ((ctx: CrawlContext, ...args: A) => R) & { readonly stepName: StepName };

/** Names a step: `ctx.deps.onStep` hears the name each time it runs. */
export function step<A extends unknown[], R>(name: StepName, fn: (ctx: CrawlContext, ...args: A) => R): Step<A, R> {
  const run = (ctx: CrawlContext, ...args: A): R => {
    ctx.deps.onStep?.(name);
    return fn(ctx, ...args);
  };
  return Object.assign(run, { stepName: name });
}
