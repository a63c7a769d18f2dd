// Repairs of crawled text that lenient readers (browsers, feed readers) make: control characters
// removed, C1 controls read as the windows-1252 characters they stand for, UTF-8 read as
// windows-1252 ("â€¦" for "…") turned back, entities encoded twice decoded once more.
import iconv from 'iconv-lite';
import { htmlToText } from './html.js';

/** C0 control characters but tab, newline and carriage return (PostgreSQL cannot store NUL). */
const C0 = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
const C1 = /[\u0080-\u009f]/g;

/** windows-1252's characters for the bytes 0x80–0x9f (five bytes have none: null). */
const CP1252_HIGH: (string | null)[] = Array.from({ length: 32 }, (_, i) => {
  const ch = iconv.decode(Buffer.from([0x80 + i]), 'windows-1252');
  return ch === '\ufffd' ? null : ch;
});

/** Every character windows-1252 or Latin-1 gives a byte → that byte (C1 controls as themselves). */
const TO_BYTE = new Map<string, number>();
for (let b = 0; b < 256; b++) TO_BYTE.set(String.fromCharCode(b), b);
CP1252_HIGH.forEach((ch, i) => {
  if (ch !== null) TO_BYTE.set(ch, 0x80 + i);
});

/** Removes C0 control characters (tab, newline, carriage return kept). */
export function stripControls(s: string): string {
  return s.replace(C0, '');
}

/**
 * C1 control characters (U+0080–U+009F) as the windows-1252 characters their bytes mean: text
 * labelled ISO-8859-1 is windows-1252 in practice (browsers read it so), and `&#147;` or a
 * Latin-1 transcoding leaves “ as U+0093. The five bytes windows-1252 leaves undefined are dropped.
 */
export function c1AsWindows1252(s: string): string {
  return s.replace(C1, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80] ?? '');
}

/** A UTF-8 lead byte read as windows-1252/Latin-1, then a continuation byte read the same way. */
const MOJIBAKE_PAIR = /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/;

/**
 * UTF-8 text that was read as windows-1252 (or Latin-1), turned back — only when the whole string
 * is plainly that: every character has a windows-1252 byte, and those bytes are valid UTF-8 with
 * at least one multi-byte character. "café" (é alone is not UTF-8) and any Chinese text are kept.
 */
export function undoMojibake(s: string): string {
  if (!MOJIBAKE_PAIR.test(s)) return s;
  const bytes: number[] = [];
  for (const ch of s) {
    const b = TO_BYTE.get(ch);
    if (b === undefined) return s;
    bytes.push(b);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return s;
  }
}

/** A raw crawled field (title, HTML content, author) made storable and readable. */
export function repairField(s: string): string {
  if (s === '') return s;
  return c1AsWindows1252(undoMojibake(stripControls(s)));
}

/** An entity reference left in text that has already been decoded once: `&hellip;`, `&amp;`, `&#8230;`. */
export const LEFTOVER_ENTITY = /&(?:[a-z][a-z0-9]{1,31}|#[0-9]{1,7}|#x[0-9a-f]{1,6});/i;

/** An HTML tag, as a feed's text shows when its markup was escaped twice (`&amp;lt;p&amp;gt;`). */
const TAG = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/i;

/**
 * Plain text in which entity references survived one decoding (the publisher encoded them twice:
 * `&amp;hellip;` arrives as `&hellip;`), decoded once more — at most twice; markup that decoding
 * reveals is read as HTML, so what is stored stays plain text.
 */
export function decodeLeftoverEntities(text: string): string {
  let out = text;
  for (let i = 0; i < 2 && LEFTOVER_ENTITY.test(out); i++) {
    const decoded = htmlToText(out);
    if (decoded === out) break;
    out = decoded;
  }
  return out !== text && TAG.test(out) ? htmlToText(out) : out;
}
