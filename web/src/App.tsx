import { lazy, Suspense, useEffect, useRef, useState, type ComponentType, type ReactNode } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import type { Role } from '../../core/vocabulary.js';
import { homeFor, Layout } from './components/Layout.js';
import { ErrorBox, Loading } from './components/states.js';
import { Toasts } from './components/toast.js';
import { common } from './i18n/common.js';
import { useT } from './i18n/index.js';
import { useSession } from './lib/session.js';
import LoginPage from './pages/login/LoginPage.js';
import NotFound from './pages/NotFound.js';

// Screens load on demand (one chunk each; recharts only with the statistics and case screens).
const DeskPage = lazy(() => import('./pages/desk/DeskPage.js'));
const CasePage = lazy(() => import('./pages/case/CasePage.js'));
const LedgerPage = lazy(() => import('./pages/ledger/LedgerPage.js'));
const StatsPage = lazy(() => import('./pages/stats/StatsPage.js'));
const WallPage = lazy(() => import('./pages/stats/WallPage.js'));
const AdminPage = lazy(() => import('./pages/admin/AdminPage.js'));
const NotificationsPage = lazy(() => import('./pages/notifications/NotificationsPage.js'));

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
