// Decoding fetched bytes to text: which charset, from where, and never a thrown error.
import iconv from 'iconv-lite';

export interface DecodeInput {
  bytes: Uint8Array;
  /** The Content-Type header, if any. */
  contentType?: string | null;
  /** An admin override on the source; wins over everything. */
  override?: string | null;
}
export interface Decoded {
  text: string;
  /** The charset actually used, normalised (e.g. 'gb18030', 'utf-8', 'big5'). */
  charset: string;
  /** Where it came from. */
  from: 'override' | 'bom' | 'header' | 'xml' | 'meta' | 'default';
}

/** How far into the body the XML declaration and <meta> are looked for. */
export const SNIFF_BYTES = 4096;

const ALIASES: Record<string, string> = {
  // GB2312 and GBK are subsets of GB18030: decoding as GB18030 reads all of them.
  gbk: 'gb18030',
  gb2312: 'gb18030',
  gb_2312: 'gb18030',
  'gb_2312-80': 'gb18030',
  'gb-2312': 'gb18030',
  'x-gbk': 'gb18030',
  cp936: 'gb18030',
  ms936: 'gb18030',
  'windows-936': 'gb18030',
  csgb2312: 'gb18030',
  csiso58gb231280: 'gb18030',
  'iso-ir-58': 'gb18030',
  chinese: 'gb18030',
  'euc-cn': 'gb18030',
  euccn: 'gb18030',
  gb18030: 'gb18030',
  'gb-18030': 'gb18030',
  // Big5 is decoded with the HKSCS extension, a superset.
  big5: 'big5',
  'big5-hkscs': 'big5',
  big5hkscs: 'big5',
  'cn-big5': 'big5',
  'x-x-big5': 'big5',
  csbig5: 'big5',
  cp950: 'big5',
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  'x-unicode20utf8': 'utf-8',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  ucs2: 'utf-16le',
  'ucs-2': 'utf-16le',
  // As browsers do (WHATWG Encoding): Latin-1 and ASCII labels mean windows-1252.
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  iso_8859_1: 'windows-1252',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  cp1252: 'windows-1252',
  'windows-1252': 'windows-1252',
};

/** The charset name this module uses → the name iconv-lite decodes with. */
const ICONV_NAME: Record<string, string> = { big5: 'big5hkscs' };

/**
 * A charset label (any case, quotes and spaces tolerated) → its normalised name, or null when
 * neither this table nor iconv-lite knows it.
 */
export function normaliseCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label.trim().replace(/^["']|["']$/g, '').trim().toLowerCase();
  if (l === '') return null;
  // Own properties only: a hostile label such as "__proto__" or "constructor" must not reach iconv.
  if (Object.hasOwn(ALIASES, l)) return ALIASES[l];
  if (!/^[a-z0-9][a-z0-9._:-]*$/.test(l)) return null;
  try {
    return iconv.encodingExists(l) ? l : null;
  } catch {
    return null;
  }
}

/** The charset parameter of a Content-Type header value. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*("([^"]*)"|'([^']*)'|[^;,\s]+)/i.exec(contentType);
  if (!m) return null;
  return m[2] ?? m[3] ?? m[1];
}

function bomCharset(b: Uint8Array): string | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return null;
}

function latin1Head(b: Uint8Array): string {
  const n = Math.min(b.length, SNIFF_BYTES);
  let s = '';
  for (let i = 0; i < n; i += 1024) s += String.fromCharCode(...b.subarray(i, Math.min(n, i + 1024)));
  return s;
}

function xmlDeclared(b: Uint8Array, head: string): string | null {
  // A BOM-less UTF-16 XML document starts with '<?' in two-byte units.
  if (b.length >= 4 && b[0] === 0x3c && b[1] === 0 && b[2] === 0x3f && b[3] === 0) return 'utf-16le';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0x3c && b[2] === 0 && b[3] === 0x3f) return 'utf-16be';
  const m = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']\s*([^"'\s]+)\s*["']/i.exec(head);
  return m ? fromDocument(m[1]) : null;
}

function metaDeclared(head: string): string | null {
  // <meta charset="gbk"> and <meta http-equiv="Content-Type" content="text/html; charset=gbk">
  const re = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([-\w.:]+)/gi;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    if (normaliseCharset(m[1])) return m[1];
  }
  return null;
}

/**
 * A charset named inside the document (XML declaration or <meta>) was read from ASCII bytes,
 * so it cannot really be UTF-16: as browsers do, read it as UTF-8.
 */
function fromDocument(label: string | null): string | null {
  const c = normaliseCharset(label);
  return c === 'utf-16le' || c === 'utf-16be' ? 'utf-8' : c;
}

function decodeWith(bytes: Uint8Array, charset: string): string {
  const text = iconv.decode(bytes, Object.hasOwn(ICONV_NAME, charset) ? ICONV_NAME[charset] : charset);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function countReplacements(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\ufffd'); i !== -1; i = s.indexOf('\ufffd', i + 1)) n++;
  return n;
}

/**
 * Charset from override, BOM, HTTP header, XML declaration or <meta>, case-insensitively;
 * GBK/GB2312 decoded as GB18030; invalid bytes replaced, never thrown. BOM stripped.
 * A label nobody knows is skipped, as browsers skip it; with nothing usable the body is UTF-8,
 * unless it is not valid UTF-8 and decodes cleanly as GB18030 (unlabelled Chinese pages).
 */
export function decodeBody(input: DecodeInput): Decoded {
  const bytes = input.bytes;
  const pick = (charset: string | null, from: Decoded['from']): Decoded | null =>
    charset ? { text: decodeWith(bytes, charset), charset, from } : null;

  const override = pick(normaliseCharset(input.override), 'override');
  if (override) return override;
  const bom = pick(bomCharset(bytes), 'bom');
  if (bom) return bom;
  const header = pick(normaliseCharset(charsetFromContentType(input.contentType)), 'header');
  if (header) return header;
  const head = latin1Head(bytes);
  const xml = pick(xmlDeclared(bytes, head), 'xml');
  if (xml) return xml;
  const meta = pick(fromDocument(metaDeclared(head)), 'meta');
  if (meta) return meta;

  const utf8 = decodeWith(bytes, 'utf-8');
  const bad = countReplacements(utf8);
  if (bad > 0) {
    const gb = decodeWith(bytes, 'gb18030');
    if (countReplacements(gb) * 10 < bad) return { text: gb, charset: 'gb18030', from: 'default' };
  }
  return { text: utf8, charset: 'utf-8', from: 'default' };
}
