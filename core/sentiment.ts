// Negative tone of an item, from the shipped lexicon (core/sentiment-lexicon.ts).
//
//   1. Find every lexicon entry with one Aho–Corasick automaton. A sentiment word inside a
//      longer one (满意 in 不满意, 讨薪 in 讨薪无门) is dropped.
//   2. A negator (不, 没有, 未, 严禁 …) negates a word starting at most NEGATION_WINDOW
//      characters after it, with no punctuation in between — unless the negator character
//      belongs to a longer entry (不断, 非常, 不作为 …).
//   3. raw = Σ negative weights + Σ negated positive weights (不及时, 未解决)
//          − Σ positive weights; negated negative words (没有污染) count for nothing.
//   4. negativity = 1 − exp(−max(raw, 0) / (SCALE · max(1, √(length / 200)))): long texts need
//      more negative words for the same score, and the result stays in [0, 1).
import { Automaton } from './rules/automaton.js';
import { NEGATION_WINDOW, NEGATIVE_WORDS, NEGATORS, NON_NEGATING, POSITIVE_WORDS } from './sentiment-lexicon.js';

/**
 * Items at or above this score count as negative (rules with negative_only). 0.3 means raw ≥
 * 0.36 · SCALE ≈ 0.9 in a title-length text: one clear grievance word (投诉, 拖欠, 污染 — weight
 * 2) is enough, one weak one (坑, 0.8) is not, and praise cancels it. A 2,000-character article
 * needs raw ≥ 2.8: at least two grievance words beyond its words of praise, so a neutral report
 * that mentions 投诉 once is not flagged.
 */
export const NEGATIVE_THRESHOLD = 0.3;

const SCALE = 2.5;
/** Texts up to this many characters are scored as they are; longer ones are damped by √(length / this). */
const REFERENCE_LENGTH = 200;

type Kind = 'negative' | 'positive' | 'negator' | 'non-negating';

interface Lexicon {
  automaton: Automaton;
  kinds: Kind[];
  weights: number[];
}

let lexicon: Lexicon | null = null;

function getLexicon(): Lexicon {
  if (lexicon) return lexicon;
  const words: string[] = [];
  const kinds: Kind[] = [];
  const weights: number[] = [];
  const add = (word: string, kind: Kind, weight: number): void => {
    words.push(word);
    kinds.push(kind);
    weights.push(weight);
  };
  for (const [word, weight] of NEGATIVE_WORDS) add(word, 'negative', weight);
  for (const [word, weight] of POSITIVE_WORDS) add(word, 'positive', weight);
  for (const word of NEGATORS) add(word, 'negator', 0);
  for (const word of NON_NEGATING) add(word, 'non-negating', 0);
  lexicon = { automaton: Automaton.build(words, { normalize: true }), kinds, weights };
  return lexicon;
}

interface Hit {
  start: number;
  end: number;
  entry: number;
}

const BREAK = /[\s\p{P}\p{S}]/u;

/** Negative-tone score in [0, 1] from the shipped Chinese lexicon (with simple negation handling). */
export function negativity(text: string): number {
  const { automaton, kinds, weights } = getLexicon();
  const words: Hit[] = [];
  const negators: Hit[] = [];
  const covers: Hit[] = [];
  automaton.scan(text, (entry, end) => {
    const hit = { start: end - automaton.wordLength(entry), end, entry };
    const kind = kinds[entry];
    if (kind === 'negator') negators.push(hit);
    else {
      covers.push(hit);
      if (kind !== 'non-negating') words.push(hit);
    }
  });
  if (words.length === 0) return 0;

  const kept = outermost(words);
  const negatorEnds = new Set<number>();
  for (const n of negators) {
    if (!covers.some((c) => c.start <= n.start && n.end <= c.end && c.end - c.start > n.end - n.start)) {
      negatorEnds.add(n.end);
    }
  }

  let raw = 0;
  for (const w of kept) {
    const weight = weights[w.entry];
    const negative = kinds[w.entry] === 'negative';
    if (!isNegated(text, w.start, negatorEnds)) raw += negative ? weight : -weight;
    else if (!negative) raw += weight;
  }
  if (raw <= 0) return 0;
  const damping = Math.max(1, Math.sqrt(text.length / REFERENCE_LENGTH));
  return 1 - Math.exp(-raw / (SCALE * damping));
}

/** Drops hits that lie inside a longer hit. */
function outermost(hits: Hit[]): Hit[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Hit[] = [];
  let reach = -1;
  for (const h of sorted) {
    if (h.end <= reach) continue;
    kept.push(h);
    reach = h.end;
  }
  return kept;
}

function isNegated(text: string, start: number, negatorEnds: ReadonlySet<number>): boolean {
  for (let gap = 0; gap <= NEGATION_WINDOW && gap <= start; gap++) {
    if (gap > 0 && BREAK.test(text[start - gap])) return false;
    if (negatorEnds.has(start - gap)) return true;
  }
  return false;
}
