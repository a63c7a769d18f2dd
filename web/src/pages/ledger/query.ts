import { BUSINESS_ISO_OFFSET } from '../../../../core/business-time.js';
import { CASE_STATUSES, CATEGORIES, LEVELS } from '../../../../core/vocabulary.js';

// The ledger's filters and sort order as they live in the URL (?level=major&q=…&sort=dueAt&dir=asc),
// so a view can be bookmarked, and as GET /api/cases (and /api/cases/export) wants them.
// Dates in the URL are Asia/Shanghai days (YYYY-MM-DD); `to` names the last day included.

export const SORTS = ['openedAt', 'clockStartedAt', 'dueAt', 'level'] as const;
export type Sort = (typeof SORTS)[number];

export interface LedgerFilters {
  from: string;
  to: string;
  level: string;
  category: string;
  departmentId: string;
  status: string;
  overdue: string;
  /** A response in this state: submitted 待审核, returned 已退回, approved 待发布. */
  responseStatus: string;
  q: string;
  /** 地域: cases naming this town of the area (its code). */
  town: string;
  sort: Sort;
  dir: 'asc' | 'desc';
}

export const FILTER_KEYS = ['from', 'to', 'level', 'category', 'departmentId', 'status', 'overdue', 'responseStatus', 'q', 'town'] as const;
export const RESPONSE_STATUS_FILTERS = ['submitted', 'returned', 'approved'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const oneOf = (v: string | null, allowed: readonly string[]) => (v !== null && allowed.includes(v) ? v : '');

export function parseFilters(search: string): LedgerFilters {
  const p = new URLSearchParams(search);
  const day = (k: string) => {
    const v = p.get(k) ?? '';
    return DAY.test(v) ? v : '';
  };
  const dept = p.get('departmentId') ?? '';
  const sort = oneOf(p.get('sort'), SORTS) as Sort | '';
  return {
    from: day('from'),
    to: day('to'),
    level: oneOf(p.get('level'), LEVELS),
    category: oneOf(p.get('category'), CATEGORIES),
    departmentId: /^[1-9]\d{0,9}$/.test(dept) ? dept : '',
    status: oneOf(p.get('status'), CASE_STATUSES),
    overdue: oneOf(p.get('overdue'), ['true', 'false']),
    responseStatus: oneOf(p.get('responseStatus'), RESPONSE_STATUS_FILTERS),
    q: (p.get('q') ?? '').slice(0, 200),
    town: (p.get('town') ?? '').trim().slice(0, 60),
    sort: sort || 'openedAt',
    dir: p.get('dir') === 'asc' ? 'asc' : 'desc',
  };
}

/** The URL search string (without '?'): only what differs from the defaults. */
export function filtersToSearch(f: LedgerFilters): string {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = k === 'q' ? f.q.trim() : f[k];
    if (v) p.set(k, v);
  }
  if (f.sort !== 'openedAt') p.set('sort', f.sort);
  if (f.dir !== 'desc') p.set('dir', f.dir);
  return p.toString();
}

export function hasFilters(f: LedgerFilters): boolean {
  return FILTER_KEYS.some((k) => f[k].trim() !== '');
}

function nextDay(ymd: string): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The query of GET /api/cases (and the export): Shanghai days become instants, `to` exclusive. */
export function apiQuery(f: LedgerFilters): Record<string, string> {
  const q: Record<string, string> = { sort: f.sort, dir: f.dir };
  if (f.from) q.from = `${f.from}T00:00:00${BUSINESS_ISO_OFFSET}`;
  if (f.to) q.to = `${nextDay(f.to)}T00:00:00${BUSINESS_ISO_OFFSET}`;
  for (const k of ['level', 'category', 'departmentId', 'status', 'overdue', 'responseStatus', 'town'] as const) if (f[k]) q[k] = f[k];
  if (f.q.trim()) q.q = f.q.trim();
  return q;
}

export function exportHref(f: LedgerFilters, format: 'xlsx' | 'csv'): string {
  return `/api/cases/export?${new URLSearchParams({ format, ...apiQuery(f) }).toString()}`;
}
