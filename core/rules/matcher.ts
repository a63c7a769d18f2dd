// Matching items against all enabled rules at once: one automaton over the words of every rule,
// one scan of the title (and one of the text when some rule looks there), then only the rules
// that one of the found words can make true are evaluated.
import { NEGATIVE_THRESHOLD } from '../sentiment.js';
import type { RuleScope } from '../vocabulary.js';
import { Automaton, normalizeText } from './automaton.js';
import { parseRule, positiveTerms, RuleSyntaxError, type RuleExpr } from './parse.js';

export interface RuleInput {
  id: number;
  expression: string;
  scope: RuleScope;
  negativeOnly: boolean;
}
export interface MatchableItem {
  title: string;
  text: string;
  /** 0..1 from core/sentiment.ts */
  negativity: number;
}
export interface RuleHit {
  ruleId: number;
  /** The words of the rule's positive part that occurred, deduplicated, in expression order. */
  words: string[];
}
export interface RuleError {
  ruleId: number;
  /** 0-based character offset in the expression. */
  position: number;
  /** Chinese and English together, for logs and plain displays. */
  message: string;
  messageZh: string;
  messageEn: string;
}
export interface CompiledRules {
  /** Rules compiled (those that parsed). */
  readonly ruleCount: number;
  /** Rules that failed to parse are skipped and listed here. */
  readonly errors: RuleError[];
}

// A rule's expression as postfix code over word ids: ids ≥ 0 push "word present", the
// operators pop two and push one.
const AND = -1;
const OR = -2;
const NOT = -3;

interface CompiledRule {
  id: number;
  titleOnly: boolean;
  negativeOnly: boolean;
  code: Int32Array;
  /** Positive-part words: their ids (deduplicated after normalisation) and spelling in the rule. */
  positiveIds: Int32Array;
  positiveWords: string[];
}

class RuleSet implements CompiledRules {
  readonly ruleCount: number;
  /** Scratch for matchItem: stamps say "seen in this item", so nothing is cleared between items. */
  private epoch = 0;
  private readonly inTitle: Uint32Array;
  private readonly inText: Uint32Array;
  private readonly candidate: Uint32Array;
  private readonly stack: Uint8Array;

  constructor(
    readonly errors: RuleError[],
    private readonly rules: CompiledRule[],
    private readonly automaton: Automaton,
    /** Rules whose positive part contains word w: ruleIndex[ruleStart[w] .. ruleStart[w + 1]). */
    private readonly ruleStart: Int32Array,
    private readonly ruleIndex: Int32Array,
    private readonly scansText: boolean,
  ) {
    this.ruleCount = rules.length;
    const words = automaton.wordCount;
    this.inTitle = new Uint32Array(words);
    this.inText = new Uint32Array(words);
    this.candidate = new Uint32Array(rules.length);
    let depth = 1;
    for (const r of rules) depth = Math.max(depth, r.code.length);
    this.stack = new Uint8Array(depth);
  }

  match(item: MatchableItem): RuleHit[] {
    if (this.rules.length === 0) return [];
    if (this.epoch === 0xffffffff) {
      this.epoch = 0;
      this.inTitle.fill(0);
      this.inText.fill(0);
      this.candidate.fill(0);
    }
    const epoch = ++this.epoch;
    const found: number[] = [];
    this.automaton.markPresent(item.title, this.inTitle, epoch, found);
    if (this.scansText) this.automaton.markPresent(item.text, this.inText, epoch, found);

    const candidates: number[] = [];
    for (const w of found) {
      for (let k = this.ruleStart[w]; k < this.ruleStart[w + 1]; k++) {
        const r = this.ruleIndex[k];
        if (this.candidate[r] !== epoch) {
          this.candidate[r] = epoch;
          candidates.push(r);
        }
      }
    }
    candidates.sort((a, b) => a - b);

    const negative = item.negativity >= NEGATIVE_THRESHOLD;
    const hits: RuleHit[] = [];
    for (const r of candidates) {
      const rule = this.rules[r];
      if (rule.negativeOnly && !negative) continue;
      if (!this.evaluate(rule, epoch)) continue;
      const words: string[] = [];
      for (let k = 0; k < rule.positiveIds.length; k++) {
        if (this.present(rule.positiveIds[k], rule.titleOnly, epoch)) words.push(rule.positiveWords[k]);
      }
      hits.push({ ruleId: rule.id, words });
    }
    return hits;
  }

  private present(word: number, titleOnly: boolean, epoch: number): boolean {
    return this.inTitle[word] === epoch || (!titleOnly && this.inText[word] === epoch);
  }

  private evaluate(rule: CompiledRule, epoch: number): boolean {
    const { stack } = this;
    const { code, titleOnly } = rule;
    let top = 0;
    for (let k = 0; k < code.length; k++) {
      const op = code[k];
      if (op >= 0) {
        stack[top++] = this.present(op, titleOnly, epoch) ? 1 : 0;
        continue;
      }
      const right = stack[--top];
      const left = stack[top - 1];
      stack[top - 1] = op === AND ? left & right : op === OR ? left | right : left & (right ^ 1);
    }
    return stack[0] === 1;
  }
}

function emitCode(expr: RuleExpr, wordId: (word: string) => number, out: number[]): void {
  if (expr.kind === 'term') {
    out.push(wordId(expr.word));
    return;
  }
  emitCode(expr.left, wordId, out);
  emitCode(expr.right, wordId, out);
  out.push(expr.kind === 'and' ? AND : expr.kind === 'or' ? OR : NOT);
}

/**
 * Parses every rule (bad ones are skipped and listed in .errors) and builds one automaton over
 * all their words. Words are matched as substrings after normalisation (ASCII lower case,
 * full-width ASCII → half-width), in the title only or in title and text as each rule says.
 */
export function compileRules(rules: readonly RuleInput[]): CompiledRules {
  const errors: RuleError[] = [];
  const words: string[] = [];
  const ids = new Map<string, number>();
  const wordId = (word: string): number => {
    const key = normalizeText(word);
    let id = ids.get(key);
    if (id === undefined) {
      id = words.length;
      ids.set(key, id);
      words.push(key);
    }
    return id;
  };

  const compiled: CompiledRule[] = [];
  for (const input of rules) {
    let expr: RuleExpr;
    try {
      expr = parseRule(input.expression);
    } catch (e) {
      if (!(e instanceof RuleSyntaxError)) throw e;
      errors.push({
        ruleId: input.id,
        position: e.position,
        message: `${e.messageZh} / ${e.messageEn}`,
        messageZh: e.messageZh,
        messageEn: e.messageEn,
      });
      continue;
    }
    const code: number[] = [];
    emitCode(expr, wordId, code);
    const positiveIds: number[] = [];
    const positiveWords: string[] = [];
    for (const word of positiveTerms(expr)) {
      const id = wordId(word);
      if (positiveIds.includes(id)) continue;
      positiveIds.push(id);
      positiveWords.push(word);
    }
    compiled.push({
      id: input.id,
      titleOnly: input.scope === 'title',
      negativeOnly: input.negativeOnly,
      code: Int32Array.from(code),
      positiveIds: Int32Array.from(positiveIds),
      positiveWords,
    });
  }

  // A rule can only be true when one of its positive words occurs (every `-` needs its left
  // side, and `+`/`|` need one of theirs), so rules are indexed by positive words alone.
  const ruleStart = new Int32Array(words.length + 1);
  for (const rule of compiled) for (const w of rule.positiveIds) ruleStart[w + 1]++;
  for (let w = 0; w < words.length; w++) ruleStart[w + 1] += ruleStart[w];
  const ruleIndex = new Int32Array(ruleStart[words.length]);
  const fill = ruleStart.slice(0, words.length);
  compiled.forEach((rule, r) => {
    for (const w of rule.positiveIds) ruleIndex[fill[w]++] = r;
  });

  const automaton = Automaton.build(words, { normalize: true });
  const scansText = compiled.some((rule) => !rule.titleOnly);
  return new RuleSet(errors, compiled, automaton, ruleStart, ruleIndex, scansText);
}

/**
 * The rules the item matches, in the order they were given. A rule with negativeOnly matches
 * only items whose negativity is at least NEGATIVE_THRESHOLD.
 */
export function matchItem(compiled: CompiledRules, item: MatchableItem): RuleHit[] {
  if (!(compiled instanceof RuleSet)) throw new TypeError('matchItem needs the result of compileRules');
  return compiled.match(item);
}
