import { common } from '../../i18n/common.js';
import { defineMessages, useT } from '../../i18n/index.js';
import { RESPONSE_STATUS_FILTERS, type LedgerFilters } from './query.js';

// The ledger's response-state filter: cases with a response 待审核, 已退回 or 待发布.

const m = defineMessages(
  { label: '回应稿', submitted: '待审核', returned: '已退回', approved: '待发布' },
  { label: 'Response', submitted: 'Awaiting review', returned: 'Returned', approved: 'To publish' },
);

export function ResponseStatusFilter({ filters, update }: { filters: LedgerFilters; update: (next: Partial<LedgerFilters>) => void }) {
  const t = useT(m);
  const tc = useT(common);
  return (
    <label className="lf">
      <span>{t('label')}</span>
      <select value={filters.responseStatus} onChange={(e) => update({ responseStatus: e.target.value })} data-testid="filter-response-status">
        <option value="">{tc('all')}</option>
        {RESPONSE_STATUS_FILTERS.map((s) => (
          <option key={s} value={s}>
            {t(s)}
          </option>
        ))}
      </select>
    </label>
  );
}
