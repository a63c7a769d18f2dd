/** Plain text of an HTML fragment: scripts/styles dropped, block elements as line breaks, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  throw new Error('not implemented');
}
/** Safe HTML for display: no script, style, iframe, event handlers, javascript:/data: URLs. */
export function sanitizeHtml(html: string): string {
  throw new Error('not implemented');
}
