/**
 * Canonical form of an item URL: lower-case scheme and host, default port dropped, no fragment,
 * tracking parameters (utm_*, spm, from, …) removed, remaining query sorted. Relative URLs are
 * resolved against base. Returns null for anything that is not http(s).
 */
export function canonicalUrl(raw: string, base?: string): string | null {
  throw new Error('not implemented');
}
