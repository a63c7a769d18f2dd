import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useLocation, useSearch } from 'wouter';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { detailKey, REPORTS_KEY, type ReportListPage } from './data.js';
import { GeneratePanel } from './GeneratePanel.js';
import { m } from './messages.js';
import { ReportDetail } from './ReportDetail.js';
import { ReportRow } from './ReportList.js';
import { DailyBriefs } from './DailyBriefs.js';
import './reports.css';

// 通报 (notices): generate a weekly / monthly / quarterly / custom notice, check its figures,
// edit the two free-text parts while it is a draft, issue it, download the .docx. The selected
// notice is in the address (?id=…) so a link opens it.

const PAGE = 20;

export default function ReportsPage() {
  const t = useT(m);
  const qc = useQueryClient();
  const search = useSearch();
  const [, navigate] = useLocation();
  const selectedParam = new URLSearchParams(search).get('id');
  const daily = new URLSearchParams(search).get('tab') === 'daily';
  const select = (id: string, replace = false) => navigate(`/reports?id=${encodeURIComponent(id)}`, { replace });

  const q = useInfiniteQuery({
    queryKey: [...REPORTS_KEY, 'list'],
    initialPageParam: '',
    queryFn: ({ pageParam }) => call(api.reports.$get({ query: pageParam ? { limit: String(PAGE), cursor: pageParam } : { limit: String(PAGE) } })),
    getNextPageParam: (last: ReportListPage) => last.nextCursor ?? undefined,
  });
  const reports = useMemo(() => q.data?.pages.flatMap((p) => p.reports) ?? [], [q.data]);
  const selected = selectedParam ?? reports[0]?.id ?? null;

  // Without ?id=, open the newest notice (and keep it in the address).
  useEffect(() => {
    if (!daily && !selectedParam && reports[0]) select(reports[0].id, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedParam, reports, daily]);

  let list;
  if (q.isPending) list = <Loading />;
  else if (q.error) list = <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  else if (reports.length === 0) list = <Empty title={t('empty')} hint={t('emptyHint')} />;
  else
    list = (
      <ul className="report-list">
        {reports.map((r) => (
          <ReportRow key={r.id} r={r} selected={r.id === selected} onSelect={() => select(r.id)} />
        ))}
      </ul>
    );

  return (
    <div className="reports-page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <span className="muted small">{t('subtitle')}</span>
      </div>
      <div className="report-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={!daily} className={daily ? 'report-tab' : 'report-tab active'} onClick={() => navigate('/reports')} data-testid="reports-tab-notices">
          {t('tabNotices')}
        </button>
        <button type="button" role="tab" aria-selected={daily} className={daily ? 'report-tab active' : 'report-tab'} onClick={() => navigate('/reports?tab=daily')} data-testid="reports-tab-daily">
          {t('tabDaily')}
        </button>
      </div>
      {daily ? (
        <DailyBriefs />
      ) : (
        <>
          <GeneratePanel
            onGenerated={(r) => {
              qc.setQueryData(detailKey(r.id), r);
              void qc.invalidateQueries({ queryKey: [...REPORTS_KEY, 'list'] });
              select(r.id);
            }}
          />
          <div className={selected ? 'reports-grid' : 'reports-grid reports-grid-single'}>
            <section className="panel reports-list-panel">
              <header className="panel-head">
                <h2>{t('listTitle')}</h2>
              </header>
              {list}
              {q.hasNextPage ? (
                <p className="reports-more">
                  <button type="button" className="btn btn-sm" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
                    {q.isFetchingNextPage ? t('loadingMore') : t('loadMore')}
                  </button>
                </p>
              ) : null}
            </section>
            {selected ? (
              <section className="panel reports-detail-panel">
                <ReportDetail key={selected} id={selected} />
              </section>
            ) : null}
          </div>
        </>
      )}
    </div>
  );
}
