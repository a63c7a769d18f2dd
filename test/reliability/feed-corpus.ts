// The malformed-feed corpus of the reliability suite, generated at test time: truncations of
// real publishers' feeds (demo/corpus) at every N bytes, seeded byte damage, mutations of
// a Chinese feed (wrong nesting, unclosed CDATA, invalid and control characters, NUL bytes,
// wrong roots, HTML / JSON served as RSS, empty bodies, huge attributes, missing titles and
// links, relative links, duplicate guids, deep nesting) and hand-made feeds with the date forms
// Chinese sites write.
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { CORPUS_URL } from '../../demo/corpus.js';
import { mulberry32 } from '../../core/random.js';

export interface FeedCase {
  name: string;
  /** Which family of damage: truncation, bytes, mutation, dates. */
  family: 'truncation' | 'bytes' | 'mutation' | 'dates';
  bytes: Buffer;
  contentType: string;
  /** For the date cases: the raw date, and the instant it must parse to (null: must be marked estimated). */
  date?: { raw: string; expected: string | null };
}

/** Real feeds truncated: small and mid-sized ones, of every format (RSS 2.0, Atom, RSS 1.0, GB2312). */
export const TRUNCATED_FEEDS = ['heraldsun.rss', 'narro.rss', 'gulp-atom.atom', 'encoding-gb2312.xml', 'instant-article.rss', 'rss-1.rss', 'uolNoticias.rss'];

const RSS = 'application/rss+xml; charset=utf-8';

/** A well-formed Chinese feed, the base of the mutations. */
export function baseFeed(items = 3): string {
  const rows = Array.from(
    { length: items },
    (_, i) =>
      `<item><title>清河区第${i + 1}号通报：道路施工影响出行</title><link>https://news.example.cn/a/${i + 1}.html</link>` +
      `<guid>https://news.example.cn/a/${i + 1}.html</guid><pubDate>Wed, 01 May 2024 1${i}:00:00 +0800</pubDate>` +
      `<description><![CDATA[<p>居民反映<b>施工噪音</b>扰民，区住建局回应将调整作业时间。</p>]]></description></item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>清河新闻网</title><link>https://news.example.cn/</link>\n${rows.join('\n')}\n</channel></rss>\n`;
}

function feedWith(itemXml: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>清河新闻网</title><link>https://news.example.cn/</link>${itemXml}</channel></rss>`;
}


function truncations(cutsPerFeed: number): FeedCase[] {
  const out: FeedCase[] = [];
  for (const name of TRUNCATED_FEEDS) {
    const bytes = readFileSync(new URL(name, CORPUS_URL));
    const step = Math.max(1, Math.floor(bytes.length / cutsPerFeed));
    for (let at = 0; at < bytes.length; at += step) {
      out.push({ name: `truncated ${name} @${at}`, family: 'truncation', bytes: bytes.subarray(0, at), contentType: 'application/xml' });
    }
  }
  return out;
}

function byteDamage(count: number): FeedCase[] {
  const rnd = mulberry32(20240501); // deterministic: the same corpus on every run
  const sources = [Buffer.from(baseFeed(5)), readFileSync(new URL('encoding-gb2312.xml', CORPUS_URL)), readFileSync(new URL('gulp-atom.atom', CORPUS_URL))];
  const out: FeedCase[] = [];
  for (let i = 0; i < count; i++) {
    const src = sources[i % sources.length];
    const b = Buffer.from(src);
    const hits = 1 + Math.floor(rnd() * 20);
    for (let h = 0; h < hits; h++) {
      const at = Math.floor(rnd() * b.length);
      const kind = rnd();
      // Random byte, a structural character, or a NUL.
      b[at] = kind < 0.4 ? Math.floor(rnd() * 256) : kind < 0.8 ? '<>&"/]!?'.charCodeAt(Math.floor(rnd() * 8)) : 0;
    }
    out.push({ name: `byte damage #${i}`, family: 'bytes', bytes: b, contentType: 'application/xml' });
  }
  return out;
}

function mutations(): FeedCase[] {
  const base = baseFeed(3);
  const item = (inner: string) => feedWith(`<item>${inner}</item>`);
  const m: [string, string | Buffer, string?][] = [
    ['wrong nesting', base.replace('</title><link>', '<link></title></link>')],
    ['wrong nesting across items', base.replace('</item>\n<item>', '<item>\n</item>')],
    ['unclosed item', base.replace(/<\/item>\n<\/channel>/, '\n</channel>')],
    ['unclosed channel and rss', base.replace('</channel></rss>', '')],
    ['unclosed CDATA', base.replace(']]></description>', '</description>')],
    ['CDATA end inside text', item('<title>a ]]> b</title><link>https://news.example.cn/x</link>')],
    ['nested CDATA', item('<title><![CDATA[外<![CDATA[内]]>尾]]></title><link>https://news.example.cn/x</link>')],
    ['invalid character references', item('<title>坏字符&#xFFFF;&#0;&#xD800;&#x110000;</title><link>https://news.example.cn/x</link>')],
    ['raw control characters', item('<title>控制\u0001\u0002\u0007\u0008\u000b\u000c\u001b字符</title><link>https://news.example.cn/x</link>')],
    ['raw C1 controls and noncharacters', item('<title>C1\u0085\u0090\u009f\ufffe\uffff</title><link>https://news.example.cn/x</link>')],
    ['lone surrogates', item('<title>孤\ud800立\udfff代理</title><link>https://news.example.cn/x</link>')],
    ['NUL bytes in text', Buffer.from(item('<title>空\u0000字节</title><link>https://news.example.cn/x</link>'))],
    ['NUL bytes everywhere', Buffer.from(base.replace(/></g, '>\u0000<'))],
    ['NUL-padded body', Buffer.concat([Buffer.from(base), Buffer.alloc(4096)])],
    ['leading NULs', Buffer.concat([Buffer.alloc(16), Buffer.from(base)])],
    ['undeclared entity', item('<title>&nbsp;&copy;&hellip;</title><link>https://news.example.cn/x</link>')],
    ['bare ampersand', item('<title>A & B 公司</title><link>https://news.example.cn/x?a=1&b=2</link>')],
    ['unescaped < in text', item('<title>1 < 2 的问题</title><link>https://news.example.cn/x</link>')],
    ['wrong root', base.replace('<rss version="2.0">', '<feedx>').replace('</rss>', '</feedx>')],
    ['unknown root with items', '<?xml version="1.0"?><data><item><title>t</title><link>https://a.example/1</link></item></data>'],
    ['two roots', `${base}<rss version="2.0"><channel><title>second</title></channel></rss>`],
    ['rss without channel', '<?xml version="1.0"?><rss version="2.0"><item><title>t</title><link>https://a.example/1</link></item></rss>'],
    ['empty channel', '<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>'],
    ['self-closed rss', '<rss/>'],
    ['rss version 9.9', base.replace('version="2.0"', 'version="9.9"')],
    ['HTML served as RSS', '<!DOCTYPE html><html><head><title>首页</title></head><body><p>网站维护中</p><a href="/rss">RSS</a></body></html>', 'application/rss+xml'],
    ['HTML error page as RSS', '<html><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>', 'application/rss+xml'],
    ['XHTML served as RSS', '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>hi</p></body></html>'],
    ['JSON served as RSS', JSON.stringify({ items: [{ title: '标题', link: 'https://a.example/1' }] }), 'application/rss+xml'],
    ['JSON Feed', JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'x', items: [{ id: '1', url: 'https://a.example/1', title: 't' }] }), 'application/feed+json'],
    ['empty body', ''],
    ['whitespace body', ' \n\t\r\n   '],
    ['BOM only', Buffer.from([0xef, 0xbb, 0xbf])],
    ['plain text', '这不是订阅源，只是一段文字。'],
    ['XML declaration only', '<?xml version="1.0" encoding="UTF-8"?>'],
    ['processing instructions and comments only', '<?xml version="1.0"?><!-- nothing --><?xml-stylesheet href="a.xsl"?>'],
    ['huge attribute', item(`<title a="${'长'.repeat(1_000_000)}">大属性</title><link>https://news.example.cn/x</link>`)],
    ['many attributes', item(`<title ${Array.from({ length: 5000 }, (_, i) => `a${i}="${i}"`).join(' ')}>多属性</title><link>https://news.example.cn/x</link>`)],
    ['huge title', item(`<title>${'标题'.repeat(200_000)}</title><link>https://news.example.cn/x</link>`)],
    ['huge text node outside items', feedWith(`<description>${'x'.repeat(2_000_000)}</description><item><title>t</title><link>https://news.example.cn/x</link></item>`)],
    ['deep nesting', item(`<title>深</title><link>https://news.example.cn/x</link><description>${'<div>'.repeat(5000)}深层${'</div>'.repeat(5000)}</description>`)],
    ['deep nesting in CDATA HTML', item(`<title>深</title><link>https://news.example.cn/x</link><description><![CDATA[${'<div>'.repeat(20000)}深层]]></description>`)],
    ['many items', feedWith(Array.from({ length: 3000 }, (_, i) => `<item><title>第${i}条</title><link>https://news.example.cn/m/${i}</link></item>`).join(''))],
    ['missing titles', feedWith('<item><link>https://news.example.cn/1</link><description>只有正文，没有标题。</description></item><item><link>https://news.example.cn/2</link></item>')],
    ['missing links', feedWith('<item><title>无链接</title></item><item><title>有 guid</title><guid isPermaLink="false">tag:1</guid></item>')],
    ['empty item', feedWith('<item></item><item/>')],
    ['relative links', feedWith('<item><title>相对</title><link>/a/1.html</link></item><item><title>无协议</title><link>//news.example.cn/a/2</link></item><item><title>点</title><link>../a/3</link></item>')],
    ['hostile link schemes', feedWith('<item><title>js</title><link>javascript:alert(1)</link></item><item><title>data</title><link>data:text/html,hi</link></item><item><title>file</title><link>file:///etc/passwd</link></item>')],
    ['links with spaces and unicode', feedWith('<item><title>空格</title><link>  https://news.example.cn/a b/中文.html  </link></item><item><title>idn</title><link>https://例子.中国/路径?q=值</link></item>')],
    ['duplicate guids', feedWith(Array.from({ length: 4 }, (_, i) => `<item><title>重复${i}</title><guid>same-guid</guid><link>https://news.example.cn/d/${i % 2}</link></item>`).join(''))],
    ['duplicate links', feedWith(Array.from({ length: 4 }, (_, i) => `<item><title>重复链接${i}</title><link>https://news.example.cn/same?utm_source=x${i}</link></item>`).join(''))],
    ['title as element tree', item('<title><b>粗</b><i>斜</i></title><link>https://news.example.cn/x</link>')],
    ['link with attributes only', item('<title>t</title><link href="https://news.example.cn/x"/>')],
    ['atom entry without link href', '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>无 href</title><link rel="alternate"/><id>urn:1</id><updated>不是日期</updated></entry></feed>'],
    ['atom with garbage dates', '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>a</title><link href="https://a.example/1"/><published>9999-99-99T99:99:99Z</published><updated>2024-13-45</updated></entry></feed>'],
    ['RDF without items', '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>t</title></channel></rdf:RDF>'],
    ['unknown namespace prefixes', item('<foo:title>前缀</foo:title><bar:link>https://a.example/1</bar:link><title>t</title><link>https://a.example/1</link>')],
    ['DOCTYPE with internal subset', `<?xml version="1.0"?><!DOCTYPE rss [<!ELEMENT rss ANY><!ATTLIST item x CDATA "y">]>${base.replace(/^<\?xml[^>]*>/, '')}`],
    ['GBK bytes labelled UTF-8', iconv.encode(base, 'gbk'), 'application/rss+xml; charset=utf-8'],
    ['UTF-16 without BOM or declaration', iconv.encode(base.replace(/^<\?xml[^>]*>/, ''), 'utf-16le')],
    ['declared UTF-16 but UTF-8 bytes', base.replace('encoding="UTF-8"', 'encoding="UTF-16"')],
    ['unknown encoding declared', base.replace('encoding="UTF-8"', 'encoding="x-klingon"')],
    ['script in description', feedWith('<item><title>t</title><link>https://a.example/1</link><description>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</description></item>')],
    ['binary garbage', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
  ];
  return m.map(([name, body, contentType]) => ({
    name,
    family: 'mutation' as const,
    bytes: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    contentType: contentType ?? RSS,
  }));
}

/**
 * Date forms of Chinese sites, each with the instant it means at the reference time NOW
 * (2026-11-25T02:00:00Z = 10:00 Beijing time), or null when it must be marked estimated.
 */
export const DATE_NOW = new Date('2026-11-25T02:00:00Z');
export const DATE_FORMS: [string, string | null][] = [
  ['2024年5月1日 10:00', '2024-05-01T02:00:00.000Z'],
  ['2024年05月01日 10:00:30', '2024-05-01T02:00:30.000Z'],
  ['2024年5月1日', '2024-04-30T16:00:00.000Z'],
  ['2024年5月1日10时20分', '2024-05-01T02:20:00.000Z'],
  ['2024-05-01 10:00:00', '2024-05-01T02:00:00.000Z'],
  ['2024-05-01 10:00', '2024-05-01T02:00:00.000Z'],
  ['2024/5/1', '2024-04-30T16:00:00.000Z'],
  ['2024/05/01 08:30', '2024-05-01T00:30:00.000Z'],
  ['2024.05.01', '2024-04-30T16:00:00.000Z'],
  ['5月1日', '2026-04-30T16:00:00.000Z'],
  ['5月1日 14:20', '2026-05-01T06:20:00.000Z'],
  ['3小时前', '2026-11-24T23:00:00.000Z'],
  ['30分钟前', '2026-11-25T01:30:00.000Z'],
  ['2天前', '2026-11-23T02:00:00.000Z'],
  ['昨天 14:20', '2026-11-24T06:20:00.000Z'],
  ['前天 08:00', '2026-11-23T00:00:00.000Z'],
  ['刚刚', '2026-11-25T02:00:00.000Z'],
  ['发布时间：2024-05-01 10:00', '2024-05-01T02:00:00.000Z'],
  ['２０２４年５月１日　１０：００', '2024-05-01T02:00:00.000Z'],
  ['Wed, 01 May 2024 10:00:00 +0800', '2024-05-01T02:00:00.000Z'],
  ['2024-05-01T10:00:00+08:00', '2024-05-01T02:00:00.000Z'],
  ['Wed May 01 10:00:00 CST 2024', '2024-05-01T02:00:00.000Z'],
  // Nonsense and impossible dates: estimated, never Invalid Date.
  ['2024年2月30日', null],
  ['2024-13-45', null],
  ['明天', null],
  ['2099年1月1日', null],
  ['不详', null],
  ['', null],
  ['99999999999999999999', null],
  ['NaN', null],
  ['0000-00-00 00:00:00', null],
];

function dateCases(): FeedCase[] {
  return DATE_FORMS.map(([raw, expected], i) => ({
    name: `date "${raw}"`,
    family: 'dates' as const,
    bytes: Buffer.from(feedWith(`<item><title>日期样例${i}</title><link>https://news.example.cn/date/${i}</link><pubDate>${raw}</pubDate></item>`)),
    contentType: RSS,
    date: { raw, expected },
  }));
}

/** The whole corpus: about 250 files in the short variant, about 1,000 in the long one. */
export function feedCorpus(long: boolean): FeedCase[] {
  return [...truncations(long ? 80 : 20), ...byteDamage(long ? 300 : 40), ...mutations(), ...dateCases()];
}
