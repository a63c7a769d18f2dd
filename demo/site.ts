// The fixture "internet": the demo city's news site, forum, mayor's mailbox (GBK), government
// feeds, misbehaving publishers and the real-world feed corpus, a fake RSSHub under /rsshub/
// (rsshub.ts), a 留言板-like JSON endpoint under /api/liuyan/ (liuyan-api.ts) and a news search
// engine under /search/ (news-search.ts), on one node:http server.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createPostGenerator, DEFAULT_SEED, HOSTILE_POST_ID, mulberry32, type DemoChannel, type DemoEvent, type DemoPost } from './content.js';
import { BROKEN_FEED, challengePage, statusPage, wafPage, type Fault } from './faults.js';
import * as R from './render.js';
import { conditional, gbk, html, HTML, redirect, reply, send, type Reply } from './reply.js';
import { createHookRecorder, type HookRecorder } from './hooks.js';
import { CORPUS_DIR } from './corpus.js';
import { rsshubRoute, RSSHUB_SLOW_PATH } from './rsshub.js';
import { liuyanApi, LIUYAN_API_PREFIX } from './liuyan-api.js';
import { isSlowQuery, newsSearch, NEWS_SEARCH_PATH } from './news-search.js';

export type { Fault } from './faults.js';
export type { DemoEvent, DemoPost } from './content.js';

export interface FixtureSiteOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When a number, a new post is published every so often (the timer does not keep the process alive). */
  publishIntervalMs?: number | null;
  /** Posts that exist at start, spread over the 48 hours before clock(). Default 40. */
  seedPosts?: number;
  clock?: () => Date;
  /** PRNG seed of the post sequence. */
  seed?: number;
  /** How long /slow/feed.xml (and the fake RSSHub's slow route, and a news search for the slow word) waits before answering. Default 60 s. */
  slowMs?: number;
  /**
   * More loopback addresses to serve the same site on, same port (e.g. 127.0.0.2): sources on
   * another address count as another host for per-host politeness, as a second website would.
   */
  extraHosts?: string[];
}

export interface FixtureSite {
  /** e.g. "http://127.0.0.1:3100", no trailing slash. */
  url: string;
  /** The same site on each of opts.extraHosts, e.g. "http://127.0.0.2:3100". */
  extraUrls: string[];
  port: number;
  /** Publishes the next post of the sequence, dated clock(). */
  publishNext(): DemoPost;
  posts(): DemoPost[];
  /** Ground truth for tests: the events the posts tell (DemoPost.eventId), oldest first. Never served. */
  events(): DemoEvent[];
  /** Overrides any path (query ignored); null removes the override. */
  setFault(path: string, fault: Fault | null): void;
  /** Requests received for a path (query ignored), faults included. */
  requestCount(path: string): number;
  /** The fake SMS gateway and group robot under /hooks/ (demo/hooks.ts): what they received. */
  hooks: HookRecorder;
  close(): Promise<void>;
}


const FEED_SIZE = { news: 30, forum: 50, mailbox: 40, gov: 20, rss091: 15 };
const SEED_SPAN_MS = 48 * 3600_000;
const MAILBOX_REPLY_AFTER_MS = 30 * 3600_000;
const MAX_REDIRECT_CHAIN = 50;
const REPLY_DEPARTMENT: Partial<Record<DemoPost['topic'], string>> = {
  demolition: '清河市住房和城乡建设局',
  wages: '清河市人力资源和社会保障局',
  water: '清河市生态环境局',
  canteen: '清河市教育局',
  rumour: '清河市公安局',
};

export async function startFixtureSite(opts: FixtureSiteOptions): Promise<FixtureSite> {
  const clock = opts.clock ?? (() => new Date());
  const host = opts.host ?? '127.0.0.1';
  const seed = opts.seed ?? DEFAULT_SEED;
  const generator = createPostGenerator(seed);
  const faults = new Map<string, Fault>();
  const builtinFaults = new Map<string, Fault>([
    ['/slow/feed.xml', { kind: 'delay', ms: opts.slowMs ?? 60_000 }],
    [RSSHUB_SLOW_PATH, { kind: 'delay', ms: opts.slowMs ?? 60_000 }],
  ]);
  const counts = new Map<string, number>();
  const hooks = createHookRecorder();
  const timers = new Set<NodeJS.Timeout>();
  const corpus = await listCorpus();

  const seedCount = opts.seedPosts ?? 40;
  const jitter = mulberry32(seed ^ 0x5bd1e995);
  const start = clock().getTime() - SEED_SPAN_MS;
  const spacing = SEED_SPAN_MS / Math.max(seedCount, 1);
  for (let i = 0; i < seedCount; i++) {
    const at = start + i * spacing + jitter() * spacing * 0.8;
    generator.next(new Date(Math.floor(at / 1000) * 1000));
  }

  let base = '';
  const byId = (id: number, channel: DemoChannel): DemoPost | undefined => {
    const p = generator.posts[id - 1];
    return p && p.channel === channel ? p : undefined;
  };
  const latest = (pred: (p: DemoPost) => boolean, n: number): DemoPost[] =>
    generator.posts
      .filter(pred)
      .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || b.id - a.id)
      .slice(0, n);
  const replied = (p: DemoPost, now: Date): boolean => now.getTime() - p.publishedAt.getTime() >= MAILBOX_REPLY_AFTER_MS;

  function feedItems(posts: DemoPost[], path: (p: DemoPost) => string, author?: string): R.FeedItem[] {
    return posts.map((p) => ({
      title: p.title,
      link: `${base}${path(p)}`,
      guid: `${base}${path(p)}`,
      html: R.bodyHtml(p.body),
      published: p.publishedAt,
      author: author ?? p.author,
    }));
  }

  function feed(req: http.IncomingMessage, kind: 'rss' | 'atom' | 'rdf' | 'rss091'): Reply {
    if (kind === 'rss' || kind === 'atom') {
      const posts = latest((p) => p.channel === 'news', FEED_SIZE.news);
      // An empty list keeps one date (the start of the site's history): it is unchanged until a post arrives.
      const updated = posts[0]?.publishedAt ?? new Date(start);
      const items = feedItems(posts, (p) => `/news/${p.id}.html`);
      const meta = { title: '清河新闻网 - 本地新闻', link: `${base}/news/`, self: `${base}/news/${kind === 'rss' ? 'rss' : 'atom'}.xml`, description: '清河市本地新闻、民生资讯' };
      return kind === 'rss'
        ? conditional(req, R.renderRss2(meta, items, updated), 'application/rss+xml; charset=utf-8', updated)
        : conditional(req, R.renderAtom(meta, items, updated), 'application/atom+xml; charset=utf-8', updated);
    }
    const official = (p: DemoPost) => p.official && (kind === 'rdf' || ['weather', 'traffic', 'rumour'].includes(p.topic));
    const posts = latest(official, kind === 'rdf' ? FEED_SIZE.gov : FEED_SIZE.rss091);
    const updated = posts[0]?.publishedAt ?? new Date(start);
    const items = feedItems(posts, (p) => `/gov/article/${p.id}.html`, '清河发布');
    const meta = { title: '清河发布', link: `${base}/gov/`, self: `${base}/gov/${kind === 'rdf' ? 'rdf' : 'rss091'}.xml`, description: '清河市人民政府新闻办公室官方发布' };
    return kind === 'rdf'
      ? conditional(req, R.renderRdf(meta, items, updated), 'application/rdf+xml; charset=utf-8', updated)
      : conditional(req, R.renderRss091(meta, items, updated), 'text/xml', updated);
  }

  async function route(req: http.IncomingMessage, url: URL): Promise<Reply> {
    const path = url.pathname;
    const now = clock();
    let m: RegExpMatchArray | null;
    switch (path) {
      case '/':
        return html(R.page('清河市演示站点', indexHtml(corpus)));
      case '/static/site.css':
        return reply(200, 'text/css; charset=utf-8', 'body{font-family:sans-serif;max-width:960px;margin:auto}');
      case '/news/':
      case '/news/index.html': {
        const list = latest((p) => p.channel === 'news', FEED_SIZE.news)
          .map((p) => `<li><a href="/news/${p.id}.html">${R.escapeXml(p.title)}</a> <span>${R.shanghaiMinute(p.publishedAt)}</span></li>`)
          .join('\n');
        return html(R.page('清河新闻网', `<h2>本地新闻</h2><ul class="news-list">\n${list}\n</ul>`));
      }
      case '/news/rss.xml':
      case '/slow/feed.xml':
        return feed(req, 'rss');
      case '/news/atom.xml':
        return feed(req, 'atom');
      case '/gov/rdf.xml':
        return feed(req, 'rdf');
      case '/gov/rss091.xml':
        return feed(req, 'rss091');
      case '/forum/list.html':
        return html(R.forumList(latest((p) => p.channel === 'forum', FEED_SIZE.forum), now));
      case '/forum/rules.html':
        return html(R.page('版规 - 清河论坛', '<div class="post-content"><p>请文明发言，不得发布违法信息和广告。</p></div>'));
      case '/mailbox/index.html':
        return gbk(R.mailboxList(latest((p) => p.channel === 'mailbox', FEED_SIZE.mailbox), now, replied));
      case '/broken/feed.xml':
        return reply(200, 'application/rss+xml; charset=utf-8', BROKEN_FEED);
      case '/error/feed.xml':
        return reply(500, HTML, statusPage(500));
      case '/challenge/feed.xml':
        return reply(412, HTML, challengePage(token(now)), { 'set-cookie': `__jsluid_s=${token(now).slice(0, 16)}; path=/; HttpOnly` });
      case '/waf/feed.xml':
        return reply(403, HTML, wafPage(token(now)), { 'x-waf-event': token(now).slice(0, 12) });
      case '/ratelimit/feed.xml':
        return reply(429, HTML, statusPage(429), { 'retry-after': '120' });
      case '/redirect/loop':
        return redirect('/redirect/loop');
      case '/redirect/to': {
        const target = url.searchParams.get('url');
        return target ? redirect(target) : html(statusPage(400), 400);
      }
    }
    if ((m = path.match(/^\/news\/(\d+)\.html$/))) {
      const p = byId(Number(m[1]), 'news');
      if (p) return html(R.newsArticle(p));
    } else if ((m = path.match(/^\/gov\/article\/(\d+)\.html$/))) {
      const p = byId(Number(m[1]), 'news');
      if (p?.official) return html(R.newsArticle({ ...p, author: '清河发布' }, '清河发布'));
    } else if ((m = path.match(/^\/forum\/thread\/(\d+)\.html$/))) {
      const p = byId(Number(m[1]), 'forum');
      if (p) return html(R.forumThread(p, p.id === HOSTILE_POST_ID));
    } else if ((m = path.match(/^\/mailbox\/letter\/(\d+)\.html$/))) {
      const p = byId(Number(m[1]), 'mailbox');
      if (p) {
        const department = REPLY_DEPARTMENT[p.topic] ?? '清河市人民政府办公室';
        const at = new Date(p.publishedAt.getTime() + MAILBOX_REPLY_AFTER_MS);
        return gbk(R.mailboxLetter(p, replied(p, now) ? { department, at } : null));
      }
    } else if ((m = path.match(/^\/redirect\/n\/(\d+)$/))) {
      const k = Number(m[1]);
      if (k >= 1 && k <= MAX_REDIRECT_CHAIN) return redirect(k === 1 ? '/news/rss.xml' : `/redirect/n/${k - 1}`);
    } else if ((m = path.match(/^\/real\/([\w.-]+)$/)) && corpus.includes(m[1])) {
      const bytes = await readFile(CORPUS_DIR + m[1]);
      return conditional(req, bytes, 'application/xml', null);
    }
    const found = newsSearch(url, base, now);
    if (found) return found;
    const hub = rsshubRoute(path, base, (n) => latest(() => true, n), now);
    if (hub) return hub;
    return html(statusPage(404), 404);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fixture.invalid');
    const path = url.pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    if (path.startsWith('/hooks/')) return send(req, res, await hooks.handle(req, path, clock()));
    if (path.startsWith(LIUYAN_API_PREFIX) && !faults.has(path)) return send(req, res, await liuyanApi(req, url, clock()));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, html(statusPage(405), 405));
    const fault = faults.get(path) ?? builtinFaults.get(path);
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'status') {
      return send(req, res, reply(fault.status, HTML, fault.body ?? statusPage(fault.status), fault.headers));
    }
    if (fault?.kind === 'delay' && !(await wait(fault.ms, res))) return;
    if (!fault && path === NEWS_SEARCH_PATH && isSlowQuery(url) && !(await wait(opts.slowMs ?? 60_000, res))) return;
    let answer: Reply;
    try {
      answer = await route(req, url);
    } catch {
      answer = html(statusPage(500), 500);
    }
    if (fault?.kind === 'drip') return drip(req, res, answer, fault.bytesPerSecond);
    send(req, res, answer);
  }

  /** Resolves true after ms, or false as soon as the client goes away. */
  function wait(ms: number, res: http.ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!res.destroyed);
      }, ms);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      });
    });
  }

  function drip(req: http.IncomingMessage, res: http.ServerResponse, answer: Reply, bytesPerSecond: number): void {
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
    if (req.method === 'HEAD') return void res.end();
    const chunk = Math.max(1, Math.floor(bytesPerSecond / 10));
    let offset = 0;
    const timer = setInterval(() => {
      res.write(answer.body.subarray(offset, offset + chunk));
      offset += chunk;
      if (offset >= answer.body.length) stop(true);
    }, 100);
    timers.add(timer);
    const stop = (end: boolean) => {
      clearInterval(timer);
      timers.delete(timer);
      if (end) res.end();
    };
    res.on('close', () => stop(false));
  }

  let publisher: NodeJS.Timeout | null = null;
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const extraServers: http.Server[] = [];
  for (const extra of opts.extraHosts ?? []) {
    const s2 = http.createServer((req, res) => {
      handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      s2.once('error', reject);
      s2.listen(port, extra, () => {
        s2.off('error', reject);
        resolve();
      });
    });
    extraServers.push(s2);
  }
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  base = `http://${urlHost}:${port}`;

  const site: FixtureSite = {
    url: base,
    extraUrls: (opts.extraHosts ?? []).map((h) => `http://${h.includes(':') ? `[${h}]` : h}:${port}`),
    port,
    publishNext: () => generator.next(clock()),
    posts: () => [...generator.posts],
    events: () => [...generator.events],
    setFault(path, fault) {
      if (fault) faults.set(path, fault);
      else faults.delete(path);
    },
    requestCount: (path) => counts.get(path) ?? 0,
    hooks,
    async close() {
      if (publisher) clearInterval(publisher);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s2 of [server, ...extraServers]) {
        s2.closeAllConnections();
        await new Promise<void>((resolve) => s2.close(() => resolve()));
      }
    },
  };
  if (typeof opts.publishIntervalMs === 'number') {
    publisher = setInterval(() => site.publishNext(), opts.publishIntervalMs);
    publisher.unref();
  }
  return site;
}

function token(now: Date): string {
  return createHash('md5').update(String(Math.floor(now.getTime() / 60_000))).digest('hex');
}

async function listCorpus(): Promise<string[]> {
  try {
    return (await readdir(CORPUS_DIR)).filter((f) => /^[\w.-]+$/.test(f)).sort();
  } catch {
    return [];
  }
}

function indexHtml(corpus: string[]): string {
  const link = (href: string, label: string) => `<li><a href="${href}">${R.escapeXml(label)}</a> <code>${href}</code></li>`;
  return `<h2>清河市演示站点（虚构内容，供舆情回应台演示与测试）</h2>
<h3>正常来源</h3><ul>
${link('/news/rss.xml', '清河新闻网 RSS 2.0')}
${link('/news/atom.xml', '清河新闻网 Atom')}
${link('/forum/list.html', '清河论坛 · 民生热线（列表页）')}
${link('/mailbox/index.html', '领导信箱（GBK 编码）')}
${link('/gov/rdf.xml', '清河发布 RDF / RSS 1.0')}
${link('/gov/rss091.xml', '清河发布 RSS 0.91')}
${link('/search/news?q=清河+拆迁&format=rss', '清河新闻搜索（RSS 结果）')}
${link('/search/news?q=清河+拆迁', '清河新闻搜索（HTML 结果）')}
</ul>
<h3>故障来源</h3><ul>
${link('/broken/feed.xml', '格式错误的 XML')}
${link('/slow/feed.xml', '响应极慢')}
${link('/error/feed.xml', '服务器错误 500')}
${link('/challenge/feed.xml', '反爬验证 412')}
${link('/waf/feed.xml', '防火墙拦截 403')}
${link('/ratelimit/feed.xml', '限流 429')}
${link('/search/news?q=清河+强拆', '新闻搜索：安全验证页')}
${link('/search/news?q=龙山镇+拆迁', '新闻搜索：未找到相关结果')}
${link('/redirect/n/3', '三次重定向')}
${link('/redirect/loop', '重定向循环')}
</ul>
<h3>真实订阅源样本</h3><ul>
${corpus.map((f) => link(`/real/${f}`, f)).join('\n')}
</ul>`;
}
