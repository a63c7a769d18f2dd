import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import type { Role } from '../../../core/vocabulary.js';
import { common } from '../i18n/common.js';
import { useLang, useT } from '../i18n/index.js';
import { useLabel } from '../i18n/labels.js';
import { api, call } from '../lib/api.js';
import { closeEvents, useAppEvents, useLiveStatus } from '../lib/events.js';
import { useSession, useUser } from '../lib/session.js';
import { mFrame } from './messages.js';
import { OnDutyBadge } from './OnDutyBadge.js';
import { TodoLink } from '../pages/todos/TodoLink.js';

// The frame around every signed-in screen: product name, the screens this role may use, the
// unread-notification count (live), the language switch and sign-out.

export const NAV: { path: string; key: 'navDesk' | 'navLedger' | 'navSearch' | 'navHandover' | 'navStats' | 'navReports' | 'navImport' | 'navAdmin'; roles: Role[] }[] = [
  { path: '/desk', key: 'navDesk', roles: ['duty', 'admin', 'reviewer'] },
  { path: '/ledger', key: 'navLedger', roles: ['duty', 'handler', 'reviewer', 'leader', 'admin'] },
  { path: '/search', key: 'navSearch', roles: ['duty', 'reviewer', 'leader', 'admin'] },
  { path: '/handover', key: 'navHandover', roles: ['duty', 'leader', 'admin'] },
  { path: '/stats', key: 'navStats', roles: ['leader', 'reviewer', 'admin', 'duty'] },
  { path: '/reports', key: 'navReports', roles: ['reviewer', 'leader', 'admin'] },
  { path: '/imports', key: 'navImport', roles: ['duty', 'admin'] },
  { path: '/admin', key: 'navAdmin', roles: ['admin'] },
];

/** Where each role starts after signing in. */
export function homeFor(role: Role): string {
  // 我的待办 is the first screen of everyone whose work arrives as hand-offs.
  if (role === 'leader' || role === 'handler' || role === 'reviewer') return '/todos';
  return '/desk';
}

export const UNREAD_KEY = ['notifications', 'unread'] as const;

function useUnreadCount(): number {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: UNREAD_KEY,
    queryFn: async () => (await call(api.notifications.$get({ query: { limit: '1', unread: '1' } }))).unreadCount,
    refetchInterval: 60_000,
  });
  useAppEvents((ev) => {
    if (ev.type === 'notification.created') void qc.invalidateQueries({ queryKey: ['notifications'] });
  });
  return q.data ?? 0;
}

export function Layout({ children }: { children: ReactNode }) {
  const t = useT(common);
  const label = useLabel();
  const { lang, setLang } = useLang();
  const { signOut } = useSession();
  const user = useUser();
  const [location] = useLocation();
  const unread = useUnreadCount();
  const live = useLiveStatus();
  const tf = useT(mFrame);
  // On a phone the menu and the right-hand controls fold behind one button.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [location]);
  useEffect(() => {
    const base = t('appName');
    document.title = unread > 0 ? `(${unread}) ${base}` : base;
  }, [unread, t]);
  return (
    <div className="app">
      <header className={menuOpen ? 'topbar menu-open' : 'topbar'}>
        <Link href={homeFor(user.role)} className="brand">
          <span className="brand-mark" aria-hidden="true">
            舆
          </span>
          {t('appName')}
        </Link>
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="main-menu" aria-label={menuOpen ? tf('closeMenu') : tf('menu')} onClick={() => setMenuOpen(!menuOpen)} data-testid="menu-button">
          <span aria-hidden="true">{menuOpen ? '✕' : '☰'}</span>
        </button>
        <nav className="nav" aria-label="main" id="main-menu">
          {NAV.filter((n) => n.roles.includes(user.role)).map((n) => (
            <Link key={n.path} href={n.path} className={location.startsWith(n.path) ? 'nav-link active' : 'nav-link'}>
              {t(n.key)}
            </Link>
          ))}
        </nav>
        <div className="topbar-right">
          <OnDutyBadge />
          <span className={live ? 'live-dot on' : 'live-dot'} title={live ? t('live') : t('offline')} aria-label={live ? t('live') : t('offline')} />
          <TodoLink />
          <Link href="/notifications" className="bell" aria-label={t('unreadCount', { n: unread })} title={t('unreadCount', { n: unread })}>
            {t('navNotifications')}
            {unread > 0 ? (
              <span className="badge" data-testid="unread-count">
                {unread > 99 ? '99+' : unread}
              </span>
            ) : null}
          </Link>
          <span className="who" title={label('role', user.role)}>
            {user.displayName}
            <span className="muted small"> · {label('role', user.role)}</span>
          </span>
          <button type="button" className="btn-link" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t('switchLang')}
          </button>
          <button
            type="button"
            className="btn-link"
            onClick={() => {
              closeEvents();
              void signOut();
            }}
          >
            {t('logout')}
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
