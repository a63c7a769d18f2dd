import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { AlertStatus } from '../../../../core/vocabulary.js';
import { api, call, type Ok } from '../../lib/api.js';
import { takeEarly } from '../../lib/early.js';

// The desk's data: the alert queue (every page the API gives, newest update first, patched by live
// events through an overlay), the open cases beside it, and the departments for the forms.

export type Alert = Ok<Awaited<ReturnType<(typeof api.alerts)[':id']['$get']>>>;
export type AlertPage = Ok<Awaited<ReturnType<typeof api.alerts.$get>>>;
export type LedgerRow = Ok<Awaited<ReturnType<typeof api.cases.$get>>>['cases'][number];
export type Story = Ok<Awaited<ReturnType<(typeof api.stories)[':id']['$get']>>>;
export type Department = Ok<Awaited<ReturnType<typeof api.departments.$get>>>['departments'][number];

/** A small first page for a quick first paint, then pages of 200 (the API's maximum). */
const FIRST_PAGE = 100;
const PAGE = 200;
const AUTO_LOAD_CAP = 5000;

export const queueKey = (status: AlertStatus) => ['alerts', 'queue', status] as const;

/** The desk's first request, which App starts at page load when the address is /desk. */
export const FIRST_NEW_PAGE_PATH = `/api/alerts?status=new&limit=${FIRST_PAGE}`;
export const storyKey = (id: string) => ['alerts', 'story', id] as const;
export const OPEN_CASES_KEY = ['cases', 'desk-open'] as const;

/**
 * Fresh copies of alerts learnt from live events or from the desk's own actions, newest first.
 * They win over the (possibly older) copies in the fetched pages, and move an alert between tabs.
 */
export type Overlay = ReadonlyMap<string, Alert>;

export function useAlertQueue(status: AlertStatus, overlay: Overlay, enabled = true) {
  const q = useInfiniteQuery({
    queryKey: queueKey(status),
    enabled,
    initialPageParam: '',
    queryFn: async ({ pageParam }) => {
      const early = !pageParam && status === 'new' ? await takeEarly<AlertPage>(FIRST_NEW_PAGE_PATH) : undefined;
      return early ?? call(api.alerts.$get({ query: pageParam ? { status, limit: String(PAGE), cursor: pageParam } : { status, limit: String(FIRST_PAGE) } }));
    },
    getNextPageParam: (last: AlertPage) => last.nextCursor ?? undefined,
    staleTime: 30_000,
  });
  const loaded = q.data?.pages.reduce((n, p) => n + p.alerts.length, 0) ?? 0;
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = q;
  useEffect(() => {
    if (enabled && hasNextPage && !isFetchingNextPage && !isError && loaded < AUTO_LOAD_CAP) void fetchNextPage();
  }, [enabled, hasNextPage, isFetchingNextPage, isError, loaded, fetchNextPage]);

  const { alerts, newCount } = useMemo(() => {
    const pages = q.data?.pages ?? [];
    const out: Alert[] = [];
    const seen = new Set<string>();
    let gone = 0; // fetched as new, since triaged
    // An alert already in the fetched pages keeps its place (the queue does not jump under the
    // officer); only alerts that were not in them (arrived, or moved here from another tab) go first.
    const inPages = new Set<string>();
    for (const page of pages) for (const a of page.alerts) inPages.add(a.id);
    const fresh = [...overlay.values()].filter((a) => a.status === status && !inPages.has(a.id)).sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
    for (const a of fresh) {
      out.push(a);
      seen.add(a.id);
    }
    const arrived = fresh.length; // new to this list since it was fetched
    for (const page of pages) {
      for (const a of page.alerts) {
        if (seen.has(a.id)) continue;
        const o = overlay.get(a.id);
        if (o && o.status !== status) {
          gone += 1;
          continue;
        }
        seen.add(a.id);
        out.push(o ?? a);
      }
    }
    // Exact once every page is in; until then the server's count, moved by what happened since.
    const last = pages[pages.length - 1];
    const complete = pages.length > 0 && !last.nextCursor;
    const count = complete || !last ? out.length : Math.max(out.length, last.newCount + (status === 'new' ? arrived - gone : 0));
    return { alerts: out, newCount: count };
  }, [q.data, overlay, status]);

  return {
    alerts,
    /** For the 'new' list: how many alerts await triage (exact once every page is loaded). */
    newCount,
    isPending: q.isPending && enabled,
    error: q.error,
    refetch: q.refetch,
    /** More pages exist than were loaded (the count is a lower bound). */
    more: Boolean(hasNextPage),
    loadingMore: isFetchingNextPage,
    loadMore: () => void fetchNextPage(),
  };
}

/** Open and responded cases, the nearest deadline first (responded ones, already met, after). */
export function useOpenCases() {
  return useQuery({
    queryKey: OPEN_CASES_KEY,
    queryFn: async () => {
      const [open, responded] = await Promise.all([
        call(api.cases.$get({ query: { status: 'open', sort: 'dueAt', dir: 'asc', limit: '200' } })),
        call(api.cases.$get({ query: { status: 'responded', sort: 'dueAt', dir: 'asc', limit: '100' } })),
      ]);
      return { cases: [...open.cases, ...responded.cases], total: open.total + responded.total };
    },
    staleTime: 15_000,
  });
}

export function useDepartments() {
  return useQuery({
    queryKey: ['departments'],
    queryFn: async () => (await call(api.departments.$get())).departments,
    staleTime: 5 * 60_000,
  });
}

export function useStory(id: string | null) {
  return useQuery({
    queryKey: storyKey(id ?? ''),
    enabled: id !== null,
    queryFn: () => call(api.stories[':id'].$get({ param: { id: id! } })),
  });
}

/** Only http(s) addresses become links. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
