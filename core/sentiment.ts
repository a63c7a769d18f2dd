/** Negative-tone score in [0, 1] from the shipped Chinese lexicon (with simple negation handling). */
export function negativity(text: string): number {
  throw new Error('not implemented');
}
/** Items at or above this score count as negative (rules with negative_only). */
export const NEGATIVE_THRESHOLD = 0.3;
