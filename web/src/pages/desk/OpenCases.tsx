import { Link } from 'wouter';
import { Countdown } from '../../components/Countdown.js';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { LevelTag } from '../../components/Tag.js';
import { useT } from '../../i18n/index.js';
import { useNow } from '../../lib/time.js';
import { useOpenCases } from './data.js';
import { m } from './messages.js';

/** Cases in progress beside the queue, each with a live countdown to its deadline (one timer). */
export function OpenCases({ highlightId }: { highlightId: string | null }) {
  const t = useT(m);
  const q = useOpenCases();
  const now = useNow(1000);
  return (
    <section className="panel desk-cases">
      <header className="panel-head">
        <h2>{t('casesTitle')}</h2>
        <span className="spacer" />
        {q.data ? <span className="muted small">{t('casesCount', { n: q.data.total })}</span> : null}
      </header>
      <div className="cases-scroll">
        {q.isPending ? (
          <Loading />
        ) : q.error ? (
          <ErrorBox error={q.error} onRetry={() => void q.refetch()} />
        ) : q.data.cases.length === 0 ? (
          <Empty title={t('casesEmpty')} hint={t('casesEmptyHint')} />
        ) : (
          <ul className="case-list">
            {q.data.cases.map((c) => {
              const windowMs = c.dueAt ? new Date(c.dueAt).getTime() - new Date(c.clockStartedAt).getTime() : 0;
              return (
                <li key={c.id} className={`case-row${c.id === highlightId ? ' fresh' : ''}`} data-testid="open-case-row" data-case-id={c.id}>
                  <Link href={`/cases/${c.id}`} className="case-link">
                    <div className="case-line">
                      <span className="case-number num">{c.number}</span>
                      <LevelTag level={c.level} />
                      <span className="spacer" />
                      {c.dueAt ? (
                        <Countdown dueAt={c.dueAt} now={now} windowMs={windowMs} metAt={c.respondedAt} onTime={c.onTime} />
                      ) : (
                        <span className="muted small">{t('noDeadline')}</span>
                      )}
                    </div>
                    <div className="case-title" title={c.title}>
                      {c.title}
                    </div>
                    <div className="muted small case-dept">{[c.leadDepartment.name, ...c.coDepartments.map((d) => d.name)].join('、')}</div>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </section>
  );
}
