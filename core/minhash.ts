import { fmix32, normTable } from './simhash.js';

// MinHash over character 3-grams, with LSH band keys: the second way reposts find their story.
// SimHash (64 bits) is exact and cheap for near-identical texts, but a short Chinese post with a
// framing line added and two words changed moves 7–14 bits — too far for any banded index. MinHash
// estimates the Jaccard similarity of the shingle sets instead, which such a repost keeps high
// (≈ 0.7–0.9) while distinct articles on one topic stay low (< 0.3).

/** Hash functions in a signature. */
export const MINHASH_SIZE = 40;
/** LSH: BANDS bands of ROWS rows. P(candidate) = 1 − (1 − J^ROWS)^BANDS: J 0.7 → 0.94, J 0.2 → 0.016. */
export const MINHASH_BANDS = 10;
export const MINHASH_ROWS = 4;
/** Two texts whose estimated Jaccard similarity reaches this belong to the same story. */
export const SAME_STORY_JACCARD = 0.5;

const BIN_SEED = 0x5bd1e995;
const EMPTY = 0x7fffffff;

/**
 * Signature of a text: MINHASH_SIZE signed 32-bit values, by one-permutation hashing (each
 * shingle hashed once; its hash picks a bin and competes for that bin's minimum), with empty bins
 * filled from the next non-empty bin (rotation densification), so short texts still compare
 * fairly. Empty text → all zeros.
 */
export function minhash(text: string): Int32Array {
  const t = normTable();
  const sig = new Int32Array(MINHASH_SIZE).fill(EMPTY);
  let a = 0;
  let b = 0;
  let n = 0;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = t[text.charCodeAt(i)];
    if (c === 0) continue;
    if (n >= 2) {
      const h = fmix32(Math.imul(a, 0x01000193) ^ Math.imul(b, 0x00010001) ^ Math.imul(c, 0x9e3779b1));
      const bin = Math.floor(((h >>> 0) * MINHASH_SIZE) / 4294967296);
      const v = fmix32(h ^ BIN_SEED) >>> 1; // 31-bit, so EMPTY stays above every value
      if (v < sig[bin]) sig[bin] = v;
      any = true;
    }
    a = b;
    b = c;
    n++;
  }
  if (!any) return sig.fill(0);
  const original = Int32Array.from(sig);
  for (let i = 0; i < MINHASH_SIZE; i++) {
    if (original[i] !== EMPTY) continue;
    for (let step = 1; step < MINHASH_SIZE; step++) {
      const v = original[(i + step) % MINHASH_SIZE];
      if (v !== EMPTY) {
        sig[i] = fmix32(v + Math.imul(step, 0x9e3779b9)) >>> 1;
        break;
      }
    }
  }
  return sig;
}

/** Estimated Jaccard similarity: the share of equal minima. */
export function jaccard(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length || x.length === 0) return 0;
  let same = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === y[i]) same++;
  return same / x.length;
}

/** LSH band keys (non-negative integers < 2^36, distinct per band), for an exact-match index. */
export function bandKeys(sig: ArrayLike<number>): number[] {
  const keys: number[] = [];
  for (let band = 0; band < MINHASH_BANDS; band++) {
    let h = band * 0x27d4eb2d;
    for (let r = 0; r < MINHASH_ROWS; r++) h = fmix32(h ^ sig[band * MINHASH_ROWS + r]) + 0x165667b1;
    keys.push(band * 2 ** 32 + (h >>> 0));
  }
  return keys;
}
