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
  /** Where it came from ('sniff': a label was given but the bytes plainly contradict it). */
  from: 'override' | 'bom' | 'header' | 'xml' | 'meta' | 'default' | 'sniff';
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
  // UTF-32's BOMs first: the little-endian one begins with UTF-16LE's.
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'utf-32le';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'utf-32be';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return null;
}

/** How many leading bytes the NUL pattern of a wide encoding is looked for in. */
const WIDE_SAMPLE_BYTES = 1024;

/**
 * UTF-32 or UTF-16 without a BOM, told by where the NUL bytes fall: markup and Latin text in
 * UTF-32LE is one character and three NULs (`3C 00 00 00`), in UTF-16BE a NUL and a character.
 * Text in a one-byte or multi-byte charset practically never holds NUL bytes at all.
 */
function wideCharset(b: Uint8Array): string | null {
  const n = Math.min(b.length, WIDE_SAMPLE_BYTES) & ~3;
  if (n < 8) return null;
  const zeros = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) if (b[i] === 0) zeros[i % 4]++;
  const q = n / 4;
  // In UTF-32 one byte of each four is always 0 and the next nearly always (outside the BMP it is ≤ 0x10).
  if (zeros[3] === q && zeros[2] >= 0.9 * q && zeros[0] < q / 2) return 'utf-32le';
  if (zeros[0] === q && zeros[1] >= 0.9 * q && zeros[3] < q / 2) return 'utf-32be';
  const odd = zeros[1] + zeros[3];
  const even = zeros[0] + zeros[2];
  if (odd >= 0.4 * 2 * q && even < 0.05 * 2 * q) return 'utf-16le';
  if (even >= 0.4 * 2 * q && odd < 0.05 * 2 * q) return 'utf-16be';
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

/** How much of a body the charset sniffing looks at. */
export const SNIFF_SAMPLE_BYTES = 256 * 1024;
/** Fewer non-ASCII characters than this is too little evidence to overrule a label. */
const MIN_EVIDENCE_CHARS = 16;
/** Labels Chinese publishers commonly get wrong; a body contradicting one of these is re-read. */
const CHECKED_LABELS = new Set(['utf-8', 'gb18030', 'big5', 'windows-1252']);

let commonHanzi: Set<number> | null = null;

/**
 * The frequently used Chinese characters: GB2312 level 1 (3755, simplified) and Big5's
 * frequently used block (5401, traditional). Correctly decoded Chinese text is nearly all
 * made of these; mojibake (one charset read as another) mostly is not.
 */
function common(): Set<number> {
  if (commonHanzi) return commonHanzi;
  const set = new Set<number>();
  const add = (bytes: number[], charset: string) => {
    for (const ch of iconv.decode(Buffer.from(bytes), charset)) {
      const cp = ch.codePointAt(0)!;
      if (cp >= 0x4e00 && cp <= 0x9fff) set.add(cp);
    }
  };
  const gb: number[] = [];
  for (let a = 0xb0; a <= 0xd7; a++) for (let b = 0xa1; b <= 0xfe; b++) gb.push(a, b);
  add(gb, 'gb18030');
  const big5: number[] = [];
  for (let a = 0xa4; a <= 0xc6; a++) {
    for (let b = 0x40; b <= 0xfe; b++) if (b <= 0x7e || b >= 0xa1) big5.push(a, b);
  }
  add(big5, 'big5hkscs');
  commonHanzi = set;
  return set;
}

interface Reading {
  charset: string;
  /** U+FFFD produced. */
  bad: number;
  /** Share of the non-ASCII characters that are common hanzi or CJK punctuation (0 with none). */
  score: number;
  /** Non-ASCII characters seen. */
  nonAscii: number;
}

function read(sample: Uint8Array, charset: string): Reading {
  const text = decodeWith(sample, charset);
  const set = common();
  let nonAscii = 0;
  let good = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) continue;
    nonAscii++;
    if (set.has(cp) || (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff01 && cp <= 0xff5e)) good++;
  }
  return { charset, bad: countReplacements(text), score: nonAscii ? good / nonAscii : 0, nonAscii };
}

/** Whether the sample is valid UTF-8 (a character cut at the sample's end tolerated) with real non-ASCII text. */
function plainlyUtf8(sample: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    return false;
  }
  let n = 0;
  for (let i = 0; i < text.length && n < MIN_EVIDENCE_CHARS / 4; i++) if (text.charCodeAt(i) >= 0x80) n++;
  return n >= MIN_EVIDENCE_CHARS / 4;
}

/** GB18030 or Big5, whichever reads the sample as Chinese text; Big5 only when plainly better. */
function bestChinese(sample: Uint8Array): Reading {
  const gb = read(sample, 'gb18030');
  const big5 = read(sample, 'big5');
  return big5.bad <= gb.bad && big5.score >= gb.score + 0.2 ? big5 : gb;
}

/**
 * The charset to use instead of a label the bytes plainly contradict, or null to keep the label:
 * a non-UTF-8 label on a body that is valid UTF-8 with real text (legacy Chinese text is
 * practically never valid UTF-8); a UTF-8 label on invalid UTF-8 that reads cleanly as Chinese;
 * a GB/Big5/Latin label whose reading is mostly not Chinese where another reading plainly is.
 */
function contradicted(bytes: Uint8Array, label: string): string | null {
  if (!CHECKED_LABELS.has(label)) return null;
  const sample = bytes.subarray(0, SNIFF_SAMPLE_BYTES);
  if (label !== 'utf-8' && plainlyUtf8(sample)) return 'utf-8';
  const mine = read(sample, label);
  if (label === 'utf-8' && mine.bad === 0) return null;
  const alt = label === 'gb18030' ? read(sample, 'big5') : label === 'big5' ? read(sample, 'gb18030') : bestChinese(sample);
  if (alt.nonAscii < MIN_EVIDENCE_CHARS || alt.score < 0.8 || alt.bad > mine.bad) return null;
  if (label === 'utf-8') return alt.bad * 10 < mine.bad ? alt.charset : null;
  return alt.score >= mine.score + 0.3 ? alt.charset : null;
}

/**
 * Charset from override, BOM (or the NUL pattern of BOM-less UTF-32 / UTF-16), HTTP header, XML declaration or <meta>, case-insensitively;
 * GBK/GB2312 decoded as GB18030; invalid bytes replaced, never thrown. BOM stripped.
 * A label nobody knows is skipped, as browsers skip it; a label the bytes plainly contradict
 * (header says UTF-8 of a GBK body, <meta> says GB2312 of a UTF-8 body…) is overruled ('sniff').
 * With nothing usable the body is UTF-8, unless it is not valid UTF-8 and decodes cleanly as
 * GB18030 or Big5 (unlabelled Chinese pages).
 */
export function decodeBody(input: DecodeInput): Decoded {
  const bytes = input.bytes;
  const pick = (charset: string | null, from: Decoded['from']): Decoded | null =>
    charset ? { text: decodeWith(bytes, charset), charset, from } : null;
  const labelled = (charset: string | null, from: Decoded['from']): Decoded | null => {
    if (!charset) return null;
    const better = contradicted(bytes, charset);
    return better ? pick(better, 'sniff') : pick(charset, from);
  };

  const override = pick(normaliseCharset(input.override), 'override');
  if (override) return override;
  const bom = pick(bomCharset(bytes), 'bom');
  if (bom) return bom;
  // No byte-oriented label can be right about UTF-32 or UTF-16 bytes: their NUL pattern wins.
  const wide = wideCharset(bytes);
  if (wide) return pick(wide, xmlDeclared(bytes, '') === wide ? 'xml' : 'sniff')!;
  const header = labelled(normaliseCharset(charsetFromContentType(input.contentType)), 'header');
  if (header) return header;
  const head = latin1Head(bytes);
  const xml = labelled(xmlDeclared(bytes, head), 'xml');
  if (xml) return xml;
  const meta = labelled(fromDocument(metaDeclared(head)), 'meta');
  if (meta) return meta;

  const utf8 = decodeWith(bytes, 'utf-8');
  const bad = countReplacements(utf8);
  if (bad > 0) {
    const best = bestChinese(bytes.subarray(0, SNIFF_SAMPLE_BYTES));
    const text = decodeWith(bytes, best.charset);
    if (countReplacements(text) * 10 < bad) return { text, charset: best.charset, from: 'default' };
  }
  return { text: utf8, charset: 'utf-8', from: 'default' };
}
