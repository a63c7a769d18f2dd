import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { common } from '../i18n/common.js';
import { useLang, useT } from '../i18n/index.js';
import { ApiError, errorText } from '../lib/api.js';

// Loading, error and empty states: every list and screen shows one of these instead of a blank.

export function Loading({ label }: { label?: string }) {
  const t = useT(common);
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('loading')}
    </div>
  );
}

/** The server's own message (in the interface language), with a retry button when given. */
export function ErrorBox({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const t = useT(common);
  const { lang } = useLang();
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="state state-error" role="alert">
      <strong>{title ?? t('errorTitle')}</strong>
      <p>{errorText(error, lang)}</p>
      {requestId ? <p className="muted small">{t('requestId', { id: requestId })}</p> : null}
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          {t('retry')}
        </button>
      ) : null}
    </div>
  );
}

/** An empty list: what it means and what to do next. */
export function Empty({ title, hint, action }: { title?: string; hint?: ReactNode; action?: ReactNode }) {
  const t = useT(common);
  return (
    <div className="state state-empty">
      <strong>{title ?? t('empty')}</strong>
      {hint ? <p>{hint}</p> : null}
      {action}
    </div>
  );
}

/** An inline error line under a form (server message). */
export function FormError({ error }: { error: unknown }) {
  const { lang } = useLang();
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {errorText(error, lang)}
    </p>
  );
}

/**
 * A list query's states in one place: loading, the server's error with a retry, the empty state,
 * or the list itself.
 */
export function ListState<T extends readonly unknown[]>({
  query,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  empty: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorBox error={query.error} onRetry={() => void query.refetch()} />;
  return <>{query.data.length === 0 ? empty : children(query.data)}</>;
}
