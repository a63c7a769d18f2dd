import type { FetchStatus } from '../../core/vocabulary.js';

export interface FetchOptions {
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Maximum body size, counted after decompression. */
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  etag?: string | null;
  lastModified?: string | null;
  /** True when host:port (e.g. "127.0.0.1:3100") was allow-listed by an admin: private addresses permitted. */
  isAllowed: (hostPort: string) => boolean;
  signal?: AbortSignal;
}

export type FetchResult =
  | {
      kind: 'body';
      httpStatus: number;
      finalUrl: string;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      body: Buffer;
    }
  | { kind: 'not_modified'; httpStatus: 304; finalUrl: string }
  | {
      kind: 'error';
      status: Exclude<FetchStatus, 'ok' | 'not_modified' | 'pending' | 'parse_error' | 'selector_empty'>;
      httpStatus: number | null;
      /** Readable reason, English, for logs and the source row. */
      message: string;
      /** From Retry-After (seconds or HTTP date) on 429/503. */
      retryAfterMs?: number;
    };

/** The one guarded HTTP client every outbound request goes through. Never throws. */
export async function guardedFetch(url: string, opts: FetchOptions): Promise<FetchResult> {
  throw new Error('not implemented');
}
