// A fake RSSHub instance under /rsshub/ of the fixture site (base URL `${site.url}/rsshub`): the
// routes of the source templates (services/sources/rsshub-templates.ts) in RSSHub's output shape
// (RSS 2.0, <description> HTML in CDATA, <author>, <generator>RSSHub</generator>), its error page
// (503 "Looks like something went wrong") for any route whose parameter is "error", and a slow route
// (/rsshub/douyin/user/slow, delayed by the site like /slow/feed.xml).
import type { DemoPost } from './content.js';
import { escapeXml, rfc822 } from './render.js';
import { reply, type Reply } from './reply.js';

export const RSSHUB_PREFIX = '/rsshub';
export const RSSHUB_SLOW_PATH = `${RSSHUB_PREFIX}/douyin/user/slow`;

interface HubItem {
  title: string;
  html: string;
  link: string;
  author: string;
  published: Date;
}

const cdata = (s: string) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** RSSHub's RSS 2.0 output, as its rss.art template writes it. */
export function rsshubFeed(self: string, title: string, link: string, items: HubItem[], now: Date): string {
  const body = items
    .map(
      (i) => `<item>
<title>${cdata(i.title)}</title>
<description>${cdata(i.html)}</description>
<pubDate>${rfc822(i.published)}</pubDate>
<guid isPermaLink="false">${escapeXml(i.link)}</guid>
<link>${escapeXml(i.link)}</link>
<author>${cdata(i.author)}</author>
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
<channel>
<title>${cdata(title)}</title>
<link>${escapeXml(link)}</link>
<atom:link href="${escapeXml(self)}" rel="self" type="application/rss+xml" />
<description>${cdata(`${title} - Powered by RSSHub`)}</description>
<generator>RSSHub</generator>
<webMaster>contact@rsshub.app (RSSHub)</webMaster>
<language>zh-cn</language>
<lastBuildDate>${rfc822(now)}</lastBuildDate>
<ttl>5</ttl>
${body}
</channel>
</rss>
`;
}

/** RSSHub's error page: what an instance answers when a route throws (HTTP 503). */
export function rsshubErrorPage(path: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><title>Error - RSSHub</title></head>
<body>
<div class="container">
<img src="/logo.png" alt="RSSHub">
<h1>Looks like something went wrong in ${escapeXml(path)}</h1>
<p class="message">Error message: <code>FetchError: [GET] "https://upstream.example.cn/api": 502 Bad Gateway</code></p>
<p>Helpful Information</p>
<p>Route: <code>${escapeXml(path)}</code></p>
<p>Node Version: v20.11.0</p>
<p>Git Hash: 0a1b2c3d</p>
<p class="powered">Powered by RSSHub</p>
</div>
</body>
</html>
`;
}

/** 人民网领导留言板 messages: title, state (2 待回复, 3 办理中, 4 已办理), hours before the hour of now. */
const LIUYAN: { tid: number; title: string; text: string; state: '2' | '3' | '4'; hoursAgo: number; author: string }[] = [
  { tid: 18630501, title: '龙山镇石桥村道路破损严重，雨天无法通行', text: '石桥村村口到小学的道路坑洼积水，孩子上学只能绕行，希望尽快修复。', state: '2', hoursAgo: 3, author: '石桥村村民' },
  { tid: 18630488, title: '城西化工厂夜间排放刺鼻气味，请环保部门调查', text: '近一周每晚十点后城西化工厂附近有刺鼻气味，居民不敢开窗，请求检测。', state: '3', hoursAgo: 9, author: '城西居民' },
  { tid: 18630472, title: '清河市第三中学食堂饭菜价格上涨过快', text: '食堂一份套餐从八元涨到十二元，学生家长负担加重，希望教育局过问。', state: '4', hoursAgo: 20, author: '学生家长' },
  { tid: 18630455, title: '东关村拆迁补偿款迟迟不到位', text: '城关镇东关村七十户居民拆迁已一年，补偿款仍未全部发放，请领导督促。', state: '3', hoursAgo: 30, author: '东关村村民' },
  { tid: 18630431, title: '建议在清河公园增设公共厕所', text: '清河公园晨练人多，只有一处厕所且距离远，建议增设。', state: '4', hoursAgo: 44, author: '晨练市民' },
  { tid: 18630420, title: '农民工工资被拖欠三个月，多次讨要无果', text: '在城南工地干活三个月没拿到工资，包工头失联，请劳动监察帮忙。', state: '2', hoursAgo: 52, author: '务工人员' },
];

const STATE_LABEL: Record<string, string> = { '2': '待回复', '3': '办理中', '4': '已办理' };

/** The answer of the fake RSSHub for a path under /rsshub/, or null when no route matches. */
export function rsshubRoute(path: string, selfBase: string, posts: (n: number) => DemoPost[], now: Date): Reply | null {
  if (!path.startsWith(`${RSSHUB_PREFIX}/`)) return null;
  const route = path.slice(RSSHUB_PREFIX.length);
  const parts = route.split('/').slice(1).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const self = selfBase + path;
  if (parts.includes('error')) return reply(503, 'text/html; charset=utf-8', rsshubErrorPage(route));
  const hour = Math.floor(now.getTime() / 3600_000) * 3600_000;
  const xml = (title: string, link: string, items: HubItem[]) => reply(200, 'application/xml; charset=utf-8', rsshubFeed(self, title, link, items, now));
  const [a, b, c, d] = parts;
  if (a === 'people' && b === 'liuyan' && c && parts.length <= 4) {
    const state = d ?? '1';
    if (!['1', '2', '3', '4'].includes(state)) return reply(503, 'text/html; charset=utf-8', rsshubErrorPage(route));
    const items = LIUYAN.filter((m) => state === '1' || m.state === state).map((m) => ({
      title: `[${STATE_LABEL[m.state]}] ${m.title}`,
      html: `<p>${escapeXml(m.text)}</p><p>留言对象：清河市委书记（${escapeXml(c)}）</p>`,
      link: `http://liuyan.people.com.cn/threads/content?tid=${m.tid}`,
      author: m.author,
      published: new Date(hour - m.hoursAgo * 3600_000),
    }));
    return xml(`领导留言板 - ${c}`, `http://liuyan.people.com.cn/threads/list?fid=${encodeURIComponent(c)}`, items);
  }
  if (a === 'weibo' && b === 'keyword' && c && parts.length === 3) {
    const items = posts(200)
      .filter((p) => p.title.includes(c) || p.body.includes(c))
      .slice(0, 20)
      .map((p) => ({
        title: p.body.split('\n')[0].slice(0, 60),
        html: `${escapeXml(p.body.split('\n')[0])}<br><br><a href="https://s.weibo.com/weibo?q=%23${encodeURIComponent(c)}%23">#${escapeXml(c)}#</a>`,
        link: `https://weibo.com/${7000000000 + p.id}/N${p.id.toString(36).toUpperCase()}`,
        author: `${p.author}的微博`,
        published: p.publishedAt,
      }));
    return xml(`又有人在微博提到${c}了`, `https://s.weibo.com/weibo?q=${encodeURIComponent(c)}`, items);
  }
  const simple: Record<string, { title: string; link: string }> = {
    'weibo/user': { title: '清河发布的微博', link: 'https://weibo.com/u/' },
    'douyin/user': { title: '清河融媒的抖音', link: 'https://www.douyin.com/user/' },
    'toutiao/user': { title: '清河日报 - 今日头条', link: 'https://www.toutiao.com/c/user/token/' },
    'baidu/tieba': { title: '清河吧', link: 'https://tieba.baidu.com/f?kw=' },
    'zhihu/topic': { title: '知乎话题 - 清河', link: 'https://www.zhihu.com/topic/' },
    'bilibili/user': { title: '清河文旅 的 bilibili 空间', link: 'https://space.bilibili.com/' },
    'wechat/wechat2rss': { title: '清河发布 微信公众号', link: 'https://mp.weixin.qq.com/' },
  };
  const kind = simple[`${a}/${b}`];
  const id = parts[parts.length - 1];
  if (kind && id && parts.length >= 3 && parts.length <= 4) {
    const items = posts(200)
      .filter((p) => p.official)
      .slice(0, 10)
      .map((p) => ({
        title: p.title,
        html: p.body
          .split('\n')
          .map((line) => `<p>${escapeXml(line)}</p>`)
          .join(''),
        link: `${kind.link}${encodeURIComponent(id)}/${p.id}`,
        author: kind.title,
        published: p.publishedAt,
      }));
    return xml(kind.title, kind.link + encodeURIComponent(id), items);
  }
  return reply(404, 'text/html; charset=utf-8', rsshubErrorPage(route).replace('Looks like something went wrong', 'Not Found'));
}
