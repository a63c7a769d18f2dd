import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { CASE_STATUSES, CATEGORIES, LEVELS } from '../../../../core/vocabulary.js';
import { Modal } from '../../components/Modal.js';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { CaseStatusTag, LevelTag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call, errorText, type Ok } from '../../lib/api.js';
import { useAppEvents } from '../../lib/events.js';
import { useUser } from '../../lib/session.js';
import { fmtDateTime } from '../../lib/time.js';
import './ledger.css';
import { m, type Key } from './messages.js';
import { apiQuery, exportHref, filtersToSearch, hasFilters, parseFilters, type LedgerFilters, type Sort } from './query.js';
import { COLUMN_IDS, DEFAULT_COLUMNS, loadColumns, loadViews, storeColumns, storeViews, type ColumnId, type SavedView } from './views.js';

type LedgerPageData = Ok<Awaited<ReturnType<typeof api.cases.$get>>>;
type Row = LedgerPageData['cases'][number];

const ROW_HEIGHT = 37;
const PAGE_SIZE = 100;

interface Column {
  id: ColumnId;
  label: Key;
  width?: number;
  sort?: Sort;
  sortTitle?: Key;
  cell: (r: Row) => ReactNode;
  /** Text for the cell's tooltip (long or truncated values). */
  title?: (r: Row) => string | undefined;
}

const THIS_YEAR = fmtDateTime(new Date()).slice(0, 4);

/** A time in a narrow cell: 11-18 23:05 this year, 2025-11-18 otherwise; the full time as tooltip. */
function TimeCell({ at }: { at: string | null }) {
  const full = fmtDateTime(at);
  if (!at) return <span className="muted">—</span>;
  return (
    <span className="num" title={full}>
      {full.startsWith(THIS_YEAR) ? full.slice(5) : full.slice(0, 10)}
    </span>
  );
}

function OnTimeCell({ row }: { row: Row }) {
  const t = useT(m);
  const text = row.onTime === null ? '—' : row.onTime ? t('onTime') : t('late');
  const cls = row.onTime === null ? 'muted' : row.onTime ? 'ontime-yes' : 'ontime-no';
  return (
    <span data-testid="ontime-cell" className={cls}>
      {text}
    </span>
  );
}

function useColumns(): Column[] {
  const t = useT(m);
  const label = useLabel();
  return useMemo<Column[]>(
    () => [
      {
        id: 'number',
        label: 'colNumber',
        width: 132,
        sort: 'openedAt',
        sortTitle: 'sortNumber',
        cell: (r) => (
          <Link href={`/cases/${r.id}`} className="num" onClick={(e) => e.stopPropagation()}>
            {r.number}
          </Link>
        ),
      },
      { id: 'status', label: 'colStatus', width: 132, cell: (r) => <CaseStatusTag status={r.status} /> },
      { id: 'clock', label: 'colClock', width: 98, sort: 'clockStartedAt', cell: (r) => <TimeCell at={r.clockStartedAt} /> },
      {
        id: 'source',
        label: 'colSource',
        width: 104,
        cell: (r) => (r.origin === 'alert' && r.sourceNames.length > 0 ? r.sourceNames.join('、') : label('caseOrigin', r.origin)),
        title: (r) => [r.origin === 'alert' ? r.sourceNames.join('、') : label('caseOrigin', r.origin), r.originNote].filter(Boolean).join(' · '),
      },
      { id: 'title', label: 'colTitle', cell: (r) => r.title, title: (r) => r.title },
      { id: 'summary', label: 'colSummary', width: 220, cell: (r) => r.summary || '—', title: (r) => r.summary || undefined },
      { id: 'level', label: 'colLevel', width: 72, sort: 'level', cell: (r) => <LevelTag level={r.level} /> },
      { id: 'category', label: 'colCategory', width: 92, cell: (r) => label('category', r.category) },
      {
        id: 'dept',
        label: 'colDept',
        width: 104,
        cell: (r) => (
          <>
            {r.leadDepartment.name}
            {r.coDepartments.length > 0 ? <span className="muted"> +{r.coDepartments.length}</span> : null}
          </>
        ),
        title: (r) => [r.leadDepartment.name, r.coDepartments.length ? t('coDepts', { names: r.coDepartments.map((d) => d.name).join('、') }) : ''].filter(Boolean).join('\n'),
      },
      { id: 'assigned', label: 'colAssigned', width: 98, cell: (r) => <TimeCell at={r.assignedAt} /> },
      { id: 'due', label: 'colDue', width: 98, sort: 'dueAt', cell: (r) => <TimeCell at={r.dueAt} /> },
      { id: 'responded', label: 'colResponded', width: 98, cell: (r) => <TimeCell at={r.respondedAt} /> },
      { id: 'channel', label: 'colChannel', width: 96, cell: (r) => (r.responseChannel ? label('channel', r.responseChannel) : '—') },
      { id: 'onTime', label: 'colOnTime', width: 76, cell: (r) => <OnTimeCell row={r} /> },
      {
        id: 'feedback',
        label: 'colFeedback',
        width: 180,
        cell: (r) => (r.feedback.count === 0 ? '—' : `${t('feedbackCount', { n: r.feedback.count })} · ${r.feedback.latest ?? ''}`),
        title: (r) => (r.feedback.latest ? `${fmtDateTime(r.feedback.latestAt)} ${r.feedback.latest}` : undefined),
      },
      { id: 'closed', label: 'colClosed', width: 98, cell: (r) => <TimeCell at={r.closedAt} /> },
      { id: 'drafter', label: 'colDrafter', width: 80, cell: (r) => r.draftedBy ?? '—' },
      { id: 'reviewer', label: 'colReviewer', width: 80, cell: (r) => r.reviewedBy ?? '—' },
    ],
    [t, label],
  );
}

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

export default function LedgerPage() {
  const t = useT(m);
  const tc = useT(common);
  const label = useLabel();
  const { lang } = useLang();
  const user = useUser();
  const [, navigate] = useLocation();
  const [filters, update, goSearch] = useLedgerFilters();
  const allColumns = useColumns();
  const [columns, setColumnsState] = useState<ColumnId[]>(() => loadColumns(user.id));
  const setColumns = useCallback(
    (cols: ColumnId[]) => {
      setColumnsState(cols);
      storeColumns(user.id, cols);
    },
    [user.id],
  );
  const shown = allColumns.filter((c) => columns.includes(c.id));

  useEffect(() => {
    document.title = `${t('title')} · ${tc('appName')}`;
  }, [t, tc]);

  // Text search: typed freely, applied after a pause.
  const [qText, setQText] = useState(filters.q);
  useEffect(() => setQText(filters.q), [filters.q]);
  useEffect(() => {
    if (qText.trim() === filters.q.trim()) return;
    const id = setTimeout(() => update({ q: qText }), 350);
    return () => clearTimeout(id);
  }, [qText, filters.q, update]);

  const departments = useQuery({ queryKey: ['departments'], queryFn: () => call(api.departments.$get()), staleTime: 300_000 });

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

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1;
  useEffect(() => {
    if (lastIndex >= rows.length - 20 && ledger.hasNextPage && !ledger.isFetchingNextPage && !ledger.isFetching) void ledger.fetchNextPage();
  }, [lastIndex, rows.length, ledger]);
  // A new filter starts at the top.
  const searchKey = JSON.stringify(query);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [searchKey]);

  const toggleSort = (s: Sort) => {
    if (filters.sort === s) update({ dir: filters.dir === 'desc' ? 'asc' : 'desc' });
    else update({ sort: s, dir: s === 'dueAt' ? 'asc' : 'desc' });
  };

  const paddingTop = items.length > 0 ? items[0].start : 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const tableWidth = shown.reduce((w, c) => w + (c.width ?? 260), 0);
  const filtered = hasFilters(filters);

  let body: ReactNode;
  if (ledger.isPending) body = <Loading />;
  else if (ledger.isError && rows.length === 0) body = <ErrorBox error={ledger.error} onRetry={() => void ledger.refetch()} />;
  else if (rows.length === 0)
    body = filtered ? (
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
  else
    body = (
      <table className="table ledger-table" style={{ minWidth: tableWidth }}>
        <colgroup>
          {shown.map((c) => (
            <col key={c.id} style={c.width ? { width: c.width } : { minWidth: 260 }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {shown.map((c) => {
              const active = c.sort !== undefined && filters.sort === c.sort;
              return c.sort ? (
                <th
                  key={c.id}
                  className={active ? 'sortable sorted' : 'sortable'}
                  title={t(c.sortTitle ?? 'sortBy')}
                  aria-sort={active ? (filters.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                  data-col={c.id}
                  onClick={() => toggleSort(c.sort as Sort)}
                >
                  {t(c.label)}
                  <span className="sort-mark" aria-hidden="true">
                    {active ? (filters.dir === 'asc' ? '▲' : '▼') : '↕'}
                  </span>
                </th>
              ) : (
                <th key={c.id} data-col={c.id}>
                  {t(c.label)}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {paddingTop > 0 ? (
            <tr className="spacer" aria-hidden="true">
              <td colSpan={shown.length} style={{ height: paddingTop }} />
            </tr>
          ) : null}
          {items.map((vi) => {
            const r = rows[vi.index];
            return (
              <tr
                key={r.id}
                data-testid="ledger-row"
                data-case-id={r.id}
                data-number={r.number}
                data-index={vi.index}
                className={r.overdue ? 'overdue' : undefined}
                style={{ height: ROW_HEIGHT }}
                title={t('rowTitle', { number: r.number })}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a')) return;
                  navigate(`/cases/${r.id}`);
                }}
              >
                {shown.map((c) => (
                  <td key={c.id} data-col={c.id} title={c.title?.(r)}>
                    {c.cell(r)}
                  </td>
                ))}
              </tr>
            );
          })}
          {paddingBottom > 0 ? (
            <tr className="spacer" aria-hidden="true">
              <td colSpan={shown.length} style={{ height: paddingBottom }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    );

  const deptOptions = departments.data?.departments ?? [];
  return (
    <div className="ledger-page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <span className="ledger-total muted" data-testid="ledger-total" data-total={ledger.data ? total : undefined}>
          {ledger.data ? t('total', { n: total.toLocaleString('zh-CN') }) : ''}
        </span>
        <span className="spacer" />
        <SavedViews filters={filters} columns={columns} onRecall={(v) => {
          setColumns(v.columns);
          goSearch(v.search);
        }} />
        <ColumnChooser all={allColumns} columns={columns} onChange={setColumns} />
        <a className="btn btn-sm" href={exportHref(filters, 'xlsx')} title={t('exportHint')} data-testid="export-xlsx" download>
          {t('exportXlsx')}
        </a>
        <a className="btn btn-sm" href={exportHref(filters, 'csv')} title={t('exportHint')} data-testid="export-csv" download>
          {t('exportCsv')}
        </a>
      </div>

      <div className="panel ledger-filters" role="search">
        <label className="lf">
          <span>{t('fFrom')}</span>
          <input type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => update({ from: e.target.value })} data-testid="filter-from" />
        </label>
        <label className="lf">
          <span>{t('fTo')}</span>
          <input type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => update({ to: e.target.value })} data-testid="filter-to" />
        </label>
        <label className="lf">
          <span>{t('fLevel')}</span>
          <select value={filters.level} onChange={(e) => update({ level: e.target.value })} data-testid="filter-level">
            <option value="">{tc('all')}</option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {label('level', l)}
              </option>
            ))}
          </select>
        </label>
        <label className="lf">
          <span>{t('fCategory')}</span>
          <select value={filters.category} onChange={(e) => update({ category: e.target.value })} data-testid="filter-category">
            <option value="">{tc('all')}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {label('category', c)}
              </option>
            ))}
          </select>
        </label>
        {user.role !== 'handler' ? (
          <label className="lf">
            <span>{t('fDept')}</span>
            <select value={filters.departmentId} onChange={(e) => update({ departmentId: e.target.value })} data-testid="filter-dept">
              <option value="">{tc('all')}</option>
              {deptOptions.map((d) => (
                <option key={d.id} value={String(d.id)}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="lf">
          <span>{t('fStatus')}</span>
          <select value={filters.status} onChange={(e) => update({ status: e.target.value })} data-testid="filter-status">
            <option value="">{tc('all')}</option>
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {label('caseStatus', s)}
              </option>
            ))}
          </select>
        </label>
        <label className="lf">
          <span>{t('fOverdue')}</span>
          <select value={filters.overdue} onChange={(e) => update({ overdue: e.target.value })} data-testid="filter-overdue">
            <option value="">{tc('all')}</option>
            <option value="true">{t('fOverdueYes')}</option>
            <option value="false">{t('fOverdueNo')}</option>
          </select>
        </label>
        <label className="lf lf-q">
          <span>{t('fQ')}</span>
          <input type="search" value={qText} placeholder={t('fQPlaceholder')} onChange={(e) => setQText(e.target.value)} maxLength={200} data-testid="filter-q" />
        </label>
        {filtered ? (
          <button type="button" className="btn btn-sm lf-clear" onClick={() => goSearch(filtersToSearch({ ...parseFilters(''), sort: filters.sort, dir: filters.dir }))}>
            {t('clearFilters')}
          </button>
        ) : null}
      </div>

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

function ColumnChooser({ all, columns, onChange }: { all: Column[]; columns: ColumnId[]; onChange: (c: ColumnId[]) => void }) {
  const t = useT(m);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const toggle = (id: ColumnId) => {
    const next = columns.includes(id) ? columns.filter((c) => c !== id) : COLUMN_IDS.filter((c) => c === id || columns.includes(c));
    if (next.length > 0) onChange(next);
  };
  return (
    <div className="dropdown" ref={ref}>
      <button type="button" className="btn btn-sm" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="column-chooser">
        {t('columns')} ({columns.length}/{all.length}) ▾
      </button>
      {open ? (
        <div className="dropdown-menu col-menu" role="menu">
          {all.map((c) => (
            <label key={c.id} className="col-item">
              <input type="checkbox" checked={columns.includes(c.id)} onChange={() => toggle(c.id)} disabled={columns.length === 1 && columns.includes(c.id)} />
              {t(c.label)}
            </label>
          ))}
          <div className="col-actions">
            <button type="button" className="btn btn-sm" onClick={() => onChange([...COLUMN_IDS])}>
              {t('allColumns')}
            </button>
            <button type="button" className="btn btn-sm" onClick={() => onChange(DEFAULT_COLUMNS)}>
              {t('defaultColumns')}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function SavedViews({ filters, columns, onRecall }: { filters: LedgerFilters; columns: ColumnId[]; onRecall: (v: SavedView) => void }) {
  const t = useT(m);
  const tc = useT(common);
  const user = useUser();
  const [views, setViews] = useState<SavedView[]>(() => loadViews(user.id));
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState('');
  const current = filtersToSearch(filters);
  const selected = views.find((v) => v.search === current && v.columns.join() === columns.join());

  const save = () => {
    const n = name.trim();
    if (!n) {
      setNameError(t('viewNameRequired'));
      return;
    }
    const next = [...views.filter((v) => v.name !== n), { name: n, search: current, columns }].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    setViews(next);
    storeViews(user.id, next);
    setNaming(false);
    toast(t('viewSaved', { name: n }));
  };
  const remove = (v: SavedView) => {
    const next = views.filter((x) => x.name !== v.name);
    setViews(next);
    storeViews(user.id, next);
    toast(t('viewDeleted', { name: v.name }));
  };

  return (
    <div className="row saved-views">
      {views.length > 0 ? (
        <select
          className="select-sm"
          aria-label={t('views')}
          value={selected?.name ?? ''}
          onChange={(e) => {
            const v = views.find((x) => x.name === e.target.value);
            if (v) onRecall(v);
          }}
          data-testid="saved-views"
        >
          <option value="">{t('viewsNone')}</option>
          {views.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name}
            </option>
          ))}
        </select>
      ) : null}
      {selected ? (
        <button type="button" className="btn btn-sm" onClick={() => remove(selected)} title={t('deleteView')} aria-label={t('deleteView')}>
          ×
        </button>
      ) : null}
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => {
          setName(selected?.name ?? '');
          setNameError('');
          setNaming(true);
        }}
        data-testid="save-view"
      >
        {t('saveView')}
      </button>
      {naming ? (
        <Modal
          title={t('saveView')}
          onClose={() => setNaming(false)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setNaming(false)}>
                {tc('cancel')}
              </button>
              <button type="submit" form="save-view-form" className="btn btn-primary">
                {tc('save')}
              </button>
            </>
          }
        >
          <form
            id="save-view-form"
            onSubmit={(e) => {
              e.preventDefault();
              save();
            }}
          >
            <label className="field">
              <span>{t('viewName')}</span>
              <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('viewNamePlaceholder')} maxLength={60} data-testid="view-name" />
            </label>
            {nameError ? <p className="form-error">{nameError}</p> : null}
            <p className="muted small">{t('viewHint')}</p>
          </form>
        </Modal>
      ) : null}
    </div>
  );
}
