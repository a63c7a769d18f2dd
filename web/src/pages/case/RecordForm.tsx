import { useState, type ReactNode } from 'react';
import { FormError } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { common } from '../../i18n/common.js';
import { defineMessages, useT } from '../../i18n/index.js';
import { fromShanghaiInput, shanghaiInput } from './data.js';

// The case room's record forms (回访, 向转办单位反馈, 核实) written once: a recorded row in a
// panel's list with its 补录 tag, the button that opens a form in place, the form's shell (its
// fields, the server's message, submit and cancel) and the parts the forms repeat — a result
// picked from a few, a text field, and the time the thing happened: the time the form was opened
// unless changed (Beijing time, never later than now); a changed time is sent and the server
// records it as 补录 (not in the future, not before the reply, how far back a non-reviewer may go).

const m = defineMessages({ backfilled: '补录' }, { backfilled: 'Recorded afterwards' });

/** One recorded row: its line (who, whom, when), 补录 when its time was typed afterwards, and its text. */
export function RecordItem({ testId, head, backfilled, text }: { testId: string; head: ReactNode; backfilled: boolean; text?: string | null }) {
  const t = useT(m);
  return (
    <li data-testid={testId}>
      <div className="muted small">
        {head}
        {backfilled ? (
          <>
            {' '}
            <Tag tone="amber">{t('backfilled')}</Tag>
          </>
        ) : null}
      </div>
      {text ? <p className="cr-record-text">{text}</p> : null}
    </li>
  );
}

/** The button that opens a record form in place; the form is given `close` (after a save, or on cancel). */
export function RecordOpener({ label, primary, testId, form }: { label: string; primary: boolean; testId: string; form: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  if (open) return <>{form(() => setOpen(false))}</>;
  return (
    <div className="row">
      <button type="button" className={primary ? 'btn btn-primary' : 'btn'} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </button>
    </div>
  );
}

/** A record form: its fields, the server's message, submit (enabled once `ready`) and, when it can be closed, cancel. */
export function RecordForm(p: {
  children: ReactNode;
  ready: boolean;
  /** The form's mutation: submit waits while it is pending; its error is shown. */
  save: { isPending: boolean; error: unknown };
  submitLabel: string;
  submitTestId: string;
  onSubmit: () => void;
  onCancel?: () => void;
}) {
  const tc = useT(common);
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (p.ready && !p.save.isPending) p.onSubmit();
      }}
    >
      {p.children}
      <FormError error={p.save.error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={!p.ready || p.save.isPending} data-testid={p.submitTestId}>
          {p.submitLabel}
        </button>
        {p.onCancel ? (
          <button type="button" className="btn" onClick={p.onCancel}>
            {tc('cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** A result picked from a few (radio buttons in a row); each button's test id is `${testIdPrefix}-${value}`. */
export function ResultChoice<R extends string>(p: {
  legend: string;
  name: string;
  options: readonly R[];
  value: R | null;
  onChange: (r: R) => void;
  labelOf: (r: R) => string;
  testIdPrefix: string;
}) {
  return (
    <fieldset className="row cr-verify-results">
      <legend className="small">{p.legend}</legend>
      {p.options.map((r) => (
        <label key={r} className="field-inline">
          <input type="radio" name={p.name} value={r} checked={p.value === r} onChange={() => p.onChange(r)} data-testid={`${p.testIdPrefix}-${r}`} /> {p.labelOf(r)}
        </label>
      ))}
    </fieldset>
  );
}

/** A labelled text field: one line, or a text area of `rows` lines. */
export function TextField(p: { label: string; value: string; onChange: (v: string) => void; maxLength: number; placeholder?: string; rows?: number; testId?: string }) {
  return (
    <label className="field">
      <span>{p.label}</span>
      {p.rows ? (
        <textarea value={p.value} onChange={(e) => p.onChange(e.target.value)} rows={p.rows} maxLength={p.maxLength} placeholder={p.placeholder} data-testid={p.testId} />
      ) : (
        <input value={p.value} onChange={(e) => p.onChange(e.target.value)} maxLength={p.maxLength} placeholder={p.placeholder} data-testid={p.testId} />
      )}
    </label>
  );
}

/** When the recorded thing happened: the Beijing time the form was opened, unless changed. */
export interface RecordedTime {
  value: string;
  set: (v: string) => void;
  /** The changed time as ISO (the server records it as 补录); undefined while unchanged (the server takes now). */
  typed: () => string | undefined;
}

export function useRecordedTime(): RecordedTime {
  const [initial] = useState(() => shanghaiInput(new Date()));
  const [value, set] = useState(initial);
  return { value, set, typed: () => (value === initial ? undefined : (fromShanghaiInput(value) ?? undefined)) };
}

/** The time field of a record form, never later than now. */
export function RecordedTimeField({ label, time }: { label: string; time: RecordedTime }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input type="datetime-local" value={time.value} max={shanghaiInput(new Date())} onChange={(e) => time.set(e.target.value)} />
    </label>
  );
}
