import * as cheerio from 'cheerio';
import Parser from 'rss-parser';
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

export class ParseError extends Error {
  override name = 'ParseError';
}

/** Length of the fallback title cut from the content when an entry has none. */
export const FALLBACK_TITLE_CHARS = 60;

/** What rss-parser hands back per item, loosely typed: publishers put anything anywhere. */
type RawItem = Record<string, unknown>;
/** xml2js's shape of one Atom <entry>: every child element is an array. */
type XmlNode = Record<string, unknown>;

const atomItems = new WeakSet<object>();

/**
 * RSS 2.0 / 0.9x, Atom, RDF via rss-parser's parseString. Throws ParseError when it is not a feed.
 *
 * Safety: rss-parser parses with xml2js on top of sax, which never resolves external entities
 * (no file or network reads) and does not expand DTD entities at all; an undeclared entity
 * reference is a parse error in strict mode, so the whole document is rejected.
 */
export async function parseFeed(xml: string): Promise<ParsedEntry[]> {
  if (typeof xml !== 'string' || xml.trim() === '') throw new ParseError('Empty document, not a feed');
  const parser = createParser();
  let feed: { items?: RawItem[] };
  try {
    feed = await parser.parseString(stripBom(xml));
  } catch (err) {
    throw new ParseError(`Not a readable RSS/Atom/RDF feed: ${firstLine(err)}`);
  }
  if (!feed || !Array.isArray(feed.items)) throw new ParseError('Not a readable RSS/Atom/RDF feed: no channel');
  return feed.items.map(toEntry);
}

/** A fresh parser per document: xml2js keeps per-parse state on the instance. */
function createParser(): Parser<Record<string, unknown>, RawItem> {
  const parser = new Parser<Record<string, unknown>, RawItem>({
    // `<rss>` without a version attribute (seen in the wild) is read as RSS 2.0.
    defaultRSS: 2,
    customFields: { item: ['description'] },
    xml2js: { strict: true, async: false },
  });
  guardAtomEntries(parser);
  return parser;
}

/**
 * rss-parser's Atom entry mapping throws on an unparseable <published>/<updated> or a <link>
 * without attributes, which would reject a whole feed for one odd entry. We hand it a cleaned
 * copy of each entry and keep the raw date strings ourselves.
 */
function guardAtomEntries(parser: object): void {
  const internals = parser as { parseItemAtom?: (entry: XmlNode) => RawItem };
  const original = internals.parseItemAtom?.bind(parser);
  if (!original) return;
  internals.parseItemAtom = (entry: XmlNode) => {
    const cleaned: XmlNode = { ...entry };
    const published = nodeText(entry.published);
    const updated = nodeText(entry.updated);
    if (!isValidDate(published)) delete cleaned.published;
    if (!isValidDate(updated)) delete cleaned.updated;
    if (Array.isArray(entry.link)) {
      const links = entry.link.filter((l) => isRecord(l) && isRecord(l.$) && typeof l.$.href === 'string');
      if (links.length) cleaned.link = links;
      else delete cleaned.link;
    }
    const item = original(cleaned);
    item.rawPublished = published;
    item.rawUpdated = updated;
    if (!item.link && Array.isArray(entry.link)) item.link = nodeText(entry.link);
    atomItems.add(item);
    return item;
  };
}

function toEntry(item: RawItem): ParsedEntry {
  const isAtom = atomItems.has(item);
  const guid = text(item.guid) ?? text(item.id);
  const link =
    text(item.link) ??
    (guid && isHttpUrl(guid) ? guid : null) ??
    (isHttpUrl(text(item['rdf:about'])) ? text(item['rdf:about']) : null);
  const content =
    rawText(item['content:encoded']) ??
    (isAtom ? rawText(item.content) : null) ??
    rawText(item.summary) ??
    rawText(item.description) ??
    rawText(item.content) ??
    '';
  const published = isAtom
    ? text(item.rawPublished) ?? text(item.rawUpdated) ?? text(item.isoDate)
    : text(item.pubDate) ?? text(item.date) ?? text(item['dc:date']) ?? text(item.isoDate);
  const author = text(item.creator) ?? text(item.author) ?? text(item['dc:creator']);
  let title = collapse(text(item.title) ?? '');
  if (!title) title = Array.from(htmlText(content)).slice(0, FALLBACK_TITLE_CHARS).join('');
  return { link, guid, title, content, published, author };
}

/** Entries of an HTML list page by CSS selectors; links resolved against baseUrl. */
export function parseSiteList(html: string, baseUrl: string, selectors: SiteSelectors): ParsedEntry[] {
  const $ = cheerio.load(html);
  const rows = select(() => $(selectors.item), selectors.item);
  const entries: ParsedEntry[] = [];
  rows.each((_, row) => {
    const $row = $(row);
    const $link = selectors.link
      ? select(() => $row.find(selectors.link!), selectors.link).first()
      : $row.is('a[href]')
        ? $row
        : $row.find('a[href]').first();
    const link = resolveHttp($link.attr('href'), baseUrl);
    if (!link) return;
    const $title = selectors.title ? select(() => $row.find(selectors.title!), selectors.title).first() : $link;
    const title = collapse($title.text()) || collapse($link.text());
    let published: string | null = null;
    if (selectors.date) {
      const $date = select(() => $row.find(selectors.date!), selectors.date).first();
      published = collapse($date.attr('datetime') ?? '') || collapse($date.text()) || null;
    }
    entries.push({ link, guid: null, title, content: '', published, author: null });
  });
  return entries;
}

/** The HTML of the main text on a detail page, or '' when the selector matches nothing. */
export function extractDetail(html: string, selector: string): string {
  const $ = cheerio.load(html);
  const found = select(() => $(selector), selector).first();
  return found.length ? (found.html() ?? '') : '';
}

/** Runs a cheerio query, turning a malformed selector into a ParseError the source row can show. */
function select<T>(query: () => T, selector: string): T {
  try {
    return query();
  } catch (err) {
    throw new ParseError(`Invalid CSS selector "${selector}": ${firstLine(err)}`);
  }
}

function resolveHttp(href: string | undefined, baseUrl: string): string | null {
  const raw = href?.trim();
  if (!raw) return null;
  try {
    const url = new URL(raw, baseUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A trimmed, non-empty string, or null. xml2js gives objects for elements with attributes. */
function text(value: unknown): string | null {
  const raw = rawText(value);
  const trimmed = raw?.trim();
  return trimmed ? trimmed : null;
}

function rawText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (isRecord(value) && typeof value._ === 'string') return rawText(value._);
  return null;
}

/** Text of the first element of an xml2js child array. */
function nodeText(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return text(value[0]);
}

function htmlText(html: string): string {
  if (!html) return '';
  const $ = cheerio.load(html);
  $('script, style, noscript').remove();
  return collapse($.root().text());
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function isValidDate(s: string | null): boolean {
  return s !== null && !Number.isNaN(new Date(s).getTime());
}

function isHttpUrl(s: string | null): s is string {
  return s !== null && /^https?:\/\/\S+$/i.test(s);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].slice(0, 200);
}
