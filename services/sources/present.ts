import { createHash } from 'node:crypto';
import type { JsonSourceConfig } from '../../core/json-source.js';
import { FETCH_STATUS_LABELS, MEDIA_TYPE_LABELS } from '../../core/vocabulary.js';
import type { SourceWithCount } from '../../db/repos/sources.js';
import type { Source, SourceFetchesTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';
import { iso } from '../shared/present.js';
import { isSilent } from '../../core/schedule.js';
import type { FetchView, SearchQueryView, SourceView } from './schema.js';
import type { SourceQuery } from '../../db/repos/source-queries.js';
import { QUERY_STATUS_LABELS } from '../../core/search-source.js';

/** An intake source is never fetched: its health reads 接口推送. */
export const INTAKE_LABEL = '接口推送';

// Silence is decided by the scheduling maths in core (6 typical gaps, at least a day).
export { isSilent };

/**
 * A JSON source's request headers may carry a credential (Authorization, Cookie, an API key of the
 * endpoint): their values are shown to admins, who edit them, and to nobody else — a duty officer
 * reading the source list sees ***, and an audit row keeps *** with a short one-way fingerprint
 * (the reader sees that a value changed, not what it is).
 */
function maskHeaders(json: JsonSourceConfig | null, mask: (value: string) => string): JsonSourceConfig | null {
  if (!json || !json.headers || Object.keys(json.headers).length === 0) return json;
  return { ...json, headers: Object.fromEntries(Object.entries(json.headers).map(([k, v]) => [k, mask(v)])) };
}

const fingerprint = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 16);

export interface PresentOptions {
  /** Header values of JSON sources in clear (admins); masked otherwise. */
  revealHeaders?: boolean;
}

export function presentSource(s: SourceWithCount, now: Date, queries: SourceQuery[] = [], opts: PresentOptions = {}): SourceView {
  return {
    id: s.id,
    name: s.name,
    url: s.url,
    kind: s.kind,
    mediaType: s.media_type,
    mediaTypeLabel: MEDIA_TYPE_LABELS[s.media_type],
    region: s.region,
    charset: s.charset,
    selectors: s.selectors,
    json: opts.revealHeaders === false ? maskHeaders(s.json_config, () => '***') : s.json_config,
    search: s.search_config,
    queries: queries.map(presentQuery),
    pollIntervalS: s.poll_interval_s,
    enabled: s.enabled,
    status: s.status,
    statusLabel: s.kind === 'intake' ? INTAKE_LABEL : (FETCH_STATUS_LABELS[s.status] ?? s.status),
    statusMessage: s.status_message,
    httpStatus: s.http_status,
    lastFetchAt: iso(s.last_fetch_at),
    lastSuccessAt: iso(s.last_success_at),
    lastNewItemAt: iso(s.last_new_item_at),
    nextFetchAt: iso(s.next_fetch_at),
    failureScore: s.failure_score,
    consecutiveFailures: s.consecutive_failures,
    selectorMisses: s.selector_misses,
    typicalGapS: s.typical_gap_s,
    silent: isSilent(s.typical_gap_s, s.last_new_item_at, now),
    itemCount: s.item_count,
    createdAt: iso(s.created_at),
    updatedAt: iso(s.updated_at),
  };
}

/** What an audit row records of a source: the admin-editable fields (not the crawl state). */
export function auditedSource(s: Source) {
  return {
    name: s.name,
    url: s.url,
    kind: s.kind,
    mediaType: s.media_type,
    region: s.region,
    charset: s.charset,
    selectors: s.selectors,
    json: maskHeaders(s.json_config, (v) => `*** (sha256 ${fingerprint(v)})`),
    search: s.search_config,
    pollIntervalS: s.poll_interval_s,
    enabled: s.enabled,
  };
}

/** One query of a search source: its health and when it is due. */
export function presentQuery(q: SourceQuery): SearchQueryView {
  return {
    query: q.query,
    status: q.status,
    statusLabel: q.failed_page !== null && q.failed_page > 1 && (q.status === 'failing' || q.status === 'anti_bot') ? `${QUERY_STATUS_LABELS[q.status]}（第 ${q.failed_page} 页）` : QUERY_STATUS_LABELS[q.status],
    httpStatus: q.http_status,
    message: q.message,
    consecutiveFailures: q.consecutive_failures,
    itemsSeen: q.items_seen,
    pagesRead: q.pages_read,
    failedPage: q.failed_page,
    lastFetchAt: iso(q.last_fetch_at),
    nextDueAt: iso(q.next_due_at),
  };
}

export function presentFetch(f: Selectable<SourceFetchesTable>): FetchView {
  return {
    id: f.id,
    startedAt: iso(f.started_at),
    durationMs: f.duration_ms,
    status: f.status,
    statusLabel: FETCH_STATUS_LABELS[f.status] ?? f.status,
    httpStatus: f.http_status,
    itemsSeen: f.items_seen,
    itemsNew: f.items_new,
    message: f.message,
  };
}
