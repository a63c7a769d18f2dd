// Aho–Corasick over UTF-16 code units, laid out as a double-array trie in typed arrays.
//
// The characters that occur in the words form a small alphabet (ids 1..A-1; 0 = a character
// no word contains). State s moves on class c to t = base[s] + c when check[t] === s, otherwise
// it follows fail[s]. Each state's complete output list (its own words and those of its failure
// chain) is precomputed in CSR form: outWords[outStart[s] .. outStart[s + 1]).
//
// Scanning exploits that the state after a character is usually shallow: the root, or the
// depth-1 state of that very character (rootNext[c]). From a shallow state the next one is
// rootNext[c] unless the last two characters begin a word (a depth-2 edge, tested with
// edgeCheck[edgeBase[prev] + c] === edgeBase[prev]); so the hot loop has no load-to-load
// dependency between characters. Deeper states take the general goto/failure walk until the
// automaton is shallow again.

import { buildTables, foldCodeUnit, ROOT, type Tables } from './automaton-build.js';

export { foldCodeUnit };

export interface AutomatonOptions {
  /** Fold ASCII letters to lower case and full-width ASCII (and U+3000) to half-width, in words and text alike. */
  normalize?: boolean;
}

/** Lower-case ASCII, full-width ASCII → half-width: the folding `normalize` applies. */
export function normalizeText(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const folded = foldCodeUnit(code);
    if (folded !== code) {
      out += text.slice(from, i) + String.fromCharCode(folded);
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

export class Automaton {
  private readonly t: Tables;

  private constructor(tables: Tables) {
    this.t = tables;
  }

  static build(words: readonly string[], options: AutomatonOptions = {}): Automaton {
    return new Automaton(buildTables(words, options.normalize === true));
  }

  /** Number of words the automaton was built from (duplicates included). */
  get wordCount(): number {
    return this.t.lengths.length;
  }

  /** Length of word `wordIndex` in code units (its start is `end - wordLength`). */
  wordLength(wordIndex: number): number {
    return this.t.lengths[wordIndex];
  }

  /** Calls onMatch(wordIndex, endOffset) for every occurrence of every word in text. */
  scan(text: string, onMatch: (wordIndex: number, end: number) => void): void {
    const t = this.t;
    const { classOf, edgeBase, edgeCheck } = t;
    const n = text.length;
    let i = 0;
    while (i < n) {
      i = runShallow(text, i, classOf, edgeBase, edgeCheck, t.outFrom);
      if (i >= n) return;
      const c = classOf[text.charCodeAt(i)];
      const b = i === 0 ? edgeBase[0] : edgeBase[classOf[text.charCodeAt(i - 1)]];
      if (edgeCheck[b + c] === b) i = runDeep(t, text, b + c, i, onMatch);
      else i = emit(t, t.rootNext[c], i + 1, onMatch);
    }
  }

  /** Indexes of the words that occur at least once in text. */
  present(text: string): Set<number> {
    const found = new Set<number>();
    this.scan(text, (w) => {
      found.add(w);
    });
    return found;
  }

  /**
   * Allocation-light variant of `present` for hot paths: every word found whose seen[] stamp is
   * not yet `epoch` gets stamped and appended to `found`. seen.length must be ≥ wordCount.
   */
  markPresent(text: string, seen: Uint32Array, epoch: number, found: number[]): void {
    this.scan(text, (w) => {
      if (seen[w] !== epoch) {
        seen[w] = epoch;
        found.push(w);
      }
    });
  }
}

/**
 * The hot loop, kept free of calls and property reads so that it optimises on its own: advances
 * over characters whose state stays shallow and returns the index of the first one that needs
 * more (a depth-2 edge, or a one-character word), or text.length.
 */
function runShallow(
  text: string,
  i: number,
  classOf: Uint16Array,
  edgeBase: Int32Array,
  edgeCheck: Int32Array,
  outFrom: number,
): number {
  const n = text.length;
  let b = i === 0 ? edgeBase[0] : edgeBase[classOf[text.charCodeAt(i - 1)]];
  for (; i < n; i++) {
    const c = classOf[text.charCodeAt(i)];
    if (edgeCheck[b + c] === b || c >= outFrom) return i;
    b = edgeBase[c];
  }
  return n;
}

/** Reports the outputs of state s ending at `end`; returns `end`. */
function emit(t: Tables, s: number, end: number, onMatch: (wordIndex: number, end: number) => void): number {
  const { outStart, outWords } = t;
  for (let k = outStart[s], e = outStart[s + 1]; k < e; k++) onMatch(outWords[k], end);
  return end;
}

/**
 * Runs from deep state s, reached by character i, with the general goto/failure walk until the
 * automaton is shallow again; returns the index after the character that made it shallow.
 */
function runDeep(t: Tables, text: string, s: number, i: number, onMatch: (wordIndex: number, end: number) => void): number {
  const { classOf, base, check, fail, rootNext } = t;
  const n = text.length;
  for (;;) {
    i = emit(t, s, i + 1, onMatch);
    if (i >= n) return i;
    const c = classOf[text.charCodeAt(i)];
    for (let f = s; ; f = fail[f]) {
      const next = base[f] + c;
      if (check[next] === f) {
        s = next;
        break;
      }
      if (f === ROOT) {
        s = ROOT;
        break;
      }
    }
    if (s === rootNext[c]) return emit(t, s, i + 1, onMatch);
  }
}

