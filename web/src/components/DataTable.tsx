import type { ReactNode } from 'react';
import { common } from '../i18n/common.js';
import { useT } from '../i18n/index.js';

// One table pattern for list screens: columns declared once (header, cell, class), rows keyed,
// optional per-row class and test id. Renders the house markup: .table-wrap > table.table.

export interface Column<T> {
  /** Stable key of the column (React key). */
  key: string;
  header?: ReactNode;
  /** Class on both the header and the cells (e.g. 'num', 'nowrap'). */
  className?: string;
  /** Class on the cells only, when it differs from the header's. */
  cellClass?: string;
  cell: (row: T) => ReactNode;
}

export function DataTable<T>({
  columns,
  rows,
  rowKey,
  rowClass,
  rowTestid,
  rowAttrs,
  testid,
  className = 'table admin-table',
  wrapClass = 'table-wrap',
}: {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  rowClass?: (row: T) => string | undefined;
  rowTestid?: string;
  rowAttrs?: (row: T) => Record<`data-${string}`, string>;
  testid?: string;
  className?: string;
  wrapClass?: string;
}) {
  return (
    <div className={wrapClass}>
      <table className={className} data-testid={testid}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)} className={rowClass?.(r)} data-testid={rowTestid} {...rowAttrs?.(r)}>
              {columns.map((c) => (
                <td key={c.key} className={c.cellClass ?? c.className}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The edit / delete (and more) buttons of a row. */
export function RowActions({ children }: { children: ReactNode }) {
  return <div className="row-actions">{children}</div>;
}

/** The usual pair: 编辑 and 删除, with anything else after them. */
export function EditDelete({ onEdit, onDelete, children }: { onEdit: () => void; onDelete?: () => void; children?: ReactNode }) {
  const tc = useT(common);
  return (
    <RowActions>
      <button type="button" className="btn btn-sm" onClick={onEdit}>
        {tc('edit')}
      </button>
      {children}
      {onDelete ? (
        <button type="button" className="btn btn-sm btn-danger" onClick={onDelete}>
          {tc('delete')}
        </button>
      ) : null}
    </RowActions>
  );
}
