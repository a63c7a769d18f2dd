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
/**
 * Charset from override, BOM, HTTP header, XML declaration or <meta>, case-insensitively;
 * GBK/GB2312 decoded as GB18030; invalid bytes replaced, never thrown. BOM stripped.
 */
export function decodeBody(input: DecodeInput): Decoded {
  throw new Error('not implemented');
}
