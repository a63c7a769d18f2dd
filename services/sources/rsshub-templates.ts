import type { MediaType } from '../../core/vocabulary.js';

// RSSHub source templates, as data: one entry per route of an RSSHub instance (the office's own,
// its base URL set in 管理 → 监测源). Filling a template's parameters composes the feed URL of an
// ordinary feed source. Add a route by adding an entry; `route` names its parameters `:key`.

export interface RsshubParam {
  key: string;
  /** The form label (Chinese). */
  label: string;
  /** What to fill in, with an example (Chinese). */
  hint: string;
  /** A fixed choice: value → label. */
  options?: { value: string; label: string }[];
  /** Left empty, the segment is dropped (only the last parameters of a route may be optional). */
  optional?: boolean;
}

export interface RsshubTemplate {
  id: string;
  name: string;
  /** The route on the RSSHub instance, parameters as `:key`; the free route is `*`. */
  route: string;
  params: RsshubParam[];
  mediaType: MediaType;
}

/** The template whose one parameter is a whole route (anything the list lacks). */
export const RSSHUB_FREE_ROUTE = 'custom';

export const RSSHUB_TEMPLATES: readonly RsshubTemplate[] = [
  {
    id: 'people-liuyan',
    name: '人民网领导留言板',
    route: '/people/liuyan/:id/:state',
    params: [
      { key: 'id', label: '留言对象编号', hint: '留言板上领导或地区页面网址中的编号，如 539' },
      {
        key: 'state',
        label: '办理状态',
        hint: '只看某一办理状态的留言',
        options: [
          { value: '1', label: '全部' },
          { value: '2', label: '待回复' },
          { value: '3', label: '办理中' },
          { value: '4', label: '已办理' },
        ],
      },
    ],
    mediaType: 'mailbox',
  },
  {
    id: 'weibo-keyword',
    name: '微博关键词',
    route: '/weibo/keyword/:keyword',
    params: [{ key: 'keyword', label: '关键词', hint: '微博搜索的关键词，如 清河 化工厂' }],
    mediaType: 'forum',
  },
  {
    id: 'weibo-user',
    name: '微博用户',
    route: '/weibo/user/:uid',
    params: [{ key: 'uid', label: '用户编号', hint: '微博用户主页网址中的数字编号，如 1195230310' }],
    mediaType: 'gov_media',
  },
  {
    id: 'douyin-user',
    name: '抖音用户',
    route: '/douyin/user/:uid',
    params: [{ key: 'uid', label: '用户编号', hint: '抖音用户主页网址 douyin.com/user/ 之后的一串字符' }],
    mediaType: 'gov_media',
  },
  {
    id: 'toutiao-user',
    name: '今日头条用户',
    route: '/toutiao/user/token/:token',
    params: [{ key: 'token', label: '用户标识', hint: '头条号主页网址 toutiao.com/c/user/token/ 之后的一串字符' }],
    mediaType: 'news',
  },
  {
    id: 'tieba-forum',
    name: '百度贴吧帖子列表',
    route: '/baidu/tieba/forum/:kw',
    params: [{ key: 'kw', label: '贴吧名', hint: '贴吧名称，不含“吧”字，如 清河' }],
    mediaType: 'forum',
  },
  {
    id: 'zhihu-topic',
    name: '知乎话题',
    route: '/zhihu/topic/:topicId',
    params: [{ key: 'topicId', label: '话题编号', hint: '知乎话题页网址 zhihu.com/topic/ 之后的数字，如 19550517' }],
    mediaType: 'forum',
  },
  {
    id: 'bilibili-user',
    name: 'B站用户',
    route: '/bilibili/user/video/:uid',
    params: [{ key: 'uid', label: '用户编号', hint: 'B站空间网址 space.bilibili.com/ 之后的数字' }],
    mediaType: 'other',
  },
  {
    id: 'wechat-mp',
    name: '微信公众号',
    route: '/wechat/wechat2rss/:id',
    params: [{ key: 'id', label: '公众号编号', hint: 'wechat2rss 为该公众号分配的编号（40 位字符）' }],
    mediaType: 'gov_media',
  },
  {
    id: RSSHUB_FREE_ROUTE,
    name: '其他路由（自行填写）',
    route: '*',
    params: [{ key: 'route', label: '路由', hint: '以 / 开头的 RSSHub 路由，如 /gov/zhengce/zuixin；参数请自行编码' }],
    mediaType: 'other',
  },
];

export function findRsshubTemplate(id: string): RsshubTemplate | undefined {
  return RSSHUB_TEMPLATES.find((t) => t.id === id);
}

/** What is wrong with filled-in parameters, in both languages, or null. */
export interface TemplateProblem {
  field: string;
  message: string;
  messageZh: string;
}

/**
 * The feed URL of a filled template on an RSSHub base (e.g. "http://127.0.0.1:1200"): each
 * parameter URL-encoded as one path segment; the free route taken as written (it must start
 * with "/" and name no other host).
 */
export function composeRsshubUrl(base: string, template: RsshubTemplate, params: Record<string, string>): { url: string } | { problem: TemplateProblem } {
  const root = base.replace(/\/+$/, '');
  if (template.route === '*') {
    const route = (params.route ?? '').trim();
    if (!route.startsWith('/') || route.startsWith('//') || /\s/.test(route)) {
      return { problem: { field: 'params.route', message: 'must be a route starting with "/"', messageZh: '路由须以 / 开头，且不含空格' } };
    }
    return { url: root + route };
  }
  const segments: string[] = [];
  for (const part of template.route.split('/').slice(1)) {
    if (!part.startsWith(':')) {
      segments.push(part);
      continue;
    }
    const def = template.params.find((p) => `:${p.key}` === part)!;
    const value = (params[def.key] ?? '').trim();
    if (!value) {
      if (def.optional) break;
      return { problem: { field: `params.${def.key}`, message: `is required (${def.key})`, messageZh: `请填写“${def.label}”` } };
    }
    if (def.options && !def.options.some((o) => o.value === value)) {
      return { problem: { field: `params.${def.key}`, message: `is not one of the choices (${def.key})`, messageZh: `“${def.label}”不是可选的值` } };
    }
    segments.push(encodeURIComponent(value));
  }
  return { url: `${root}/${segments.join('/')}` };
}
