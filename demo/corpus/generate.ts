// Writes demo/corpus/generated/: small malformed, oddly encoded and oddly dated feeds and list
// pages, with manifest.json stating what a reader must find in each (entries, titles, dates).
// Deterministic: run `npx tsx demo/corpus/generate.ts` after changing it and commit its output;
// the tests read the committed files and never run this.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import iconv from 'iconv-lite';
import { BUSINESS_OFFSET_MS } from '../../core/business-time.js';

export const GENERATED_DIR = new URL('./generated/', import.meta.url);

/** The fetch time every case is read at: 2024-05-10 12:00 in Beijing. */
export const CORPUS_NOW = '2024-05-10T04:00:00.000Z';

export interface ManifestEntry {
  title: string;
  /** The instant the reader must find (ISO), or null when the entry has no date (the fetch time stands in). */
  date: string | null;
}

export interface ManifestCase {
  file: string;
  about: string;
  kind: 'feed' | 'site';
  /** The Content-Type the file is served with. */
  contentType: string;
  /** A site source's selectors. */
  selectors?: { item: string; link?: string; title?: string; date?: string };
  entries: ManifestEntry[];
  /** How many distinct item keys the entries get (when links differ only by their fragments). */
  keys?: number;
  /** What every entry's canonical link starts with (links resolved against <base href> or xml:base). */
  linksStartWith?: string;
}

/** Date forms as list pages and feeds print them, and the instant each names at CORPUS_NOW. */
const FORMS: { id: string; text: string; iso: string; inText?: boolean; trailing?: boolean; nested?: boolean; feed?: boolean }[] = [
  { id: 'iso-seconds', text: '2020-12-31 11:06:22', iso: '2020-12-31T03:06:22.000Z' },
  { id: 'iso-day', text: '2020-12-31', iso: '2020-12-30T16:00:00.000Z' },
  { id: 'slash-day', text: '2020/12/31', iso: '2020-12-30T16:00:00.000Z' },
  { id: 'dot-day', text: '2020.12.31', iso: '2020-12-30T16:00:00.000Z' },
  { id: 'cn-minutes', text: '2020年12月31日 11:06', iso: '2020-12-31T03:06:00.000Z' },
  { id: 'cn-day', text: '2020年12月31日', iso: '2020-12-30T16:00:00.000Z' },
  { id: 'bracket-day', text: '[2020-12-31]', iso: '2020-12-30T16:00:00.000Z', nested: false },
  { id: 'paren-seconds', text: '(2020-08-16 22:26:38)', iso: '2020-08-16T14:26:38.000Z', nested: false },
  { id: 'fullwidth-paren', text: '（2020-08-16 22:26）', iso: '2020-08-16T14:26:00.000Z', nested: false },
  { id: 'lenticular', text: '【2020年12月31日】', iso: '2020-12-30T16:00:00.000Z', nested: false },
  { id: 'labelled-count', text: '(发布时间：2020-12-31 11:06:22 阅读次数：)', iso: '2020-12-31T03:06:22.000Z', trailing: false, nested: false },
  { id: 'labelled-after', text: '浏览次数：1234 发布日期：2021-03-05', iso: '2021-03-04T16:00:00.000Z', trailing: false, nested: false },
  { id: 'author-time', text: '作者：张三 时间：2020-12-31 11:06 点击：88', iso: '2020-12-31T03:06:00.000Z', trailing: false, nested: false },
  { id: 'us-split', text: '09/25 2020', iso: '2020-09-24T16:00:00.000Z' },
  { id: 'us-slash', text: '09/25/2020', iso: '2020-09-24T16:00:00.000Z' },
  { id: 'tieba-month-day', text: '7-3', iso: '2023-07-02T16:00:00.000Z', nested: false },
  { id: 'tieba-month-day-now', text: '5-9', iso: '2024-05-08T16:00:00.000Z', nested: false },
  { id: 'year-month', text: '2019-12', iso: '2019-11-30T16:00:00.000Z' },
  { id: 'cn-year-month', text: '2019年12月', iso: '2019-11-30T16:00:00.000Z' },
  { id: 'time-today', text: '11:38', iso: '2024-05-10T03:38:00.000Z' },
  { id: 'days-ago', text: '3天前', iso: '2024-05-07T04:00:00.000Z' },
  { id: 'yesterday', text: '昨天 10:20', iso: '2024-05-09T02:20:00.000Z' },
  { id: 'hours-ago', text: '3小时前', iso: '2024-05-10T01:00:00.000Z' },
  { id: 'month-day-cn', text: '12月31日 08:00', iso: '2023-12-31T00:00:00.000Z' },
  { id: 'iso-t-zone', text: '2020-12-31T11:06:22+08:00', iso: '2020-12-31T03:06:22.000Z' },
  { id: 'rfc822', text: 'Thu, 31 Dec 2020 11:06:22 +0800', iso: '2020-12-31T03:06:22.000Z', inText: false, trailing: false, nested: false },
];

const TITLES = [
  '城关镇东关村自来水停供三天无人回应',
  '关于城区部分路段临时交通管制的通告',
  '开发区企业拖欠农民工工资',
  '龙山镇石桥村道路塌陷',
  '市民反映老旧小区加装电梯进展缓慢',
  '县医院挂号难问题引关注',
];
const BODY = '居民反映，小区自来水已经停了三天，物业和供水公司都说不清什么时候恢复，老人孩子用水很困难。';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rss(items: { title: string; link?: string; date?: string; body?: string }[], decl = 'UTF-8'): string {
  const body = items
    .map((i) => `<item><title>${esc(i.title)}</title>${i.link ? `<link>${i.link}</link>` : ''}${i.date ? `<pubDate>${esc(i.date)}</pubDate>` : ''}<description>${esc(i.body ?? BODY)}</description></item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="${decl}"?>\n<rss version="2.0"><channel><title>清河市政务</title><link>http://corpus.example/</link><description>样例</description>\n${body}\n</channel></rss>\n`;
}

function atom(items: { title: string; link: string; date?: string; tag?: string }[], decl = 'UTF-8', ns = 'http://www.w3.org/2005/Atom'): string {
  const body = items
    .map((i) => `<entry><title>${esc(i.title)}</title><link rel="alternate" href="${i.link}"/><id>${i.link}</id>${i.date ? `<${i.tag ?? 'published'}>${esc(i.date)}</${i.tag ?? 'published'}>` : ''}<summary>${esc(BODY)}</summary></entry>`)
    .join('\n');
  return `<?xml version="1.0" encoding="${decl}"?>\n<feed xmlns="${ns}"${ns.includes('purl') ? ' version="0.3"' : ''}><title>清河市政务</title><id>http://corpus.example/</id>\n${body}\n</feed>\n`;
}

function page(rows: string, head = '', charset = 'utf-8'): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="${charset}"><title>信息公开</title>${head}</head><body><ul class="list">\n${rows}\n</ul></body></html>\n`;
}

const cases: ManifestCase[] = [];
const files = new Map<string, Buffer>();

function add(file: string, content: string | Buffer, c: Omit<ManifestCase, 'file'>): void {
  if (files.has(file)) throw new Error(`duplicate ${file}`);
  files.set(file, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  cases.push({ file, ...c });
}

const XML = 'application/xml';
const HTML = 'text/html';
const link = (n: number) => `http://corpus.example/news/${n}.html`;

// 1. Every date form as a feed's date (RSS pubDate, Atom published), read inside its text.
for (const [n, f] of FORMS.entries()) {
  const items = [0, 1].map((k) => ({ title: TITLES[(n + k) % TITLES.length], link: link(n * 10 + k), date: f.text }));
  add(`date-rss-${f.id}.rss`, rss(items), { about: `RSS pubDate "${f.text}"`, kind: 'feed', contentType: XML, entries: items.map((i) => ({ title: i.title, date: f.iso })) });
  add(`date-atom-${f.id}.atom`, atom(items), { about: `Atom published "${f.text}"`, kind: 'feed', contentType: XML, entries: items.map((i) => ({ title: i.title, date: f.iso })) });
}

// 2. List pages: the date inside the row's text (no date selector), in its own element, printed
// after the title inside the link, or nested in the link as an element.
for (const [n, f] of FORMS.entries()) {
  const t = [TITLES[n % TITLES.length], TITLES[(n + 2) % TITLES.length]];
  if (f.inText !== false) {
    add(`list-intext-${f.id}.html`, page(t.map((title, k) => `<li><a href="/news/${n}${k}.html">${title}</a> ${esc(f.text)}</li>`).join('\n')), {
      about: `list page, date "${f.text}" in the row's text, no date selector`,
      kind: 'site',
      contentType: `${HTML}; charset=utf-8`,
      selectors: { item: 'ul.list li' },
      entries: t.map((title) => ({ title, date: f.iso })),
    });
  }
  add(`list-element-${f.id}.html`, page(t.map((title, k) => `<li><a href="/news/${n}${k}.html">${title}</a><span class="date">${esc(f.text)}</span></li>`).join('\n')), {
    about: `list page, date "${f.text}" in its own element`,
    kind: 'site',
    contentType: `${HTML}; charset=utf-8`,
    selectors: { item: 'ul.list li', date: 'span.date' },
    entries: t.map((title) => ({ title, date: f.iso })),
  });
  if (f.trailing !== false) {
    add(`list-trailing-${f.id}.html`, page(t.map((title, k) => `<li><a href="/news/${n}${k}.html">${title} ${esc(f.text)}</a></li>`).join('\n')), {
      about: `list page, date "${f.text}" printed after the title inside the link`,
      kind: 'site',
      contentType: `${HTML}; charset=utf-8`,
      selectors: { item: 'ul.list li' },
      entries: t.map((title) => ({ title, date: f.iso })),
    });
  }
  if (f.nested !== false) {
    add(`list-nested-${f.id}.html`, page(t.map((title, k) => `<li><a href="/news/${n}${k}.html">${title}<em>${esc(f.text)}</em></a></li>`).join('\n')), {
      about: `list page, date "${f.text}" nested in the link as an element`,
      kind: 'site',
      contentType: `${HTML}; charset=utf-8`,
      selectors: { item: 'ul.list li' },
      entries: t.map((title) => ({ title, date: f.iso })),
    });
  }
}

// 3. Encodings: one Chinese feed (and list page) in every encoding oddity.
const ENC_ITEMS = TITLES.slice(0, 3).map((title, k) => ({ title, link: link(900 + k), date: '2020-12-31 11:06:22' }));
const ENC_EXPECT = ENC_ITEMS.map((i) => ({ title: i.title, date: '2020-12-31T03:06:22.000Z' }));
const BOMS: Record<string, Buffer> = {
  'utf-8': Buffer.from([0xef, 0xbb, 0xbf]),
  'utf-16le': Buffer.from([0xff, 0xfe]),
  'utf-16be': Buffer.from([0xfe, 0xff]),
  'utf-32le': Buffer.from([0xff, 0xfe, 0, 0]),
  'utf-32be': Buffer.from([0, 0, 0xfe, 0xff]),
};
function encode(text: string, enc: string): Buffer {
  if (enc === 'utf-32le' || enc === 'utf-32be') {
    const out = Buffer.alloc([...text].length * 4);
    let i = 0;
    for (const ch of text) {
      if (enc === 'utf-32le') out.writeUInt32LE(ch.codePointAt(0)!, i);
      else out.writeUInt32BE(ch.codePointAt(0)!, i);
      i += 4;
    }
    return out;
  }
  return iconv.encode(text, enc);
}
for (const enc of ['utf-8', 'utf-16le', 'utf-16be', 'utf-32le', 'utf-32be']) {
  for (const bom of [true, false]) {
    for (const [kind, doc] of [['rss', rss(ENC_ITEMS, enc.toUpperCase())], ['atom', atom(ENC_ITEMS, enc.toUpperCase())]] as const) {
      const bytes = Buffer.concat([bom ? BOMS[enc] : Buffer.alloc(0), encode(doc, enc)]);
      add(`enc-${enc}-${bom ? 'bom' : 'nobom'}.${kind}`, bytes, { about: `${kind} in ${enc}, ${bom ? 'with' : 'without'} BOM`, kind: 'feed', contentType: XML, entries: ENC_EXPECT });
    }
  }
}
const LEGACY: { id: string; enc: string; decl: string | null; header: string | null; about: string }[] = [
  { id: 'gbk-declared', enc: 'gbk', decl: 'GBK', header: null, about: 'GBK declared in the XML declaration' },
  { id: 'gb2312-declared', enc: 'gbk', decl: 'gb2312', header: null, about: 'GBK bytes declared gb2312' },
  { id: 'gb18030-declared', enc: 'gb18030', decl: 'GB18030', header: null, about: 'GB18030 declared' },
  { id: 'gbk-header', enc: 'gbk', decl: null, header: 'gbk', about: 'GBK named by the Content-Type only' },
  { id: 'gbk-undeclared', enc: 'gbk', decl: null, header: null, about: 'GBK with no label anywhere' },
  { id: 'gbk-mislabelled-utf8', enc: 'gbk', decl: 'UTF-8', header: null, about: 'GBK bytes declared UTF-8' },
  { id: 'gbk-header-says-utf8', enc: 'gbk', decl: null, header: 'utf-8', about: 'GBK bytes, the header says UTF-8' },
  { id: 'utf8-declared-gbk', enc: 'utf-8', decl: 'GBK', header: null, about: 'UTF-8 bytes declared GBK' },
  { id: 'utf8-declared-latin1', enc: 'utf-8', decl: 'ISO-8859-1', header: null, about: 'UTF-8 bytes declared ISO-8859-1' },
  { id: 'big5-declared', enc: 'big5', decl: 'Big5', header: null, about: 'Big5 declared' },
  { id: 'big5-header', enc: 'big5', decl: null, header: 'big5', about: 'Big5 named by the Content-Type only' },
  { id: 'unknown-label', enc: 'utf-8', decl: 'klingon-8', header: null, about: 'an unknown charset label (skipped, as browsers do)' },
];
const TRAD = ['城關鎮東關村自來水停供三天無人回應', '關於城區部分路段臨時交通管制的通告', '開發區企業拖欠農民工工資'];
for (const l of LEGACY) {
  const titles = l.enc === 'big5' ? TRAD : TITLES.slice(0, 3);
  const items = titles.map((title, k) => ({ title, link: link(950 + k), date: '2020-12-31 11:06:22', body: l.enc === 'big5' ? '居民反映，小區自來水已經停了三天，物業和供水公司都說不清什麼時候恢復。' : BODY }));
  const expect = titles.map((title) => ({ title, date: '2020-12-31T03:06:22.000Z' }));
  const contentType = l.header ? `${XML}; charset=${l.header}` : XML;
  const xml = rss(items, l.decl ?? 'X').replace(l.decl ? '' : ' encoding="X"', '');
  add(`enc-${l.id}.rss`, iconv.encode(xml, l.enc), { about: `RSS, ${l.about}`, kind: 'feed', contentType, entries: expect });
  const html = page(
    titles.map((title, k) => `<li><a href="/news/${960 + k}.html">${title}</a>(发布时间：2020-12-31 11:06:22 阅读次数：)</li>`).join('\n'),
    '',
    l.decl ?? 'X',
  ).replace(l.decl ? '' : '<meta charset="X">', '');
  add(`enc-${l.id}.html`, iconv.encode(html, l.enc), {
    about: `list page, ${l.about}`,
    kind: 'site',
    contentType: l.header ? `${HTML}; charset=${l.header}` : HTML,
    selectors: { item: 'ul.list li' },
    entries: expect,
  });
}

// 4. Structure: truncated documents, missing channel, CDATA and entity oddities, entries without links.
const S = TITLES.slice(0, 3).map((title, k) => ({ title, link: link(1000 + k), date: '2021-03-05 09:30' }));
const S_EXPECT = S.map((i) => ({ title: i.title, date: '2021-03-05T01:30:00.000Z' }));
const whole = rss(S);
const cutPoints: [string, (doc: string) => string][] = [
  ['after-last-item', (d) => d.slice(0, d.lastIndexOf('</item>') + 7)],
  ['mid-channel-end', (d) => d.slice(0, d.indexOf('</channel>') + 5)],
  ['before-rss-end', (d) => d.slice(0, d.indexOf('</rss>'))],
];
for (const [id, cut] of cutPoints) add(`struct-truncated-${id}.rss`, cut(whole), { about: `RSS cut off ${id}`, kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-truncated-mid-item.rss', whole.slice(0, whole.lastIndexOf('<item>') + 30), { about: 'RSS cut off inside its last item', kind: 'feed', contentType: XML, entries: S_EXPECT.slice(0, 2) });
const wholeAtom = atom(S);
add('struct-truncated-mid-entry.atom', wholeAtom.slice(0, wholeAtom.lastIndexOf('<entry>') + 20), { about: 'Atom cut off inside its last entry', kind: 'feed', contentType: XML, entries: S_EXPECT.slice(0, 2) });
add('struct-truncated-before-feed-end.atom', wholeAtom.slice(0, wholeAtom.indexOf('</feed>')), { about: 'Atom cut off before </feed>', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-no-channel.rss', whole.replace(/<channel>.*?(?=<item>)/s, '').replace('</channel>', ''), { about: '<rss> with items and no <channel>', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-no-version.rss', whole.replace(' version="2.0"', ''), { about: '<rss> without a version', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-cdata-title.rss', whole.replace(/<title>([^<]*)<\/title><link>/g, '<title><![CDATA[$1]]></title><link>'), { about: 'titles in CDATA', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-cdata-html-title.rss', whole.replace(/<title>([^<]*)<\/title><link>/g, '<title><![CDATA[<b>$1</b>]]></title><link>'), { about: 'titles as HTML in CDATA', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-cdata-date.rss', whole.replace(/<pubDate>([^<]*)<\/pubDate>/g, '<pubDate><![CDATA[ 发布时间：$1 ]]></pubDate>'), { about: 'dates in CDATA with a label', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-cdata-split.rss', whole.replace(/<description>[^<]*<\/description>/g, '<description><![CDATA[a ]]]]><![CDATA[> b]]></description>'), { about: 'a CDATA section split to hold "]]>"', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-cdata-unclosed.rss', `${whole.slice(0, whole.lastIndexOf('<description>'))}<description><![CDATA[没有结束的 CDATA </description></item></channel></rss>\n`, { about: 'an unclosed CDATA section in the last item (strict parser refuses)', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-entity-nbsp.rss', whole.replace(/<description>/g, '<description>&nbsp;&copy;'), { about: 'HTML entities XML does not declare', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-entity-bare-amp.rss', whole.replace(/<description>/g, '<description>A & B <br> '), { about: 'a bare & and an unclosed <br>', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-entity-numeric-title.rss', rss(S.map((i) => ({ ...i, title: [...i.title].map((c) => `&#${c.codePointAt(0)};`).join('') }))).replace(/&amp;#/g, '&#'), { about: 'titles as numeric character references', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-entity-double.rss', rss(S.map((i) => ({ ...i, title: `${i.title}&hellip;` }))), { about: 'entities encoded twice (&amp;hellip;)', kind: 'feed', contentType: XML, entries: S_EXPECT.map((e) => ({ ...e, title: `${e.title}…` })) });
add('struct-no-link.rss', rss(S.map((i) => ({ ...i, link: undefined }))), { about: 'items with neither link nor guid', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-guid-only.rss', rss(S.map((i) => ({ ...i, link: undefined }))).replace(/<item>/g, (() => { let k = 0; return () => `<item><guid isPermaLink="false">post-${++k}</guid>`; })()), { about: 'items with only a non-URL guid', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-no-date.rss', rss(S.map((i) => ({ ...i, date: undefined }))), { about: 'items without a date (the fetch time stands in)', kind: 'feed', contentType: XML, entries: S.map((i) => ({ title: i.title, date: null })) });
add('struct-junk-date.rss', rss(S.map((i) => ({ ...i, date: '阅读次数：1234 电话：0359-1234567' }))), { about: 'a date field holding only numbers that are not dates', kind: 'feed', contentType: XML, entries: S.map((i) => ({ title: i.title, date: null })) });
add('struct-atom03-issued.atom', atom(S.map((i) => ({ ...i, date: '2021-03-05T09:30:00+08:00', tag: 'issued' })), 'UTF-8', 'http://purl.org/atom/ns#'), { about: 'Atom 0.3 <issued>', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-atom03-modified.atom', atom(S.map((i) => ({ ...i, date: '2021-03-05T09:30:00+08:00', tag: 'modified' })), 'UTF-8', 'http://purl.org/atom/ns#'), { about: 'Atom 0.3 <modified> only', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-atom03-issued-truncated.atom', atom(S.map((i) => ({ ...i, date: '2021-03-05T09:30:00+08:00', tag: 'issued' })), 'UTF-8', 'http://purl.org/atom/ns#').replace('</feed>', ''), { about: 'Atom 0.3 cut off before </feed>', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-xml-base.atom', atom(S.map((i, k) => ({ ...i, link: `posts/${k}.html#top` }))).replace('<feed ', '<feed xml:base="http://blog.corpus.example/2021/" '), { about: 'Atom with relative links and an absolute xml:base', kind: 'feed', contentType: XML, keys: 3, linksStartWith: 'http://blog.corpus.example/2021/posts/', entries: S_EXPECT });
add('struct-atom-updated-only.atom', atom(S.map((i) => ({ ...i, date: '2021-03-05T09:30:00+08:00', tag: 'updated' }))), { about: 'Atom with <updated> only', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-rdf.rdf', `<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="http://corpus.example/"><title>t</title><link>http://corpus.example/</link><description>d</description></channel>\n${S.map((i) => `<item rdf:about="${i.link}"><title>${i.title}</title><link>${i.link}</link><dc:date>${i.date}</dc:date></item>`).join('\n')}\n</rdf:RDF>\n`, { about: 'RDF with dc:date', kind: 'feed', contentType: XML, entries: S_EXPECT });
add('struct-control-chars.rss', rss(S.map((i) => ({ ...i, title: `${i.title}\u0007` }))).replace(/\u0007/g, '&#x7;'), { about: 'a control character reference in each title (strict parser refuses)', kind: 'feed', contentType: XML, entries: S_EXPECT });

// 5. List pages: <base href>, fragment links, title attributes, exclusions, dates over two elements.
const ARCH = Array.from({ length: 16 }, (_, k) => `第${k + 1}楼：${TITLES[k % TITLES.length]}`);
add(
  'page-fragments-archive.html',
  page(ARCH.map((title, k) => `<li><a href="/archiver/tid-9.html#pid${k + 1}">${title}</a> <span>2020-12-${String(k + 1).padStart(2, '0')}</span></li>`).join('\n')),
  { about: '16 posts of one archive page, links differing only by #pid', kind: 'site', contentType: `${HTML}; charset=utf-8`, selectors: { item: 'ul.list li' }, keys: 16, entries: ARCH.map((title, k) => ({ title, date: new Date(Date.UTC(2020, 11, k + 1) - BUSINESS_OFFSET_MS).toISOString() })) },
);
add(
  'page-fragment-single-anchor.html',
  page(TITLES.slice(0, 3).map((title, k) => `<li><a href="/news/${k}.html#content">${title}</a> [2021-03-05]</li>`).join('\n')),
  { about: 'page anchors on different pages: dropped from the key', kind: 'site', contentType: `${HTML}; charset=utf-8`, selectors: { item: 'ul.list li' }, keys: 3, entries: TITLES.slice(0, 3).map((title) => ({ title, date: '2021-03-04T16:00:00.000Z' })) },
);
add(
  'page-base-href.html',
  page(TITLES.slice(0, 3).map((title, k) => `<li><a href="viewthread.php?tid=${k}">${title}</a><em>11:38</em></li>`).join('\n'), '<base href="http://bbs.corpus.example/forum/">'),
  { about: 'Discuz! list with <base href>', kind: 'site', contentType: `${HTML}; charset=utf-8`, selectors: { item: 'ul.list li' }, linksStartWith: 'http://bbs.corpus.example/forum/viewthread.php?tid=', entries: TITLES.slice(0, 3).map((title) => ({ title, date: '2024-05-10T03:38:00.000Z' })) },
);
add(
  'page-title-attribute.html',
  page(TITLES.slice(0, 3).map((title, k) => `<li><a href="/n/${k}.html" title="${title}">${title.slice(0, 6)}…</a><span>2021-03-05</span></li>`).join('\n')),
  { about: 'cut titles, the whole one in a@title', kind: 'site', contentType: `${HTML}; charset=utf-8`, selectors: { item: 'ul.list li', title: 'a@title', date: 'span' }, entries: TITLES.slice(0, 3).map((title) => ({ title, date: '2021-03-04T16:00:00.000Z' })) },
);
add(
  'page-title-exclude.html',
  page(TITLES.slice(0, 3).map((title, k) => `<li><a href="/n/${k}.html"><i class="tag">置顶</i>${title}<b class="hot">热</b></a><span>2021-03-05</span></li>`).join('\n')),
  { about: 'titles with badges left out by a!i!b', kind: 'site', contentType: `${HTML}; charset=utf-8`, selectors: { item: 'ul.list li', title: 'a!i!b', date: 'span' }, entries: TITLES.slice(0, 3).map((title) => ({ title, date: '2021-03-04T16:00:00.000Z' })) },
);
add(
  'page-date-two-elements.html',
  page(TITLES.slice(0, 3).map((title, k) => `<li><a href="/n/${k}.html">${title}</a><div class="d"><span class="md">09/25</span><span class="y">2020</span></div></li>`).join('\n')),
  { about: 'a date split over two elements (09/25 and 2020)', kind: 'site', contentType: `${HTML}; charset=utf-8`, selectors: { item: 'ul.list li', date: 'div.d' }, entries: TITLES.slice(0, 3).map((title) => ({ title, date: '2020-09-24T16:00:00.000Z' })) },
);
add(
  'page-date-attribute.html',
  page(TITLES.slice(0, 3).map((title, k) => `<li><a href="/n/${k}.html">${title}</a><span class="d" data-time="2021-03-05 09:30">3月5日</span></li>`).join('\n')),
  { about: 'the date in an attribute (span@data-time)', kind: 'site', contentType: `${HTML}; charset=utf-8`, selectors: { item: 'ul.list li', date: 'span.d@data-time' }, entries: TITLES.slice(0, 3).map((title) => ({ title, date: '2021-03-05T01:30:00.000Z' })) },
);
add(
  'page-link-attribute.html',
  page(TITLES.slice(0, 3).map((title, k) => `<li><a href="javascript:void(0)" data-url="/n/${k}.html">${title}</a> 2021-03-05</li>`).join('\n')),
  { about: 'the link in data-url (a@data-url)', kind: 'site', contentType: `${HTML}; charset=utf-8`, selectors: { item: 'ul.list li', link: 'a@data-url' }, entries: TITLES.slice(0, 3).map((title) => ({ title, date: '2021-03-04T16:00:00.000Z' })) },
);
add(
  'page-tieba.html',
  page(TITLES.slice(0, 4).map((title, k) => `<li class="j_thread_list"><div class="threadlist_title"><a href="/p/${7000 + k}">${title}</a></div><span class="threadlist_reply_date">${['7-3', '11:38', '2019-12', '5-9'][k]}</span></li>`).join('\n')),
  { about: '贴吧 thread list: 7-3, 11:38, 2019-12', kind: 'site', contentType: `${HTML}; charset=utf-8`, selectors: { item: 'li.j_thread_list', date: 'span.threadlist_reply_date' }, entries: TITLES.slice(0, 4).map((title, k) => ({ title, date: ['2023-07-02T16:00:00.000Z', '2024-05-10T03:38:00.000Z', '2019-11-30T16:00:00.000Z', '2024-05-08T16:00:00.000Z'][k] })) },
);
add(
  'page-gov-table.html',
  `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><table class="gl">${TITLES.slice(0, 3).map((title, k) => `<tr><td><a href="/zwgk/${k}.html">${title}</a></td><td>文号：清政办〔2020〕${k + 12}号</td><td>2020-12-${29 + k}</td></tr>`).join('')}</table></body></html>`,
  { about: 'a government table: 文号 numbers before the date', kind: 'site', contentType: `${HTML}; charset=utf-8`, selectors: { item: 'table.gl tr' }, entries: TITLES.slice(0, 3).map((title, k) => ({ title, date: new Date(Date.UTC(2020, 11, 29 + k) - BUSINESS_OFFSET_MS).toISOString() })) },
);
add(
  'page-phone-and-count.html',
  page(TITLES.slice(0, 3).map((title, k) => `<li><a href="/n/${k}.html">${title}</a> 咨询电话：0359-12345${k}7 阅读：2020 次</li>`).join('\n')),
  { about: 'phone numbers and counts, no date at all', kind: 'site', contentType: `${HTML}; charset=utf-8`, selectors: { item: 'ul.list li' }, entries: TITLES.slice(0, 3).map((title) => ({ title, date: null })) },
);

function write(): void {
  rmSync(GENERATED_DIR, { recursive: true, force: true });
  mkdirSync(GENERATED_DIR, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(new URL(name, GENERATED_DIR), bytes);
  writeFileSync(new URL('manifest.json', GENERATED_DIR), `${JSON.stringify(cases, null, 1)}\n`);
  process.stdout.write(`${readdirSync(GENERATED_DIR).length - 1} files written to demo/corpus/generated/\n`);
}

// Written only when run as a script; the tests import the manifest types and CORPUS_NOW.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) write();
