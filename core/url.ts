// Canonical item URLs: one spelling per page, so the same article crawled from a feed, a list
// page and a WeChat share is one item.

/**
 * Query parameters removed everywhere: they say who shared a link or which ad was clicked,
 * never which page it is. Matched case-insensitively.
 * - utm_* (Google Analytics campaign tags), wxshare* (WeChat share counters)
 * - spm, scm (Alibaba / Taobao / Youku position tracking)
 * - from, isappinstalled (added by WeChat and QQ when a link is shared: from=singlemessage …)
 * - share_token, share_source, share_medium, share_plat, share_from, share_tag, share_session_id,
 *   share_times, sharer_sharetime, sharer_shareid, tt_from, vd_source (Toutiao, Bilibili, WeChat shares)
 * - fbclid, gclid, dclid, gbraid, wbraid, msclkid, yclid, igshid (ad and social click ids)
 * - mc_cid, mc_eid, _hsenc, _hsmi (mailing-list tracking)
 * - ref, ref_src, ref_url (referrer tags)
 * Deliberately kept: timestamp, t, _, sign, signature, token, key and anything else that can be
 * part of a signed URL or select content — removing them could merge different pages or break
 * the link.
 */
export const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  'spm',
  'scm',
  'from',
  'isappinstalled',
  'share_token',
  'share_source',
  'share_medium',
  'share_plat',
  'share_from',
  'share_tag',
  'share_session_id',
  'share_times',
  'sharer_sharetime',
  'sharer_shareid',
  'tt_from',
  'vd_source',
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'ref',
  'ref_src',
  'ref_url',
]);
export const TRACKING_PARAM_PREFIXES: readonly string[] = ['utm_', 'wxshare'];

/**
 * On WeChat articles (mp.weixin.qq.com) the page is __biz + mid + idx + sn; the client adds
 * these about the reader's session and where the link was opened.
 */
export const WECHAT_HOST = 'mp.weixin.qq.com';
export const WECHAT_TRACKING_PARAMS: ReadonlySet<string> = new Set([
  'scene',
  'subscene',
  'ascene',
  'clicktime',
  'enterid',
  'sessionid',
  'srcid',
  'chksm',
  'exportkey',
  'pass_ticket',
  'key',
  'uin',
  'devicetype',
  'version',
  'lang',
  'nettype',
  'wx_header',
  'poc_token',
  'abtest_cookie',
  'countrycode',
  'realreporttime',
  'mpshare',
]);

export function isTrackingParam(name: string, host: string): boolean {
  const n = name.toLowerCase();
  if (TRACKING_PARAMS.has(n) || TRACKING_PARAM_PREFIXES.some((p) => n.startsWith(p))) return true;
  return host === WECHAT_HOST && WECHAT_TRACKING_PARAMS.has(n);
}

/**
 * Canonical form of an item URL: lower-case scheme and host, default port dropped, no fragment,
 * tracking parameters (utm_*, spm, from, …) removed, remaining query sorted. Relative URLs are
 * resolved against base. Returns null for anything that is not http(s).
 * Also: user:password@ dropped, a trailing dot on the host dropped, percent-escapes of unreserved
 * characters decoded and the others upper-cased; path case kept. Never throws.
 */
export function canonicalUrl(raw: string, base?: string): string | null {
  if (typeof raw !== 'string') return null;
  const input = raw.trim();
  if (input === '') return null;
  let url: URL;
  try {
    url = base === undefined ? new URL(input) : new URL(input, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // WHATWG URL has already lower-cased scheme and host, punycoded IDNs and dropped a default port.
  const hostname = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
  if (hostname === '') return null;
  const host = url.port === '' ? hostname : `${hostname}:${url.port}`;
  const path = normalisePercent(url.pathname || '/');
  const query = canonicalQuery(url.search, hostname);
  return `${url.protocol}//${host}${path}${query === '' ? '' : `?${query}`}`;
}

/** Remaining parameters sorted by name (stable: repeated names keep their order); raw encoding kept. */
function canonicalQuery(search: string, host: string): string {
  if (search.length <= 1) return '';
  const pairs: { name: string; raw: string }[] = [];
  for (const part of search.slice(1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    const name = safeDecode(rawName.replace(/\+/g, ' '));
    if (isTrackingParam(name, host)) continue;
    pairs.push({ name, raw: normalisePercent(part) });
  }
  pairs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return pairs.map((p) => p.raw).join('&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** %7e → ~ for unreserved characters, and upper-case hex for the rest (RFC 3986 §6.2.2). */
function normalisePercent(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${hex.toUpperCase()}`;
  });
}

/**
 * Canonical URLs of the links of one page or feed, in order (null where canonicalUrl gives null).
 * A fragment is dropped as canonicalUrl drops it — unless links of the same page differ only by
 * their fragments (a forum archive page listing 16 posts as page.html#p1 … #p16): then each is a
 * different entry, and keeps its fragment. A single link with a page anchor still loses it.
 */
export function canonicalUrls(links: readonly (string | null)[], base?: string): (string | null)[] {
  const read = links.map((link) => {
    const url = link === null ? null : canonicalUrl(link, base);
    return { url, fragment: url === null || link === null ? '' : fragmentOf(link, base) };
  });
  const fragments = new Map<string, Set<string>>();
  for (const { url, fragment } of read) {
    if (url === null || fragment === '') continue;
    const set = fragments.get(url) ?? new Set<string>();
    set.add(fragment);
    fragments.set(url, set);
  }
  return read.map(({ url, fragment }) => (url !== null && fragment !== '' && fragments.get(url)!.size > 1 ? `${url}#${fragment}` : url));
}

/** The fragment of a link without its '#', percent-escapes normalised; '' when it has none. */
function fragmentOf(raw: string, base?: string): string {
  try {
    const hash = (base === undefined ? new URL(raw.trim()) : new URL(raw.trim(), base)).hash;
    return hash.length > 1 ? normalisePercent(hash.slice(1)) : '';
  } catch {
    return '';
  }
}
