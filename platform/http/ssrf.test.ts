import { describe, expect, it } from 'vitest';
import { checkUrl, isForbiddenAddress } from './ssrf.js';

const FORBIDDEN: Array<[string, string]> = [
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'this network 0/8'],
  ['10.0.0.1', 'private 10/8'],
  ['10.255.255.255', 'private 10/8 top'],
  ['100.64.0.1', 'CGNAT'],
  ['100.127.255.254', 'CGNAT top'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback /8'],
  ['169.254.169.254', 'cloud metadata'],
  ['169.254.0.1', 'link-local'],
  ['172.16.0.1', 'private 172.16/12'],
  ['172.31.255.255', 'private 172.16/12 top'],
  ['192.0.0.8', 'IETF protocol assignments'],
  ['192.0.2.1', 'TEST-NET-1'],
  ['192.88.99.1', '6to4 relay anycast'],
  ['192.168.1.1', 'private 192.168/16'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking top'],
  ['198.51.100.7', 'TEST-NET-2'],
  ['203.0.113.9', 'TEST-NET-3'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast SSDP'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['::', 'IPv6 unspecified'],
  ['::1', 'IPv6 loopback'],
  ['[::1]', 'bracketed IPv6 loopback'],
  ['fe80::1', 'IPv6 link-local'],
  ['fe80::1%eth0', 'IPv6 link-local with zone'],
  ['febf:ffff::1', 'IPv6 link-local top'],
  ['fec0::1', 'IPv6 site-local'],
  ['fc00::1', 'ULA fc00::/7'],
  ['fd12:3456:789a::1', 'ULA fd'],
  ['ff02::1', 'IPv6 multicast'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback in hex'],
  ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
  ['64:ff9b::7f00:1', 'NAT64 embedding loopback'],
  ['64:ff9b::10.1.2.3', 'NAT64 embedding private'],
  ['64:ff9b::a9fe:a9fe', 'NAT64 embedding metadata'],
  ['64:ff9b:1::1', 'local-use NAT64'],
  ['2002:7f00:1::1', '6to4 embedding loopback'],
  ['2002:c0a8:101::1', '6to4 embedding 192.168.1.1'],
  ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'Teredo, client 10.0.0.1'],
  ['2001:0:a00:1:8000:63bf:f7f7:f7f7', 'Teredo, server 10.0.0.1, public client'],
  ['2001:db8::1', 'IPv6 documentation'],
  ['3fff::1', 'IPv6 documentation 3fff::/20'],
  ['2001:2::1', 'IPv6 benchmarking'],
  ['2001:10::1', 'ORCHID'],
  ['::127.0.0.1', 'IPv4-compatible (deprecated)'],
  ['100::1', 'discard prefix'],
  ['not-an-ip', 'unparseable fails closed'],
  ['', 'empty fails closed'],
];

const ALLOWED: Array<[string, string]> = [
  ['8.8.8.8', 'public DNS'],
  ['1.1.1.1', 'public'],
  ['114.114.114.114', 'public, China'],
  ['223.5.5.5', 'public, China'],
  ['100.63.255.255', 'just below CGNAT'],
  ['100.128.0.0', 'just above CGNAT'],
  ['172.15.255.255', 'just below 172.16/12'],
  ['172.32.0.1', 'just above 172.16/12'],
  ['169.253.255.255', 'just below link-local'],
  ['198.17.255.255', 'just below benchmarking'],
  ['223.255.255.255', 'just below multicast'],
  ['11.0.0.1', 'just above 10/8'],
  ['2400:3200::1', 'public IPv6 (China)'],
  ['2606:4700:4700::1111', 'public IPv6'],
  ['::ffff:8.8.8.8', 'IPv4-mapped public'],
  ['64:ff9b::808:808', 'NAT64 embedding public'],
  ['2002:808:808::1', '6to4 embedding public'],
  ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'Teredo embedding public client 8.8.8.8'],
];

describe('isForbiddenAddress', () => {
  it.each(FORBIDDEN)('refuses %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });
  it.each(ALLOWED)('permits %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });
  it('has a table of at least 40 addresses', () => {
    expect(FORBIDDEN.length + ALLOWED.length).toBeGreaterThanOrEqual(40);
  });
});

describe('checkUrl', () => {
  const none = () => false;

  it('accepts ordinary public http and https URLs', () => {
    expect(checkUrl('https://news.example.gov.cn/rss.xml', none)).toEqual({ ok: true });
    expect(checkUrl('http://8.8.8.8:8080/feed', none)).toEqual({ ok: true });
  });

  it.each([
    ['ftp://example.com/file', /http and https/],
    ['file:///etc/passwd', /http and https/],
    ['gopher://example.com/', /http and https/],
    ['javascript:alert(1)', /http and https/],
    ['not a url', /valid absolute URL/],
    ['http://user:pass@example.com/', /credentials/],
    ['http://user@example.com/', /credentials/],
  ])('refuses %s', (url, reason) => {
    const r = checkUrl(url, none);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it.each([
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://0x7f000001/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.1.2.3:8080/',
    'http://0/',
    'http://localhost:3000/',
    'http://LOCALHOST./',
    'http://app.localhost/',
  ])('refuses the local or private host in %s', (url) => {
    const r = checkUrl(url, none);
    expect(r.ok).toBe(false);
  });

  it('passes the allow-list the normalised host:port with the default port', () => {
    const seen: string[] = [];
    const rec = (hp: string) => {
      seen.push(hp);
      return false;
    };
    checkUrl('http://2130706433/', rec);
    checkUrl('https://LOCALHOST/x', rec);
    checkUrl('http://[::1]:8080/', rec);
    expect(seen).toEqual(['127.0.0.1:80', 'localhost:443', '[::1]:8080']);
  });

  it('lets an allow-listed host:port through, and only that port', () => {
    const allow = (hp: string) => hp === '127.0.0.1:3100';
    expect(checkUrl('http://127.0.0.1:3100/feed', allow)).toEqual({ ok: true });
    expect(checkUrl('http://0x7f.0.0.1:3100/feed', allow)).toEqual({ ok: true });
    expect(checkUrl('http://127.0.0.1:3101/feed', allow).ok).toBe(false);
  });
});
