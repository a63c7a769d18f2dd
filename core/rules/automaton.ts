// Aho–Corasick over UTF-16 code units, laid out as a double-array trie in typed arrays.
//
// Layout: the characters that occur in the words form a small alphabet (ids 1..A-1; 0 = a
// character no word contains, which always leads back to the root). State s moves on class c
// to t = base[s] + c when check[t] === s, otherwise it follows fail[s]. Each state's complete
// output list (its own words and those of its failure chain) is precomputed in CSR form:
// outWords[outStart[s] .. outStart[s + 1]).

export interface AutomatonOptions {
  /** Fold ASCII letters to lower case and full-width ASCII (and U+3000) to half-width, in words and text alike. */
  normalize?: boolean;
}

const ROOT = 0;
const EMPTY = -1;

/** The code unit `normalize` maps a code unit to (one unit to one unit, so offsets are kept). */
export function foldCodeUnit(code: number): number {
  if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
  else if (code === 0x3000) return 0x20;
  if (code >= 0x41 && code <= 0x5a) return code + 0x20;
  return code;
}

/** Lower-case ASCII, full-width ASCII → half-width; the same folding the automaton applies. */
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

/** Code units that fold to something else: ASCII upper case, full-width ASCII, ideographic space. */
function foldedSources(): number[] {
  const codes: number[] = [0x3000];
  for (let c = 0x41; c <= 0x5a; c++) codes.push(c);
  for (let c = 0xff01; c <= 0xff5e; c++) codes.push(c);
  return codes;
}

interface Tables {
  /** Code unit → alphabet id (0 = not in any word). */
  classOf: Uint16Array;
  base: Int32Array;
  check: Int32Array;
  fail: Int32Array;
  outStart: Int32Array;
  outWords: Int32Array;
  /** Length of each word in code units. */
  lengths: Int32Array;
}

export class Automaton {
  private readonly classOf: Uint16Array;
  private readonly base: Int32Array;
  private readonly check: Int32Array;
  private readonly fail: Int32Array;
  private readonly outStart: Int32Array;
  private readonly outWords: Int32Array;
  private readonly lengths: Int32Array;

  private constructor(tables: Tables) {
    this.classOf = tables.classOf;
    this.base = tables.base;
    this.check = tables.check;
    this.fail = tables.fail;
    this.outStart = tables.outStart;
    this.outWords = tables.outWords;
    this.lengths = tables.lengths;
  }

  static build(words: readonly string[], options: AutomatonOptions = {}): Automaton {
    return new Automaton(buildTables(words, options.normalize === true));
  }

  /** Number of words the automaton was built from (duplicates included). */
  get wordCount(): number {
    return this.lengths.length;
  }

  /** Length of word `wordIndex` in code units (its start is `end - wordLength`). */
  wordLength(wordIndex: number): number {
    return this.lengths[wordIndex];
  }

  /** Calls onMatch(wordIndex, endOffset) for every occurrence of every word in text. */
  scan(text: string, onMatch: (wordIndex: number, end: number) => void): void {
    const { classOf, base, check, fail, outStart, outWords } = this;
    let s = ROOT;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = classOf[text.charCodeAt(i)];
      if (c === 0) {
        s = ROOT;
        continue;
      }
      for (;;) {
        const t = base[s] + c;
        if (check[t] === s) {
          s = t;
          break;
        }
        if (s === ROOT) break;
        s = fail[s];
      }
      const from = outStart[s];
      const to = outStart[s + 1];
      for (let k = from; k < to; k++) onMatch(outWords[k], i + 1);
    }
  }

  /** Indexes of the words that occur at least once in text. */
  present(text: string): Set<number> {
    const seen = new Uint32Array(this.lengths.length);
    const found: number[] = [];
    this.markPresent(text, seen, 1, found);
    return new Set(found);
  }

  /**
   * Allocation-free variant of `present` for hot paths: every word found whose seen[] stamp is
   * not yet `epoch` gets stamped and appended to `found`. seen.length must be ≥ wordCount.
   */
  markPresent(text: string, seen: Uint32Array, epoch: number, found: number[]): void {
    const { classOf, base, check, fail, outStart, outWords } = this;
    let s = ROOT;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = classOf[text.charCodeAt(i)];
      if (c === 0) {
        s = ROOT;
        continue;
      }
      for (;;) {
        const t = base[s] + c;
        if (check[t] === s) {
          s = t;
          break;
        }
        if (s === ROOT) break;
        s = fail[s];
      }
      const from = outStart[s];
      const to = outStart[s + 1];
      for (let k = from; k < to; k++) {
        const w = outWords[k];
        if (seen[w] !== epoch) {
          seen[w] = epoch;
          found.push(w);
        }
      }
    }
  }
}

/** Growable Int32Array pair used while placing states. */
interface Cells {
  base: Int32Array;
  check: Int32Array;
}

function grow(cells: Cells, need: number): void {
  if (need <= cells.check.length) return;
  let size = cells.check.length * 2;
  while (size < need) size *= 2;
  const base = new Int32Array(size);
  base.set(cells.base);
  const check = new Int32Array(size).fill(EMPTY);
  check.set(cells.check);
  cells.base = base;
  cells.check = check;
}

function buildTables(words: readonly string[], normalize: boolean): Tables {
  const classOf = new Uint16Array(65536);
  let alphabet = 1;

  // 1. A plain trie: children as linked lists, except the root, which gets a direct table.
  let capacity = 16;
  for (const w of words) capacity += w.length;
  const firstChild = new Int32Array(capacity).fill(-1);
  const nextSibling = new Int32Array(capacity).fill(-1);
  const label = new Int32Array(capacity);
  const ownFirst = new Int32Array(capacity).fill(-1); // first word ending here
  const ownNext = new Int32Array(words.length).fill(-1); // next word ending at the same node
  let rootChild = new Int32Array(256).fill(-1);
  let nodes = 1;
  const lengths = new Int32Array(words.length);

  for (let w = 0; w < words.length; w++) {
    const word = words[w];
    lengths[w] = word.length;
    if (word.length === 0) throw new RangeError('Automaton words must be non-empty');
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const code = normalize ? foldCodeUnit(word.charCodeAt(i)) : word.charCodeAt(i);
      let c = classOf[code];
      if (c === 0) {
        if (alphabet === 0xffff) throw new RangeError('Automaton alphabet too large');
        c = classOf[code] = alphabet++;
      }
      let child = -1;
      if (node === 0) {
        if (c >= rootChild.length) {
          const bigger = new Int32Array(Math.max(c + 1, rootChild.length * 2)).fill(-1);
          bigger.set(rootChild);
          rootChild = bigger;
        }
        child = rootChild[c];
      } else {
        for (let k = firstChild[node]; k !== -1; k = nextSibling[k]) {
          if (label[k] === c) {
            child = k;
            break;
          }
        }
      }
      if (child === -1) {
        child = nodes++;
        label[child] = c;
        if (node === 0) rootChild[c] = child;
        else {
          nextSibling[child] = firstChild[node];
          firstChild[node] = child;
        }
      }
      node = child;
    }
    ownNext[w] = ownFirst[node];
    ownFirst[node] = w;
  }
  if (normalize) {
    for (const code of foldedSources()) {
      const target = classOf[foldCodeUnit(code)];
      if (target !== 0) classOf[code] = target;
    }
  }

  // 2. Place the trie into the double array, breadth first.
  const cells: Cells = {
    base: new Int32Array(Math.max(64, (nodes + alphabet) * 2)),
    check: new Int32Array(Math.max(64, (nodes + alphabet) * 2)).fill(EMPTY),
  };
  const stateOf = new Int32Array(nodes);
  const order = new Int32Array(nodes); // trie nodes in BFS order
  stateOf[0] = ROOT;
  cells.check[ROOT] = -2;
  order[0] = 0;
  let head = 0;
  let tail = 1;
  let firstFree = 1;
  let maxState = 0;
  const labels: number[] = [];
  const kids: number[] = [];

  while (head < tail) {
    const node = order[head++];
    labels.length = 0;
    kids.length = 0;
    if (node === 0) {
      for (let c = 1; c < rootChild.length; c++) {
        if (rootChild[c] !== -1) {
          labels.push(c);
          kids.push(rootChild[c]);
        }
      }
    } else {
      for (let k = firstChild[node]; k !== -1; k = nextSibling[k]) {
        labels.push(label[k]);
        kids.push(k);
      }
    }
    const s = stateOf[node];
    if (labels.length === 0) {
      cells.base[s] = 0; // base[s] + c lands on a cell whose check is never s
      continue;
    }
    let minLabel = labels[0];
    for (const c of labels) if (c < minLabel) minLabel = c;
    while (firstFree < cells.check.length && cells.check[firstFree] !== EMPTY) firstFree++;
    let pos = Math.max(firstFree, minLabel);
    for (;;) {
      grow(cells, pos + alphabet + 1);
      if (cells.check[pos] === EMPTY) {
        const b = pos - minLabel;
        let ok = true;
        for (const c of labels) {
          if (cells.check[b + c] !== EMPTY) {
            ok = false;
            break;
          }
        }
        if (ok) break;
      }
      pos++;
    }
    const b = pos - minLabel;
    cells.base[s] = b;
    for (let k = 0; k < labels.length; k++) {
      const t = b + labels[k];
      cells.check[t] = s;
      stateOf[kids[k]] = t;
      if (t > maxState) maxState = t;
      order[tail++] = kids[k];
    }
  }

  // Every base[s] + c must stay inside the arrays.
  const size = maxState + alphabet + 2;
  grow(cells, size);
  const base = cells.base;
  const check = cells.check;

  // 3. Failure links and complete output lists, breadth first (parents before children).
  const fail = new Int32Array(size);
  const outCount = new Int32Array(size + 1);
  const transition = (from: number, c: number): number => {
    for (let f = from; ; f = fail[f]) {
      const t = base[f] + c;
      if (check[t] === f) return t;
      if (f === ROOT) return ROOT;
    }
  };
  for (let k = 0; k < nodes; k++) {
    const node = order[k];
    const s = stateOf[node];
    let own = 0;
    for (let w = ownFirst[node]; w !== -1; w = ownNext[w]) own++;
    if (node !== 0) {
      const parent = check[s];
      fail[s] = parent === ROOT ? ROOT : transition(fail[parent], label[node]);
      outCount[s] = own + outCount[fail[s]];
    }
  }
  const outStart = new Int32Array(size + 1);
  for (let s = 0; s < size; s++) outStart[s + 1] = outStart[s] + outCount[s];
  const outWords = new Int32Array(outStart[size]);
  for (let k = 1; k < nodes; k++) {
    const node = order[k];
    const s = stateOf[node];
    let at = outStart[s];
    for (let w = ownFirst[node]; w !== -1; w = ownNext[w]) outWords[at++] = w;
    const f = fail[s];
    for (let j = outStart[f]; j < outStart[f + 1]; j++) outWords[at++] = outWords[j];
  }

  return { classOf, base, check, fail, outStart, outWords, lengths };
}
