import type { ReactNode } from 'react';
import { Modal } from '../../components/Modal.js';
import { common } from '../../i18n/common.js';
import { useLang, useT, type Lang } from '../../i18n/index.js';
import { ApiError, errorText } from '../../lib/api.js';

// Server validation messages placed at the field they concern. The API's details come in three
// shapes: zod issues {issues: [{path: 'a.b', messageZh, message}]}, a single field
// {field, message, messageZh, position?} (rule expressions, conflicts), or none (message only).

export interface FieldErrors {
  /** Message per dotted field path. */
  byField: Record<string, string>;
  /** What belongs above the form: the whole message when no field could be named. */
  general: string | null;
}

export function fieldErrors(err: unknown, lang: Lang, known?: readonly string[]): FieldErrors {
  const byField: Record<string, string> = {};
  if (!err) return { byField, general: null };
  if (!(err instanceof ApiError)) return { byField, general: errorText(err, lang) };
  const d = err.details as { issues?: { path?: string; message?: string; messageZh?: string }[]; field?: string; message?: string; messageZh?: string } | undefined;
  const issues = Array.isArray(d?.issues) ? d.issues : d?.field ? [{ path: d.field, message: d.message, messageZh: d.messageZh }] : [];
  let unplaced = false;
  for (const i of issues) {
    const path = i.path ?? '';
    const text = (lang === 'zh' ? i.messageZh : i.message) ?? err.text(lang);
    if (path && (!known || known.some((k) => path === k || path.startsWith(`${k}.`)))) {
      // The most specific known field: json.headers.X-A goes under json.headers, not json.
      const key = known?.find((k) => path === k) ?? known?.filter((k) => path.startsWith(`${k}.`)).sort((a, b) => b.length - a.length)[0] ?? path;
      byField[key] = byField[key] ? `${byField[key]}；${text}` : text;
    } else unplaced = true;
  }
  const general = issues.length === 0 || unplaced ? err.text(lang) : null;
  return { byField, general };
}

export function useFieldErrors(err: unknown, known?: readonly string[]): FieldErrors {
  const { lang } = useLang();
  return fieldErrors(err, lang, known);
}

/** A labelled form field with its server message underneath. */
export function Field({ label, error, hint, children, testid, wide }: { label: string; error?: string; hint?: ReactNode; children: ReactNode; testid?: string; wide?: boolean }) {
  return (
    <label className={`field${error ? ' field-invalid' : ''}${wide ? ' field-wide' : ''}`} data-testid={testid}>
      <span>{label}</span>
      {children}
      {error ? (
        <em className="field-error" role="alert">
          {error}
        </em>
      ) : hint ? (
        <em className="field-hint">{hint}</em>
      ) : null}
    </label>
  );
}

/** The form-level message (above the form). */
export function GeneralError({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="form-error" role="alert">
      {text}
    </p>
  );
}

/** "" → null, trimmed otherwise. */
export const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/**
 * A create / edit dialog: the form inside a Modal with the cancel and save buttons in its
 * footer. `extra` goes before them (a preview button, a hint); `submitLabel` replaces the
 * save / saving text.
 */
export function FormModal({
  id,
  title,
  onClose,
  onSubmit,
  pending,
  testid,
  saveTestid,
  saveLabel,
  submitLabel,
  extra,
  wide,
  after,
  children,
}: {
  id: string;
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  pending: boolean;
  testid?: string;
  saveTestid?: string;
  saveLabel?: string;
  submitLabel?: string;
  extra?: ReactNode;
  wide?: boolean;
  /** Rendered below the form, inside the dialog (a preview result). */
  after?: ReactNode;
  children: ReactNode;
}) {
  const tc = useT(common);
  return (
    <Modal
      title={title}
      onClose={onClose}
      wide={wide}
      footer={
        <>
          {extra}
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="submit" form={id} className="btn btn-primary" disabled={pending} data-testid={saveTestid}>
            {submitLabel ?? (pending ? tc('saving') : (saveLabel ?? tc('save')))}
          </button>
        </>
      }
    >
      <form
        noValidate
        id={id}
        data-testid={testid}
        onSubmit={(ev) => {
          ev.preventDefault();
          onSubmit();
        }}
      >
        {children}
      </form>
      {after}
    </Modal>
  );
}
