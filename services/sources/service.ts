import { writeAudit } from '../../db/repos/audit.js';
import * as repo from '../../db/repos/sources.js';
import type { SourceUpdate } from '../../db/schema.js';
import { conflict, fieldError, notFound } from '../../platform/errors.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { auditedSource, presentFetch, presentSource, type PresentOptions } from './present.js';
import { JSON_NEEDS_CONFIG, SEARCH_NEEDS_CONFIG, SEARCH_NEEDS_QUERY_SLOT, SEARCH_SLOT_IN_HOST, SITE_NEEDS_SELECTORS, slotInHost, type SourceCreate, type SourcePatch, type SourcePreviewInput, type SourcePreviewResult, type SourceView } from './schema.js';
import { FETCH_STATUS_LABELS, isFetchSuccess, type FetchStatus, type SourceKind } from '../../core/vocabulary.js';
import type { JsonItemField } from '../../core/json-source.js';
import { hasQuerySlot, QUERY_STATUS_LABELS, type SearchSourceConfig } from '../../core/search-source.js';
import { listQueries } from '../../db/repos/source-queries.js';
import { findRule } from '../../db/repos/rules.js';
import { previewSearch, searchQueries } from '../crawl/search.js';
import { CrawlFailure } from '../crawl/context.js';
import { NOT_JSON } from '../crawl/steps/parse.js';

const JSON_FIELD_ZH: Record<JsonItemField, string> = { title: '标题', link: '链接', date: '时间', text: '正文', author: '作者' };
import { loadAllowlist } from '../../db/repos/allowlist.js';
import { previewSource } from '../crawl/preview.js';
import { validateSourceUrl } from './url-check.js';
import { rsshubSourceUrl } from './rsshub.js';
import { RSSHUB_ROUTE_ERROR_ZH } from '../../platform/http/fetch.js';

// Admin edits of sources: each change and its audit row are one transaction (a crash cannot keep
// the one without the other); the source.updated event goes out after the commit.

const sourceNotFound = () => notFound('Source', '监测源');

async function assertUrlFree(deps: ModuleDeps, url: string, exceptId?: number): Promise<void> {
  if (await repo.sourceUrlTaken(deps.db, url, exceptId)) {
    throw conflict('A source with this URL already exists', '已存在相同网址的监测源', { field: 'url' });
  }
}

export async function getSource(deps: ModuleDeps, id: number, opts: PresentOptions = {}): Promise<SourceView> {
  const row = await repo.findSource(deps.db, id);
  if (!row) throw sourceNotFound();
  return presentSource(row, deps.now(), row.kind === 'search' ? await listQueries(deps.db, [id]) : [], opts);
}

export async function listSources(deps: ModuleDeps, opts: PresentOptions = {}): Promise<SourceView[]> {
  const now = deps.now();
  const rows = await repo.listSources(deps.db);
  const queries = await listQueries(deps.db, rows.filter((s) => s.kind === 'search').map((s) => s.id));
  return rows.map((s) => presentSource(s, now, queries.filter((q) => q.source_id === s.id), opts));
}

/** A search source's rule must exist and its expression must yield queries. */
async function assertSearchRule(deps: ModuleDeps, search: SearchSourceConfig | null | undefined): Promise<void> {
  if (!search || search.ruleId === null) return;
  const rule = await findRule(deps.db, search.ruleId);
  if (!rule) throw fieldError('search.ruleId', 'is not an existing rule', '所选的监测规则不存在');
}

export async function createSource(deps: ModuleDeps, input: SourceCreate, actor: Actor): Promise<SourceView> {
  const url = input.url ?? (await rsshubSourceUrl(deps.db, input.rsshub!));
  await validateSourceUrl(deps.db, url);
  await assertUrlFree(deps, url);
  if (input.kind === 'search') await assertSearchRule(deps, input.search);
  const now = deps.now();
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await repo.insertSource(trx, {
      name: input.name,
      url,
      kind: input.kind,
      media_type: input.mediaType,
      region: input.region,
      charset: input.charset,
      selectors: input.kind === 'site' && input.selectors ? JSON.stringify(input.selectors) : null,
      json_config: input.kind === 'json' && input.json ? JSON.stringify(input.json) : null,
      search_config: input.kind === 'search' && input.search ? JSON.stringify(input.search) : null,
      poll_interval_s: input.pollIntervalS,
      enabled: input.enabled,
      next_fetch_at: now,
      created_at: now,
      updated_at: now,
    });
    await writeAudit(trx, { actor, entity: 'source', entityId: inserted.id, action: 'source.create', after: auditedSource(inserted) });
    return inserted;
  });
  await deps.emit({ type: 'source.updated', sourceId: row.id });
  return getSource(deps, row.id);
}

export async function updateSource(deps: ModuleDeps, id: number, patch: SourcePatch, actor: Actor): Promise<SourceView> {
  const existing = await repo.findSource(deps.db, id);
  if (!existing) throw sourceNotFound();
  if (existing.kind === 'intake') assertIntakePatch(patch);
  const kind = patch.kind ?? existing.kind;
  const selectors = patch.selectors !== undefined ? patch.selectors : existing.selectors;
  if (kind === 'site' && !selectors) throw fieldError('selectors', SITE_NEEDS_SELECTORS.message, SITE_NEEDS_SELECTORS.messageZh);
  const json = patch.json !== undefined ? patch.json : existing.json_config;
  if (kind === 'json' && !json) throw fieldError('json', JSON_NEEDS_CONFIG.message, JSON_NEEDS_CONFIG.messageZh);
  const search = patch.search !== undefined ? patch.search : existing.search_config;
  if (kind === 'search') {
    if (!search) throw fieldError('search', SEARCH_NEEDS_CONFIG.message, SEARCH_NEEDS_CONFIG.messageZh);
    if (!hasQuerySlot(patch.url ?? existing.url)) throw fieldError('url', SEARCH_NEEDS_QUERY_SLOT.message, SEARCH_NEEDS_QUERY_SLOT.messageZh);
    if (slotInHost(patch.url ?? existing.url)) throw fieldError('url', SEARCH_SLOT_IN_HOST.message, SEARCH_SLOT_IN_HOST.messageZh);
    await assertSearchRule(deps, search);
  }
  const urlChanged = patch.url !== undefined && patch.url !== existing.url;
  if (urlChanged) {
    await validateSourceUrl(deps.db, patch.url!);
    await assertUrlFree(deps, patch.url!, id);
  }
  const parsingChanged =
    kind !== existing.kind ||
    (patch.charset !== undefined && patch.charset !== existing.charset) ||
    (patch.selectors !== undefined && JSON.stringify(patch.selectors) !== JSON.stringify(existing.selectors)) ||
    (patch.json !== undefined && JSON.stringify(patch.json) !== JSON.stringify(existing.json_config)) ||
    (patch.search !== undefined && JSON.stringify(patch.search) !== JSON.stringify(existing.search_config));
  const set: SourceUpdate = {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.url !== undefined && { url: patch.url }),
    ...(patch.mediaType !== undefined && { media_type: patch.mediaType }),
    ...(patch.region !== undefined && { region: patch.region }),
    ...(patch.charset !== undefined && { charset: patch.charset }),
    ...(patch.pollIntervalS !== undefined && { poll_interval_s: patch.pollIntervalS }),
    ...(patch.enabled !== undefined && { enabled: patch.enabled }),
    kind,
    selectors: kind === 'site' && selectors ? JSON.stringify(selectors) : null,
    json_config: kind === 'json' && json ? JSON.stringify(json) : null,
    search_config: kind === 'search' && search ? JSON.stringify(search) : null,
  };
  const edit = { set, dueNow: patch.enabled !== undefined || urlChanged || parsingChanged, forgetValidators: urlChanged || parsingChanged };
  await deps.db.transaction().execute(async (trx) => {
    // Read again under a row lock: the audited "before" is the row this update replaces.
    const before = await repo.lockSource(trx, id);
    if (!before) throw sourceNotFound();
    const after = await repo.updateSource(trx, id, edit, deps.now());
    if (!after) throw sourceNotFound();
    await writeAudit(trx, { actor, entity: 'source', entityId: id, action: 'source.update', before: auditedSource(before), after: auditedSource(after) });
  });
  await deps.emit({ type: 'source.updated', sourceId: id });
  return getSource(deps, id);
}

/** An intake source (接口推送) keeps its name, kind and address: only its media type, region and switch change. */
function assertIntakePatch(patch: SourcePatch): void {
  const fixed = (['name', 'url', 'kind', 'charset', 'selectors', 'json', 'search', 'pollIntervalS'] as const).filter((k) => patch[k] !== undefined);
  if (fixed.length > 0) {
    throw conflict(
      `An intake source's ${fixed.join(', ')} cannot be changed (only media type, region and enabled)`,
      '接口推送的监测源只能修改媒体类型、地域和启用状态',
    );
  }
}

export async function deleteSource(deps: ModuleDeps, id: number, actor: Actor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const removed = await repo.deleteSource(trx, id);
    if (!removed) throw sourceNotFound();
    await writeAudit(trx, { actor, entity: 'source', entityId: id, action: 'source.delete', before: auditedSource(removed) });
  });
  await deps.emit({ type: 'source.updated', sourceId: id });
}

/** Makes the source due now; the scheduler enqueues it on its next tick. */
export async function fetchNow(deps: ModuleDeps, id: number, actor: Actor): Promise<SourceView> {
  await deps.db.transaction().execute(async (trx) => {
    const before = await repo.lockSource(trx, id);
    if (!before) throw sourceNotFound();
    if (before.kind === 'intake') throw conflict('An intake source is pushed through the intake API, never fetched', '接口推送的监测源由接口推送数据，不能抓取');
    const after = await repo.updateSource(trx, id, { set: {}, dueNow: true, forgetValidators: false }, deps.now());
    if (!after) throw sourceNotFound();
    await writeAudit(trx, {
      actor,
      entity: 'source',
      entityId: id,
      action: 'source.fetch_now',
      before: { nextFetchAt: before.next_fetch_at.toISOString() },
      after: { nextFetchAt: after.next_fetch_at.toISOString() },
    });
  });
  await deps.emit({ type: 'source.updated', sourceId: id });
  return getSource(deps, id);
}

export async function listFetches(deps: ModuleDeps, id: number, limit: number) {
  if (!(await repo.findSource(deps.db, id))) throw sourceNotFound();
  return (await repo.listFetches(deps.db, id, limit)).map(presentFetch);
}

/** Why a test fetch failed, in plain Chinese, with what to do about it. */
function previewReasonZh(status: FetchStatus, httpStatus: number | null, kind: SourceKind, total: number, message = ''): string {
  const http = httpStatus ? `（HTTP ${httpStatus}）` : '';
  switch (status) {
    case 'ok':
      return total > 0 ? `抓取成功，解析出 ${total} 条` : '抓取成功，但没有解析出条目';
    case 'not_modified':
      return '网站返回“未修改”（304），没有内容可显示';
    case 'ssrf_refused':
      return '网址指向内网、本机或保留地址，被安全策略拒绝；如确需抓取，请先在“内网抓取白名单”中加入该 主机:端口';
    case 'dns_error':
      return '域名无法解析，请检查网址是否正确';
    case 'connect_error':
      return '无法连接到该网站，请检查网址和端口，或网站是否在线';
    case 'timeout':
      return '网站在规定时间内没有响应';
    case 'tls_error':
      return '证书或加密连接有误（https）';
    case 'http_4xx':
      return `网站拒绝了请求${http}，请检查网址是否正确`;
    case 'http_5xx':
      if (message.startsWith(RSSHUB_ROUTE_ERROR_ZH)) return `${RSSHUB_ROUTE_ERROR_ZH}${http}：请检查模板参数或路由是否正确，或查看 RSSHub 实例的日志`;
      return `网站服务器出错${http}，可稍后再试`;
    case 'rate_limited':
      return '网站提示请求过于频繁（429），请稍后再试或加大抓取间隔';
    case 'blocked_challenge':
      return `网站返回反爬验证页面${http}，无法直接抓取`;
    case 'too_many_redirects':
      return '重定向次数过多或出现循环重定向';
    case 'too_large':
      return '内容超过大小上限';
    case 'parse_error':
      if (kind === 'json') return message.startsWith(NOT_JSON.zh) ? `${NOT_JSON.zh}${http}，请检查网址、请求方式和请求头` : 'JSON 无法解析';
      return kind === 'feed' ? '返回的内容不是可识别的 RSS / Atom 订阅源（或 XML 格式错误）' : '页面无法解析';
    case 'selector_empty':
      if (kind === 'json') return message.split(' / ')[0] ?? message;
      return '列表选择器（selectors.item）没有匹配到任何条目，请检查选择器';
    case 'network_error':
      return `网络错误${http}`;
    default:
      return FETCH_STATUS_LABELS[status] ?? status;
  }
}

/**
 * 试抓取: fetch, decode and parse as a crawl would, storing nothing. It changes no data, but it is
 * an admin making the server connect somewhere, so it is audited as an action of its own
 * (source.preview, with the address and the outcome) rather than left to the route backstop.
 */
export async function previewSourceFetch(deps: ModuleDeps, input: SourcePreviewInput, actor: Actor): Promise<SourcePreviewResult> {
  const url = input.url ?? (await rsshubSourceUrl(deps.db, input.rsshub!));
  if (input.kind === 'search' && input.search) return previewSearchFetch(deps, input.search, input.charset, url, actor);
  const r = await previewSource(
    previewDeps(deps),
    {
      url,
      kind: input.kind,
      charset: input.charset,
      selectors: input.kind === 'site' ? (input.selectors ?? null) : null,
      json_config: input.kind === 'json' ? (input.json ?? null) : null,
    },
  );
  const ok = isFetchSuccess(r.status);
  await auditPreview(deps, actor, { url, kind: input.kind, status: r.status, httpStatus: r.httpStatus, total: r.total });
  const { note, ...result } = r;
  return {
    ...result,
    queries: [],
    queryStatus: null,
    missesZh: r.misses.map((m) => `字段“${JSON_FIELD_ZH[m.field]}”的路径“${m.path}”在 ${m.missing} / ${m.items} 条中没有取到值`),
    ok,
    statusLabel: FETCH_STATUS_LABELS[r.status] ?? r.status,
    message: ok ? (r.status === 'ok' ? `${note ? `${note.en}; ` : ''}${r.total} entries` : r.message) : r.message,
    messageZh: `${note ? `${note.zh}；` : ''}${previewReasonZh(r.status, r.httpStatus, input.kind, r.total, r.message)}`,
  };
}

/** The test fetch's settings: the crawler's own limits and the admin allow-list. */
function previewDeps(deps: ModuleDeps) {
  const c = deps.config;
  return {
    settings: {
      timeoutMs: c.CRAWL_TIMEOUT_MS,
      connectTimeoutMs: c.CRAWL_CONNECT_TIMEOUT_MS,
      maxBytes: c.CRAWL_MAX_BYTES,
      maxRedirects: c.CRAWL_MAX_REDIRECTS,
      userAgent: c.USER_AGENT,
    },
    allowlist: () => loadAllowlist(deps.db),
    now: deps.now,
  };
}

/** Nothing else is written: the audit insert is a transaction of its own. */
async function auditPreview(deps: ModuleDeps, actor: Actor, after: Record<string, unknown>): Promise<void> {
  await writeAudit(deps.db, { actor, entity: 'source', entityId: '', action: 'source.preview', after });
}

/** 试抓取 of a news search source: the queries it would poll and the first query's results, its health told in Chinese. */
async function previewSearchFetch(deps: ModuleDeps, search: SearchSourceConfig, charset: string | null, url: string, actor: Actor): Promise<SourcePreviewResult> {
  await assertSearchRule(deps, search);
  let queries: string[];
  try {
    queries = await searchQueries(deps.db, search);
  } catch (err) {
    if (err instanceof CrawlFailure) throw fieldError('search.ruleId', 'yields no queries (its expression cannot be read)', '所选监测规则的表达式无法生成查询词');
    throw err;
  }
  const r = await previewSearch(previewDeps(deps), { url, charset, search }, queries);
  const ok = isFetchSuccess(r.status);
  await auditPreview(deps, actor, { url, kind: 'search', queries: queries.length, status: r.status, httpStatus: r.httpStatus, total: r.total });
  const http = r.httpStatus ? `（HTTP ${r.httpStatus}）` : '';
  const pagesZh = r.pages > 1 ? `，每个查询词最多读 ${r.pages} 页` : '';
  const readZh = r.pages > 1 && r.pagesRead > 0 ? `（读了 ${r.pagesRead} 页，共 ${r.total} 条）` : '';
  const first = `共 ${queries.length} 个查询词${pagesZh}；第一个查询词“${queries[0] ?? ''}”${readZh}：`;
  const failedPageZh = r.failedPage !== null && r.failedPage > 1 ? `第 ${r.failedPage} 页${r.queryStatus === 'anti_bot' ? '遇到反爬验证' : '抓取失败'}${http}；抓取时前 ${r.failedPage - 1} 页的 ${r.total} 条照常保存，该查询词会自动退避` : null;
  const reasonZh = failedPageZh
    ? failedPageZh
    : r.queryStatus === 'empty'
      ? '搜索结果为空（结果页显示没有找到相关结果），不是故障'
      : r.queryStatus === 'anti_bot'
        ? `搜索网站返回反爬验证页面${http}，该查询词抓取时会自动退避，其他查询词照常抓取`
        : previewReasonZh(r.status, r.httpStatus, search.format === 'html' ? 'site' : 'feed', r.total, r.message);
  const queryLabel = r.queryStatus ? QUERY_STATUS_LABELS[r.queryStatus] : '';
  const { pages: _pages, pagesRead: _read, failedPage: _failed, ...result } = r;
  return {
    ...result,
    misses: [],
    missesZh: [],
    ok,
    statusLabel: r.queryStatus && r.queryStatus !== 'failing' ? queryLabel : (FETCH_STATUS_LABELS[r.status] ?? r.status),
    message: ok ? `${queries.length} queries; first query: ${r.total} entries from ${r.pagesRead} of up to ${r.pages} pages` : r.message,
    searchPages: { pages: r.pages, read: r.pagesRead, failedPage: r.failedPage },
    messageZh: `${first}${reasonZh}`,
  };
}
