import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { CATEGORIES, DISMISS_REASONS, LEVELS, type Category, type DismissReason, type Level } from '../../../../core/vocabulary.js';
import { Modal } from '../../components/Modal.js';
import { ErrorBox, FormError, Loading } from '../../components/states.js';
import { LevelTag } from '../../components/Tag.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call, type Ok } from '../../lib/api.js';
import { useDepartments, useOpenCases, type Alert } from './data.js';
import { m } from './messages.js';

export type OpenedCase = Ok<Awaited<ReturnType<typeof api.cases.$post>>>;

// ── Dismiss ──────────────────────────────────────────────────────────────────────────────────────

/** The reason menu: a click, or keys 1–4 (not while typing the optional note). */
export function DismissDialog({ alert, title, busy, onPick, onClose }: { alert?: Alert; title?: string; busy: boolean; onPick: (r: DismissReason, note?: string) => void; onClose: () => void }) {
  const t = useT(m);
  const label = useLabel();
  const [note, setNote] = useState('');
  const noteRef = useRef(note);
  noteRef.current = note;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target as HTMLElement | null;
      if (el && typeof el.closest === 'function' && el.closest('input, textarea, select')) return;
      const i = Number(e.key) - 1;
      if (Number.isInteger(i) && i >= 0 && i < DISMISS_REASONS.length) {
        e.preventDefault();
        if (!busy) onPick(DISMISS_REASONS[i], noteRef.current.trim() || undefined);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onPick]);
  return (
    <Modal title={title ?? t('dismissTitle')} onClose={onClose}>
      {alert ? <p className="dismiss-target">{alert.storyTitle}</p> : null}
      <p className="muted small">{t('dismissPrompt')}</p>
      <div className="dismiss-reasons" data-testid="dismiss-menu">
        {DISMISS_REASONS.map((r, i) => (
          <button key={r} type="button" className="btn" disabled={busy} onClick={() => onPick(r, note.trim() || undefined)} data-reason={r}>
            <kbd>{i + 1}</kbd> {label('dismissReason', r)}
          </button>
        ))}
      </div>
      <label className="field dismiss-note">
        <span>{t('noteLabel')}</span>
        <textarea name="note" rows={2} maxLength={500} value={note} placeholder={t('notePlaceholder')} onChange={(e) => setNote(e.target.value)} />
      </label>
    </Modal>
  );
}

// ── Shared case fields ───────────────────────────────────────────────────────────────────────────

export interface CaseFieldValues {
  level: Level;
  category: Category;
  lead: number | '';
  co: number[];
}

export function CaseFields({ value, onChange }: { value: CaseFieldValues; onChange: (v: CaseFieldValues) => void }) {
  const t = useT(m);
  const label = useLabel();
  const depts = useDepartments();
  return (
    <>
      <div className="form-grid form-grid-3">
        <label className="field">
          <span>{t('level')}</span>
          <select value={value.level} onChange={(e) => onChange({ ...value, level: e.target.value as Level })} name="level">
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {label('level', l)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('category')}</span>
          <select value={value.category} onChange={(e) => onChange({ ...value, category: e.target.value as Category })} name="category">
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {label('category', c)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('lead')}</span>
          <select
            value={value.lead === '' ? '' : String(value.lead)}
            onChange={(e) => {
              const lead = e.target.value === '' ? '' : Number(e.target.value);
              onChange({ ...value, lead, co: value.co.filter((d) => d !== lead) });
            }}
            name="leadDepartmentId"
          >
            <option value="">{t('chooseDept')}</option>
            {(depts.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="field co-depts">
        <legend>{t('co')}</legend>
        {depts.error ? <FormError error={depts.error} /> : null}
        <div className="co-list">
          {(depts.data ?? [])
            .filter((d) => d.id !== value.lead)
            .map((d) => (
              <label key={d.id} className="field-inline">
                <input
                  type="checkbox"
                  checked={value.co.includes(d.id)}
                  onChange={(e) => onChange({ ...value, co: e.target.checked ? [...value.co, d.id] : value.co.filter((x) => x !== d.id) })}
                />
                {d.name}
              </label>
            ))}
        </div>
      </fieldset>
    </>
  );
}

// ── Open a case from an alert ────────────────────────────────────────────────────────────────────

export function OpenCaseDialog({ alert, onClose, onOpened }: { alert: Alert; onClose: () => void; onOpened: (c: OpenedCase) => void }) {
  const t = useT(m);
  const tc = useT(common);
  const [title, setTitle] = useState(alert.storyTitle.slice(0, 300));
  const [summary, setSummary] = useState('');
  const [fields, setFields] = useState<CaseFieldValues>({
    level: alert.suggestedLevel,
    category: alert.suggestedCategory,
    lead: alert.suggestedDepartment?.id ?? '',
    co: [],
  });
  const [problem, setProblem] = useState<string | null>(null);
  const open = useMutation({
    mutationFn: () =>
      call(
        api.cases.$post({
          json: {
            alertIds: [alert.id],
            title: title.trim(),
            ...(summary.trim() ? { summary: summary.trim() } : {}),
            level: fields.level,
            category: fields.category,
            leadDepartmentId: Number(fields.lead),
            coDepartmentIds: fields.co,
          },
        }),
      ),
    onSuccess: onOpened,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return setProblem(t('required', { f: t('caseTitle') }));
    if (fields.lead === '') return setProblem(t('required', { f: t('lead') }));
    setProblem(null);
    open.mutate();
  };
  const ruleName = alert.rules.map((r) => r.name ?? `#${r.id}`).join('、');
  const titleRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // After the Modal's own initial focus (parents' effects run after children's).
    const id = setTimeout(() => titleRef.current?.focus(), 0);
    return () => clearTimeout(id);
  }, []);
  return (
    <Modal
      title={t('openCaseTitle')}
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="submit" form="open-case-form" className="btn btn-primary" disabled={open.isPending}>
            {open.isPending ? t('opening') : t('openCaseSubmit')}
          </button>
        </>
      }
    >
      <form id="open-case-form" onSubmit={submit} data-testid="open-case-form">
        <p className="notice small">{t('prefilled', { rule: ruleName })}</p>
        <label className="field">
          <span>{t('caseTitle')}</span>
          <input ref={titleRef} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} name="title" />
        </label>
        <CaseFields value={fields} onChange={setFields} />
        <label className="field">
          <span>{t('summary')}</span>
          <textarea value={summary} onChange={(e) => setSummary(e.target.value)} maxLength={5000} rows={2} name="summary" />
        </label>
        {problem ? <p className="form-error">{problem}</p> : null}
        <FormError error={open.error} />
      </form>
    </Modal>
  );
}

// ── Attach to an open case ───────────────────────────────────────────────────────────────────────

export interface Attached {
  caseId: string;
  number: string;
}

export function AttachDialog({ alert, onClose, onAttached }: { alert: Alert; onClose: () => void; onAttached: (a: Attached) => void }) {
  const t = useT(m);
  const tc = useT(common);
  const cases = useOpenCases();
  const [filter, setFilter] = useState('');
  const [caseId, setCaseId] = useState<string | null>(null);
  const list = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const all = cases.data?.cases ?? [];
    return f ? all.filter((c) => c.number.toLowerCase().includes(f) || c.title.toLowerCase().includes(f)) : all;
  }, [cases.data, filter]);
  const attach = useMutation({
    mutationFn: (id: string) => call(api.alerts[':id'].attach.$post({ param: { id: alert.id }, json: { caseId: id } })),
    onSuccess: (r) => onAttached({ caseId: r.caseId, number: cases.data?.cases.find((c) => c.id === r.caseId)?.number ?? r.caseId }),
  });
  return (
    <Modal
      title={t('attachTitle')}
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={caseId === null || attach.isPending} onClick={() => caseId && attach.mutate(caseId)}>
            {attach.isPending ? t('attaching') : t('attachSubmit')}
          </button>
        </>
      }
    >
      <p className="dismiss-target">{alert.storyTitle}</p>
      {cases.isPending ? (
        <Loading />
      ) : cases.error ? (
        <ErrorBox error={cases.error} onRetry={() => void cases.refetch()} />
      ) : cases.data.cases.length === 0 ? (
        <p className="notice">{t('noOpenCases')}</p>
      ) : (
        <>
          <p className="muted small">{t('attachPrompt')}</p>
          <input className="attach-filter" placeholder={t('searchCases')} value={filter} onChange={(e) => setFilter(e.target.value)} aria-label={t('searchCases')} />
          <ul className="attach-list" role="radiogroup">
            {list.map((c) => (
              <li key={c.id}>
                <label className={`attach-option${c.id === caseId ? ' checked' : ''}`}>
                  <input type="radio" name="attach-case" checked={c.id === caseId} onChange={() => setCaseId(c.id)} />
                  <span className="case-number num">{c.number}</span>
                  <LevelTag level={c.level} />
                  <span className="attach-title">{c.title}</span>
                  <span className="muted small">{c.leadDepartment.name}</span>
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
      <FormError error={attach.error} />
    </Modal>
  );
}

// ── Register a forwarded opinion by hand ─────────────────────────────────────────────────────────

