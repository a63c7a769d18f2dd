import { matchItem } from '../../../core/rules/index.js';
import type { CrawlContext } from '../context.js';
import type { IngestItem, RuleSuggestion } from '../ingest.js';
import { yieldToEventLoop, type Fingerprinted } from './fingerprint.js';
import { step } from './step.js';

// Step 8, match: every item against the one automaton of all enabled rules (title, text, tone).

export interface Matched {
  items: IngestItem[];
  /** What each matched rule suggests for the alert, from the same rule set. */
  suggestions: Map<number, RuleSuggestion>;
}

export const match = step('match', async function match({ deps }: CrawlContext, items: Fingerprinted[]): Promise<Matched> {
  const ruleSet = await deps.rules.get();
  const matched: IngestItem[] = [];
  for (const [i, it] of items.entries()) {
    if (i % 100 === 99) await yieldToEventLoop();
    matched.push({ ...it, hits: matchItem(ruleSet.compiled, { title: it.title, text: it.text, negativity: it.negativity }) });
  }
  return { items: matched, suggestions: ruleSet.suggestions };
});
