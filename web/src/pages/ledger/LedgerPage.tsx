import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { useLocation, useSearch } from 'wouter';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { useIsPhone } from '../../components/useMedia.js';
import { common } from '../../i18n/common.js';
import { useLang, useT } from '../../i18n/index.js';
import { api, call, errorText } from '../../lib/api.js';
import { useAppEvents } from '../../lib/events.js';
import { useUser } from '../../lib/session.js';
import { PAGE_SIZE, useColumns } from './columns.js';
import { FilterBar } from './FilterBar.js';
import './ledger.css';
import { LedgerCards } from './LedgerCards.js';
import { LedgerTable } from './LedgerTable.js';
import { m } from './messages.js';
import { apiQuery, exportHref, filtersToSearch, hasFilters, parseFilters, type LedgerFilters } from './query.js';
import { ColumnChooser, SavedViews } from './ViewControls.js';
import { loadColumns, storeColumns, type ColumnId } from './views.js';

// 回应台账: the filter bar, then one scrolling list of every case the reader may see (a table on
// a PC, cards on a phone), loaded a page at a time, with exports and saved views.

/** 打印 loads the rows of the filter up to this many; beyond it the rest is in the export. */
const PRINT_CAP = 2000;

/** Filters and sort live in the URL; changing them replaces the history entry. */

function useLedgerFilters(): [LedgerFilters, (next: Partial<LedgerFilters>) => void, (search: string) => void] {
  const search = useSearch();
  const [, navigate] = useLocation();
  const filters = useMemo(() => parseFilters(search), [search]);
  const go = useCallback(
    (s: string) => {
      navigate(s ? `/ledger?${s}` : '/ledger', { replace: true });
    },
    [navigate],
  );
  const update = useCallback((next: Partial<LedgerFilters>) => go(filtersToSearch({ ...filters, ...next })), [filters, go]);
  return [filters, update, go];
}

/** The visible columns, remembered per user. */
function useShownColumns(userId: number): [ColumnId[], (cols: ColumnId[]) => void] {
  const [columns, setColumnsState] = useState<ColumnId[]>(() => loadColumns(userId));
  const setColumns = useCallback(
    (cols: ColumnId[]) => {
      setColumnsState(cols);
      storeColumns(userId, cols);
    },
    [userId],
  );
  return [columns, setColumns];
}

export default function LedgerPage() {
  const t = useT(m);
  const tc = useT(common);
  const { lang } = useLang();
  const user = useUser();
  const phone = useIsPhone();
  const [filters, update, goSearch] = useLedgerFilters();
  const allColumns = useColumns();
  const [columns, setColumns] = useShownColumns(user.id);
  const shown = allColumns.filter((c) => columns.includes(c.id));

  useEffect(() => {
    document.title = `${t('title')} · ${tc('appName')}`;
  }, [t, tc]);

  const query = apiQuery(filters);
  const ledger = useInfiniteQuery({
    queryKey: ['cases', 'ledger', query],
    queryFn: ({ pageParam }) => call(api.cases.$get({ query: { ...query, limit: String(PAGE_SIZE), ...(pageParam ? { cursor: pageParam } : {}) } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
  // A case changed somewhere: refresh what is loaded (throttled by react-query's dedupe).
  const lastRefresh = useRef(0);
  useAppEvents((ev) => {
    if (ev.type !== 'case.updated') return;
    const now = Date.now();
    if (now - lastRefresh.current < 5_000) return;
    lastRefresh.current = now;
    void ledger.refetch();
  });

  const rows = useMemo(() => ledger.data?.pages.flatMap((p) => p.cases) ?? [], [ledger.data]);
  const total = ledger.data?.pages[0]?.total ?? 0;
  const loadMore = useCallback(() => {
    if (ledger.hasNextPage && !ledger.isFetchingNextPage && !ledger.isFetching) void ledger.fetchNextPage();
  }, [ledger]);

  const scrollRef = useRef<HTMLDivElement>(null);
  // Printing (打印 or Ctrl+P): every loaded row goes into the page before the browser lays it out.
  const [printing, setPrinting] = useState(false);
  // 打印 first loads every row of the filter (up to PRINT_CAP; a note above the table says when more match).
  const [preparing, setPreparing] = useState(false);
  const [printCapped, setPrintCapped] = useState(false);
  const printAll = async () => {
    setPreparing(true);
    let count = rows.length;
    let more = !!ledger.hasNextPage;
    try {
      while (more && count < PRINT_CAP) {
        const r = await ledger.fetchNextPage();
        const n = r.data?.pages.reduce((a, p) => a + p.cases.length, 0) ?? count;
        if (r.isError || n <= count) break;
        count = n;
        more = !!r.hasNextPage;
      }
    } finally {
      setPreparing(false);
    }
    flushSync(() => {
      setPrintCapped(more);
      setPrinting(true);
    });
    window.print();
  };
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  // A new filter starts at the top.
  const searchKey = JSON.stringify(query);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [searchKey]);

  let body: ReactNode;
  if (ledger.isPending) body = <Loading />;
  else if (ledger.isError && rows.length === 0) body = <ErrorBox error={ledger.error} onRetry={() => void ledger.refetch()} />;
  else if (rows.length === 0)
    body = hasFilters(filters) ? (
      <Empty
        title={t('emptyTitle')}
        hint={t('emptyHint')}
        action={
          <button type="button" className="btn" onClick={() => goSearch('')}>
            {t('clearFilters')}
          </button>
        }
      />
    ) : (
      <Empty title={t('emptyNoneTitle')} hint={t('emptyNoneHint')} />
    );
  else if (phone) body = <LedgerCards rows={rows} hasMore={!!ledger.hasNextPage} loadingMore={ledger.isFetchingNextPage} onMore={loadMore} />;
  else body = <LedgerTable rows={rows} shown={shown} filters={filters} scrollRef={scrollRef} onNearEnd={loadMore} update={update} printing={printing} />;

  return (
    <div className="ledger-page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <span className="ledger-total muted" data-testid="ledger-total" data-total={ledger.data ? total : undefined}>
          {ledger.data ? t('total', { n: total.toLocaleString('zh-CN') }) : ''}
        </span>
        <span className="spacer" />
        <SavedViews
          filters={filters}
          columns={columns}
          onRecall={(v) => {
            setColumns(v.columns);
            goSearch(v.search);
          }}
        />
        <ColumnChooser all={allColumns} columns={columns} onChange={setColumns} />
        <a className="btn btn-sm" href={exportHref(filters, 'xlsx')} title={t('exportHint')} data-testid="export-xlsx" download>
          {t('exportXlsx')}
        </a>
        <a className="btn btn-sm" href={exportHref(filters, 'csv')} title={t('exportHint')} data-testid="export-csv" download>
          {t('exportCsv')}
        </a>
        <button type="button" className="btn btn-sm" title={t('printHint', { n: PRINT_CAP.toLocaleString('zh-CN') })} onClick={() => void printAll()} disabled={preparing} data-testid="print-ledger">
          {preparing ? t('printPreparing') : t('print')}
        </button>
      </div>

      <FilterBar filters={filters} update={update} goSearch={goSearch} />
      {printCapped && printing ? (
        <p className="ledger-print-note" data-testid="ledger-print-note">
          {t('printCapped', { n: PRINT_CAP.toLocaleString('zh-CN'), total: total.toLocaleString('zh-CN') })}
        </p>
      ) : null}

      <div className="panel ledger-panel">
        <div className="ledger-scroll" ref={scrollRef} data-testid="ledger-scroll" aria-busy={ledger.isFetching}>
          {body}
        </div>
        <div className="ledger-foot muted small">
          {rows.length > 0 ? t('loaded', { n: rows.length.toLocaleString('zh-CN') }) : ''}
          {ledger.isFetchingNextPage ? <span> · {t('loadingMore')}</span> : rows.length > 0 && !ledger.hasNextPage ? <span> · {t('end')}</span> : null}
          {ledger.isError && rows.length > 0 ? <span className="ledger-foot-error"> · {errorText(ledger.error, lang)}</span> : null}
        </div>
      </div>
    </div>
  );
}
