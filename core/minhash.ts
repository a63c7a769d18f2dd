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

const SEEDS = (() => {
  const s = new Int32Array(MINHASH_SIZE);
  let x = 0x9e3779b9;
  for (let i = 0; i < MINHASH_SIZE; i++) {
    x = fmix32(x + 0x6d2b79f5 + i);
    s[i] = x;
  }
  return s;
})();

/** Signature of a text: MINHASH_SIZE signed 32-bit minima. Empty text → all zeros. */
export function minhash(text: string): Int32Array {
  const t = normTable();
  const sig = new Int32Array(MINHASH_SIZE).fill(0x7fffffff);
  let a = 0;
  let b = 0;
  let n = 0;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = t[text.charCodeAt(i)];
    if (c === 0) continue;
    if (n >= 2) {
      const shingle = fmix32(Math.imul(a, 0x01000193) ^ Math.imul(b, 0x00010001) ^ (c * 0x9e37));
      any = true;
      for (let k = 0; k < MINHASH_SIZE; k++) {
        const h = fmix32(shingle ^ SEEDS[k]);
        if (h < sig[k]) sig[k] = h;
      }
    }
    a = b;
    b = c;
    n++;
  }
  if (!any) sig.fill(0);
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
