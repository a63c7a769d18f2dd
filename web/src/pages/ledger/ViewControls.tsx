import { useEffect, useRef, useState } from 'react';
import { Modal } from '../../components/Modal.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { useUser } from '../../lib/session.js';
import type { Column } from './columns.js';
import { m } from './messages.js';
import { filtersToSearch, type LedgerFilters } from './query.js';
import { COLUMN_IDS, DEFAULT_COLUMNS, loadViews, storeViews, type ColumnId, type SavedView } from './views.js';

// The ledger's view controls: which columns are shown, and named views (filters + columns)
// kept in this browser per user.

export function ColumnChooser({ all, columns, onChange }: { all: Column[]; columns: ColumnId[]; onChange: (c: ColumnId[]) => void }) {
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

export function SavedViews({ filters, columns, onRecall }: { filters: LedgerFilters; columns: ColumnId[]; onRecall: (v: SavedView) => void }) {
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
