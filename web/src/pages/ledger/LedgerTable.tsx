import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, type RefObject } from 'react';
import { useLocation } from 'wouter';
import { useT } from '../../i18n/index.js';
import { ROW_HEIGHT, type Column, type Row } from './columns.js';
import { m } from './messages.js';
import type { LedgerFilters, Sort } from './query.js';

// The ledger as a table: only the rows in view are in the page (virtualised), sortable headers,
// a click on a row opens its case. `onNearEnd` asks for the next page as the reader nears it.
// `printing`: every loaded row is in the page (a printout is not a scrolled window).

export function LedgerTable({ rows, shown, filters, scrollRef, onNearEnd, update, printing = false }: { rows: Row[]; shown: Column[]; filters: LedgerFilters; scrollRef: RefObject<HTMLDivElement | null>; onNearEnd: () => void; update: (next: Partial<LedgerFilters>) => void; printing?: boolean }) {
  const t = useT(m);
  const [, navigate] = useLocation();
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const windowed = virtualizer.getVirtualItems();
  const items = printing ? rows.map((_, index) => ({ index, start: 0, end: 0 })) : windowed;
  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1;
  useEffect(() => {
    if (!printing && lastIndex >= rows.length - 20) onNearEnd();
  }, [lastIndex, rows.length, onNearEnd, printing]);
  const toggleSort = (s: Sort) => {
    if (filters.sort === s) update({ dir: filters.dir === 'desc' ? 'asc' : 'desc' });
    else update({ sort: s, dir: s === 'dueAt' ? 'asc' : 'desc' });
  };
  const paddingTop = !printing && items.length > 0 ? items[0].start : 0;
  const paddingBottom = !printing && items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const tableWidth = shown.reduce((w, c) => w + (c.width ?? 260), 0);
  return (
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
}
