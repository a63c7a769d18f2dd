import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { BUSINESS_OFFSET_MS } from '../../../../core/business-time.js';
import type { MediaType } from '../../../../core/vocabulary.js';
import { api, call, getJson, type Ok } from '../../lib/api.js';

// The search screen's reads: a keyset-paged item search (GET /api/items) and the option lists for
// its filters (sources and rules are readable by duty officers and admins; other roles search
// without those two lists).

export type ItemPage = Ok<Awaited<ReturnType<typeof api.items.$get>>>;
export type Item = ItemPage['items'][number];

export interface SearchFilter {
  q: string;
  sourceId: string;
  mediaType: MediaType | '';
  ruleId: string;
  /** 地域: items naming this town of the area (its code). */
  town: string;
  /** Beijing calendar days, YYYY-MM-DD (inclusive range). */
  from: string;
  to: string;
}

export const EMPTY_FILTER: SearchFilter = { q: '', sourceId: '', mediaType: '', ruleId: '', town: '', from: '', to: '' };

/** 00:00 Beijing time of a YYYY-MM-DD day, `plusDays` later, as an ISO instant. */
export function beijingDayStart(day: string, plusDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays) - BUSINESS_OFFSET_MS).toISOString();
}

/** The query string of a search (the `to` day is inclusive: items before the next day's midnight). */
export function searchParams(f: SearchFilter, cursor?: string): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.sourceId) p.set('sourceId', f.sourceId);
  if (f.mediaType) p.set('mediaType', f.mediaType);
  if (f.ruleId) p.set('ruleId', f.ruleId);
  if (f.town) p.set('town', f.town);
  const from = f.from ? beijingDayStart(f.from) : null;
  const to = f.to ? beijingDayStart(f.to, 1) : null;
  if (from) p.set('from', from);
  if (to) p.set('to', to);
  p.set('limit', '30');
  if (cursor) p.set('cursor', cursor);
  return p;
}

export function useItemSearch(f: SearchFilter) {
  return useInfiniteQuery({
    queryKey: ['items', 'search', f],
    queryFn: ({ pageParam }) => getJson<ItemPage>(`/api/items?${searchParams(f, pageParam).toString()}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useFilterOptions(canListSources: boolean) {
  const sources = useQuery({
    queryKey: ['search', 'sources'],
    queryFn: async () => (await call(api.sources.$get())).sources,
    enabled: canListSources,
    staleTime: 300_000,
  });
  const rules = useQuery({ queryKey: ['search', 'rules'], queryFn: async () => (await call(api.rules.$get())).rules, enabled: canListSources, staleTime: 300_000 });
  return { sources, rules };
}
