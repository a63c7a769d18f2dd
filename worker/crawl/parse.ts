import type { SiteSelectors } from '../../db/schema.js';

/** One entry found on a feed or list page, before normalisation. */
export interface ParsedEntry {
  link: string | null;
  guid: string | null;
  title: string;
  /** HTML or plain text of the entry's content/summary as the source gave it. */
  content: string;
  /** Raw date string as found, parsed later by core/dates. */
  published: string | null;
  author: string | null;
}

export class ParseError extends Error {}

/** RSS 2.0 / 0.9x, Atom, RDF via rss-parser's parseString. Throws ParseError when it is not a feed. */
export async function parseFeed(xml: string): Promise<ParsedEntry[]> {
  throw new Error('not implemented');
}

/** Entries of an HTML list page by CSS selectors; links resolved against baseUrl. */
export function parseSiteList(html: string, baseUrl: string, selectors: SiteSelectors): ParsedEntry[] {
  throw new Error('not implemented');
}

/** The HTML of the main text on a detail page, or '' when the selector matches nothing. */
export function extractDetail(html: string, selector: string): string {
  throw new Error('not implemented');
}
