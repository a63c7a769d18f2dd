import { describe, expect, it } from 'vitest';
import { strongestSuggestion, type RuleSuggestion } from './ingest.js';

describe('strongestSuggestion', () => {
  const rules = new Map<number, RuleSuggestion>([
    [1, { level: 'general', category: 'suggestion', departmentId: 10 }],
    [2, { level: 'major', category: 'emergency', departmentId: 20 }],
    [3, { level: 'significant', category: 'difficulty', departmentId: null }],
    [4, { level: 'major', category: 'rumour', departmentId: 40 }],
  ]);

  it.each([
    ['the most serious rule wins', [1, 3, 2], 2],
    ['on a tie, the first rule hit', [4, 2], 4],
    ['rules no longer enabled are ignored', [99, 3], 3],
    ['a single rule', [1], 1],
  ] as const)('%s', (_, ids, expected) => {
    expect(strongestSuggestion([...ids], rules)).toEqual(rules.get(expected));
  });

  it('suggests general / other with no department when no hit rule is known', () => {
    expect(strongestSuggestion([98, 99], rules)).toEqual({ level: 'general', category: 'other', departmentId: null });
    expect(strongestSuggestion([], rules)).toEqual({ level: 'general', category: 'other', departmentId: null });
  });
});
