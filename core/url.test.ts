import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUrl, canonicalUrls, isTrackingParam } from './url.js';

describe('canonicalUrl', () => {
  it.each([
    ['  https://Example.COM/News/A.html  ', 'https://example.com/News/A.html'],
    ['HTTP://WWW.GOV.CN:80/zhengce/', 'http://www.gov.cn/zhengce/'],
    ['https://www.gov.cn:443/a', 'https://www.gov.cn/a'],
    ['https://www.gov.cn:8443/a', 'https://www.gov.cn:8443/a'],
    ['http://news.qq.com', 'http://news.qq.com/'],
    ['https://example.com/a#comments', 'https://example.com/a'],
    ['https://example.com/a?', 'https://example.com/a'],
    ['https://example.com/a?#top', 'https://example.com/a'],
    ['https://example.com/a?b=2&a=1&c=3', 'https://example.com/a?a=1&b=2&c=3'],
    ['https://example.com/a?b=2&a=1&a=0', 'https://example.com/a?a=1&a=0&b=2'],
    ['https://example.com/a?flag&b=1', 'https://example.com/a?b=1&flag'],
    ['https://example.com/a?&&b=1&', 'https://example.com/a?b=1'],
    ['https://example.com/a/./b/../c', 'https://example.com/a/c'],
    ['https://user:secret@example.com/a', 'https://example.com/a'],
    ['https://example.com./a', 'https://example.com/a'],
    ['https://example.com/%7euser/%e4%b8%ad', 'https://example.com/~user/%E4%B8%AD'],
    ['https://example.com/新闻/详情?标题=拆迁', 'https://example.com/%E6%96%B0%E9%97%BB/%E8%AF%A6%E6%83%85?%E6%A0%87%E9%A2%98=%E6%8B%86%E8%BF%81'],
    ['https://例子.中国/a', 'https://xn--fsqu00a.xn--fiqs8s/a'],
    ['https://例子.测试/', 'https://xn--fsqu00a.xn--0zwm56d/'],
    ['https://ExAmple.com/Path/CASE?Q=Value', 'https://example.com/Path/CASE?Q=Value'],
  ])('%s → %s', (raw, expected) => {
    expect(canonicalUrl(raw)).toBe(expected);
  });

  it('removes tracking parameters and keeps the others', () => {
    expect(
      canonicalUrl(
        'https://news.example.cn/2024/05/01/123.html?utm_source=wechat&UTM_Medium=x&spm=a2c4g.11186623&id=42&from=singlemessage&isappinstalled=0&share_token=abc&wxshare_count=2&fbclid=F&gclid=G&ref=weibo&page=2',
      ),
    ).toBe('https://news.example.cn/2024/05/01/123.html?id=42&page=2');
  });

  it('removes tracking parameters whose names are percent-encoded', () => {
    expect(canonicalUrl('https://example.com/a?utm%5Fsource=x&id=1')).toBe('https://example.com/a?id=1');
  });

  it('keeps parameters that may select content or sign the URL', () => {
    expect(canonicalUrl('https://example.com/a?timestamp=1700000000&sign=abc&t=1&scene=2&key=k')).toBe(
      'https://example.com/a?key=k&scene=2&sign=abc&t=1&timestamp=1700000000',
    );
  });

  it('reduces a shared WeChat article to the parameters that identify it', () => {
    expect(
      canonicalUrl(
        'https://mp.weixin.qq.com/s?__biz=MzA3MDM3NjE5NQ==&mid=2650&idx=1&sn=4f2c&chksm=8731&scene=21&clicktime=1700000000&enterid=1700000000&from=timeline&isappinstalled=0#wechat_redirect',
      ),
    ).toBe('https://mp.weixin.qq.com/s?__biz=MzA3MDM3NjE5NQ==&idx=1&mid=2650&sn=4f2c');
  });

  it('resolves relative URLs against the base', () => {
    const base = 'https://www.yongji.gov.cn/zwgk/list.html?page=3';
    expect(canonicalUrl('../xwdt/2024/0501.html', base)).toBe('https://www.yongji.gov.cn/xwdt/2024/0501.html');
    expect(canonicalUrl('/a?utm_campaign=x', base)).toBe('https://www.yongji.gov.cn/a');
    expect(canonicalUrl('//cdn.example.com/x', base)).toBe('https://cdn.example.com/x');
    expect(canonicalUrl('?id=5', base)).toBe('https://www.yongji.gov.cn/zwgk/list.html?id=5');
    expect(canonicalUrl('https://other.cn/b', base)).toBe('https://other.cn/b');
  });

  it.each([
    ['javascript:alert(1)'],
    ['JavaScript:alert(1)'],
    ['mailto:office@example.com'],
    ['ftp://example.com/file'],
    ['data:text/html,<script>alert(1)</script>'],
    ['file:///etc/passwd'],
    [''],
    ['   '],
    ['not a url'],
    ['relative/path.html'],
    ['http://'],
    ['https://exa mple.com/'],
    ['http://[::1'],
  ])('rejects %j', (raw) => {
    expect(canonicalUrl(raw)).toBeNull();
  });

  it('returns null for a relative URL against an unusable base', () => {
    expect(canonicalUrl('a.html', 'not a base')).toBeNull();
    expect(canonicalUrl('a.html', 'mailto:x@example.com')).toBeNull();
  });

  it('never throws, and is idempotent on what it accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })), fc.option(fc.webUrl(), { nil: undefined }), (raw, base) => {
        const out = canonicalUrl(raw, base);
        if (out !== null) {
          expect(out).toMatch(/^https?:\/\//);
          expect(out).not.toContain('#');
          expect(canonicalUrl(out)).toBe(out);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same canonical URL whatever the parameter order and tracking noise', () => {
    const params = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z0-9]{0,4}$/)), { selector: ([k]) => k, maxLength: 5 });
    fc.assert(
      fc.property(params, fc.integer(), (pairs, seed) => {
        const kept = pairs.filter(([k]) => !isTrackingParam(k, 'example.com'));
        const shuffled = [...pairs, ['utm_source', 'x'], ['spm', 'y']].sort(() => (seed = (seed * 1103515245 + 12345) | 0) & 1 ? 1 : -1);
        const a = canonicalUrl(`https://example.com/p?${kept.map(([k, v]) => `${k}=${v}`).join('&')}`);
        const b = canonicalUrl(`https://example.com/p?${shuffled.map(([k, v]) => `${k}=${v}`).join('&')}`);
        expect(b).toBe(a);
      }),
    );
  });
});

describe('isTrackingParam', () => {
  it('applies WeChat session parameters only on WeChat articles', () => {
    expect(isTrackingParam('scene', 'mp.weixin.qq.com')).toBe(true);
    expect(isTrackingParam('scene', 'example.com')).toBe(false);
    expect(isTrackingParam('utm_content', 'example.com')).toBe(true);
    expect(isTrackingParam('id', 'mp.weixin.qq.com')).toBe(false);
  });
});

describe('canonicalUrls', () => {
  const archive = Array.from({ length: 16 }, (_, i) => `viewthread.php?tid=9&page=1#pid${i + 1}`);

  it('keeps the fragments of links that differ only by them (16 posts of one archive page stay 16)', () => {
    const urls = canonicalUrls(archive, 'http://bbs.example/forum/');
    expect(new Set(urls).size).toBe(16);
    expect(urls[0]).toBe('http://bbs.example/forum/viewthread.php?page=1&tid=9#pid1');
    expect(urls[15]).toBe('http://bbs.example/forum/viewthread.php?page=1&tid=9#pid16');
  });

  it('drops the page anchor of a single link, and of links that share one fragment', () => {
    expect(canonicalUrls(['https://example.com/a#comments', 'https://example.com/b#top', null, 'javascript:void(0)'])).toEqual([
      'https://example.com/a',
      'https://example.com/b',
      null,
      null,
    ]);
    expect(canonicalUrls(['https://example.com/a#top', 'https://example.com/a#top'])).toEqual(['https://example.com/a', 'https://example.com/a']);
  });

  it('keeps a link without a fragment plain next to its fragment siblings', () => {
    expect(canonicalUrls(['/t.html', '/t.html#p2', '/t.html#p3'], 'http://bbs.example/')).toEqual([
      'http://bbs.example/t.html',
      'http://bbs.example/t.html#p2',
      'http://bbs.example/t.html#p3',
    ]);
  });
});
