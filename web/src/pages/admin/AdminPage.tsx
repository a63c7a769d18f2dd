import { Link, Route, Switch, useLocation } from 'wouter';
import NotFound from '../NotFound.js';
import { DesktopOnlyNote } from '../../components/DesktopOnly.js';
import { useT } from '../../i18n/index.js';
import { CalendarSection } from './CalendarSection.js';
import { ChannelsSection } from './ChannelsSection.js';
import { mAdmin } from './messages.js';
import { OfficeProfileSection } from './OfficeProfileSection.js';
import { AreaSection } from './AreaSection.js';
import { OrgSection } from './OrgSection.js';
import { PeriodsSection } from './PeriodsSection.js';
import { PolicySection } from './PolicySection.js';
import { RosterSection } from './RosterSection.js';
import { RulesSection } from './RulesSection.js';
import { SourcesSection } from './SourcesSection.js';
import { TokensSection } from './TokensSection.js';
import './admin.css';

// 管理: the administrator's screens behind one left-hand navigation. App mounts this page at
// "/admin" with `nest`, so the paths here are relative ("/sources" is /admin/sources).

const SECTIONS = [
  { path: '/sources', key: 'sources', Component: SourcesSection },
  { path: '/rules', key: 'rules', Component: RulesSection },
  { path: '/org', key: 'org', Component: OrgSection },
  { path: '/policy', key: 'policy', Component: PolicySection },
  { path: '/periods', key: 'periods', Component: PeriodsSection },
  { path: '/channels', key: 'channels', Component: ChannelsSection },
  { path: '/calendar', key: 'calendar', Component: CalendarSection },
  { path: '/roster', key: 'roster', Component: RosterSection },
  { path: '/office', key: 'office', Component: OfficeProfileSection },
  { path: '/area', key: 'area', Component: AreaSection },
  { path: '/tokens', key: 'tokens', Component: TokensSection },
] as const;

export default function AdminPage() {
  const t = useT(mAdmin);
  const [location] = useLocation();
  const current = location === '/' || location === '' ? '/sources' : location;
  return (
    <>
    <DesktopOnlyNote />
    <div className="admin">
      <nav className="admin-nav panel" aria-label={t('title')} data-testid="admin-nav">
        <div className="admin-nav-title">{t('title')}</div>
        {SECTIONS.map((s) => (
          <Link key={s.path} href={s.path} className={current.startsWith(s.path) ? 'admin-nav-link active' : 'admin-nav-link'} aria-current={current.startsWith(s.path) ? 'page' : undefined}>
            {t(s.key)}
          </Link>
        ))}
      </nav>
      <section className="admin-main">
        <Switch>
          <Route path="/">
            <SourcesSection />
          </Route>
          {SECTIONS.map(({ path, Component }) => (
            <Route key={path} path={path}>
              <Component />
            </Route>
          ))}
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </section>
    </div>
    </>
  );
}
