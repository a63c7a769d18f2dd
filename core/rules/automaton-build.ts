// Construction of the Aho–Corasick tables that automaton.ts scans with: a trie over alphabet
// classes, placed breadth first into a double array, then failure links, output lists and the
// shallow-state tables of the hot loop. See automaton.ts for how they are used.

export const ROOT = 0;
export const EMPTY = -1;

/** The code unit `normalize` maps a code unit to (one unit to one unit, so offsets are kept). */
export function foldCodeUnit(code: number): number {
  if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
  else if (code === 0x3000) return 0x20;
  if (code >= 0x41 && code <= 0x5a) return code + 0x20;
  return code;
}

export interface Tables {
  /** Code unit → alphabet id (0 = in no word). */
  classOf: Uint16Array;
  base: Int32Array;
  check: Int32Array;
  fail: Int32Array;
  outStart: Int32Array;
  outWords: Int32Array;
  /** Length of each word in code units. */
  lengths: Int32Array;
  /** By class c: the state after c from a shallow state when no depth-2 edge applies. */
  rootNext: Int32Array;
  /** By class c: the unique base of rootNext[c] if it has children, else an all-empty pad. */
  edgeBase: Int32Array;
  /** By cell: the parent's base for depth-2 states, EMPTY elsewhere. */
  edgeCheck: Int32Array;
  /** Classes from here up are one-character words: rootNext[c] has outputs. */
  outFrom: number;
}

interface Trie {
  classOf: Uint16Array;
  alphabet: number;
  nodes: number;
  /** Children: the root's in rootChild[class], the others' as linked lists. */
  rootChild: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  label: Int32Array;
  /** Words ending at a node: ownFirst[node], then ownNext[word]. */
  ownFirst: Int32Array;
  ownNext: Int32Array;
  lengths: Int32Array;
  /** See Tables.outFrom. */
  outFrom: number;
}

function buildTrie(words: readonly string[], normalize: boolean): Trie {
  const classOf = new Uint16Array(65536);
  let alphabet = 1;
  let capacity = 1;
  for (const w of words) capacity += w.length;
  const firstChild = new Int32Array(capacity).fill(-1);
  const nextSibling = new Int32Array(capacity).fill(-1);
  const label = new Int32Array(capacity);
  const ownFirst = new Int32Array(capacity).fill(-1);
  const ownNext = new Int32Array(words.length).fill(-1);
  const lengths = new Int32Array(words.length);
  let rootChild = new Int32Array(256).fill(-1);
  let nodes = 1;

  for (let w = 0; w < words.length; w++) {
    const word = words[w];
    if (word.length === 0) throw new RangeError('Automaton words must be non-empty');
    lengths[w] = word.length;
    let node = ROOT;
    for (let i = 0; i < word.length; i++) {
      const code = normalize ? foldCodeUnit(word.charCodeAt(i)) : word.charCodeAt(i);
      let c = classOf[code];
      if (c === 0) {
        if (alphabet === 0xffff) throw new RangeError('Automaton alphabet too large');
        c = classOf[code] = alphabet++;
      }
      let child = -1;
      if (node === ROOT) {
        if (c >= rootChild.length) {
          const bigger = new Int32Array(rootChild.length * 2).fill(-1);
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
        if (node === ROOT) rootChild[c] = child;
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
  const outFrom = moveOneCharWordsLast(classOf, alphabet, nodes, rootChild, label, ownFirst);
  if (normalize) {
    // Text characters that fold onto a word character share its class.
    const sources = [0x3000];
    for (let code = 0x41; code <= 0x5a; code++) sources.push(code);
    for (let code = 0xff01; code <= 0xff5e; code++) sources.push(code);
    for (const code of sources) classOf[code] = classOf[foldCodeUnit(code)];
  }
  return { classOf, alphabet, nodes, rootChild, firstChild, nextSibling, label, ownFirst, ownNext, lengths, outFrom };
}

/**
 * Renumbers the classes so that those of one-character words come last: the hot loop then tests
 * `c >= outFrom` instead of loading a flag. Returns outFrom.
 */
function moveOneCharWordsLast(
  classOf: Uint16Array,
  alphabet: number,
  nodes: number,
  rootChild: Int32Array,
  label: Int32Array,
  ownFirst: Int32Array,
): number {
  const isWord = (c: number): boolean => rootChild[c] !== -1 && ownFirst[rootChild[c]] !== -1;
  let singles = 0;
  for (let c = 1; c < alphabet; c++) if (isWord(c)) singles++;
  const outFrom = alphabet - singles;
  if (singles === 0) return outFrom;
  const map = new Uint16Array(alphabet);
  let low = 1;
  let high = outFrom;
  for (let c = 1; c < alphabet; c++) map[c] = isWord(c) ? high++ : low++;
  for (let code = 0; code < 65536; code++) classOf[code] = map[classOf[code]];
  for (let node = 1; node < nodes; node++) label[node] = map[label[node]];
  const children = rootChild.slice(0, alphabet);
  for (let c = 1; c < alphabet; c++) rootChild[map[c]] = children[c];
  return outFrom;
}

/**
 * Double-array cells, grown on demand. usedBase keeps every base distinct (see edgeCheck);
 * nextEmpty is a union–find over cells that finds the first empty cell at or after a position.
 */
class Cells {
  base = new Int32Array(1024);
  check = new Int32Array(1024).fill(EMPTY);
  usedBase = new Uint8Array(1024);
  private skip = Int32Array.from({ length: 1024 }, (_, i) => i);

  ensure(need: number): void {
    if (need <= this.check.length) return;
    let size = this.check.length * 2;
    while (size < need) size *= 2;
    const old = this.check.length;
    const base = new Int32Array(size);
    base.set(this.base);
    const check = new Int32Array(size).fill(EMPTY);
    check.set(this.check);
    const usedBase = new Uint8Array(size);
    usedBase.set(this.usedBase);
    const skip = new Int32Array(size);
    skip.set(this.skip);
    for (let i = old; i < size; i++) skip[i] = i;
    this.base = base;
    this.check = check;
    this.usedBase = usedBase;
    this.skip = skip;
  }

  occupy(cell: number, parent: number): void {
    this.check[cell] = parent;
    this.skip[cell] = cell + 1;
  }

  nextEmpty(from: number): number {
    this.ensure(from + 2);
    let root = from;
    while (this.skip[root] !== root) {
      root = this.skip[root];
      this.ensure(root + 2);
    }
    for (let p = from; p !== root; ) {
      const next = this.skip[p];
      this.skip[p] = root;
      p = next;
    }
    return root;
  }
}

function allEmpty(check: Int32Array, b: number, labels: readonly number[]): boolean {
  for (let k = 0; k < labels.length; k++) if (check[b + labels[k]] !== EMPTY) return false;
  return true;
}

export function buildTables(words: readonly string[], normalize: boolean): Tables {
  const trie = buildTrie(words, normalize);
  const { classOf, alphabet, nodes, rootChild, firstChild, nextSibling, label, ownFirst, ownNext, lengths, outFrom } = trie;

  // Place the trie into the double array breadth first; order[] lists trie nodes in BFS order.
  const cells = new Cells();
  cells.ensure(2 * (nodes + alphabet));
  const stateOf = new Int32Array(nodes);
  const order = new Int32Array(nodes);
  const depth = new Uint8Array(nodes);
  cells.occupy(ROOT, -2);
  let tail = 1;
  let maxState = 0;
  let wideFrom = 1;
  const labels: number[] = [];
  const kids: number[] = [];
  for (let head = 0; head < tail; head++) {
    const node = order[head];
    labels.length = 0;
    kids.length = 0;
    if (node === ROOT) {
      for (let c = 1; c < alphabet; c++) {
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
    if (labels.length === 0) continue; // a leaf: base 0, and no cell ever names it in check
    let minLabel = labels[0];
    for (const c of labels) if (c < minLabel) minLabel = c;
    // One-child nodes fill the holes from the front; wider nodes search from where the last
    // wide node went, so the holes they cannot use are not scanned again and again.
    const wide = labels.length > 1;
    let b = 0;
    for (let pos = cells.nextEmpty(Math.max(wide ? wideFrom : 1, minLabel)); ; pos = cells.nextEmpty(pos + 1)) {
      b = pos - minLabel;
      cells.ensure(b + alphabet + 1);
      if (cells.usedBase[b] === 0 && allEmpty(cells.check, b, labels)) {
        if (wide) wideFrom = pos;
        break;
      }
    }
    cells.base[s] = b;
    cells.usedBase[b] = 1;
    for (let k = 0; k < labels.length; k++) {
      const t = b + labels[k];
      cells.occupy(t, s);
      stateOf[kids[k]] = t;
      depth[kids[k]] = Math.min(depth[node] + 1, 255);
      if (t > maxState) maxState = t;
      order[tail++] = kids[k];
    }
  }

  // Every base[s] + c stays inside the arrays; past `size` lies an all-empty pad one alphabet wide.
  const size = maxState + alphabet + 1;
  cells.ensure(size + alphabet + 1);
  const { base, check } = cells;

  // Failure links and complete output lists, parents before children.
  const fail = new Int32Array(size);
  const outCount = new Int32Array(size);
  for (let k = 1; k < nodes; k++) {
    const node = order[k];
    const s = stateOf[node];
    const parent = check[s];
    let f = ROOT;
    if (parent !== ROOT) {
      for (let g = fail[parent]; ; g = fail[g]) {
        const t = base[g] + label[node];
        if (check[t] === g) {
          f = t;
          break;
        }
        if (g === ROOT) break;
      }
    }
    fail[s] = f;
    let own = 0;
    for (let w = ownFirst[node]; w !== -1; w = ownNext[w]) own++;
    outCount[s] = own + outCount[f];
  }
  const outStart = new Int32Array(size + 1);
  for (let s = 0; s < size; s++) outStart[s + 1] = outStart[s] + outCount[s];
  const outWords = new Int32Array(outStart[size]);
  for (let k = 1; k < nodes; k++) {
    const node = order[k];
    const s = stateOf[node];
    let at = outStart[s];
    for (let w = ownFirst[node]; w !== -1; w = ownNext[w]) outWords[at++] = w;
    outWords.copyWithin(at, outStart[fail[s]], outStart[fail[s] + 1]);
  }

  // Shallow-state tables for the hot loop.
  const rootNext = new Int32Array(alphabet);
  const edgeBase = new Int32Array(alphabet).fill(size);
  const edgeCheck = new Int32Array(check.length).fill(EMPTY);
  for (let c = 1; c < alphabet; c++) {
    const node = rootChild[c];
    if (node === -1) continue;
    const s = stateOf[node];
    rootNext[c] = s;
    if (firstChild[node] !== -1) edgeBase[c] = base[s];
  }
  for (let k = 1; k < nodes; k++) {
    const node = order[k];
    if (depth[node] === 2) edgeCheck[stateOf[node]] = base[check[stateOf[node]]];
  }
  return { classOf, base, check, fail, outStart, outWords, lengths, rootNext, edgeBase, edgeCheck, outFrom };
}
