import { Link, useLocation } from 'wouter';
import type { Role } from '../../../../core/vocabulary.js';
import { useT } from '../../i18n/index.js';
import { useUser } from '../../lib/session.js';
import { useTodos } from './data.js';
import { m } from './messages.js';

/** The roles with a to-do list (the administrator's work is the administration screens). */
export const TODO_ROLES: readonly Role[] = ['duty', 'handler', 'reviewer', 'leader'];

/** The header's 待办 link with the number of open to-dos, live. */
export function TodoLink() {
  const t = useT(m);
  const user = useUser();
  const [location] = useLocation();
  const enabled = TODO_ROLES.includes(user.role);
  const q = useTodos(enabled);
  if (!enabled) return null;
  const n = q.data?.count ?? 0;
  return (
    <Link href="/todos" className={location.startsWith('/todos') ? 'bell todo-nav active' : 'bell todo-nav'} aria-label={t('navCount', { n })} title={t('navCount', { n })}>
      {t('nav')}
      {n > 0 ? (
        <span className="badge" data-testid="todo-count">
          {n > 99 ? '99+' : n}
        </span>
      ) : null}
    </Link>
  );
}
