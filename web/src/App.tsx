import { lazy, Suspense, useEffect, useRef, useState, type ComponentType, type ReactNode } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import type { Role } from '../../core/vocabulary.js';
import { homeFor, Layout } from './components/Layout.js';
import { ErrorBox, Loading } from './components/states.js';
import { Toasts } from './components/toast.js';
import { common } from './i18n/common.js';
import { useT } from './i18n/index.js';
import { startEarly } from './lib/early.js';
import { useSession } from './lib/session.js';
import { FIRST_NEW_PAGE_PATH } from './pages/desk/data.js';
import LoginPage from './pages/login/LoginPage.js';
import NotFound from './pages/NotFound.js';

// Screens load on demand (one chunk each; recharts only with the statistics and case screens).
type ScreenModule = { default: ComponentType };

/**
 * React.lazy, but a screen whose chunk has already arrived renders at once: React.lazy would
 * suspend on its first render anyway, and React holds a revealed Suspense boundary back for up to
 * 300 ms.
 */
function screen(load: () => Promise<ScreenModule>): { load: () => Promise<ScreenModule>; Page: ComponentType } {
  let loaded: ScreenModule | undefined;
  let pending: Promise<ScreenModule> | undefined;
  const once = () =>
    (pending ??= load().then(
      (m) => (loaded = m),
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    ));
  const Lazy = lazy(once);
  const Page = () => {
    const Ready = loaded?.default;
    return Ready ? <Ready /> : <Lazy />;
  };
  return { load: once, Page };
}

const screens = {
  desk: screen(() => import('./pages/desk/DeskPage.js')),
  case: screen(() => import('./pages/case/CasePage.js')),
  ledger: screen(() => import('./pages/ledger/LedgerPage.js')),
  stats: screen(() => import('./pages/stats/StatsPage.js')),
  wall: screen(() => import('./pages/stats/WallPage.js')),
  admin: screen(() => import('./pages/admin/AdminPage.js')),
  notifications: screen(() => import('./pages/notifications/NotificationsPage.js')),
  reports: screen(() => import('./pages/reports/ReportsPage.js')),
  todos: screen(() => import('./pages/todos/TodosPage.js')),
  search: screen(() => import('./pages/search/SearchPage.js')),
  handover: screen(() => import('./pages/handover/HandoverPage.js')),
  imports: screen(() => import('./pages/imports/ImportPage.js')),
};
const DeskPage = screens.desk.Page;
const CasePage = screens.case.Page;
const LedgerPage = screens.ledger.Page;
const StatsPage = screens.stats.Page;
const WallPage = screens.wall.Page;
const AdminPage = screens.admin.Page;
const NotificationsPage = screens.notifications.Page;
const ReportsPage = screens.reports.Page;
const TodosPage = screens.todos.Page;
const SearchPage = screens.search.Page;
const HandoverPage = screens.handover.Page;
const ImportPage = screens.imports.Page;

// The screen in the address bar starts loading at once, alongside the session check, instead of
// after it (a module is fetched once; lazy() reuses the same promise).
const PREFETCH: [string, () => Promise<unknown>][] = [
  ['/desk', screens.desk.load],
  ['/cases/', screens.case.load],
  ['/ledger', screens.ledger.load],
  ['/stats/wall', screens.wall.load],
  ['/stats', screens.stats.load],
  ['/admin', screens.admin.load],
  ['/notifications', screens.notifications.load],
  ['/reports', screens.reports.load],
  ['/todos', screens.todos.load],
  ['/search', screens.search.load],
  ['/handover', screens.handover.load],
  ['/imports', screens.imports.load],
];
const current = typeof location === 'undefined' ? undefined : PREFETCH.find(([prefix]) => location.pathname.startsWith(prefix));
if (current) void current[1]().catch(() => {});
// The duty desk's first page of alerts, too (a GET with the session cookie; dropped if signed out).
if (current?.[0] === '/desk') startEarly(FIRST_NEW_PAGE_PATH);

/** A screen only some roles may open; others see "not found", as the API answers. */
function Gate({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { can } = useSession();
  return can(...roles) ? <>{children}</> : <NotFound />;
}

function Screen({ page: Page, roles }: { page: ComponentType; roles?: Role[] }) {
  const inner = (
    <Suspense fallback={<Loading />}>
      <Page />
    </Suspense>
  );
  return roles ? <Gate roles={roles}>{inner}</Gate> : inner;
}

export function App() {
  const t = useT(common);
  const { user, loading } = useSession();
  const [, navigate] = useLocation();
  const wasSignedIn = useRef(false);
  const [expired, setExpired] = useState<string | null>(null);
  useEffect(() => {
    if (user) {
      wasSignedIn.current = true;
      setExpired(null);
    } else if (wasSignedIn.current) {
      setExpired(t('sessionExpired'));
    }
  }, [user, t]);

  if (loading) return <Loading />;
  if (!user)
    return (
      <>
        <LoginPage expired={expired} />
        <Toasts />
      </>
    );
  return (
    <>
      <Switch>
        <Route path="/stats/wall">
          <Screen page={WallPage} roles={['leader', 'reviewer', 'admin', 'duty']} />
        </Route>
        <Route>
          <Layout>
            <Switch>
              <Route path="/">
                <Redirect to={homeFor(user.role)} replace />
              </Route>
              <Route path="/login">
                {() => {
                  navigate(homeFor(user.role), { replace: true });
                  return null;
                }}
              </Route>
              <Route path="/desk">
                <Screen page={DeskPage} roles={['duty', 'admin', 'reviewer']} />
              </Route>
              <Route path="/cases/:id">
                <Screen page={CasePage} />
              </Route>
              <Route path="/ledger">
                <Screen page={LedgerPage} />
              </Route>
              <Route path="/stats">
                <Screen page={StatsPage} roles={['leader', 'reviewer', 'admin', 'duty']} />
              </Route>
              <Route path="/admin" nest>
                <Screen page={AdminPage} roles={['admin']} />
              </Route>
              <Route path="/notifications">
                <Screen page={NotificationsPage} />
              </Route>
              <Route path="/reports">
                <Screen page={ReportsPage} roles={['reviewer', 'leader', 'admin']} />
              </Route>
              <Route path="/search">
                <Screen page={SearchPage} roles={['duty', 'reviewer', 'leader', 'admin']} />
              </Route>
              <Route path="/handover/:id?">
                <Screen page={HandoverPage} roles={['duty', 'admin', 'leader', 'reviewer']} />
              </Route>
              <Route path="/imports">
                <Screen page={ImportPage} roles={['duty', 'admin']} />
              </Route>
              <Route path="/todos">
                <Screen page={TodosPage} roles={['duty', 'handler', 'reviewer', 'leader']} />
              </Route>
              <Route>
                <NotFound />
              </Route>
            </Switch>
          </Layout>
        </Route>
      </Switch>
      <Toasts />
    </>
  );
}

/** Shown if rendering itself throws: the message, and a way back. */
export function CrashScreen({ error }: { error: unknown }) {
  return <ErrorBox error={error} onRetry={() => location.reload()} />;
}
