import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as cheerio from 'cheerio';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createPostGenerator } from '../../demo/content.js';
import { forumList, forumThread, mailboxList } from '../../demo/render.js';
import { FORUM_SELECTORS, MAILBOX_SELECTORS } from '../../demo/seed.js';
import { extractDetail, parseFeed, ParseError, parseSiteList, type ParsedEntry } from './parse.js';
import { CORPUS_URL } from '../../demo/corpus.js';

const CORPUS = CORPUS_URL;
const corpusNames = readdirSync(CORPUS).sort();

/** Decodes a corpus file by its XML declaration, as the fetcher would with no header. */
function readCorpus(name: string): string {
  const bytes = readFileSync(new URL(name, CORPUS));
  const declared = /^\s*<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(bytes.subarray(0, 200).toString('latin1'))?.[1].toLowerCase() ?? 'utf-8';
  const charset = ['gb2312', 'gbk'].includes(declared) ? 'gb18030' : declared;
  return iconv.decode(bytes, charset);
}

/** Links of every item/entry, found independently of rss-parser. */
function expectedLinks(xml: string): string[] {
  const $ = cheerio.load(xml, { xml: true });
  const links: string[] = [];
  $('item').each((_, el) => {
    const link = $(el).children('link').first().text().trim();
    if (link) links.push(link);
  });
  $('entry').each((_, el) => {
    const all = $(el).children('link[href]');
    const alt = all.filter((_, l) => $(l).attr('rel') === 'alternate').first();
    const href = (alt.length ? alt : all.first()).attr('href')?.trim();
    if (href) links.push(href);
  });
  return links;
}

async function parseOrParseError(xml: string): Promise<ParsedEntry[] | ParseError> {
  try {
    return await parseFeed(xml);
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
}

describe('parseFeed over the real-world corpus', () => {
  it('has the corpus', () => {
    expect(corpusNames.length).toBeGreaterThan(20);
  });

  it.each(corpusNames)('%s parses with every linked item, or throws ParseError', async (name) => {
    const xml = readCorpus(name);
    const result = await parseOrParseError(xml);
    if (result instanceof ParseError) {
      expect(result.message.length).toBeGreaterThan(0);
      expect(expectedLinks(xml)).toEqual([]);
      return;
    }
    const got = new Set(result.map((e) => e.link));
    for (const link of expectedLinks(xml)) expect(got, `${name}: ${link}`).toContain(link);
    for (const e of result) {
      expect(typeof e.title).toBe('string');
      expect(typeof e.content).toBe('string');
      expect(e.title).toBe(e.title.trim());
    }
  });

  it('parses most of the corpus (only the HTML page is refused)', async () => {
    const refused: string[] = [];
    for (const name of corpusNames) if ((await parseOrParseError(readCorpus(name))) instanceof ParseError) refused.push(name);
    expect(refused).toEqual(['unrecognized.rss']);
  });

  it('reads the GB2312 feed (decoded as GB18030) with the right Chinese titles', async () => {
    const entries = await parseFeed(readCorpus('encoding-gb2312.xml'));
    expect(entries.length).toBe(20);
    expect(entries[0].title).toBe('习近平为何如此强调崇尚英雄？');
    expect(entries[0].link).toBe('http://news.qq.com/a/20180918/009846.htm');
    expect(entries[0].published).toBe('2018-09-18 14:38:10');
    for (const e of entries) {
      expect(e.title).toMatch(/[\u4e00-\u9fff]/);
      expect(e.title).not.toMatch(/\uFFFD/);
    }
  });

  it('reads an <rss> without a version attribute as RSS 2.0', async () => {
    const entries = await parseFeed(readCorpus('uolNoticias.rss'));
    expect(entries.length).toBeGreaterThan(0);
    expect(entries[0].title).toContain('Bolsonaro');
  });

  it('keeps Atom link, id, author and raw dates', async () => {
    const entries = await parseFeed(readCorpus('heise.atom'));
    expect(entries[0].link).toMatch(/^http:\/\/www\.heise\.de\/developer\/meldung\//);
    expect(entries[0].guid).toBeTruthy();
    expect(entries[0].published).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});

describe('parseFeed formats', () => {
  it('RSS 2.0: content:encoded over description, guid as link fallback, dc:creator, raw pubDate', async () => {
    const entries = await parseFeed(`<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>清河新闻网</title><link>http://qh.example/</link>
<item>
  <title>
    城关镇旧城改造拆迁补偿款迟迟未到位
  </title>
  <link>http://qh.example/news/1.html</link>
  <guid isPermaLink="false">qh-1</guid>
  <description>摘要</description>
  <content:encoded><![CDATA[<p>全文 <b>正文</b></p>]]></content:encoded>
  <dc:creator>记者 刘建国</dc:creator>
  <pubDate>Wed, 25 Nov 2026 14:03:00 +0800</pubDate>
</item>
<item>
  <title>无链接，用 guid</title>
  <guid>http://qh.example/news/2.html</guid>
  <description><![CDATA[<p>只有描述</p>]]></description>
</item>
<item>
  <title></title>
  <description><![CDATA[<script>x()</script><p>河西街道居民反映：小区门口的路灯坏了半个月，晚上出行很不方便，希望物业和街道尽快派人维修，谢谢！再补充几句让它超过六十个字。</p>]]></description>
  <guid isPermaLink="false">not-a-url</guid>
</item>
</channel></rss>`);
    expect(entries).toHaveLength(3);
    expect(entries[0]).toEqual({
      link: 'http://qh.example/news/1.html',
      guid: 'qh-1',
      title: '城关镇旧城改造拆迁补偿款迟迟未到位',
      content: '<p>全文 <b>正文</b></p>',
      published: 'Wed, 25 Nov 2026 14:03:00 +0800',
      author: '记者 刘建国',
    });
    expect(entries[1].link).toBe('http://qh.example/news/2.html');
    expect(entries[1].content).toBe('<p>只有描述</p>');
    expect(entries[1].published).toBeNull();
    expect(entries[2].link).toBeNull();
    expect(entries[2].guid).toBe('not-a-url');
    // No title: the first 60 characters of the content's text (script dropped).
    const text = '河西街道居民反映：小区门口的路灯坏了半个月，晚上出行很不方便，希望物业和街道尽快派人维修，谢谢！再补充几句让它超过六十个字。';
    expect(entries[2].title).toBe(Array.from(text).slice(0, 60).join(''));
    expect(Array.from(entries[2].title)).toHaveLength(60);
  });

  it('RSS 0.91: items without dates', async () => {
    const entries = await parseFeed(`<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>清河发布</title><link>http://gov.example/</link><description>d</description><language>zh-cn</language>
<item><title>滨河路部分路段施工 交警发布绕行提示</title><link>http://gov.example/a/1.html</link><description>&lt;p&gt;请绕行&lt;/p&gt;</description></item>
<item><title>我市新增3条公交线路</title><link>http://gov.example/a/2.html</link></item>
</channel></rss>`);
    expect(entries.map((e) => [e.title, e.link, e.published])).toEqual([
      ['滨河路部分路段施工 交警发布绕行提示', 'http://gov.example/a/1.html', null],
      ['我市新增3条公交线路', 'http://gov.example/a/2.html', null],
    ]);
    expect(entries[0].content).toBe('<p>请绕行</p>');
    expect(entries[1].content).toBe('');
  });

  it('Atom: alternate link among several, content over summary, updated when no published, author name', async () => {
    const entries = await parseFeed(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>清河新闻网</title><id>urn:qh</id><updated>2026-11-25T14:00:00+08:00</updated>
  <entry>
    <title type="html">龙溪河河水发黑发臭</title>
    <link rel="enclosure" href="http://qh.example/1.mp3"/>
    <link rel="alternate" type="text/html" href="http://qh.example/news/3.html"/>
    <id>tag:qh.example,2026:3</id>
    <updated>2026-11-25T14:03:00+08:00</updated>
    <author><name>清河观察者</name></author>
    <summary>摘要</summary>
    <content type="html">&lt;p&gt;岸边能闻到刺鼻的恶臭&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>只有摘要</title>
    <link href="http://qh.example/news/4.html"/>
    <id>tag:qh.example,2026:4</id>
    <published>2026年11月25日 10:00</published>
    <summary>摘要四</summary>
  </entry>
</feed>`);
    expect(entries[0]).toEqual({
      link: 'http://qh.example/news/3.html',
      guid: 'tag:qh.example,2026:3',
      title: '龙溪河河水发黑发臭',
      content: '<p>岸边能闻到刺鼻的恶臭</p>',
      published: '2026-11-25T14:03:00+08:00',
      author: '清河观察者',
    });
    // An unparseable date does not reject the feed; the raw string is kept for core/dates.
    expect(entries[1]).toMatchObject({ link: 'http://qh.example/news/4.html', content: '摘要四', published: '2026年11月25日 10:00' });
  });

  it('Atom 0.3: <issued> as the published date, <modified> when there is none', async () => {
    const entries = await parseFeed(`<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title>
      <entry><title>一</title><link rel="alternate" type="text/html" href="http://a.example/1"/><issued>2004-12-13T18:30:02+08:00</issued><modified>2004-12-14T10:00:00Z</modified></entry>
      <entry><title>二</title><link rel="alternate" type="text/html" href="http://a.example/2"/><modified>2004-12-14T10:00:00Z</modified></entry></feed>`);
    expect(entries.map((e) => e.published)).toEqual(['2004-12-13T18:30:02+08:00', '2004-12-14T10:00:00Z']);
  });

  it('resolves relative entry links against the feed\'s absolute xml:base', async () => {
    const atom = await parseFeed(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://blog.example/2020/"><title>t</title>
      <entry><title>一</title><link href="12/post.html"/><id>1</id></entry><entry><title>二</title><link href="/about.html"/><id>2</id></entry>
      <entry><title>三</title><link href="https://other.example/x"/><id>3</id></entry></feed>`);
    expect(atom.map((e) => e.link)).toEqual(['http://blog.example/2020/12/post.html', 'http://blog.example/about.html', 'https://other.example/x']);
    const rss = await parseFeed(`<rss version="2.0"><channel xml:base='http://news.example/a/'><title>t</title><item><title>一</title><link>b/1.html</link></item></channel></rss>`);
    expect(rss[0].link).toBe('http://news.example/a/b/1.html');
    const relative = await parseFeed(`<rss version="2.0"><channel xml:base="sub/"><title>t</title><item><title>一</title><link>b/1.html</link></item></channel></rss>`);
    expect(relative[0].link).toBe('b/1.html');
  });

  it('RDF (RSS 1.0): dc:date and dc:creator', async () => {
    const entries = await parseFeed(`<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://gov.example/rdf.xml"><title>清河发布</title><link>http://gov.example/</link><description>d</description>
    <items><rdf:Seq><rdf:li rdf:resource="http://gov.example/a/9.html"/></rdf:Seq></items>
  </channel>
  <item rdf:about="http://gov.example/a/9.html">
    <title>网传“北关街道停水三天”系谣言</title>
    <link>http://gov.example/a/9.html</link>
    <description>经核实，该消息不实。</description>
    <dc:creator>清河发布</dc:creator>
    <dc:date>2026-11-25T09:30:00+08:00</dc:date>
  </item>
</rdf:RDF>`);
    expect(entries).toEqual([
      {
        link: 'http://gov.example/a/9.html',
        guid: null,
        title: '网传“北关街道停水三天”系谣言',
        content: '经核实，该消息不实。',
        published: '2026-11-25T09:30:00+08:00',
        author: '清河发布',
      },
    ]);
  });

  it('a feed with no items is an empty list', async () => {
    expect(await parseFeed('<rss version="2.0"><channel><title>空</title></channel></rss>')).toEqual([]);
    expect(await parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"><title>空</title></feed>')).toEqual([]);
  });

  it.each([
    ['an empty body', ''],
    ['whitespace', '  \n '],
    ['an HTML page', '<!DOCTYPE html><html><head><title>首页</title></head><body><p>欢迎&nbsp;访问</p><br></body></html>'],
    ['well-formed HTML', '<html><body><p>hi</p></body></html>'],
    ['JSON', '{"items":[]}'],
    ['garbage', '\u0000\u0001 lorem ipsum'],
    ['truncated XML', '<?xml version="1.0"?><rss version="2.0"><channel><title>清河晚报 & 清河在线</title><item><title>未完'],
  ])('refuses %s with ParseError', async (_label, text) => {
    await expect(parseFeed(text)).rejects.toBeInstanceOf(ParseError);
  });

  it('never reads files named by external entities (XXE)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'od-xxe-'));
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'XXE-CANARY-7f3a');
    const xml = (title: string, dtd: string) =>
      `<?xml version="1.0"?>${dtd}<rss version="2.0"><channel><title>t</title><item><title>${title}</title><link>http://x.example/1</link></item></channel></rss>`;
    const attempts = [
      xml('a &xxe; b', `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "${pathToFileURL(secret).href}">]>`),
      xml('a &xxe; b', `<!DOCTYPE rss [<!ENTITY % p SYSTEM "${pathToFileURL(secret).href}"> %p; <!ENTITY xxe "x">]>`),
      xml('ok', `<!DOCTYPE rss SYSTEM "${pathToFileURL(secret).href}">`),
      xml('&lol2;', '<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;">]>'),
    ];
    for (const attempt of attempts) {
      const result = await parseOrParseError(attempt);
      const text = result instanceof ParseError ? result.message : JSON.stringify(result);
      expect(text).not.toContain('XXE-CANARY');
      expect(text).not.toContain('lollol');
    }
  });
});

describe('parseSiteList and extractDetail', () => {
  const now = new Date('2026-11-25T06:00:00Z');
  const generator = createPostGenerator(7);
  for (let i = 0; i < 40; i++) generator.next(new Date(now.getTime() - (40 - i) * 3600_000));
  const forumPosts = generator.posts.filter((p) => p.channel === 'forum').reverse();
  const mailPosts = generator.posts.filter((p) => p.channel === 'mailbox').reverse();

  it('reads the fixture forum list with its selectors: absolute links, titles, date text', () => {
    const entries = parseSiteList(forumList(forumPosts, now), 'http://127.0.0.1:3100/forum/list.html', FORUM_SELECTORS);
    expect(forumPosts.length).toBeGreaterThan(3);
    expect(entries.map((e) => e.link)).toEqual(forumPosts.map((p) => `http://127.0.0.1:3100/forum/thread/${p.id}.html`));
    expect(entries.map((e) => e.title)).toEqual(forumPosts.map((p) => p.title));
    expect(entries[0].published).toMatch(/^(刚刚|\d+分钟前|\d+小时前|\d{4}-\d{2}-\d{2} \d{2}:\d{2})$/);
    expect(entries.some((e) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(e.published ?? ''))).toBe(true);
    for (const e of entries) expect(e).toMatchObject({ guid: null, content: '', author: null });
  });

  it('reads the GBK mailbox list once decoded', () => {
    const bytes = iconv.encode(mailboxList(mailPosts, now, () => false), 'gbk');
    const entries = parseSiteList(iconv.decode(bytes, 'gb18030'), 'http://127.0.0.1:3100/mailbox/index.html', MAILBOX_SELECTORS);
    expect(entries.map((e) => e.title)).toEqual(mailPosts.map((p) => p.title));
    expect(entries[0].published).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it('defaults: first a[href] and its text; datetime attribute; skips rows without a usable link', () => {
    const html = `<ul class="list">
      <li><a href="../a/1.html"> 第一条 </a><time datetime="2026-11-25T10:00:00+08:00">上午</time></li>
      <li><span>没有链接</span></li>
      <li><a href="javascript:void(0)">脚本链接</a></li>
      <li><a name="anchor">无 href</a><a href="https://other.example/x?id=2#c">第二条</a><time>昨天 10:20</time></li>
    </ul>`;
    const entries = parseSiteList(html, 'http://site.example/news/list/index.html', { item: 'ul.list li', date: 'time' });
    expect(entries).toEqual([
      { link: 'http://site.example/news/a/1.html', guid: null, title: '第一条', content: '', published: '2026-11-25T10:00:00+08:00', author: null },
      { link: 'https://other.example/x?id=2#c', guid: null, title: '第二条', content: '', published: '昨天 10:20', author: null },
    ]);
  });

  it('finds the date inside an entry\'s text when no date selector is given, and strips dates from titles', () => {
    const html = `<ul class="gl">
      <li><a href="/a/1.html" title="关于城区停水的通知">关于城区停水的…</a>(发布时间：2020-12-31 11:06:22 阅读次数：1234)</li>
      <li><a href="/a/2.html">2021年春运安排 [2020-12-30]</a></li>
      <li><a href="/a/3.html">回复：7号线早高峰<span class="t">11:38</span></a><span class="n">阅读 2020</span></li>
    </ul>`;
    const entries = parseSiteList(html, 'http://gov.example/list/', { item: 'ul.gl li' });
    expect(entries.map((e) => [e.title, e.published])).toEqual([
      ['关于城区停水的…', '2020-12-31 11:06:22'],
      ['2021年春运安排', '2020-12-30'],
      ['回复：7号线早高峰', '11:38'],
    ]);
    const byAttr = parseSiteList(html, 'http://gov.example/list/', { item: 'ul.gl li', title: 'a@title', date: 'span.t' });
    expect(byAttr.map((e) => [e.title, e.published])).toEqual([
      ['关于城区停水的通知', '2020-12-31 11:06:22'],
      ['2021年春运安排', '2020-12-30'],
      ['回复：7号线早高峰', '11:38'],
    ]);
    const excluded = parseSiteList('<p><a href="/1">比分<b>3-1</b><i>（直播）</i></a></p>', 'http://gov.example/', { item: 'p', title: 'a!i' });
    expect(excluded[0].title).toBe('比分3-1');
  });

  it('reads a date split over two elements as one, and a date or link from a named attribute', () => {
    const html = `<div class="post"><a data-url="/t/9.html" href="#">贴子</a><p class="d"><span>09/25</span><span>2020</span></p></div>
      <div class="post"><a data-url="/t/10.html" href="#">另一贴</a><p class="d" title="2019-12">去年</p></div>`;
    const entries = parseSiteList(html, 'http://bbs.example/', { item: 'div.post', link: 'a@data-url', date: 'p.d' });
    expect(entries.map((e) => [e.link, e.published])).toEqual([
      ['http://bbs.example/t/9.html', '09/25 2020'],
      ['http://bbs.example/t/10.html', '去年'],
    ]);
    const dated = parseSiteList(html, 'http://bbs.example/', { item: 'div.post', link: 'a@data-url', date: 'p.d@title' });
    expect(dated[1].published).toBe('2019-12');
  });

  it('resolves links against <base href>, and keeps fragments as written', () => {
    const html = `<html><head><base href="http://bbs.example/forum/"></head><body>
      <table><tr class="t"><td><a href="viewthread.php?tid=1#pid1">一楼</a></td></tr><tr class="t"><td><a href="viewthread.php?tid=1#pid2">二楼</a></td></tr></table></body></html>`;
    const entries = parseSiteList(html, 'http://bbs.example/archiver/?fid-2.html', { item: 'tr.t' });
    expect(entries.map((e) => e.link)).toEqual(['http://bbs.example/forum/viewthread.php?tid=1#pid1', 'http://bbs.example/forum/viewthread.php?tid=1#pid2']);
  });

  it('returns [] when the item selector matches nothing, and ParseError for a malformed selector', () => {
    expect(parseSiteList(forumList(forumPosts, now), 'http://x.example/', { item: 'div.layout-that-changed' })).toEqual([]);
    expect(() => parseSiteList('<p>x</p>', 'http://x.example/', { item: 'tr[' })).toThrow(ParseError);
    expect(() => extractDetail('<p>x</p>', 'div[')).toThrow(ParseError);
  });

  it('extractDetail gives the inner HTML of the first match, or ""', () => {
    const post = forumPosts[0];
    const detail = extractDetail(forumThread(post, true), FORUM_SELECTORS.text!);
    expect(detail.startsWith('<p>')).toBe(true);
    expect(detail).toContain(post.body.split('\n')[0]);
    expect(detail).toContain('<script>');
    expect(extractDetail('<div class="a"><b>1</b></div><div class="a">2</div>', 'div.a')).toBe('<b>1</b>');
    expect(extractDetail('<div>nothing</div>', 'div.post-content')).toBe('');
  });
});
