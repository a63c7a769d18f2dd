// HTML of crawled items: plain text for matching and fingerprints, safe HTML for display.
import { load } from 'cheerio/slim';
import sanitize from 'sanitize-html';

/** Elements whose content is never text (skipped by the walk: selecting and removing them is quadratic in their number). */
const DROPPED = new Set(['script', 'style', 'noscript', 'iframe', 'template', 'head', 'object', 'embed', 'svg', 'math', 'canvas', 'select', 'textarea']);

/** Elements that start and end a line of text. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'br', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl',
  'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'html', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'tfoot', 'thead',
  'tr', 'ul',
]);
/** Table cells: separated by a space within their row. */
const CELLS = new Set(['td', 'th']);

/** The bits of a DOM node this module reads (domhandler's nodes, structurally). */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  children?: DomNode[];
}

/** Whitespace as HTML sees it, plus no-break and ideographic spaces used for indentation. */
const SPACE = /[\s\u00a0\u3000]+/g;

/**
 * Text of a subtree in document order. Iterative, with an explicit stack: hostile pages nest
 * elements tens of thousands deep, which would overflow the call stack of a recursive walk.
 */
function collectText(root: DomNode, out: string[]): void {
  const stack: (DomNode | '\n')[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === '\n') {
      out.push('\n');
      continue;
    }
    if (node.type === 'text') {
      out.push((node.data ?? '').replace(SPACE, ' '));
      continue;
    }
    if (node.type === 'cdata' || node.type === 'root' || node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      const name = node.name?.toLowerCase() ?? '';
      if (DROPPED.has(name)) continue;
      const block = BLOCKS.has(name);
      if (block) out.push('\n');
      else if (CELLS.has(name)) out.push(' ');
      if (block) stack.push('\n');
      const children = node.children ?? [];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    // comments, directives: nothing
  }
}

/** Lines trimmed, runs of spaces collapsed, empty lines dropped. */
function tidyLines(text: string): string {
  // NUL: PostgreSQL text cannot store it, and it is never meaningful text.
  return (text.includes('\u0000') ? text.replace(/\u0000/g, '') : text)
    .split('\n')
    .map((line) => line.replace(SPACE, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

const looksLikeHtml = (s: string) => /<[a-zA-Z!/?]/.test(s);

/** Deeper than this, opening tags are dropped before parsing (browsers stop nesting at 512). */
export const MAX_NESTING = 4096;
/** Elements that never hold others, or that the next sibling closes: they never deepen a page. */
const FLAT_TAGS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen',
  'li', 'p', 'td', 'th', 'tr', 'dt', 'dd', 'option', 'optgroup', 'rp', 'rt',
]);

/**
 * HTML parsers keep their open elements in an array shifted per tag, so a parse costs O(depth)
 * per tag: a hostile page nested 450,000 deep (5 MB) would take minutes of CPU. Opening tags
 * beyond MAX_NESTING levels are dropped before parsing (their text is kept); any page a browser
 * can show is returned unchanged.
 */
export function capNesting(html: string): string {
  if (html.length < MAX_NESTING * 3) return html; // too short to hold that many tags
  let depth = 0;
  let dropped = false;
  const out = html.replace(/<(\/?)([a-zA-Z][^\s/>]*)[^>]*>/g, (tag: string, close: string, name: string) => {
    if (close) {
      if (depth > 0) depth--;
      return tag;
    }
    if (tag.endsWith('/>') || FLAT_TAGS.has(name.toLowerCase())) return tag;
    if (depth >= MAX_NESTING) {
      dropped = true;
      return '';
    }
    depth++;
    return tag;
  });
  return dropped ? out : html;
}

/** Plain text of an HTML fragment: scripts/styles dropped, block elements as line breaks, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  if (!html) return '';
  if (!looksLikeHtml(html)) {
    // Plain text keeps its own line breaks; only entities are decoded (no parser when there are none).
    if (!html.includes('&')) return tidyLines(html.replace(/\r\n?/g, '\n'));
    const decoded = load(`<pre>${html.replace(/</g, '&lt;')}</pre>`, null, false)('pre').text();
    return tidyLines(decoded.replace(/\r\n?/g, '\n'));
  }
  const $ = load(capNesting(html), null, false);
  const out: string[] = [];
  collectText($.root()[0] as unknown as DomNode, out);
  return tidyLines(out.join(''));
}

const URL_SCHEMES = ['http:', 'https:', 'mailto:'];
const IMG_SCHEMES = ['http:', 'https:'];

/** An absolute URL with an allowed scheme (relative ones resolved against base), else null. */
function safeUrl(raw: string | undefined, schemes: string[], base?: string): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = base ? new URL(raw.trim(), base) : new URL(raw.trim());
  } catch {
    return null;
  }
  return schemes.includes(url.protocol) ? url.href : null;
}

const LINK_REL = 'noopener noreferrer nofollow';

function sanitizeOptions(base?: string): sanitize.IOptions {
  return {
    allowedTags: [
      'p', 'br', 'a', 'b', 'strong', 'i', 'em', 'u', 's', 'sub', 'sup', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'hr',
      'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'img', 'figure', 'figcaption',
      'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    allowedStyles: {},
    disallowedTagsMode: 'discard',
    // Their content is not text either: drop it with them.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'title', 'head', 'select', 'canvas'],
    transformTags: {
      a: (tagName, attribs) => {
        const href = safeUrl(attribs.href, URL_SCHEMES, base);
        const out: sanitize.Attributes = { rel: LINK_REL };
        if (href) out.href = href;
        if (attribs.title) out.title = attribs.title;
        return { tagName, attribs: out };
      },
      img: (tagName, attribs) => {
        const src = safeUrl(attribs.src, IMG_SCHEMES, base);
        const { src: _drop, ...rest } = attribs;
        return { tagName, attribs: src ? { ...rest, src } : rest };
      },
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  };
}

/**
 * The serialised output may still spell these inside text or attribute values ("javascript:" in
 * an article about it, an https URL whose query mentions it). Encoding one character as an
 * entity decodes to the same text, and keeps the output free of them by any naive check.
 */
function neutralise(html: string): string {
  return html.replace(/(javascript|vbscript|livescript)(:)/gi, '$1&#58;').replace(/(\son\w+)(\s*)=/gi, '$1$2&#61;');
}

/**
 * Safe HTML for display: no script, style, iframe, event handlers, javascript:/data: URLs.
 * Links and images keep only absolute http(s) (and mailto for links) URLs — relative ones are
 * resolved against `base` when given, dropped otherwise; links get rel="noopener noreferrer nofollow".
 */
export function sanitizeHtml(html: string, base?: string): string {
  if (!html) return '';
  return neutralise(sanitize(capNesting(html), sanitizeOptions(base)));
}
