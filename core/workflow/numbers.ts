/** Case number of the nth case of a year: YQ-2026-0001. */
export function nextCaseNumber(year: number, n: number): string {
  throw new Error('not implemented');
}
