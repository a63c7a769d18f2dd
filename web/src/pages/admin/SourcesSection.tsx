import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { inLanguage } from '../../lib/bilingual.js';
import { useState } from 'react';
import { type FetchStatus } from '../../../../core/vocabulary.js';
import { DataTable, EditDelete, RowActions } from '../../components/DataTable.js';
import { Empty, ListState } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call, errorText, type Ok } from '../../lib/api.js';
import { useAppEvents } from '../../lib/events.js';
import { fmtDateTime, fmtRelative, useNow } from '../../lib/time.js';
import { Confirm } from './Confirm.js';
import { mAdmin, mJsonSource, mSources } from './messages.js';
import { mSearchSource } from './search-messages.js';
import { AllowlistPanel, SourceDetail } from './SourceDetail.js';
import { SourceForm } from './SourceForm.js';
import { RsshubPanel } from './RsshubPanel.js';

export type Source = Ok<Awaited<ReturnType<typeof api.sources.$get>>>['sources'][number];

export const SOURCES_KEY = ['admin', 'sources'] as const;

/** Colour of a fetch status: green when fine, amber for passing trouble, red for a broken source. */
export function statusTone(status: FetchStatus): 'green' | 'amber' | 'red' | 'grey' {
  if (status === 'ok' || status === 'not_modified') return 'green';
  if (status === 'pending') return 'grey';
  if (status === 'timeout' || status === 'rate_limited' || status === 'http_5xx' || status === 'network_error') return 'amber';
  return 'red';
}

/** A fetch that went wrong (not ok, not unchanged, not yet tried). */
const isFailing = (s: { status: FetchStatus }) => s.status !== 'ok' && s.status !== 'not_modified' && s.status !== 'pending';
export function SourcesSection() {
  const t = useT(mSources);
  const ta = useT(mAdmin);
  const tj = useT(mJsonSource);
  const ts = useT(mSearchSource);
  const tc = useT(common);
  const label = useLabel();
  const { lang } = useLang();
  const now = useNow(15_000);
  const qc = useQueryClient();
  const q = useQuery({ queryKey: SOURCES_KEY, queryFn: async () => (await call(api.sources.$get())).sources, refetchInterval: 30_000 });
  useAppEvents((ev) => {
    if (ev.type === 'source.updated') void qc.invalidateQueries({ queryKey: SOURCES_KEY });
  });
  const [editing, setEditing] = useState<Source | 'new' | null>(null);
  const [detail, setDetail] = useState<Source | null>(null);
  const [deleting, setDeleting] = useState<Source | null>(null);
  const fetchNow = useMutation({
    mutationFn: (id: number) => call(api.sources[':id']['fetch-now'].$post({ param: { id: String(id) } })),
    onSuccess: () => {
      toast(t('fetchNowDone'));
      void qc.invalidateQueries({ queryKey: SOURCES_KEY });
    },
    onError: (e) => toast(errorText(e, lang), 'error'),
  });

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('heading')}</h1>
        <span className="muted small">{t('intro')}</span>
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="source-add">
          {t('add')}
        </button>
      </div>
      <div className="panel">
        <ListState
          query={q}
          empty={<Empty title={t('emptyTitle')} hint={t('emptyHint')} />}
        >
          {(data) => (
            <DataTable
              testid="sources-table"
              rows={data}
              rowKey={(s) => s.id}
              rowTestid="source-row"
              rowAttrs={(s) => ({ 'data-status': s.status })}
              rowClass={(s) => (s.enabled ? undefined : 'row-disabled')}
              columns={[
                {
                  key: 'name',
                  header: t('colName'),
                  cellClass: 'cell-name',
                  cell: (s) => (
                    <>
                      <button type="button" className="link-btn" onClick={() => setDetail(s)} translate="no">
                        {s.name}
                      </button>
                      {s.kind === 'intake' ? (
                        <div className="muted small">{t('intakeNoFetch')}</div>
                      ) : (
                        <div className="muted small ellipsis" title={s.url} translate="no">
                          {s.url}
                        </div>
                      )}
                    </>
                  ),
                },
                {
                  key: 'kind',
                  header: t('colKind'),
                  cellClass: 'nowrap',
                  cell: (s) => (
                    <>
                      <div>{s.kind === 'feed' ? t('feed') : s.kind === 'site' ? t('site') : s.kind === 'intake' ? t('intake') : s.kind === 'search' ? ts('kind') : tj('kind')}</div>
                      <div className="muted small">{label('mediaType', s.mediaType)}</div>
                    </>
                  ),
                },
                {
                  key: 'health',
                  header: t('colHealth'),
                  cell: (s) => (
                    <div className="tags">
                      {s.kind === 'intake' ? (
                        <Tag>{t('intake')}</Tag>
                      ) : s.enabled ? (
                        <Tag tone={statusTone(s.status)}>
                          <span data-testid="source-status">{label('fetchStatus', s.status)}</span>
                        </Tag>
                      ) : (
                        <Tag>{t('disabledTag')}</Tag>
                      )}
                      {s.enabled && s.consecutiveFailures > 1 ? <Tag tone="amber">{t('backoff', { n: s.consecutiveFailures })}</Tag> : null}
                      {s.silent ? <Tag tone="purple">{t('silent')}</Tag> : null}
                      {s.selectorMisses > 1 ? <Tag tone="amber">{t('selectorMisses', { n: s.selectorMisses })}</Tag> : null}
                    </div>
                  ),
                },
                {
                  key: 'error',
                  header: t('colLastError'),
                  cellClass: 'cell-error',
                  cell: (s) =>
                    isFailing(s) ? (
                      <div data-testid="source-error" title={s.statusMessage}>
                        <div className="err-text">
                          {t(`err_${s.status}` as 'err_timeout')}
                          {s.httpStatus ? (lang === 'zh' ? `（HTTP ${s.httpStatus}）` : ` (HTTP ${s.httpStatus})`) : ''}
                        </div>
                        {/* The fetcher's own message, verbatim (a log line for the technician), under the explanation above. */}
                        {s.statusMessage ? (
                          <div className="muted small ellipsis code" translate="no">
                            {inLanguage(s.statusMessage, lang)}
                          </div>
                        ) : null}
                      </div>
                    ) : (
                      <span className="muted">—</span>
                    ),
                },
                {
                  key: 'times',
                  header: t('colLastNext'),
                  cellClass: 'nowrap small',
                  cell: (s) => (
                    <>
                      <div title={fmtDateTime(s.lastFetchAt)}>
                        <span className="muted">{t('lastShort')}</span> {s.lastFetchAt ? fmtRelative(s.lastFetchAt, now, lang) : ta('never')}
                      </div>
                      <div title={fmtDateTime(s.nextFetchAt)}>
                        <span className="muted">{t('nextShort')}</span> {s.enabled ? fmtRelative(s.nextFetchAt, now, lang) : '—'}
                      </div>
                    </>
                  ),
                },
                { key: 'items', header: t('colItems'), className: 'num', cell: (s) => s.itemCount },
                {
                  key: 'actions',
                  header: tc('actions'),
                  cellClass: 'nowrap',
                  cell: (s) => (
                    s.kind === 'intake' ? (
                      <RowActions>
                        <button type="button" className="btn btn-sm btn-danger" onClick={() => setDeleting(s)}>
                          {tc('delete')}
                        </button>
                      </RowActions>
                    ) : (
                      <EditDelete onEdit={() => setEditing(s)} onDelete={() => setDeleting(s)}>
                        <button type="button" className="btn btn-sm" disabled={fetchNow.isPending} onClick={() => fetchNow.mutate(s.id)}>
                          {t('fetchNow')}
                        </button>
                      </EditDelete>
                    )
                  ),
                },
              ]}
            />
          )}
        </ListState>
      </div>
      <RsshubPanel />
      <AllowlistPanel />
      {editing ? <SourceForm source={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {detail ? <SourceDetail source={q.data?.find((s) => s.id === detail.id) ?? detail} onClose={() => setDetail(null)} /> : null}
      {deleting ? (
        <Confirm
          title={tc('delete')}
          text={ta('confirmDelete', { name: deleting.name })}
          onConfirm={async () => {
            await call(api.sources[':id'].$delete({ param: { id: String(deleting.id) } }));
            toast(ta('deleted'));
            await qc.invalidateQueries({ queryKey: SOURCES_KEY });
          }}
          onClose={() => setDeleting(null)}
        />
      ) : null}
    </div>
  );
}

