// htmlparser2 (cheerio/slim), not parse5: parse5 is quadratic in nesting depth (a hostile page
// nested 50,000 deep took about a minute of CPU); htmlparser2 with the depth cap below, seconds.
import { load as loadHtml } from 'cheerio/slim';
import Parser from 'rss-parser';
import type { SiteSelectors } from '../../db/schema.js';
import { capNesting, htmlToText } from '../../core/html.js';
import { repairField, stripControls } from '../../core/text-repair.js';
import { dateTextIn, isDateText, splitTrailingDate } from '../../core/dates.js';
import { parseFieldSelector } from '../../core/field-selector.js';

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

/** HTML (not XML) parsing; serialised HTML keeps characters as they are rather than as &#x…; entities. */
const HTML_OPTIONS = { xml: { xmlMode: false, decodeEntities: true, encodeEntities: 'utf8' as const } };

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

/** How a feed was read: strictly, or leniently (malformed, or cut off after its last complete entry). */
export interface FeedReading {
  entries: ParsedEntry[];
  /** The strict parser refused the document and the lenient reading below found its entries. */
  malformed: boolean;
  /** The document ends before its root end tag (a truncated download): only complete entries kept. */
  truncated: boolean;
}

/**
 * RSS 2.0 / 0.9x, Atom, RDF via rss-parser's parseString. Throws ParseError when it is not a feed.
 *
 * Safety: rss-parser parses with xml2js on top of sax, which never resolves external entities
 * (no file or network reads) and does not expand DTD entities at all; an undeclared entity
 * reference is a parse error in strict mode, so the whole document is rejected.
 */
export async function parseFeed(xml: string): Promise<ParsedEntry[]> {
  return (await readFeed(xml)).entries;
}

/**
 * A feed read as lenient feed readers read it: strictly first; when the strict parser refuses
 * the document, again by a recovering parser (htmlparser2 in XML mode, which closes what is left
 * open and needs no <channel>), keeping every complete <item>/<entry> of an RSS, RDF or Atom
 * root. A document cut off before its root end tag keeps the entries before the cut. A document
 * that declares entities is never read leniently. Throws ParseError when neither reading finds a feed.
 */
export async function readFeed(xml: string): Promise<FeedReading> {
  if (typeof xml !== 'string' || xml.trim() === '') throw new ParseError('Empty document, not a feed');
  const doc = stripBom(xml);
  const reading = await readFeedDocument(doc);
  const base = feedBase(doc);
  return base ? { ...reading, entries: reading.entries.map((e) => ({ ...e, link: e.link && resolveHttp(e.link, base) })) } : reading;
}

/**
 * The absolute http(s) xml:base of a feed's root or channel element, or null. Relative entry links
 * resolve against it (entries' own xml:base is not read); a relative xml:base is left to the
 * document's address, as before.
 */
function feedBase(doc: string): string | null {
  const m = /<(?:[\w.-]+:)?(?:rss|feed|channel|RDF)\b[^>]*?\sxml:base\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(doc.slice(0, 4096));
  const raw = m ? (m[1] ?? m[2]).trim() : '';
  return /^https?:\/\//i.test(raw) ? resolveHttp(raw, raw) : null;
}

async function readFeedDocument(doc: string): Promise<FeedReading> {
  const truncated = rootUnclosed(doc);
  if (!truncated) {
    const parser = createParser();
    let strictError: unknown = null;
    let feed: { items?: RawItem[] } | null = null;
    try {
      feed = await parser.parseString(doc);
    } catch (err) {
      strictError = err;
    }
    if (feed && Array.isArray(feed.items)) return { entries: feed.items.map(toEntry), malformed: false, truncated: false };
    const lenient = readLeniently(doc);
    if (lenient) return { entries: lenient.map(toEntry), malformed: true, truncated: false };
    throw new ParseError(`Not a readable RSS/Atom/RDF feed: ${strictError ? firstLine(strictError) : 'no channel'}`);
  }
  const lenient = readLeniently(cutAfterLastEntry(doc));
  if (!lenient) throw new ParseError('Not a readable RSS/Atom/RDF feed: the document is cut off before its first complete entry');
  return { entries: lenient.map(toEntry), malformed: true, truncated: true };
}

const FEED_ROOTS = new Set(['rss', 'rdf', 'feed', 'channel']);
const ENTRY_END = /<\/(?:[\w.-]+:)?(?:item|entry)\s*>/gi;

/** The local name of the document's first element (after the prolog, comments and doctype). */
function rootName(doc: string): string | null {
  const m = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*<([\w:.-]+)/i.exec(doc);
  return m ? m[1] : null;
}

/** True for a feed whose root element (rss, RDF, feed) is opened but never closed. */
function rootUnclosed(doc: string): boolean {
  const root = rootName(doc);
  if (!root || !FEED_ROOTS.has(localName(root))) return false;
  return !new RegExp(`</${root.replace(/[.]/g, '\\.')}\\s*>`, 'i').test(doc);
}

/** The document up to the end tag of its last complete entry. */
function cutAfterLastEntry(doc: string): string {
  let end = -1;
  for (const m of doc.matchAll(ENTRY_END)) end = m.index + m[0].length;
  return end === -1 ? '' : doc.slice(0, end);
}

function localName(name: string): string {
  return name.slice(name.lastIndexOf(':') + 1).toLowerCase();
}

/** A DOM element as htmlparser2 builds it in XML mode. */
interface XmlElement {
  type: string;
  name: string;
  attribs: Record<string, string>;
  children: XmlElement[];
  parent: XmlElement | null;
}

/**
 * The entries of a document the strict parser refused, read by htmlparser2 in XML mode: each
 * <item> or <entry> that is not inside another, mapped to the fields rss-parser would give, so
 * toEntry reads both alike. Null when the root is not a feed's or no entry is found.
 */
function readLeniently(doc: string): RawItem[] | null {
  const root = rootName(doc);
  if (!root || !FEED_ROOTS.has(localName(root))) return null;
  // A document declaring entities (XXE, billion laughs) stays refused as a whole, as strictly.
  if (/<!ENTITY/i.test(doc)) return null;
  const $ = loadHtml(capNesting(doc), { xml: { xmlMode: true, decodeEntities: true } });
  const items: RawItem[] = [];
  const stack = ($.root().toArray() as unknown as XmlElement[]).slice();
  while (stack.length > 0) {
    const node = stack.pop()!;
    const local = node.type === 'tag' ? localName(node.name) : '';
    if (local === 'item' || local === 'entry') {
      items.push(rawItemOf($, node, local === 'entry'));
      continue;
    }
    if (node.children) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return items.length > 0 ? items : null;
}

const MARKUP_FIELDS = new Set(['content', 'content:encoded', 'description', 'summary']);

/** One entry element as rss-parser's item shape: first child of each name, Atom links and authors. */
function rawItemOf($: ReturnType<typeof loadHtml>, el: XmlElement, isAtom: boolean): RawItem {
  const item: RawItem = {};
  let firstHref: string | null = null;
  for (const child of el.children) {
    if (child.type !== 'tag') continue;
    const name = child.name.toLowerCase() === 'pubdate' ? 'pubDate' : child.name.toLowerCase();
    const $child = $(child as never);
    if (localName(name) === 'link' && child.attribs.href !== undefined) {
      firstHref ??= child.attribs.href;
      const rel = child.attribs.rel ?? 'alternate';
      if (rel === 'alternate' && typeof item.link !== 'string') item.link = child.attribs.href;
      continue;
    }
    if (name in item) continue;
    if (isAtom && name === 'author') {
      item.author = $child.children().filter((_, c) => localName((c as unknown as XmlElement).name ?? '') === 'name').first().text() || $child.text();
      continue;
    }
    const hasElements = child.children.some((c) => c.type === 'tag');
    item[name] = MARKUP_FIELDS.has(name) && hasElements ? ($child.html() ?? '') : $child.text();
  }
  if (typeof item.link !== 'string' && firstHref !== null) item.link = firstHref;
  if (isAtom) {
    item.rawPublished = text(item.published) ?? text(item.issued) ?? text(item.created);
    item.rawUpdated = text(item.updated) ?? text(item.modified);
    atomItems.add(item);
  }
  return item;
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
    // Atom 0.3 names them <issued> (or <created>) and <modified>.
    const published = nodeText(entry.published) ?? nodeText(entry.issued) ?? nodeText(entry.created);
    const updated = nodeText(entry.updated) ?? nodeText(entry.modified);
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
  // A title that is only an image (<img alt="…">, escaped or in CDATA): its alt or title text.
  if (title && !htmlText(title)) title = collapse(imageText(title));
  if (!title) title = Array.from(htmlText(content)).slice(0, FALLBACK_TITLE_CHARS).join('');
  return scrubEntry({ link, guid, title, content, published, author });
}

/**
 * Every field made storable: NUL and other C0 control characters removed (feeds carry them, and
 * PostgreSQL text cannot store NUL, so one would fail the whole crawl's transaction). Title,
 * content and author are also repaired as browsers would read them: C1 controls as windows-1252,
 * UTF-8 that was read as windows-1252 turned back (core/text-repair.ts).
 */
function scrubEntry(e: ParsedEntry): ParsedEntry {
  const s = (v: string | null) => (v === null ? null : stripControls(v));
  return { link: s(e.link), guid: s(e.guid), title: repairField(e.title), content: repairField(e.content), published: s(e.published), author: e.author === null ? null : repairField(e.author) };
}

/** The alt (or title) text of the first image in an HTML fragment, '' when there is none. */
function imageText(html: string): string {
  const $ = loadHtml(capNesting(html), HTML_OPTIONS);
  const img = $('img[alt], img[title]').first();
  return img.length ? (img.attr('alt')?.trim() || img.attr('title')?.trim() || '') : '';
}

/**
 * Entries of an HTML list page by CSS selectors; links resolved against the page's <base href>
 * (as browsers do), else baseUrl. The link, title and date selectors may name an attribute to
 * read (`a@title`) and children to leave out of the text (`a!span`, core/field-selector.ts).
 * A title loses a date element nested in it and a date printed at its end ("… [2020-12-31]");
 * the date is its element's whole text (a date split over two elements reads as one), or — with
 * no date selector — the first date written in the entry outside its title.
 */
export function parseSiteList(html: string, baseUrl: string, selectors: SiteSelectors): ParsedEntry[] {
  const $ = loadPage(html);
  const base = resolveHttp($('base[href]').first().attr('href'), baseUrl) ?? baseUrl;
  const rows = select(() => $(selectors.item), selectors.item);
  const linkSel = selectors.link ? parseFieldSelector(selectors.link) : null;
  const titleSel = selectors.title ? parseFieldSelector(selectors.title) : null;
  const dateSel = selectors.date ? parseFieldSelector(selectors.date) : null;
  const entries: ParsedEntry[] = [];
  rows.each((_, row) => {
    const $row = $(row);
    const $link = linkSel
      ? select(() => $row.find(linkSel.css), selectors.link!).first()
      : $row.is('a[href]')
        ? $row
        : $row.find('a[href]').first();
    const link = resolveHttp($link.attr(linkSel?.attr ?? 'href'), base);
    if (!link) return;
    const $title = titleSel ? select(() => $row.find(titleSel.css), selectors.title!).first() : $link;
    const $found = dateSel ? select(() => $row.find(dateSel.css), selectors.date!).first() : null;
    const $date = $found?.length ? $found : null;
    // A date element nested in the title (or link) is not part of the title: the date selector's
    // element, or else an element ending the title whose whole text is a date (not a bare 3-1).
    const nested = $date ? [] : [...$title.toArray(), ...$link.toArray()].flatMap((el) => endingDate($, el)).slice(0, 1);
    const dateNodes = $date ? $date.toArray() : nested;
    const titleText = (sel: ReturnType<typeof $>, exclude: string[]) => collapse(textOf(sel, excluded($, sel, exclude, dateNodes)));
    const titleAttr = titleSel?.attr ? collapse($title.attr(titleSel.attr) ?? '') : '';
    const split = splitTrailingDate(
      titleAttr ||
        titleText($title, titleSel?.exclude ?? []) ||
        titleText($link, []) ||
        collapse($title.find('img').first().attr('alt') ?? $link.find('img').first().attr('alt') ?? ''),
    );
    const title = split.title;
    let published: string | null = null;
    if ($date) {
      published =
        (dateSel?.attr ? collapse($date.attr(dateSel.attr) ?? '') : '') ||
        collapse($date.attr('datetime') ?? '') ||
        collapse(textOf($date, excluded($, $date, dateSel?.exclude ?? [], []), true)) ||
        null;
    } else {
      // No date selector, or one matching nothing here: the first date written in the entry
      // outside its title and link, else the date nested in or printed after the title.
      published =
        dateTextIn(textOf($row, new Set([...$title.toArray(), ...$link.toArray()]), true)) ??
        (nested.length ? collapse(textOf($(nested[0] as never))) : null) ??
        split.date;
    }
    entries.push(scrubEntry({ link, guid: null, title, content: '', published, author: null }));
  });
  return entries;
}

/** The last element child of el when it ends el's text and its whole text is a date, as a list of 0 or 1. */
function endingDate($: ReturnType<typeof loadHtml>, el: unknown): unknown[] {
  const children = (el as DomNode).children ?? [];
  let i = children.length - 1;
  while (i >= 0 && children[i].type === 'text' && (children[i].data ?? '').trim() === '') i--;
  const last = children[i];
  if (!last || last.type !== 'tag') return [];
  const text = textOf($(last as never));
  return isDateText(text) && !/^\s*\d{1,2}-\d{1,2}\s*$/.test(text) ? [last] : [];
}

/** The nodes left out of a field's text: descendants matching the exclusions, and any others given. */
function excluded($: ReturnType<typeof loadHtml>, sel: ReturnType<ReturnType<typeof loadHtml>>, exclude: string[], others: unknown[]): Set<unknown> {
  const out = new Set<unknown>(others);
  for (const css of exclude) for (const n of select(() => sel.find(css), css).toArray()) out.add(n);
  return out;
}

/** The HTML of the main text on a detail page, or '' when the selector matches nothing. */
export function extractDetail(html: string, selector: string): string {
  const $ = loadPage(html);
  const found = select(() => $(selector), selector).first();
  if (!found.length) return '';
  try {
    return found.html() ?? '';
  } catch (err) {
    // Serialising recurses per nesting level: a hostile page nested tens of thousands deep
    // overflows the stack. Its text, escaped, is what the item keeps instead.
    if (!(err instanceof RangeError)) throw err;
    return textOf(found).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }
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
  return html ? collapse(htmlToText(html)) : '';
}

/** Above this many top-level elements a page's are wrapped in one element before queries. */
const MAX_TOP_LEVEL = 64;

/**
 * A page loaded for CSS queries. cheerio queries from the root's children, and css-select
 * de-duplicates its context nodes pairwise: a hostile page of tens of thousands of top-level
 * elements (no <html> around them) took seconds per query. Wrapped in one element, it is linear.
 */
function loadPage(html: string) {
  const $ = loadHtml(capNesting(html), HTML_OPTIONS);
  const root = $.root();
  capDepth(root[0] as unknown as TreeNode, MAX_DEPTH);
  if (root.children().length > MAX_TOP_LEVEL) root.wrapInner('<div></div>');
  return $;
}

/** As browsers do (Chromium stops nesting at 512), elements deeper than this become siblings. */
export const MAX_DEPTH = 512;

/** domhandler's node links, structurally. */
interface TreeNode {
  type: string;
  parent: TreeNode | null;
  prev: TreeNode | null;
  next: TreeNode | null;
  children?: TreeNode[];
}

/**
 * Flattens what lies deeper than maxDepth: the descendants of a node at that depth become its
 * children, in document order, text kept. Descendant selectors cost O(depth) per element, so a
 * hostile page nested 50,000 deep took many seconds per query; capped, queries stay linear.
 */
function capDepth(root: TreeNode, maxDepth: number): void {
  const stack: [TreeNode, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    const children = node.children;
    if (!children || children.length === 0) continue;
    if (depth < maxDepth) {
      for (const child of children) stack.push([child, depth + 1]);
      continue;
    }
    if (!children.some((c) => c.children && c.children.length > 0)) continue;
    const flat: TreeNode[] = [];
    const walk: TreeNode[] = [...children].reverse();
    while (walk.length > 0) {
      const n = walk.pop()!;
      flat.push(n);
      if (n.children && n.children.length > 0) {
        for (let i = n.children.length - 1; i >= 0; i--) walk.push(n.children[i]);
        n.children = [];
      }
    }
    flat.forEach((n, i) => {
      n.parent = node;
      n.prev = flat[i - 1] ?? null;
      n.next = flat[i + 1] ?? null;
    });
    node.children = flat;
  }
}

/** The bits of a DOM node textOf reads (domhandler's nodes, structurally). */
interface DomNode {
  type: string;
  data?: string;
  children?: DomNode[];
}

/**
 * Text of a cheerio selection, as .text() gives it, but walked with an explicit stack:
 * cheerio's recursive walk overflows the call stack on elements nested tens of thousands deep.
 * Nodes in `skip` are left out with their descendants; `spaced` puts a space between elements
 * (a date split over two elements, <span>09/25</span><span>2020</span>, reads "09/25 2020").
 */
function textOf(selection: { toArray(): unknown[] }, skip?: ReadonlySet<unknown>, spaced = false): string {
  const out: string[] = [];
  const stack = (selection.toArray() as DomNode[]).reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (skip?.has(node)) continue;
    if (node.type === 'text') out.push(node.data ?? '');
    else if (node.type !== 'comment' && node.children) {
      if (spaced) out.push(' ');
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
  }
  return out.join('');
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
  // Control characters (a NUL quoted from the input) would not survive storage as text.
  return msg.split('\n')[0].slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, ' ');
}
