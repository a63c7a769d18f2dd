import { readFeed, parseSiteList, type ParsedEntry } from '../parse.js';
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
export async function readBody(spec: ParseSpec, fetched: Body & Origin): Promise<{ entries: ParsedEntry[]; note: ReadNote | null }> {
  return parseText(spec, decodeText(spec, fetched), fetched);
}

/**
 * All entries of the text. Throws CrawlFailure: too_large for a feed of over MAX_FEED_ENTRIES,
 * parse_error when the text is not what the source's kind expects, selector_empty when a site's
 * list selector matches nothing.
 */
async function parseText(spec: ParseSpec, text: string, origin: Origin): Promise<{ entries: ParsedEntry[]; note: ReadNote | null }> {
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
