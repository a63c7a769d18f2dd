// SSRF policy: which addresses a crawler may connect to, and a creation-time URL check.
// Pure (no I/O): the fetch edge resolves names and asks isForbiddenAddress about every address.
import ipaddr from 'ipaddr.js';

type Cidr<T> = readonly [T, number];

function v4(cidr: string): Cidr<ipaddr.IPv4> {
  const [addr, bits] = ipaddr.IPv4.parseCIDR(cidr);
  return [addr, bits];
}
function v6(cidr: string): Cidr<ipaddr.IPv6> {
  const [addr, bits] = ipaddr.IPv6.parseCIDR(cidr);
  return [addr, bits];
}

/** IPv4 ranges a crawler must never reach (IANA special-purpose registry, minus public anycast). */
const FORBIDDEN_V4: readonly Cidr<ipaddr.IPv4>[] = [
  v4('0.0.0.0/8'), // "this network", unspecified
  v4('10.0.0.0/8'), // private
  v4('100.64.0.0/10'), // carrier-grade NAT
  v4('127.0.0.0/8'), // loopback
  v4('169.254.0.0/16'), // link-local, incl. cloud metadata 169.254.169.254
  v4('172.16.0.0/12'), // private
  v4('192.0.0.0/24'), // IETF protocol assignments
  v4('192.0.2.0/24'), // documentation TEST-NET-1
  v4('192.88.99.0/24'), // deprecated 6to4 relay anycast
  v4('192.168.0.0/16'), // private
  v4('198.18.0.0/15'), // benchmarking
  v4('198.51.100.0/24'), // documentation TEST-NET-2
  v4('203.0.113.0/24'), // documentation TEST-NET-3
  v4('224.0.0.0/4'), // multicast
  v4('240.0.0.0/4'), // reserved, incl. broadcast 255.255.255.255
];

/** Only global unicast (2000::/3) may be reached over IPv6; these are the holes inside it. */
const GLOBAL_UNICAST_V6 = v6('2000::/3');
const FORBIDDEN_V6_IN_GLOBAL: readonly Cidr<ipaddr.IPv6>[] = [
  v6('2001::/23'), // IETF protocol assignments (Teredo 2001::/32 is judged separately, first)
  v6('2001:db8::/32'), // documentation
  v6('3fff::/20'), // documentation (RFC 9637)
  v6('2620:4f:8000::/48'), // direct delegation AS112 service
];
const TEREDO = v6('2001::/32');
const SIX_TO_FOUR = v6('2002::/16');
const NAT64_WELL_KNOWN = v6('64:ff9b::/96');
const IPV4_MAPPED = v6('::ffff:0:0/96');

function inV4(addr: ipaddr.IPv4, [net, bits]: Cidr<ipaddr.IPv4>): boolean {
  return addr.match(net, bits);
}
function inV6(addr: ipaddr.IPv6, [net, bits]: Cidr<ipaddr.IPv6>): boolean {
  return addr.match(net, bits);
}

function v4FromWords(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

function isForbiddenV4(addr: ipaddr.IPv4): boolean {
  return FORBIDDEN_V4.some((range) => inV4(addr, range));
}

function isForbiddenV6(addr: ipaddr.IPv6): boolean {
  const w = addr.parts;
  // Forms that carry an IPv4 address are judged by that address.
  if (inV6(addr, IPV4_MAPPED) || inV6(addr, NAT64_WELL_KNOWN)) return isForbiddenV4(v4FromWords(w[6], w[7]));
  if (inV6(addr, SIX_TO_FOUR)) return isForbiddenV4(v4FromWords(w[1], w[2]));
  if (inV6(addr, TEREDO)) {
    // Server IPv4 in words 2-3, client IPv4 obfuscated (inverted) in words 6-7.
    const server = v4FromWords(w[2], w[3]);
    const client = v4FromWords(~w[6] & 0xffff, ~w[7] & 0xffff);
    return isForbiddenV4(server) || isForbiddenV4(client);
  }
  // Everything outside 2000::/3 is special: ::, ::1, IPv4-compatible, fc00::/7 ULA, fe80::/10
  // link-local, fec0::/10 site-local, ff00::/8 multicast, 64:ff9b:1::/48 local NAT64, 100::/64 discard…
  if (!inV6(addr, GLOBAL_UNICAST_V6)) return true;
  return FORBIDDEN_V6_IN_GLOBAL.some((range) => inV6(addr, range));
}

/**
 * True when a crawler must not connect to this address: loopback, private, link-local, CGNAT,
 * unspecified, multicast, reserved, documentation, benchmarking, ULA, site-local; IPv6 forms
 * embedding an IPv4 (mapped, NAT64, 6to4, Teredo) are judged by the embedded address.
 * Fails closed: a string that is not an IP address is forbidden.
 */
export function isForbiddenAddress(ip: string): boolean {
  let text = ip.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!ipaddr.isValid(text)) return true;
  const addr = ipaddr.parse(text);
  return addr.kind() === 'ipv4' ? isForbiddenV4(addr as ipaddr.IPv4) : isForbiddenV6(addr as ipaddr.IPv6);
}

export type UrlCheck = { ok: true } | { ok: false; reason: string };

/** Host, port and the `host:port` key used by the allow-list, as the WHATWG parser normalised them. */
export interface UrlTarget {
  /** Hostname for connecting: lower-case, IPv6 without brackets. */
  host: string;
  port: number;
  /** `${hostname}:${port}` as in the URL (IPv6 in brackets), port defaulted to 80/443. */
  hostPort: string;
}

export function urlTarget(url: URL): UrlTarget {
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const hostname = url.hostname.toLowerCase();
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return { host, port, hostPort: `${hostname}:${port}` };
}

/** Special-use and private-use name suffixes that only ever mean hosts inside the network. */
const LOCAL_SUFFIXES = ['localhost', 'local', 'internal', 'localdomain', 'home.arpa', 'intranet', 'lan'];
const LOCAL_NAMES = new Set(['ip6-localhost', 'ip6-loopback']);

/**
 * True for names that can only designate a local or internal host: localhost and *.localhost,
 * mDNS *.local, *.internal (e.g. metadata.google.internal), *.localdomain, *.home.arpa, and
 * single-label names ("metadata", "intranet"), which the resolver's search list completes
 * inside the network. A monitored public site always has a dotted public name.
 */
function isLocalName(host: string): boolean {
  if (ipaddr.isValid(host)) return false;
  const bare = host.replace(/\.+$/, '');
  if (!bare.includes('.') || LOCAL_NAMES.has(bare)) return true;
  return LOCAL_SUFFIXES.some((suffix) => bare === suffix || bare.endsWith(`.${suffix}`));
}

/** The scheme / userinfo / host rules shared by creation-time checks and every fetch hop. */
export function checkParsedUrl(url: URL, isAllowed: (hostPort: string) => boolean): UrlCheck {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `Only http and https URLs may be fetched, not ${url.protocol.replace(/:$/, '')}` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'URLs with credentials (user:password@) are refused' };
  }
  return checkTarget(urlTarget(url), isAllowed);
}

/** The host rules alone (an allow-listed host:port passes; private literals and local names do not). */
export function checkTarget({ host, hostPort }: UrlTarget, isAllowed: (hostPort: string) => boolean): UrlCheck {
  if (host === '') return { ok: false, reason: 'The URL has no host' };
  if (isAllowed(hostPort)) return { ok: true };
  if (ipaddr.isValid(host) && isForbiddenAddress(host)) {
    return { ok: false, reason: `${hostPort} is a private or reserved address` };
  }
  if (isLocalName(host)) return { ok: false, reason: `${hostPort} is a local host name` };
  return { ok: true };
}

/**
 * Host and port of an smtp:// or smtps:// URL (default ports 587 and 465, as the mail transport
 * uses), the host normalised as for http (smtp is not a special scheme, so the URL parser leaves
 * "0x7f.1" or upper case alone: the host is re-read as an http host). Null: not an SMTP URL.
 */
export function smtpTarget(url: URL): UrlTarget | null {
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return null;
  if (url.host === '') return null;
  let normal: URL;
  try {
    normal = new URL(`http://${url.host}`);
  } catch {
    return null;
  }
  const port = url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587;
  const hostname = normal.hostname.toLowerCase();
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return { host, port, hostPort: `${hostname}:${port}` };
}

/** Creation-time validation of an SMTP server URL: smtp or smtps, and the host rules of every fetch. */
export function checkSmtpUrl(raw: string, isAllowed: (hostPort: string) => boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'Not a valid absolute URL' };
  }
  const target = smtpTarget(url);
  if (!target) return { ok: false, reason: 'Only smtp:// and smtps:// mail server URLs are accepted' };
  return checkTarget(target, isAllowed);
}

/**
 * Creation-time validation of a source URL (no DNS: names are re-checked on every fetch).
 * Odd IPv4 literals (2130706433, 0177.0.0.1, 0x7f.1, 127.1) are normalised by the URL parser first.
 */
export function checkUrl(url: string, isAllowed: (hostPort: string) => boolean): UrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'Not a valid absolute URL' };
  }
  return checkParsedUrl(parsed, isAllowed);
}
