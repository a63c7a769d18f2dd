import { decodeBody } from '../../../core/charset.js';
import type { CrawlContext, ParseSpec } from '../context.js';
import { step } from './step.js';

// Step 2, decode: bytes to text by the source's charset override, the Content-Type, or sniffing.

export interface Body {
  body: Buffer;
  contentType: string | null;
}

/**
 * The text of a fetched body, as every crawl and preview decodes it. A JSON source's pages were
 * each decoded by the fetch step (by its charset) and gathered into one UTF-8 document.
 */
export function decodeText(spec: Pick<ParseSpec, 'charset'> & { kind?: ParseSpec['kind'] }, fetched: Body): string {
  return decodeBody({ bytes: fetched.body, contentType: fetched.contentType, override: spec.kind === 'json' ? 'utf-8' : spec.charset }).text;
}

export const decode = step('decode', function decode({ source }: CrawlContext, fetched: Body): string {
  return decodeText(source, fetched);
});
