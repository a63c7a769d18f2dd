// JSON sources (kind 'json'): the request a page of a JSON endpoint is fetched with, and the
// mapping from its document to entries. Pure: the crawl's fetch and parse steps use it, and the
// test fetch (试抓取) reports where a mapping path found nothing.

export type JsonMethod = 'GET' | 'POST';
export type JsonBodyType = 'form' | 'json';

export interface JsonMapping {
  /** Where the list of items is, e.g. "data.list" ("" for a document that is the list). */
  list: string;
  title: string;
  /** The link's path in an item, or null when linkTemplate builds it. */
  link: string | null;
  /** A link built from an item's fields, e.g. "https://liuyan.example.gov.cn/detail?tid={tid}". */
  linkTemplate: string | null;
  date: string | null;
  text: string | null;
  author: string | null;
}

export interface JsonSourceConfig {
  method: JsonMethod;
  /** How the body template is sent with POST. */
  bodyType: JsonBodyType;
  /** The POST body, with {page} for the page number, e.g. "page={page}&size=20" or {"page": {page}}. */
  body: string;
  headers: Record<string, string>;
  /** Pages fetched per crawl (page numbers 1…pages; {page} in the URL or the body). */
  pages: number;
  mapping: JsonMapping;
}

/** The fields a mapping reads in each item. */
export const JSON_ITEM_FIELDS = ['title', 'link', 'date', 'text', 'author'] as const;
export type JsonItemField = (typeof JSON_ITEM_FIELDS)[number];

/** Headers a source may not set (the HTTP client owns them). */
export const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'cookie2', 'te', 'upgrade', 'expect']);

/** The value at a dotted path ("data.list", "items.0.title", "a[2].b"); the whole value for "". */
export function pathGet(value: unknown, path: string): unknown {
  const parts = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  let cur: unknown = value;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, p)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Replaces {page} in a URL or body template; `quote` leaves a JSON body's number bare. */
export function withPage(template: string, page: number): string {
  return template.replaceAll('{page}', String(page)).replaceAll('%7Bpage%7D', String(page)).replaceAll('%7bpage%7d', String(page));
}

/** The request for one page: URL, method, body and its content type. */
export function pageRequest(url: string, config: JsonSourceConfig, page: number): { url: string; method: JsonMethod; body: string | null; contentType: string | null } {
  const target = withPage(url, page);
  if (config.method === 'GET') return { url: target, method: 'GET', body: null, contentType: null };
  return {
    url: target,
    method: 'POST',
    body: withPage(config.body, page),
    contentType: config.bodyType === 'json' ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded; charset=UTF-8',
  };
}

/** A scalar as text: strings as they are, numbers and booleans written out, anything else null. */
function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return null;
}

/**
 * A date value as the crawler's date reader takes it: epoch seconds or milliseconds (numbers, or
 * strings of 10 / 13 digits) become ISO times; any other text is left for core/dates to read.
 */
export function dateText(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return new Date(v >= 1e11 ? v : v * 1000).toISOString();
  const s = scalarText(v);
  if (s === null) return null;
  const t = s.trim();
  if (/^\d{10}$/.test(t)) return new Date(Number(t) * 1000).toISOString();
  if (/^\d{13}$/.test(t)) return new Date(Number(t)).toISOString();
  return t === '' ? null : t;
}

/** A link template filled from an item: each {path} replaced by the item's value there, URL-encoded. */
export function fillLinkTemplate(template: string, item: unknown): string | null {
  let missing = false;
  const out = template.replace(/\{([^{}]+)\}/g, (_m, path: string) => {
    const v = scalarText(pathGet(item, path.trim()));
    if (v === null || v === '') {
      missing = true;
      return '';
    }
    return encodeURIComponent(v);
  });
  return missing ? null : out;
}

export interface JsonEntry {
  link: string | null;
  guid: string | null;
  title: string;
  content: string;
  published: string | null;
  author: string | null;
}

/** A mapping path that found nothing in some items of a document. */
export interface MappingMiss {
  field: JsonItemField;
  path: string;
  /** Items where it found nothing. */
  missing: number;
  items: number;
}

export type JsonReadResult = { ok: true; entries: JsonEntry[]; misses: MappingMiss[] } | { ok: false; listFound: false };

/** The entries of one parsed JSON document by the mapping; `listFound: false` when the list path holds no array. */
export function readJsonDocument(doc: unknown, mapping: JsonMapping): JsonReadResult {
  const list = pathGet(doc, mapping.list);
  if (!Array.isArray(list)) return { ok: false, listFound: false };
  const missing: Record<JsonItemField, number> = { title: 0, link: 0, date: 0, text: 0, author: 0 };
  const entries = list.map((item): JsonEntry => {
    const read = (field: JsonItemField, path: string | null): string | null => {
      if (path === null || path === '') return null;
      const v = field === 'date' ? dateText(pathGet(item, path)) : scalarText(pathGet(item, path));
      if (v === null || v.trim() === '') missing[field]++;
      return v;
    };
    const link = mapping.linkTemplate ? fillLinkTemplate(mapping.linkTemplate, item) : read('link', mapping.link);
    if (mapping.linkTemplate && link === null) missing.link++;
    return {
      link: link && link.trim() !== '' ? link.trim() : null,
      guid: null,
      title: read('title', mapping.title) ?? '',
      content: read('text', mapping.text) ?? '',
      published: read('date', mapping.date),
      author: read('author', mapping.author),
    };
  });
  const paths: Record<JsonItemField, string | null> = {
    title: mapping.title,
    link: mapping.linkTemplate ?? mapping.link,
    date: mapping.date,
    text: mapping.text,
    author: mapping.author,
  };
  const misses = JSON_ITEM_FIELDS.filter((f) => paths[f] && missing[f] > 0).map((f) => ({ field: f, path: paths[f]!, missing: missing[f], items: list.length }));
  return { ok: true, entries, misses };
}
