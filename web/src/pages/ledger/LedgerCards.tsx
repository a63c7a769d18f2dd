import { Link } from 'wouter';
import { CaseStatusTag, LevelTag } from '../../components/Tag.js';
import { useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { OnTimeCell, TimeCell, type Row } from './columns.js';
import { m } from './messages.js';

// The ledger on a phone: one card per case (number, status, title, level, unit, due time and
// on-time state); a button loads the next page.

export function LedgerCards({ rows, hasMore, loadingMore, onMore }: { rows: Row[]; hasMore: boolean; loadingMore: boolean; onMore: () => void }) {
  const t = useT(m);
  const label = useLabel();
  return (
    <div className="ledger-cards">
      {rows.map((r) => (
        <Link key={r.id} href={`/cases/${r.id}`} className={r.overdue ? 'ledger-card overdue' : 'ledger-card'} data-testid="ledger-card" data-case-id={r.id} data-number={r.number}>
          <div className="lc-head">
            <span className="num lc-number">{r.number}</span>
            <CaseStatusTag status={r.status} />
          </div>
          <div className="lc-title">{r.title}</div>
          <div className="lc-meta">
            <LevelTag level={r.level} />
            <span>{label('category', r.category)}</span>
            <span>{r.leadDepartment.name}</span>
          </div>
          {r.places.length > 0 ? (
            <div className="lc-meta" data-testid="ledger-card-places">
              <span className="muted">{t('colPlaces')}</span> <span>{r.places.join('、')}</span>
            </div>
          ) : null}
          <div className="lc-meta">
            <span className="muted">{t('colDue')}</span> <TimeCell at={r.dueAt} />
            <span className="muted">{t('colOnTime')}</span> <OnTimeCell row={r} />
          </div>
        </Link>
      ))}
      {hasMore ? (
        <button type="button" className="btn btn-block lc-more" disabled={loadingMore} onClick={onMore}>
          {loadingMore ? t('loadingMore') : t('loadMore')}
        </button>
      ) : null}
    </div>
  );
}
