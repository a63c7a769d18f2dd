import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { CASE_STATUSES, CATEGORIES, LEVELS } from '../../../../core/vocabulary.js';
import { PlaceOptions } from '../../components/TownVillageFields.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call } from '../../lib/api.js';
import { useUser } from '../../lib/session.js';
import { useTowns } from '../../lib/towns.js';
import { m } from './messages.js';
import { filtersToSearch, hasFilters, parseFilters, type LedgerFilters } from './query.js';
import { ResponseStatusFilter } from './ResponseStatusFilter.js';

// The ledger's filter bar: dates, level, category, department, status, overdue and a text
// search typed freely and applied after a pause.

export function FilterBar({ filters, update, goSearch }: { filters: LedgerFilters; update: (next: Partial<LedgerFilters>) => void; goSearch: (search: string) => void }) {
  const t = useT(m);
  const tc = useT(common);
  const label = useLabel();
  const user = useUser();
  const [qText, setQText] = useState(filters.q);
  useEffect(() => setQText(filters.q), [filters.q]);
  useEffect(() => {
    if (qText.trim() === filters.q.trim()) return;
    const id = setTimeout(() => update({ q: qText }), 350);
    return () => clearTimeout(id);
  }, [qText, filters.q, update]);
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => call(api.departments.$get()), staleTime: 300_000 });
  const deptOptions = departments.data?.departments ?? [];
  const filtered = hasFilters(filters);
  const towns = useTowns();
  return (
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
      <ResponseStatusFilter filters={filters} update={update} />
      {towns.length > 0 ? (
        <label className="lf">
          <span>{t('fTown')}</span>
          <select value={filters.town} onChange={(e) => update({ town: e.target.value })} data-testid="filter-town">
            <option value="">{tc('all')}</option>
            <PlaceOptions places={towns} />
          </select>
        </label>
      ) : null}
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
  );
}
