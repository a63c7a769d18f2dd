import { z } from '@hono/zod-openapi';
import * as cheerio from 'cheerio';
import iconv from 'iconv-lite';
import { FETCH_STATUSES, MEDIA_TYPES, SOURCE_KINDS, STORED_SOURCE_KINDS } from '../../core/vocabulary.js';
import { DateTime, Limit } from '../shared/schema.js';
import { urlProblem } from './url-check.js';
import { JSON_ITEM_FIELDS, RESERVED_HEADERS, withPage } from '../../core/json-source.js';
import { DEFAULT_SEARCH_PAGES, hasPageSlot, hasQuerySlot, MAX_QUERIES, MAX_QUERY_CHARS, MAX_SEARCH_PAGES, QUERY_STATUSES } from '../../core/search-source.js';
import { fieldSelectorProblem, parseFieldSelector } from '../../core/field-selector.js';

const emptyDoc = cheerio.load('');

/** A CSS selector cheerio can parse (it throws on bad syntax). */
const Selector = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .superRefine((sel, ctx) => {
    try {
      emptyDoc(sel);
    } catch (e) {
      ctx.addIssue({
        code: 'custom',
        message: `is not a valid CSS selector (${(e as Error).message})`,
        params: { messageZh: '不是有效的 CSS 选择器' },
      });
    }
  });

/**
 * A link, title or date selector: CSS, then optionally `!child` (left out of the text) and
 * `@attribute` (read instead of the text), as core/field-selector.ts reads them.
 */
const FieldSelectorSpec = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .superRefine((spec, ctx) => {
    const problem = fieldSelectorProblem(spec);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem.en, params: { messageZh: problem.zh } });
      return;
    }
    const { css, exclude } = parseFieldSelector(spec);
    for (const sel of [css, ...exclude]) {
      try {
        emptyDoc(sel);
      } catch (e) {
        ctx.addIssue({
          code: 'custom',
          message: `is not a valid CSS selector (${(e as Error).message})`,
          params: { messageZh: '不是有效的 CSS 选择器' },
        });
        return;
      }
    }
  })
  .openapi({ description: 'CSS 选择器；“!选择器”去掉这些子元素的文字（如 a!span），“@属性名”读属性而不是文字（如 a@title）', example: 'a@title' });

export const Selectors = z
  .object({ item: Selector, link: FieldSelectorSpec.optional(), title: FieldSelectorSpec.optional(), date: FieldSelectorSpec.optional(), text: Selector.optional() })
  .strict()
  .openapi('SiteSelectors');

const MappingPath = z.string().trim().max(200);
const OptionalPath = MappingPath.nullable()
  .default(null)
  .transform((v) => (v === '' ? null : v));
const HeaderName = z
  .string()
  .trim()
  .refine((n) => /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(n), { message: 'is not a valid header name', params: { messageZh: '不是有效的请求头名称' } })
  .refine((n) => !RESERVED_HEADERS.has(n.toLowerCase()), { message: 'is set by the crawler itself', params: { messageZh: '该请求头由抓取程序自行设置，不能填写' } });

/**
 * A header value as HTTP carries it: visible ASCII, spaces and tabs. A line break would smuggle a
 * header of its own and Chinese cannot be sent raw, so both are refused here, with the reason,
 * instead of failing every crawl later with the HTTP client's English error.
 */
const HeaderValue = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => /^[\t\x20-\x7e]*$/.test(v), {
    message: 'may hold visible ASCII characters, spaces and tabs only (no line breaks; percent-encode Chinese)',
    params: { messageZh: '请求头的值只能包含英文字母、数字、空格和常用符号（不能换行；中文请先进行网址编码）' },
  });
const MAX_JSON_HEADERS = 30;

/** A link template is an http(s) address or a path on the endpoint's site (no javascript:, data:…). */
function linkTemplateProblem(t: string): boolean {
  const scheme = /^\s*([A-Za-z][A-Za-z0-9+.-]*):/.exec(t);
  return scheme !== null && !/^https?$/i.test(scheme[1]!);
}

export const JsonMappingSchema = z
  .object({
    list: MappingPath.default('').openapi({ description: '列表所在的路径，如 data.list（文档本身是数组时留空）', example: 'data.list' }),
    title: MappingPath.min(1).openapi({ description: '标题字段，如 subject' }),
    link: OptionalPath.openapi({ description: '链接字段（或用 linkTemplate 拼出链接）' }),
    linkTemplate: z
      .string()
      .trim()
      .max(2048)
      .nullable()
      .default(null)
      .refine((v) => v === null || !linkTemplateProblem(v), {
        message: 'must be an http(s) address or a path, e.g. https://liuyan.example.gov.cn/detail?tid={tid}',
        params: { messageZh: '链接模板须为 http 或 https 网址（或以 / 开头的路径），如 https://liuyan.example.gov.cn/detail?tid={tid}' },
      })
      .transform((v) => (v === '' ? null : v))
      .openapi({ description: '链接模板，{字段} 取条目的值，如 https://liuyan.example.gov.cn/detail?tid={tid}' }),
    date: OptionalPath.openapi({ description: '时间字段：可读的日期文字，或以秒 / 毫秒计的时间戳' }),
    text: OptionalPath.openapi({ description: '正文字段' }),
    author: OptionalPath.openapi({ description: '作者字段' }),
  })
  .strict()
  .openapi('JsonMapping');

export const JsonConfig = z
  .object({
    method: z.enum(['GET', 'POST']).default('GET'),
    bodyType: z.enum(['form', 'json']).default('form').openapi({ description: 'POST 请求体的格式：表单或 JSON' }),
    body: z.string().max(10_000).default('').openapi({ description: 'POST 请求体模板，{page} 为页码', example: 'page={page}&size=20' }),
    headers: z
      .record(HeaderName, HeaderValue)
      .refine((h) => Object.keys(h).length <= MAX_JSON_HEADERS, { message: `at most ${MAX_JSON_HEADERS} headers`, params: { messageZh: `请求头最多 ${MAX_JSON_HEADERS} 个` } })
      .default({}),
    pages: z.number().int().min(1).max(10).default(1).openapi({ description: '每次抓取的页数（页码 1…N，网址或请求体中的 {page}）' }),
    mapping: JsonMappingSchema,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.method !== 'POST' || v.bodyType !== 'json' || v.body.trim() === '') return;
    try {
      JSON.parse(withPage(v.body, 1));
    } catch {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'is not JSON once {page} is filled in', params: { messageZh: '填入页码后不是有效的 JSON' } });
    }
  })
  .openapi('JsonSourceConfig');

export const SearchConfig = z
  .object({
    queries: z
      .array(z.string().trim().min(1).max(MAX_QUERY_CHARS))
      .max(MAX_QUERIES)
      .default([])
      .openapi({ description: `手写的查询词（每个一条，最多 ${MAX_QUERIES} 个）；ruleId 非空时不用`, example: ['清河 拆迁', '清河 停水'] }),
    ruleId: z.number().int().positive().nullable().default(null).openapi({ description: `由监测规则生成查询词：地域词 × 事项词，每条规则最多 ${MAX_QUERIES} 个` }),
    format: z.enum(['rss', 'html']).default('rss').openapi({ description: '搜索结果的格式：RSS，或按选择器读取的 HTML 列表' }),
    selectors: Selectors.nullable().default(null).openapi({ description: 'HTML 结果页的列表选择器（format 为 html 时必填）' }),
    pages: z
      .number()
      .refine((n) => Number.isInteger(n) && n >= 1 && n <= MAX_SEARCH_PAGES, {
        message: `must be a whole number from 1 to ${MAX_SEARCH_PAGES}`,
        params: { messageZh: `每个查询词读取的结果页数须为 1 到 ${MAX_SEARCH_PAGES} 之间的整数` },
      })
      .optional()
      .openapi({ description: `每个查询词每次读取的结果页数（1–${MAX_SEARCH_PAGES}，默认 ${DEFAULT_SEARCH_PAGES}；多于 1 页时网址模板须含 {page}）；某页为空或没有新条目时提前停止` }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.ruleId === null && v.queries.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['queries'], message: 'give at least one query, or a rule to generate them from', params: { messageZh: '请至少填写一个查询词，或选择一条监测规则生成查询词' } });
    }
    if (v.format === 'html' && !v.selectors) {
      ctx.addIssue({ code: 'custom', path: ['selectors'], message: 'is required for HTML results (at least selectors.item)', params: { messageZh: 'HTML 格式的搜索结果必须填写列表选择器（至少 selectors.item）' } });
    }
  })
  .openapi('SearchSourceConfig');

export const SEARCH_NEEDS_CONFIG = {
  message: 'is required for a search source (the queries or a rule, and the result format)',
  messageZh: '新闻搜索类型的监测源必须填写查询词（或选择监测规则）和结果格式',
};
export const SEARCH_NEEDS_QUERY_SLOT = {
  message: 'must contain {query} for a search source (e.g. https://news.example.cn/search?q={query})',
  messageZh: '新闻搜索的搜索地址模板必须包含 {query}（如 https://news.example.cn/search?q={query}）',
};

export const JSON_NEEDS_CONFIG = {
  message: 'is required for a JSON source (json.mapping at least the title path)',
  messageZh: 'JSON 类型的监测源必须填写请求和字段映射（至少标题字段）',
};

const Url = z
  .string()
  .trim()
  .max(2048)
  .superRefine((url, ctx) => {
    const p = urlProblem(url);
    if (p) ctx.addIssue({ code: 'custom', message: p.message, params: { messageZh: p.messageZh } });
  })
  .openapi({ format: 'uri', example: 'https://news.example.cn/rss.xml' });

const Charset = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((label) => iconv.encodingExists(label), {
    message: 'is not a known character encoding',
    params: { messageZh: '不是可识别的字符编码（如 utf-8、gbk、gb18030、big5）' },
  })
  .nullable()
  .openapi({ example: 'gbk' });

const fields = {
  name: z.string().trim().min(1).max(200),
  url: Url,
  kind: z.enum(SOURCE_KINDS),
  mediaType: z.enum(MEDIA_TYPES),
  region: z.string().trim().max(100),
  charset: Charset,
  pollIntervalS: z.number().int().min(5).max(7 * 24 * 3600),
  enabled: z.boolean(),
  selectors: Selectors.nullable(),
  json: JsonConfig.nullable(),
  search: SearchConfig.nullable(),
};

export const SITE_NEEDS_SELECTORS = {
  message: 'is required for a site source (at least selectors.item)',
  messageZh: '站点类型的监测源必须填写选择器（至少 selectors.item）',
};

/** A filled RSSHub template: the source's URL is composed on the office's RSSHub instance. */
export const RsshubFill = z
  .object({
    template: z.string().trim().min(1).max(100).openapi({ example: 'weibo-keyword' }),
    params: z.record(z.string(), z.string().trim().max(500)).default({}).openapi({ example: { keyword: '清河' } }),
  })
  .strict()
  .openapi('RsshubFill');
export type RsshubFill = z.infer<typeof RsshubFill>;

const URL_OR_RSSHUB = { message: 'give either url or rsshub (a filled template), not both', messageZh: '请填写网址，或选择 RSSHub 模板并填写参数（二者选一）' };

export const SEARCH_SLOT_IN_HOST = {
  message: '{query} and {page} may stand in the path or the query string only, not in the host',
  messageZh: '{query} 和 {page} 只能写在网址的路径或问号后的参数中，不能写在域名里',
};

/** True when filling {query} / {page} would change the template's host (a query must never pick the server). */
export function slotInHost(template: string): boolean {
  const fill = (q: string, page: string) => template.replace(/\{query\}|%7Bquery%7D/gi, q).replace(/\{page\}|%7Bpage%7D/gi, page);
  try {
    return new URL(fill('a', '1')).host !== new URL(fill('b', '2')).host;
  } catch {
    return false; // not a URL at all: the url field's own check says so
  }
}

/** A search source needs its search config and a URL template with {query}. */
function refineSearch(v: { kind: string; url?: string; search?: unknown }, ctx: z.RefinementCtx): void {
  if (v.kind !== 'search') return;
  if (!v.search) ctx.addIssue({ code: 'custom', path: ['search'], message: SEARCH_NEEDS_CONFIG.message, params: { messageZh: SEARCH_NEEDS_CONFIG.messageZh } });
  if (v.url !== undefined && !hasQuerySlot(v.url)) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: SEARCH_NEEDS_QUERY_SLOT.message, params: { messageZh: SEARCH_NEEDS_QUERY_SLOT.messageZh } });
  } else if (v.url !== undefined && slotInHost(v.url)) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: SEARCH_SLOT_IN_HOST.message, params: { messageZh: SEARCH_SLOT_IN_HOST.messageZh } });
  }
  const pages = (v.search as { pages?: unknown } | null | undefined)?.pages;
  if (v.url !== undefined && typeof pages === 'number' && pages > 1 && !hasPageSlot(v.url)) {
    ctx.addIssue({ code: 'custom', path: ['search', 'pages'], message: SEARCH_PAGES_NEED_SLOT.message, params: { messageZh: SEARCH_PAGES_NEED_SLOT.messageZh } });
  }
}

export const SEARCH_PAGES_NEED_SLOT = {
  message: 'more than one result page needs {page} in the search URL template (e.g. https://news.example.cn/search?q={query}&page={page})',
  messageZh: '读取多页结果时，搜索地址模板须写明页码的位置 {page}（如 https://news.example.cn/search?q={query}&page={page}）',
};

export const SourceCreate = z
  .object({
    ...fields,
    url: fields.url.optional(),
    rsshub: RsshubFill.optional().openapi({ description: '从 RSSHub 模板添加：网址由 RSSHub 实例地址和模板参数组成（与 url 二选一）' }),
    mediaType: fields.mediaType.default('other'),
    region: fields.region.default(''),
    charset: fields.charset.default(null),
    pollIntervalS: fields.pollIntervalS.default(300),
    enabled: fields.enabled.default(true),
    selectors: fields.selectors.optional(),
    json: fields.json.optional(),
    search: fields.search.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'site' && !v.selectors) {
      ctx.addIssue({ code: 'custom', path: ['selectors'], message: SITE_NEEDS_SELECTORS.message, params: { messageZh: SITE_NEEDS_SELECTORS.messageZh } });
    }
    if (v.kind === 'json' && !v.json) {
      ctx.addIssue({ code: 'custom', path: ['json'], message: JSON_NEEDS_CONFIG.message, params: { messageZh: JSON_NEEDS_CONFIG.messageZh } });
    }
    refineSearch(v, ctx);
    if ((v.url === undefined) === (v.rsshub === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: URL_OR_RSSHUB.message, params: { messageZh: URL_OR_RSSHUB.messageZh } });
    }
    if (v.rsshub && v.kind !== 'feed') {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'must be feed for an RSSHub template', params: { messageZh: 'RSSHub 模板添加的监测源类型须为订阅源' } });
    }
  })
  .openapi('SourceCreate');
export type SourceCreate = z.infer<typeof SourceCreate>;

/**
 * A test fetch (试抓取) of a source as the creation form holds it, saved or not: the same fields as
 * SourceCreate, with the name optional (nothing is stored).
 */
export const SourcePreviewInput = z
  .object({
    ...fields,
    url: fields.url.optional(),
    rsshub: RsshubFill.optional(),
    name: fields.name.optional(),
    mediaType: fields.mediaType.optional(),
    region: fields.region.optional(),
    charset: fields.charset.default(null),
    pollIntervalS: fields.pollIntervalS.optional(),
    enabled: fields.enabled.optional(),
    selectors: fields.selectors.optional(),
    json: fields.json.optional(),
    search: fields.search.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'site' && !v.selectors) {
      ctx.addIssue({ code: 'custom', path: ['selectors'], message: SITE_NEEDS_SELECTORS.message, params: { messageZh: SITE_NEEDS_SELECTORS.messageZh } });
    }
    if (v.kind === 'json' && !v.json) {
      ctx.addIssue({ code: 'custom', path: ['json'], message: JSON_NEEDS_CONFIG.message, params: { messageZh: JSON_NEEDS_CONFIG.messageZh } });
    }
    refineSearch(v, ctx);
    if ((v.url === undefined) === (v.rsshub === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: URL_OR_RSSHUB.message, params: { messageZh: URL_OR_RSSHUB.messageZh } });
    }
  })
  .openapi('SourcePreviewInput');
export type SourcePreviewInput = z.infer<typeof SourcePreviewInput>;

export const SourcePreviewEntry = z
  .object({
    title: z.string(),
    url: z.string().nullable(),
    publishedAt: DateTime,
    publishedAtEstimated: z.boolean().openapi({ description: '条目没有可读的发布时间，用抓取时间代替' }),
    dateText: z.string().nullable().openapi({ description: '页面或订阅源写的日期原文（从较长文字中找到的那一段）；没有写日期时为 null', example: '2020-12-31 11:06:22' }),
    excerpt: z.string().openapi({ description: '正文摘录（纯文本）' }),
  })
  .openapi('SourcePreviewEntry');

export const SourcePreviewResult = z
  .object({
    status: z.enum(FETCH_STATUSES),
    statusLabel: z.string(),
    ok: z.boolean(),
    httpStatus: z.number().int().nullable(),
    message: z.string().openapi({ description: 'English reason' }),
    messageZh: z.string(),
    finalUrl: z.string().nullable(),
    total: z.number().int().openapi({ description: '解析出的条目总数（entries 只含前 20 条）' }),
    entries: z.array(SourcePreviewEntry),
    misses: z
      .array(z.object({ field: z.enum(JSON_ITEM_FIELDS), path: z.string(), missing: z.number().int(), items: z.number().int() }))
      .openapi({ description: 'JSON 源：字段映射在部分条目中没有取到值（字段、路径、缺失条数、条目总数）' }),
    missesZh: z.array(z.string()).openapi({ description: '同上，中文说明' }),
    queries: z.array(z.string()).openapi({ description: '新闻搜索源：将要轮询的查询词（结果为第一个查询词的）' }),
    queryStatus: z.enum(QUERY_STATUSES).nullable().openapi({ description: '新闻搜索源：第一个查询词的状态（有结果 / 无结果 / 遇到反爬验证 / 抓取失败）' }),
    searchPages: z
      .object({ pages: z.number().int(), read: z.number().int(), failedPage: z.number().int().nullable() })
      .optional()
      .openapi({ description: '新闻搜索源：每个查询词读取的页数、第一个查询词读到的页数、失败的页（没有则为 null）' }),
    durationMs: z.number().int(),
  })
  .openapi('SourcePreviewResult');
export type SourcePreviewResult = z.infer<typeof SourcePreviewResult>;

export const SourcePatch = z
  .object({
    name: fields.name.optional(),
    url: fields.url.optional(),
    kind: fields.kind.optional(),
    mediaType: fields.mediaType.optional(),
    region: fields.region.optional(),
    charset: fields.charset.optional(),
    pollIntervalS: fields.pollIntervalS.optional(),
    enabled: fields.enabled.optional(),
    selectors: fields.selectors.optional(),
    json: fields.json.optional(),
    search: fields.search.optional(),
  })
  .strict()
  .openapi('SourcePatch');
export type SourcePatch = z.infer<typeof SourcePatch>;

export const SearchQueryView = z
  .object({
    query: z.string(),
    status: z.enum(QUERY_STATUSES),
    statusLabel: z.string(),
    httpStatus: z.number().int().nullable(),
    message: z.string(),
    consecutiveFailures: z.number().int(),
    itemsSeen: z.number().int(),
    pagesRead: z.number().int().openapi({ description: '上次抓取读到的结果页数' }),
    failedPage: z.number().int().nullable().openapi({ description: '上次抓取失败的结果页（第 1 页之后的页失败时，前面各页的条目照常保存）' }),
    lastFetchAt: DateTime.nullable(),
    nextDueAt: DateTime,
  })
  .openapi('SearchQuery');
export type SearchQueryView = z.infer<typeof SearchQueryView>;

export const SourceView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    url: z.string(),
    kind: z.enum(STORED_SOURCE_KINDS),
    mediaType: z.enum(MEDIA_TYPES),
    mediaTypeLabel: z.string(),
    region: z.string(),
    charset: z.string().nullable(),
    selectors: Selectors.nullable(),
    json: JsonConfig.nullable(),
    search: SearchConfig.nullable(),
    queries: z
      .array(SearchQueryView)
      .openapi({ description: '新闻搜索源：各查询词的状态（有结果 / 无结果 / 遇到反爬验证 / 抓取失败）与下次抓取时间' }),
    pollIntervalS: z.number().int(),
    enabled: z.boolean(),
    status: z.enum(FETCH_STATUSES),
    statusLabel: z.string(),
    statusMessage: z.string(),
    httpStatus: z.number().int().nullable(),
    lastFetchAt: DateTime.nullable(),
    lastSuccessAt: DateTime.nullable(),
    lastNewItemAt: DateTime.nullable(),
    nextFetchAt: DateTime,
    failureScore: z.number(),
    consecutiveFailures: z.number().int(),
    selectorMisses: z.number().int(),
    typicalGapS: z.number().int().nullable(),
    silent: z.boolean().openapi({ description: '远超平时更新节奏仍无新信息' }),
    itemCount: z.number().int(),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .openapi('Source');
export type SourceView = z.infer<typeof SourceView>;

export const SourceList = z.object({ sources: z.array(SourceView) });

export const FetchView = z
  .object({
    id: z.string(),
    startedAt: DateTime,
    durationMs: z.number().int(),
    status: z.enum(FETCH_STATUSES),
    statusLabel: z.string(),
    httpStatus: z.number().int().nullable(),
    itemsSeen: z.number().int(),
    itemsNew: z.number().int(),
    message: z.string(),
  })
  .openapi('SourceFetch');
export type FetchView = z.infer<typeof FetchView>;

export const FetchList = z.object({ fetches: z.array(FetchView) });
export const FetchQuery = z.object({ limit: Limit(50, 200) });

export const RsshubParamView = z.object({
  key: z.string(),
  label: z.string(),
  hint: z.string(),
  optional: z.boolean(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
});

export const RsshubTemplateView = z
  .object({ id: z.string(), name: z.string(), route: z.string(), params: z.array(RsshubParamView), mediaType: z.enum(MEDIA_TYPES) })
  .openapi('RsshubTemplate');

export const RsshubTemplatesView = z
  .object({
    baseUrl: z.string().nullable().openapi({ description: 'RSSHub 实例地址（未设置为 null）' }),
    basePrivate: z.boolean().openapi({ description: '实例地址在内网或本机' }),
    baseAllowed: z.boolean().openapi({ description: '实例地址可以抓取（公网地址，或已在内网抓取白名单中）' }),
    updatedAt: DateTime,
    templates: z.array(RsshubTemplateView),
  })
  .openapi('RsshubTemplates');
export type RsshubTemplatesView = z.infer<typeof RsshubTemplatesView>;

export const RsshubSettingsInput = z
  .object({
    baseUrl: Url.nullable().openapi({ example: 'http://127.0.0.1:1200' }),
    allowPrivate: z.boolean().default(false).openapi({ description: '实例在内网或本机时，同时把它的 主机:端口 加入内网抓取白名单' }),
  })
  .strict()
  .openapi('RsshubSettingsInput');
export type RsshubSettingsInput = z.infer<typeof RsshubSettingsInput>;
