import type { Db } from '../../db/client.js';
import { loadEnabledRules, rulesVersion } from '../../db/repos/rules.js';
import type { RuleSuggestion } from './ingest.js';
import { compileRules, type CompiledRules } from '../../core/rules/index.js';

export interface RuleSet {
  compiled: CompiledRules;
  suggestions: Map<number, RuleSuggestion>;
  version: string;
}

/**
 * The one compiled automaton of all enabled rules, shared by every job of this worker process.
 * Rebuilt when the rule set's version changes; the version is checked at most every checkMs.
 */
export class RuleCache {
  private current: RuleSet | null = null;
  private checkedAt = -Infinity;
  private pending: Promise<RuleSet> | null = null;

  constructor(
    private readonly db: Db,
    private readonly checkMs = 2000,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async get(): Promise<RuleSet> {
    if (this.current && this.clock() - this.checkedAt < this.checkMs) return this.current;
    this.pending ??= this.refresh().finally(() => (this.pending = null));
    return this.pending;
  }

  private async refresh(): Promise<RuleSet> {
    const version = await rulesVersion(this.db);
    this.checkedAt = this.clock();
    if (this.current && this.current.version === version) return this.current;
    const rules = await loadEnabledRules(this.db);
    const compiled = compileRules(
      rules.map((r) => ({ id: r.id, expression: r.expression, scope: r.scope, negativeOnly: r.negative_only })),
    );
    const suggestions = new Map<number, RuleSuggestion>(
      rules.map((r) => [r.id, { level: r.suggested_level, category: r.suggested_category, departmentId: r.suggested_department_id }]),
    );
    this.current = { compiled, suggestions, version };
    return this.current;
  }
}

/**
 * A value loaded at most once per ttlMs; concurrent callers share one load. `{ fresh: true }` loads
 * it again now (a caller that just got a refusal the cached value explains, e.g. an allow-list entry
 * an admin added a second ago).
 */
export function cached<T>(load: () => Promise<T>, ttlMs: number, clock: () => number = () => performance.now()): (opts?: { fresh?: boolean }) => Promise<T> {
  let value: { v: T; at: number } | null = null;
  let pending: Promise<T> | null = null;
  return async (opts) => {
    if (!opts?.fresh && value && clock() - value.at < ttlMs) return value.v;
    pending ??= load()
      .then((v) => {
        value = { v, at: clock() };
        return v;
      })
      .finally(() => (pending = null));
    return pending;
  };
}
