import { useMemo, type ReactNode } from 'react';
import { Link } from 'wouter';
import { CaseStatusTag, LevelTag } from '../../components/Tag.js';
import { useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import type { api, Ok } from '../../lib/api.js';
import { fmtDate, fmtDateTime, shanghaiDay } from '../../lib/time.js';
import { m, type Key } from './messages.js';
import type { Sort } from './query.js';
import type { ColumnId } from './views.js';

// The ledger's columns: header, width, sort key, cell and tooltip of each, declared once.

export type LedgerPageData = Ok<Awaited<ReturnType<typeof api.cases.$get>>>;
export type Row = LedgerPageData['cases'][number];

export const ROW_HEIGHT = 37;
export const PAGE_SIZE = 100;

export interface Column {
  id: ColumnId;
  label: Key;
  width?: number;
  sort?: Sort;
  sortTitle?: Key;
  cell: (r: Row) => ReactNode;
  /** Text for the cell's tooltip (long or truncated values). */
  title?: (r: Row) => string | undefined;
}

/** A time in a narrow cell: 11月18日 23:05 this year, 2025年11月18日 otherwise; the full time as tooltip (Beijing time). */
export function TimeCell({ at }: { at: string | null }) {
  if (!at) return <span className="muted">—</span>;
  const full = fmtDateTime(at);
  const thisYear = shanghaiDay(new Date(at)).slice(0, 4) === shanghaiDay(new Date()).slice(0, 4);
  return (
    <span className="num" title={full}>
      {thisYear ? full : fmtDate(at)}
    </span>
  );
}

export function OnTimeCell({ row }: { row: Row }) {
  const t = useT(m);
  const text = row.onTime === null ? '—' : row.onTime ? t('onTime') : t('late');
  const cls = row.onTime === null ? 'muted' : row.onTime ? 'ontime-yes' : 'ontime-no';
  return (
    <span data-testid="ontime-cell" className={cls}>
      {text}
    </span>
  );
}

export function useColumns(): Column[] {
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
      { id: 'clock', label: 'colClock', width: 120, sort: 'clockStartedAt', cell: (r) => <TimeCell at={r.clockStartedAt} /> },
      {
        id: 'source',
        label: 'colSource',
        width: 104,
        cell: (r) => (r.origin === 'alert' && r.sourceNames.length > 0 ? r.sourceNames.join('、') : label('caseOrigin', r.origin)),
        title: (r) => [r.origin === 'alert' ? r.sourceNames.join('、') : label('caseOrigin', r.origin), r.originNote].filter(Boolean).join(' · '),
      },
      { id: 'places', label: 'colPlaces', width: 110, cell: (r) => (r.places.length > 0 ? r.places.join('、') : '—'), title: (r) => r.places.join('、') || undefined },
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
      { id: 'assigned', label: 'colAssigned', width: 120, cell: (r) => <TimeCell at={r.assignedAt} /> },
      { id: 'due', label: 'colDue', width: 120, sort: 'dueAt', cell: (r) => <TimeCell at={r.dueAt} /> },
      {
        id: 'responded',
        label: 'colResponded',
        width: 120,
        cell: (r) => (
          <>
            <TimeCell at={r.respondedAt} />
            {r.respondedBackfilled ? (
              <span className="backfilled-tag" data-testid="backfilled" title={t('backfilledTitle')}>
                {t('backfilled')}
              </span>
            ) : null}
          </>
        ),
      },
      { id: 'channel', label: 'colChannel', width: 96, cell: (r) => (r.responseChannel ? label('channel', r.responseChannel) : '—') },
      { id: 'onTime', label: 'colOnTime', width: 76, cell: (r) => <OnTimeCell row={r} /> },
      {
        id: 'feedback',
        label: 'colFeedback',
        width: 180,
        cell: (r) => (r.feedback.count === 0 ? '—' : `${t('feedbackCount', { n: r.feedback.count })} · ${r.feedback.latest ?? ''}`),
        title: (r) => (r.feedback.latest ? `${fmtDateTime(r.feedback.latestAt)} ${r.feedback.latest}` : undefined),
      },
      { id: 'closed', label: 'colClosed', width: 120, cell: (r) => <TimeCell at={r.closedAt} /> },
      { id: 'drafter', label: 'colDrafter', width: 80, cell: (r) => r.draftedBy ?? '—' },
      { id: 'reviewer', label: 'colReviewer', width: 80, cell: (r) => r.reviewedBy ?? '—' },
      {
        id: 'instructions',
        label: 'colInstructions',
        width: 180,
        cell: (r) => (r.instructions.length === 0 ? '—' : r.instructions.map((i) => `${i.authorName}：${i.content}`).join('；')),
        title: (r) => (r.instructions.length === 0 ? undefined : r.instructions.map((i) => `${i.authorName}：${i.content}`).join('\n')),
      },
    ],
    [t, label],
  );
}
