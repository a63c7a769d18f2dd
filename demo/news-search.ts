// A small news search engine of the fixture site: /search/news?q=…&page=…&format=rss|html answers
// the articles whose title and text hold every word of the query, ten a page, as an RSS feed (a
// search engine's news RSS output) or an HTML result list; an honest "未找到相关结果" page for a
// query that finds nothing, a captcha page ("安全验证") for a query with CAPTCHA_WORD, 429
// "访问过于频繁" for one with RATE_LIMITED_WORD, and a slow answer for one with SLOW_WORD (the
// site delays it). A query for 秋粮 finds three pages of bulletins; one with PAGE_FAIL_WORD fails
// from page 2 on, one with PAGE_REPEAT_WORD gets page 1 for every page. The articles themselves
// are under /search/article/<id>.html.
import { html, reply, type Reply } from './reply.js';
import * as R from './render.js';

export const NEWS_SEARCH_PATH = '/search/news';
export const NEWS_SEARCH_ARTICLE_PREFIX = '/search/article/';
/** A query holding this word gets a captcha page (HTTP 200) instead of results. */
export const CAPTCHA_WORD = '强拆';
/** A query holding this word gets HTTP 429 访问过于频繁. */
export const RATE_LIMITED_WORD = '热搜';
/** A query holding this word is answered slowly (the site's slowMs). */
export const SLOW_WORD = '慢讯';
/** A query holding this word gets its page 1 as usual and HTTP 500 for pages 2 and later. */
export const PAGE_FAIL_WORD = '翻页故障';
/** A query with this word gets HTTP 404 for a page past its last (as many engines answer). */
export const PAGE_END_404_WORD = '翻页越界';
/** A query holding this word gets page 1 again for every later page (an engine ignoring the page number). */
export const PAGE_REPEAT_WORD = '翻页重复';
/** Results per page. */
export const PAGE_SIZE = 10;
/** The 秋粮收购 bulletins: SERIAL_ARTICLES articles that all match 秋粮 (three result pages). */
export const SERIAL_WORD = '秋粮';
export const SERIAL_ARTICLES = 23;

/** The engine's articles: [title, text, source name]. */
const ARTICLES = [
  ['城关镇东关村拆迁补偿标准公布', '清河市城关镇东关村旧城改造项目拆迁补偿标准今日公布，涉及七十户居民。', '清河日报'],
  ['清河市城区部分区域明日停水', '因管网维修，清河市城关镇、河西街道部分区域明日停水十二小时。', '清河新闻网'],
  ['清河高铁站片区拆迁工作启动', '清河高铁站片区拆迁工作今天启动，住建部门设立了现场咨询点。', '清河晚报'],
  ['龙山镇石桥村供水恢复 此前停水三天', '龙山镇石桥村自来水管网抢修完毕，此前停水三天，村民生活已恢复正常。', '清河日报'],
  ['清河二中新校区开工建设', '清河二中新校区今日开工，预计两年后投入使用，新增学位两千个。', '清河新闻网'],
  ['清河市举办秋季人才招聘会', '清河市秋季人才招聘会在会展中心举行，两百余家企业提供岗位。', '清河晚报'],
  ['河西街道垃圾中转站将迁址', '河西街道垃圾中转站异味问题引发居民关注，街道办表示将迁址新建。', '清河日报'],
  ['城关镇老旧小区改造征求意见', '城关镇十二个老旧小区改造方案公开征求居民意见，改造不涉及拆迁。', '清河新闻网'],
] as const;

interface Article {
  id: number;
  title: string;
  text: string;
  source: string;
  publishedAt: Date;
}

/** The articles, newest first, dated back from the hour of now. */
function articles(now: Date): Article[] {
  const hour = Math.floor(now.getTime() / 3600_000) * 3600_000;
  const news = ARTICLES.map(([title, text, source], i) => ({ id: 701 + i, title, text, source, publishedAt: new Date(hour - (i * 5 + 2) * 3600_000) }));
  const serial = Array.from({ length: SERIAL_ARTICLES }, (_, i) => ({
    id: 801 + i,
    title: `清河市秋粮收购进度通报（第${i + 1}期）`,
    text: `截至本期，清河市各收购点累计收购秋粮${(i + 1) * 3}千吨，收购价格保持稳定。`,
    source: '清河日报',
    publishedAt: new Date(hour - (i * 3 + 1) * 3600_000),
  }));
  return [...news, ...serial].sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || a.id - b.id);
}

/** The query's words: split on spaces (and full-width spaces). */
function words(q: string): string[] {
  return q.split(/[\s\u3000]+/).filter((w) => w !== '');
}

export function isSlowQuery(url: URL): boolean {
  return (url.searchParams.get('q') ?? '').includes(SLOW_WORD);
}

const CAPTCHA_PAGE = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>安全验证 - 清河新闻搜索</title></head>
<body><div class="verify"><h2>安全验证</h2><p>您的网络存在异常访问，请输入验证码后继续。</p>
<img src="/search/captcha.png" alt="验证码"><input name="code" placeholder="请输入验证码"><button>提交</button></div></body></html>
`;

function emptyPage(q: string): string {
  return R.page('清河新闻搜索', `<form action="${NEWS_SEARCH_PATH}"><input name="q" value="${R.escapeXml(q)}"></form>
<div class="no-result"><p>抱歉，未找到相关结果。</p><p>建议：检查输入是否正确，或换个关键词试试。</p></div>`);
}

function resultsPage(q: string, found: Article[], base: string): string {
  const rows = found
    .map(
      (a) => `<li class="result">
  <h3><a href="${base}${NEWS_SEARCH_ARTICLE_PREFIX}${a.id}.html">${R.escapeXml(a.title)}</a></h3>
  <p class="snippet">${R.escapeXml(a.text)}</p>
  <span class="source">${R.escapeXml(a.source)}</span> <span class="date">${R.shanghaiMinute(a.publishedAt)}</span>
</li>`,
    )
    .join('\n');
  return R.page('清河新闻搜索', `<form action="${NEWS_SEARCH_PATH}"><input name="q" value="${R.escapeXml(q)}"></form>
<p class="count">找到相关新闻约 ${found.length} 篇</p>
<ul class="results">
${rows}
</ul>`);
}

/** The answer of /search/news and of /search/article/<id>.html; null for any other path. */
export function newsSearch(url: URL, base: string, now: Date): Reply | null {
  const all = articles(now);
  const article = url.pathname.match(/^\/search\/article\/(\d+)\.html$/);
  if (article) {
    const a = all.find((x) => x.id === Number(article[1]));
    return a ? html(R.page(a.title, `<h1>${R.escapeXml(a.title)}</h1><p class="meta">${R.escapeXml(a.source)} ${R.shanghaiMinute(a.publishedAt)}</p><div class="content">${R.bodyHtml(a.text)}</div>`)) : null;
  }
  if (url.pathname !== NEWS_SEARCH_PATH) return null;
  const q = (url.searchParams.get('q') ?? '').trim();
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  const format = url.searchParams.get('format') === 'rss' ? 'rss' : 'html';
  if (q.includes(CAPTCHA_WORD)) return html(CAPTCHA_PAGE);
  if (q.includes(RATE_LIMITED_WORD)) return reply(429, 'text/html; charset=utf-8', R.page('访问过于频繁', '<p>访问过于频繁，请稍后再试。</p>'), { 'retry-after': '600' });
  if (q.includes(PAGE_FAIL_WORD) && page > 1) return reply(500, 'text/html; charset=utf-8', R.page('服务器错误', '<p>服务器内部错误，请稍后再试。</p>'));
  const terms = words(q).filter((w) => w !== PAGE_FAIL_WORD && w !== PAGE_REPEAT_WORD && w !== PAGE_END_404_WORD);
  const matched = terms.length === 0 ? [] : all.filter((a) => terms.every((w) => a.title.includes(w) || a.text.includes(w)));
  const shown = q.includes(PAGE_REPEAT_WORD) ? 1 : page;
  const found = matched.slice((shown - 1) * PAGE_SIZE, shown * PAGE_SIZE);
  if (found.length === 0 && page > 1 && q.includes(PAGE_END_404_WORD)) return reply(404, 'text/html; charset=utf-8', R.page('页面不存在', '<p>您访问的页面不存在。</p>'));
  if (format === 'rss') {
    const self = `${base}${NEWS_SEARCH_PATH}?q=${encodeURIComponent(q)}&format=rss`;
    const items = found.map((a) => ({
      title: a.title,
      link: `${base}${NEWS_SEARCH_ARTICLE_PREFIX}${a.id}.html`,
      guid: `${base}${NEWS_SEARCH_ARTICLE_PREFIX}${a.id}.html`,
      html: R.bodyHtml(a.text),
      published: a.publishedAt,
      author: a.source,
    }));
    const meta = { title: `清河新闻搜索 - ${q}`, link: self, self, description: `“${q}”的新闻搜索结果` };
    return reply(200, 'application/rss+xml; charset=utf-8', R.renderRss2(meta, items, found[0]?.publishedAt ?? now));
  }
  return html(found.length === 0 ? emptyPage(q) : resultsPage(q, found, base));
}
