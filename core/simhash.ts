/** 64-bit SimHash over character shingles of normalised text (Chinese has no spaces). */
export function simhash(text: string): bigint {
  throw new Error('not implemented');
}
export function hamming(a: bigint, b: bigint): number {
  throw new Error('not implemented');
}
/** Four 16-bit bands (0..65535), for the banded near-duplicate index: distance ≤ 3 shares a band. */
export function bands(h: bigint): [number, number, number, number] {
  throw new Error('not implemented');
}
/** Unsigned 64-bit → signed decimal string, for a Postgres bigint column; and back. */
export function toPgBigint(h: bigint): string {
  throw new Error('not implemented');
}
export function fromPgBigint(s: string): bigint {
  throw new Error('not implemented');
}
/** Items whose fingerprints are within this distance belong to the same story. */
export const NEAR_DUPLICATE_DISTANCE = 3;
