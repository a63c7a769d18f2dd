import { fieldError } from '../../platform/errors.js';

// Opaque keyset cursors: base64url of [exact UTC timestamp, id] of the last row of a page.

export interface Key {
  at: string;
  id: string;
}

const AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;
const ID = /^[1-9][0-9]{0,17}$/;

/**
 * Whether `s` is an exact UTC timestamp to the microsecond (`2026-12-01T10:00:00.000000Z`) naming a
 * real moment: the shape alone lets `2026-99-99T99:99:99.000000Z` through, which Postgres refuses
 * with an error (a 500) when the cursor reaches the query.
 */
export function isExactUtcTimestamp(s: string): boolean {
  const m = AT.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify([key.at, key.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Key | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && isExactUtcTimestamp(v[0]) && ID.test(v[1])) {
      return { at: v[0], id: v[1] };
    }
  } catch {
    // fall through
  }
  throw fieldError('cursor', 'is not a cursor returned by this API', '无效（请使用上一页返回的 nextCursor）');
}

/** Splits rows fetched with `limit + 1` into the page and the cursor of the next one (null at the end). */
export function paginate<T>(rows: readonly T[], limit: number, key: (row: T) => Key): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? encodeCursor(key(page[page.length - 1])) : null };
}
