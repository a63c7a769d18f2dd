// Text of the fixture site's feeds and pages. Pure functions: posts and times in, strings out.
import type { DemoPost } from './content.js';
import { BUSINESS_ISO_OFFSET, BUSINESS_OFFSET_MS } from '../core/business-time.js';

export interface FeedMeta {
  title: string;
  /** The site's home page for this channel. */
  link: string;
  /** Where this feed itself is served. */
  self: string;
  description: string;
}

export interface FeedItem {
  title: string;
  link: string;
  guid: string;
  /** HTML of the item's text. */
  html: string;
  published: Date | null;
  author: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function cdata(s: string): string {
  return `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function shanghaiParts(d: Date): { y: number; mo: number; day: number; h: number; mi: number; s: number; wd: number } {
  const l = new Date(d.getTime() + BUSINESS_OFFSET_MS);
  return { y: l.getUTCFullYear(), mo: l.getUTCMonth(), day: l.getUTCDate(), h: l.getUTCHours(), mi: l.getUTCMinutes(), s: l.getUTCSeconds(), wd: l.getUTCDay() };
}

/** RFC 822 in Beijing time, as Chinese publishers write it: "Wed, 25 Nov 2026 14:03:00 +0800". */
export function rfc822(d: Date): string {
  const p = shanghaiParts(d);
  return `${WEEKDAYS[p.wd]}, ${pad(p.day)} ${MONTHS[p.mo]} ${p.y} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)} ${BUSINESS_ISO_OFFSET.replace(':', '')}`;
}

/** ISO 8601 with the +08:00 offset. */
export function isoShanghai(d: Date): string {
  const p = shanghaiParts(d);
  return `${p.y}-${pad(p.mo + 1)}-${pad(p.day)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${BUSINESS_ISO_OFFSET}`;
}

/** "2026-11-25 14:03", Beijing time, no zone: what Chinese list pages show. */
export function shanghaiMinute(d: Date): string {
  const p = shanghaiParts(d);
  return `${p.y}-${pad(p.mo + 1)}-${pad(p.day)} ${pad(p.h)}:${pad(p.mi)}`;
}

/** "刚刚", "25分钟前", "3小时前" within a day, else the absolute minute. */
export function relativeZh(d: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - d.getTime()) / 60_000);
  if (minutes < 1) return '刚刚';
  if (minutes < 60) return `${minutes}分钟前`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)}小时前`;
  return shanghaiMinute(d);
}

export function bodyHtml(body: string): string {
  return body
    .split('\n')
    .map((p) => `<p>${escapeXml(p)}</p>`)
    .join('');
}

export function renderRss2(meta: FeedMeta, items: FeedItem[], lastBuild: Date): string {
  const entries = items.map(
    (i) => `
    <item>
      <title>${escapeXml(i.title)}</title>
      <link>${escapeXml(i.link)}</link>
      <guid isPermaLink="true">${escapeXml(i.guid)}</guid>
      <dc:creator>${escapeXml(i.author)}</dc:creator>${i.published ? `\n      <pubDate>${rfc822(i.published)}</pubDate>` : ''}
      <description>${cdata(i.html)}</description>
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${escapeXml(meta.title)}</title>
    <link>${escapeXml(meta.link)}</link>
    <atom:link href="${escapeXml(meta.self)}" rel="self" type="application/rss+xml"/>
    <description>${escapeXml(meta.description)}</description>
    <language>zh-cn</language>
    <lastBuildDate>${rfc822(lastBuild)}</lastBuildDate>
    <ttl>10</ttl>${entries.join('')}
  </channel>
</rss>
`;
}

export function renderAtom(meta: FeedMeta, items: FeedItem[], updated: Date): string {
  const entries = items.map(
    (i) => `
  <entry>
    <title>${escapeXml(i.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(i.link)}"/>
    <id>${escapeXml(i.guid)}</id>${i.published ? `\n    <published>${isoShanghai(i.published)}</published>\n    <updated>${isoShanghai(i.published)}</updated>` : ''}
    <author><name>${escapeXml(i.author)}</name></author>
    <content type="html">${escapeXml(i.html)}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <title>${escapeXml(meta.title)}</title>
  <subtitle>${escapeXml(meta.description)}</subtitle>
  <link rel="alternate" type="text/html" href="${escapeXml(meta.link)}"/>
  <link rel="self" type="application/atom+xml" href="${escapeXml(meta.self)}"/>
  <id>${escapeXml(meta.self)}</id>
  <updated>${isoShanghai(updated)}</updated>${entries.join('')}
</feed>
`;
}

/** RSS 1.0 (RDF), as many government portals still publish. */
export function renderRdf(meta: FeedMeta, items: FeedItem[], updated: Date): string {
  const seq = items.map((i) => `\n        <rdf:li rdf:resource="${escapeXml(i.link)}"/>`).join('');
  const entries = items.map(
    (i) => `
  <item rdf:about="${escapeXml(i.link)}">
    <title>${escapeXml(i.title)}</title>
    <link>${escapeXml(i.link)}</link>
    <description>${escapeXml(i.html)}</description>
    <dc:creator>${escapeXml(i.author)}</dc:creator>${i.published ? `\n    <dc:date>${isoShanghai(i.published)}</dc:date>` : ''}
  </item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="${escapeXml(meta.self)}">
    <title>${escapeXml(meta.title)}</title>
    <link>${escapeXml(meta.link)}</link>
    <description>${escapeXml(meta.description)}</description>
    <dc:date>${isoShanghai(updated)}</dc:date>
    <items>
      <rdf:Seq>${seq}
      </rdf:Seq>
    </items>
  </channel>${entries.join('')}
</rdf:RDF>
`;
}

/** RSS 0.91: items carry no dates (the format has none), only the channel does. */
export function renderRss091(meta: FeedMeta, items: FeedItem[], updated: Date): string {
  const entries = items.map(
    (i) => `
    <item>
      <title>${escapeXml(i.title)}</title>
      <link>${escapeXml(i.link)}</link>
      <description>${escapeXml(i.html)}</description>
    </item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91">
  <channel>
    <title>${escapeXml(meta.title)}</title>
    <link>${escapeXml(meta.link)}</link>
    <description>${escapeXml(meta.description)}</description>
    <language>zh-cn</language>
    <pubDate>${rfc822(updated)}</pubDate>${entries.join('')}
  </channel>
</rss>
`;
}

export function page(title: string, main: string, head = '<meta charset="utf-8">'): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
${head}
<title>${escapeXml(title)}</title>
<link rel="stylesheet" href="/static/site.css">
<script>var _hmt = _hmt || [];</script>
</head>
<body>
<div class="top-nav"><a href="/">首页</a> | <a href="/news/">清河新闻网</a> | <a href="/forum/list.html">清河论坛</a> | <a href="/mailbox/index.html">领导信箱</a></div>
${main}
<div class="footer">清河市人民政府主办 · 演示站点，内容均为虚构</div>
</body>
</html>
`;
}

export function newsArticle(post: DemoPost, source = '清河新闻网'): string {
  return page(
    `${post.title}_${source}`,
    `<div class="article">
<h1 class="article-title">${escapeXml(post.title)}</h1>
<div class="article-meta">来源：${escapeXml(source)}　作者：${escapeXml(post.author)}　发布时间：<span class="pubtime">${shanghaiMinute(post.publishedAt)}</span></div>
<div class="article-content">${bodyHtml(post.body)}</div>
</div>`,
  );
}

export function forumList(posts: DemoPost[], now: Date): string {
  const rows = posts
    .map(
      (p) => `
<tr class="thread">
  <td class="subject"><a class="s-title" href="/forum/thread/${p.id}.html">${escapeXml(p.title)}</a></td>
  <td class="author">${escapeXml(p.author)}</td>
  <td class="replies">${(p.id * 7) % 53}</td>
  <td class="date">${relativeZh(p.publishedAt, now)}</td>
</tr>`,
    )
    .join('');
  return page(
    '清河论坛 - 民生热线版',
    `<h2>民生热线</h2>
<div class="forum-notice"><a href="/forum/rules.html">【版规】发帖前请阅读本版规定</a></div>
<table class="thread-list">
<thead><tr><th>主题</th><th>作者</th><th>回复</th><th>发表时间</th></tr></thead>
<tbody>${rows}
</tbody>
</table>
<div class="pages"><a href="/forum/list.html">1</a> <a href="/forum/list.html?page=2">2</a> <a href="/forum/list.html?page=2">下一页</a></div>`,
  );
}

/** Injected into the one hostile thread: the crawler must store it sanitised. */
export const HOSTILE_HTML =
  '<script>alert("xss")</script><img src=x onerror=alert(1)>' +
  '<p onclick="alert(2)">现场照片见楼下。</p><a href="javascript:alert(document.cookie)">点击查看现场视频</a>' +
  '<iframe src="http://evil.example/"></iframe>';

export function forumThread(post: DemoPost, hostile: boolean): string {
  return page(
    `${post.title} - 清河论坛`,
    `<div class="thread-head"><h1>${escapeXml(post.title)}</h1></div>
<div class="post">
  <div class="post-meta">楼主：<span class="author">${escapeXml(post.author)}</span>　发表于 <span class="time">${shanghaiMinute(post.publishedAt)}</span></div>
  <div class="post-content">${bodyHtml(post.body)}${hostile ? HOSTILE_HTML : ''}</div>
</div>
<div class="reply-box"><textarea placeholder="文明发言，理性讨论"></textarea></div>`,
  );
}

export const MAILBOX_HEAD = '<meta charset="gbk">';
const LETTER_HEAD = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">';

function letterNo(post: DemoPost): string {
  const p = shanghaiParts(post.publishedAt);
  return `QH${p.y}${pad(p.mo + 1)}${pad(p.day)}${String(post.id).padStart(4, '0')}`;
}

export function mailboxList(posts: DemoPost[], now: Date, replied: (p: DemoPost, now: Date) => boolean): string {
  const rows = posts
    .map(
      (p) => `
<tr class="letter">
  <td class="no">${letterNo(p)}</td>
  <td class="title"><a href="/mailbox/letter/${p.id}.html" target="_blank">${escapeXml(p.title)}</a></td>
  <td class="writer">${escapeXml(p.author)}</td>
  <td class="date">${shanghaiMinute(p.publishedAt)}</td>
  <td class="state">${replied(p, now) ? '已办结' : '办理中'}</td>
</tr>`,
    )
    .join('');
  return page(
    '清河领导信箱',
    `<h2>领导信箱 · 来信选登</h2>
<table class="letters">
<tr class="head"><th>信件编号</th><th>信件标题</th><th>来信人</th><th>来信时间</th><th>办理状态</th></tr>${rows}
</table>`,
    MAILBOX_HEAD,
  );
}

export function mailboxLetter(post: DemoPost, reply: { department: string; at: Date } | null): string {
  const replyHtml = reply
    ? `<div class="letter-reply"><div>回复单位：${escapeXml(reply.department)}</div><div>回复时间：${shanghaiMinute(reply.at)}</div>
<p>您好！您反映的问题已收悉。经我单位调查核实，现已责成相关单位限期办理，办理结果将及时向您反馈。感谢您对我市工作的关心和支持！</p></div>`
    : '<div class="letter-reply pending">该信件正在办理中。</div>';
  return page(
    `${post.title} - 清河领导信箱`,
    `<div class="letter">
<h1>${escapeXml(post.title)}</h1>
<div class="letter-meta">信件编号：${letterNo(post)}　来信人：${escapeXml(post.author)}　来信时间：${shanghaiMinute(post.publishedAt)}</div>
<div class="letter-content">${bodyHtml(post.body)}</div>
${replyHtml}
</div>`,
    LETTER_HEAD,
  );
}
