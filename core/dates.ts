export interface ParsedDate {
  date: Date;
  /** True when the source gave no usable date and the fetch time was used. */
  estimated: boolean;
}
/**
 * Parses a feed or page date: RFC 822 / ISO 8601 with their own zones respected; naive dates
 * read as Asia/Shanghai; Chinese forms ("2024年5月1日 10:00", "3小时前", "昨天 10:20", "刚刚");
 * anything unparseable, or far in the future, falls back to `now`, marked estimated.
 */
export function parseItemDate(raw: string | null | undefined, now: Date): ParsedDate {
  throw new Error('not implemented');
}
