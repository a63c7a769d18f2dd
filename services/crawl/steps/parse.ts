import { readFeed, parseSiteList, type ParsedEntry } from '../parse.js';
import { readJsonDocument, type MappingMiss } from '../../../core/json-source.js';
import { CrawlFailure, MAX_ENTRIES_PER_CRAWL, MAX_FEED_ENTRIES, type CrawlContext, type ParseSpec } from '../context.js';
import { decodeText, type Body } from './decode.js';
import { step } from './step.js';

// Step 3, parse: the text as the source's kind reads it (a feed, or a site's list page by its
// selectors) into entries. A feed listing absurdly many entries is refused before any XML parsing;
// a crawl keeps the first MAX_ENTRIES_PER_CRAWL (feeds list the newest first).

/** Where the text came from: links resolve against finalUrl; failures carry the response's status. */
export interface Origin {
  finalUrl: string;
  httpStatus: number;
}

export interface Parsed {
  /** The entries a crawl goes on with (the first MAX_ENTRIES_PER_CRAWL). */
  entries: ParsedEntry[];
  /** Entries the page listed. */
  seen: number;
  /** What the source's health should say about how the document was read, or null. */
  note: ReadNote | null;
}

export const parse = step('parse', async function parse({ source }: CrawlContext, text: string, origin: Origin): Promise<Parsed> {
  const { entries: all, note } = await parseText(source, text, origin);
  return { entries: all.slice(0, MAX_ENTRIES_PER_CRAWL), seen: all.length, note };
});

/** Charset decode + parse of one fetched body, as a crawl does it (a preview, the corpus tests). */
export async function entriesOf(spec: ParseSpec, fetched: Body & Origin): Promise<ParsedEntry[]> {
  return (await parseText(spec, decodeText(spec, fetched), fetched)).entries;
}

/** A note on how a document was read, for the source's health and the preview (试抓取). */
export interface ReadNote {
  zh: string;
  en: string;
}

/** A feed the strict parser refused but the lenient reading read. */
export const MALFORMED_NOTE: ReadNote = { zh: '格式有误，已容错读取', en: 'Malformed feed, read leniently' };
/** A feed cut off before its root end tag: its complete entries were read. */
export const TRUNCATED_NOTE: ReadNote = {
  zh: '格式有误，已容错读取：文档不完整（下载被截断），已读取截断前的完整条目',
  en: 'Malformed feed, read leniently: the document is cut off (truncated download), the complete entries before the cut were read',
};

/** Charset decode + parse of one fetched body with the note on how it was read (the preview). */
export async function readBody(spec: ParseSpec, fetched: Body & Origin): Promise<Read> {
  return parseText(spec, decodeText(spec, fetched), fetched);
}

/** What a document yielded: its entries, how it was read, and (JSON) where mapping paths found nothing. */
export interface Read {
  entries: ParsedEntry[];
  note: ReadNote | null;
  misses?: MappingMiss[];
}

/** A JSON source answered something that is not JSON (a login page, an error page). */
export const NOT_JSON = {
  zh: '返回的不是 JSON（可能是登录页、错误页或反爬页面）',
  en: 'The response is not JSON (a login, error or anti-bot page?)',
};

/**
 * All entries of the text. Throws CrawlFailure: too_large for a feed of over MAX_FEED_ENTRIES,
 * parse_error when the text is not what the source's kind expects, selector_empty when a site's
 * list selector matches nothing.
 */
async function parseText(spec: ParseSpec, text: string, origin: Origin): Promise<Read> {
  if (spec.kind === 'json') return parseJsonPages(spec, text, origin);
  if (spec.kind === 'feed') refuseHugeFeed(text, origin.httpStatus);
  const { entries, note } = await parseEntries(spec, text, origin);
  if (spec.kind === 'site' && entries.length === 0) {
    throw new CrawlFailure(
      'selector_empty',
      '列表选择器没有匹配到任何条目，网页可能已改版，请检查选择器 / The list selector matched no entries: the page layout may have changed, check the selectors',
      origin.httpStatus,
    );
  }
  return { entries, note };
}

/**
 * The entries of a JSON source's pages (the fetch step's array of page texts) by its mapping. The
 * first page not JSON is a parse error ("返回的不是 JSON"); a list path finding no array on the first
 * page is selector_empty; a later page without items ends the list.
 */
function parseJsonPages(spec: ParseSpec, text: string, origin: Origin): Read {
  const config = spec.json_config;
  if (!config) throw new CrawlFailure('parse_error', 'JSON source has no mapping', origin.httpStatus);
  let pages: unknown;
  try {
    pages = JSON.parse(text);
  } catch {
    pages = [text];
  }
  const texts = Array.isArray(pages) ? pages.filter((p): p is string => typeof p === 'string') : [text];
  const entries: ParsedEntry[] = [];
  const misses = new Map<string, MappingMiss>();
  for (const [i, pageText] of texts.entries()) {
    let doc: unknown;
    try {
      doc = JSON.parse(pageText.replace(/^\uFEFF/, ''));
    } catch {
      if (i === 0) throw new CrawlFailure('parse_error', `${NOT_JSON.zh} / ${NOT_JSON.en}`, origin.httpStatus);
      break;
    }
    const read = readJsonDocument(doc, config.mapping);
    if (!read.ok) {
      if (i === 0) {
        throw new CrawlFailure(
          'selector_empty',
          `列表路径“${config.mapping.list}”没有找到数组，请检查映射 / The list path "${config.mapping.list}" found no array: check the mapping`,
          origin.httpStatus,
        );
      }
      break;
    }
    if (read.entries.length === 0 && i > 0) break;
    entries.push(...read.entries);
    for (const m of read.misses) {
      const prev = misses.get(m.field);
      misses.set(m.field, prev ? { ...prev, missing: prev.missing + m.missing, items: prev.items + m.items } : m);
    }
  }
  return { entries, note: null, misses: [...misses.values()].map((m) => ({ ...m, items: entries.length })) };
}

/** Counts entry elements (<item>, <entry>, namespaced or not) cheaply, before any XML parsing. */
function refuseHugeFeed(text: string, httpStatus: number): void {
  const tag = /<(?:[\w.-]+:)?(?:item|entry)[\s/>]/g;
  let n = 0;
  while (tag.exec(text) !== null) {
    if (++n > MAX_FEED_ENTRIES) {
      throw new CrawlFailure(
        'too_large',
        `订阅源条目超过 ${MAX_FEED_ENTRIES} 条，未解析 / The feed lists more than ${MAX_FEED_ENTRIES} entries: not parsed`,
        httpStatus,
      );
    }
  }
}

async function parseEntries(spec: ParseSpec, text: string, origin: Origin): Promise<{ entries: ParsedEntry[]; note: ReadNote | null }> {
  try {
    if (spec.kind === 'feed') {
      const read = await readFeed(text);
      return { entries: read.entries, note: read.truncated ? TRUNCATED_NOTE : read.malformed ? MALFORMED_NOTE : null };
    }
    if (!spec.selectors) throw new Error('Site source has no selectors');
    return { entries: parseSiteList(text, origin.finalUrl, spec.selectors), note: null };
  } catch (err) {
    throw new CrawlFailure('parse_error', `Parse error: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500), origin.httpStatus);
  }
}
