import { Tag } from '../../components/Tag.js';
import { useLang, useT } from '../../i18n/index.js';
import { fmtDate, fmtDateTime } from '../../lib/time.js';
import { lastInstant, type ReportKind, type ReportSummary } from './data.js';
import { m } from './messages.js';

// One notice in the list: title, kind and period, status, generated / issued, download.

const KIND_KEY = { weekly: 'labelWeekly', monthly: 'labelMonthly', quarterly: 'labelQuarterly', range: 'labelRange' } as const;

export function useKindLabel(): (k: ReportKind) => string {
  const t = useT(m);
  return (k) => t(KIND_KEY[k]);
}

export function StatusTag({ status }: { status: 'draft' | 'issued' }) {
  const t = useT(m);
  return (
    <Tag tone={status === 'issued' ? 'green' : 'amber'}>
      <span data-testid="report-status" data-status={status}>
        {status === 'issued' ? t('issued') : t('draft')}
      </span>
    </Tag>
  );
}

/** '2026年第47周' in Chinese; the period key in English, with the dates either way. */
export function usePeriodText(): (r: Pick<ReportSummary, 'period' | 'periodLabel' | 'from' | 'to'>) => string {
  const t = useT(m);
  const { lang } = useLang();
  return (r) => `${lang === 'zh' ? r.periodLabel : r.period.replace('..', ' – ')} · ${t('periodRange', { from: fmtDate(r.from), to: fmtDate(lastInstant(r.to)) })}`;
}

export function ReportRow({ r, selected, onSelect }: { r: ReportSummary; selected: boolean; onSelect: () => void }) {
  const t = useT(m);
  const kindLabel = useKindLabel();
  const periodText = usePeriodText();
  return (
    <li className={`report-row${selected ? ' selected' : ''}`} data-testid="report-row" data-report-id={r.id} data-status={r.status} data-period={r.period}>
      <button type="button" className="report-pick" aria-current={selected ? 'true' : undefined} onClick={onSelect}>
        <span className="report-row-title">{r.title}</span>
        <span className="report-row-meta">
          <Tag tone="blue">{kindLabel(r.kind)}</Tag>
          <StatusTag status={r.status} />
            {r.serial ? <span className="tag" data-testid="report-serial">{r.serial}</span> : null}
          <span className="muted small">{periodText(r)}</span>
        </span>
        <span className="muted small report-row-times">
          {t('generatedAt', { t: fmtDateTime(r.generatedAt) })}
          {r.issuedAt ? ` · ${t('issuedAtBy', { t: fmtDateTime(r.issuedAt), who: r.issuedBy ?? '—' })}` : ''}
        </span>
      </button>
      <a className="btn btn-sm report-row-download" href={r.fileUrl} download={r.fileName} title={t('downloadTitle')} data-testid="report-download-row">
        {t('download')}
      </a>
    </li>
  );
}
