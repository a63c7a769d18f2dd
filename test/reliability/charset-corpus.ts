// The charset corpus of the reliability suite: one Chinese news item encoded in every charset
// Chinese publishers serve (GB2312, GBK, GB18030 with 4-byte characters, Big5, UTF-8 with and
// without BOM, UTF-16LE/BE with BOM), each labelled in the HTTP header, the XML prolog, an HTML
// <meta>, nowhere, or wrongly. Generated at test time: nothing is stored on disk.
import iconv from 'iconv-lite';

/** The news item in simplified characters (all in GB2312). */
const TITLE_SIMPLIFIED = '清河区自来水管道破裂 部分居民停水两天';
const BODY_SIMPLIFIED =
  '5月1日上午，清河区幸福路一处自来水管道突然破裂，附近三个小区约两千户居民停水。' +
  '居民反映，物业和供水公司迟迟没有给出抢修时间，老人和孩子生活十分不便。' +
  '区水务局回应称，抢修队伍已经到场，预计今晚恢复供水，并将设置临时送水点。' +
  '有网友质疑补偿方案，希望政府公开调查结果。';
/** Characters GBK has and GB2312 lacks (a resident's name). */
const GBK_EXTRA = '居民王喆、李堃表示担忧。';
/** Characters only GB18030 and Unicode encodings carry: 4-byte in GB18030 (CJK Ext. B, Ext. A, emoji). */
const GB18030_EXTRA = '网友“𠮷野”留言：㐀㐁不满😀。';

/** The same item in traditional characters, for Big5. */
const TITLE_TRADITIONAL = '清河區自來水管道破裂 部分居民停水兩天';
const BODY_TRADITIONAL =
  '5月1日上午，清河區幸福路一處自來水管道突然破裂，附近三個小區約兩千戶居民停水。' +
  '居民反映，物業和供水公司遲遲沒有給出搶修時間，老人和孩子生活十分不便。' +
  '區水務局回應稱，搶修隊伍已經到場，預計今晚恢復供水，並將設置臨時送水點。' +
  '有網友質疑補償方案，希望政府公開調查結果。';

export const KEYWORDS_SIMPLIFIED = ['停水', '自来水', '管道破裂', '供水', '抢修', '补偿', '水务局', '居民', '调查结果'];
export const KEYWORDS_TRADITIONAL = ['停水', '自來水', '管道破裂', '供水', '搶修', '補償', '水務局', '居民', '調查結果'];

export type BodyCharset = 'gb2312' | 'gbk' | 'gb18030' | 'big5' | 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom';
export const BODY_CHARSETS: BodyCharset[] = ['gb2312', 'gbk', 'gb18030', 'big5', 'utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom'];

/**
 * Where the charset is said: correctly in the header, prolog or meta; nowhere (in a feed or an
 * HTML page); or wrongly, in the header of a feed or the meta of a page.
 */
export type LabelMode = 'header' | 'xml' | 'meta' | 'none' | 'none-html' | 'wrong-header' | 'wrong-meta';
export const LABEL_MODES: LabelMode[] = ['header', 'xml', 'meta', 'none', 'none-html', 'wrong-header', 'wrong-meta'];

export interface CharsetCase {
  name: string;
  charset: BodyCharset;
  label: LabelMode;
  /** 'feed' (RSS 2.0) or 'site' (an HTML list page read with LIST_SELECTORS). */
  kind: 'feed' | 'site';
  bytes: Buffer;
  contentType: string;
  /** The label given, when any (the wrong one for the wrong-* modes). */
  labelledAs: string | null;
  /** True when a label is given and it is the right one (or a BOM settles it). */
  correctlyLabelled: boolean;
  title: string;
  /** The body sentences; a site list page carries one sentence per list row. */
  sentences: string[];
  keywords: string[];
}

export const LIST_SELECTORS = { item: 'ul.news li', link: 'a', title: 'a' };

function contentOf(charset: BodyCharset): { title: string; body: string; keywords: string[] } {
  if (charset === 'big5') return { title: TITLE_TRADITIONAL, body: BODY_TRADITIONAL, keywords: KEYWORDS_TRADITIONAL };
  const extra = charset === 'gb2312' ? '' : charset === 'gbk' ? GBK_EXTRA : GBK_EXTRA + GB18030_EXTRA;
  return { title: TITLE_SIMPLIFIED, body: BODY_SIMPLIFIED + extra, keywords: KEYWORDS_SIMPLIFIED };
}

/** The label a publisher would write for a body charset. */
function properLabel(charset: BodyCharset): string {
  if (charset === 'utf-8-bom') return 'utf-8';
  if (charset === 'utf-16le-bom' || charset === 'utf-16be-bom') return 'utf-16';
  return charset === 'gb2312' ? 'GB2312' : charset === 'gbk' ? 'GBK' : charset === 'big5' ? 'Big5' : charset.toUpperCase();
}

/** A plausible wrong label: UTF-8 said of a Chinese legacy body, GB2312 said of a UTF-8 body… */
function wrongLabel(charset: BodyCharset, mode: 'wrong-header' | 'wrong-meta'): string {
  if (charset === 'utf-8' || charset === 'utf-8-bom') return mode === 'wrong-header' ? 'gbk' : 'gb2312';
  if (charset === 'big5') return mode === 'wrong-header' ? 'utf-8' : 'gb2312';
  if (charset === 'utf-16le-bom' || charset === 'utf-16be-bom') return 'gbk';
  return mode === 'wrong-header' ? 'utf-8' : 'iso-8859-1';
}

export function encode(text: string, charset: BodyCharset): Buffer {
  switch (charset) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    case 'utf-16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]);
    default: {
      const out = iconv.encode(text, charset);
      if (iconv.decode(out, charset === 'big5' ? 'big5' : 'gb18030') !== text) throw new Error(`Corpus text not encodable in ${charset}`);
      return out;
    }
  }
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Splits the body into sentences at the ideographic full stop (kept). */
export function sentencesOf(body: string): string[] {
  return body.split(/(?<=。)/).filter((s) => s.trim() !== '');
}

function feedDoc(slug: string, site: string, title: string, body: string, prolog: string | null): string {
  return (
    `${prolog === null ? '' : `<?xml version="1.0" encoding="${prolog}"?>\n`}` +
    `<rss version="2.0"><channel><title>${site}</title><link>https://news.example.cn/</link>\n` +
    `<item><title>${escapeXml(title)}</title><link>https://news.example.cn/${slug}/1.html</link>` +
    `<description>${escapeXml(body)}</description><pubDate>2024-05-01 10:00:00</pubDate></item>\n` +
    `</channel></rss>\n`
  );
}

function listPage(slug: string, site: string, title: string, sentences: string[], meta: string | null): string {
  const rows = [title, ...sentences].map((s, i) => `<li><a href="/${slug}/${i + 1}.html">${escapeXml(s)}</a><span>2024-05-01</span></li>`);
  return (
    `<!DOCTYPE html><html><head>${meta === null ? '' : `<meta http-equiv="Content-Type" content="text/html; charset=${meta}">`}` +
    `<title>${site}</title></head><body><div class="nav"><a href="/">${site}</a></div>\n<ul class="news">\n${rows.join('\n')}\n</ul></body></html>\n`
  );
}

export function charsetCases(): CharsetCase[] {
  const out: CharsetCase[] = [];
  for (const charset of BODY_CHARSETS) {
    const { title, body, keywords } = contentOf(charset);
    const sentences = sentencesOf(body);
    const hasBom = charset.endsWith('-bom');
    for (const label of LABEL_MODES) {
      const proper = properLabel(charset);
      const wrong = label === 'wrong-header' || label === 'wrong-meta' ? wrongLabel(charset, label) : null;
      const kind: 'feed' | 'site' = label === 'meta' || label === 'none-html' || label === 'wrong-meta' ? 'site' : 'feed';
      // A UTF-16 document names UTF-16 in its prolog; labels in a page's meta are ASCII-only hints.
      const prolog = label === 'xml' ? proper : null;
      const meta = label === 'meta' ? proper : label === 'wrong-meta' ? wrong : null;
      const site = charset === 'big5' ? '清河新聞網' : '清河新闻网';
      // Links unique per case, so crawling several cases into one database stores each.
      const slug = `${charset}-${label}`;
      const doc = kind === 'feed' ? feedDoc(slug, site, title, body, prolog) : listPage(slug, site, title, sentences, meta);
      const headerLabel = label === 'header' ? proper : label === 'wrong-header' ? wrong : null;
      const contentType = `${kind === 'feed' ? 'application/rss+xml' : 'text/html'}${headerLabel ? `; charset=${headerLabel}` : ''}`;
      const labelledAs = headerLabel ?? prolog ?? meta;
      out.push({
        name: `${charset}/${label}`,
        charset,
        label,
        kind,
        bytes: encode(doc, charset),
        contentType,
        labelledAs,
        correctlyLabelled: hasBom || (labelledAs !== null && wrong === null),
        title,
        sentences,
        keywords,
      });
    }
  }
  return out;
}

/** Edit distance (characters, not UTF-16 units), for the mojibake rate. */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = new Array<number>(y.length + 1);
  let cur = new Array<number>(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

/**
 * Share of the original's characters that came out wrong: edit distance between what the
 * pipeline produced and the original (whitespace ignored), over the original's length, capped at 1.
 */
export function mojibakeRate(produced: string, original: string): number {
  const strip = (s: string) => s.replace(/\s+/g, '');
  const o = strip(original);
  return Math.min(1, editDistance(strip(produced), o) / Math.max(1, Array.from(o).length));
}

export const replacementCount = (s: string) => (s.match(/\uFFFD/g) ?? []).length;
