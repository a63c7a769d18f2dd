/** Case number of the nth case of a year: YQ-2026-0001 (more digits past 9999: YQ-2026-10000). */
export function nextCaseNumber(year: number, n: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`Invalid case year ${year}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Invalid case sequence ${n}`);
  return `YQ-${year}-${String(n).padStart(4, '0')}`;
}
