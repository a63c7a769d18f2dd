import { Countdown } from '../../components/Countdown.js';
import { Empty } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { fmtDateTime, fmtDuration, useNow } from '../../lib/time.js';
import type { Obligation } from './data.js';
import { m } from './messages.js';

/** A window as the office says it: 48 小时, 5 个工作日 (hours / 24 working days, up to two decimals). */
function windowText(hours: number, unit: Obligation['windowUnit'], t: (key: 'obWorkingDays' | 'obHours', params: { n: string }) => string): string {
  const n = (x: number) => String(Math.round(x * 100) / 100);
  return unit === 'working_days' ? t('obWorkingDays', { n: n(hours / 24) }) : t('obHours', { n: n(hours) });
}

/**
 * 时限长度: the window that applies and why. Under a 重点时段 the due time was computed on the
 * shortened window (the server records the period with it): 重点时段（全国两会）：24 小时, the normal
 * window beneath. A working-day window also shows the calendar span it covers.
 */
function ObligationWindow({ o, goalMs }: { o: Obligation; goalMs: number }) {
  const t = useT(m);
  const { lang } = useLang();
  const applied = windowText(o.period ? o.effectiveHours : o.windowHours, o.windowUnit, t);
  const span = o.windowUnit === 'working_days' ? <div className="muted small">{fmtDuration(goalMs, lang)}</div> : null;
  if (!o.period) {
    return (
      <>
        {applied}
        {span}
      </>
    );
  }
  return (
    <>
      <strong className="cr-ob-period">{o.period.name ? t('obWindowPeriod', { name: o.period.name, window: applied }) : t('obWindowPeriodUnnamed', { window: applied })}</strong>
      <div className="muted small">{t('obWindowNormal', { window: windowText(o.windowHours, o.windowUnit, t) })}</div>
      {span}
    </>
  );
}

/** 回应时限: every obligation with its live countdown and how it ended. */
export function Obligations({ list }: { list: Obligation[] }) {
  const now = useNow(); // the page's one ticking clock: only the countdowns re-render each second
  const t = useT(m);
  const { lang } = useLang();
  const label = useLabel();
  const order = [...list].sort((a, b) => (a.status === 'cancelled' ? 1 : 0) - (b.status === 'cancelled' ? 1 : 0) || a.dueAt.localeCompare(b.dueAt));
  return (
    <section className="panel" aria-labelledby="cr-ob-h">
      <header className="panel-head">
        <h2 id="cr-ob-h">{t('obligations')}</h2>
      </header>
      {list.length === 0 ? (
        <Empty title={t('obligationsEmpty')} />
      ) : (
        <div className="table-wrap">
          <table className="table cr-ob-table">
            <thead>
              <tr>
                <th>{t('obKind')}</th>
                <th>{t('obDue')}</th>
                <th>{t('obGoal')}</th>
                <th>{t('obElapsed')}</th>
                <th>{t('obRemaining')}</th>
                <th>{t('obMetAt')}</th>
                <th>{t('obResult')}</th>
              </tr>
            </thead>
            <tbody>
              {order.map((o) => {
                const due = new Date(o.dueAt);
                const started = new Date(o.startedAt);
                const end = o.metAt ? new Date(o.metAt) : now;
                const elapsed = Math.max(0, end.getTime() - started.getTime());
                const goal = Math.max(o.goalMs, due.getTime() - started.getTime());
                const overdue = o.status === 'open' && now.getTime() > due.getTime();
                let result;
                if (o.status === 'cancelled') result = <Tag>{t('obCancelled')}</Tag>;
                else if (o.status === 'met') result = o.onTime === false ? <Tag tone="red">{t('obLate')}</Tag> : <Tag tone="green">{t('obOnTime')}</Tag>;
                else if (overdue || o.breached) result = <Tag tone="red">{t('obBreached')}</Tag>;
                else result = <Tag tone="blue">{t('obOpen')}</Tag>;
                const outcome = o.status === 'cancelled' ? 'cancelled' : o.status === 'met' ? (o.onTime === false ? 'late' : 'on_time') : overdue ? 'breached' : 'open';
                return (
                  <tr
                    key={o.id}
                    data-testid="obligation"
                    data-kind={o.kind}
                    data-status={o.status}
                    data-outcome={outcome}
                    className={o.status === 'cancelled' ? 'cr-cancelled' : overdue ? 'overdue' : undefined}
                  >
                    <td className="cr-ob-kind">
                      <strong>{label('obligationKind', o.kind)}</strong>
                      {o.kind === 'update' ? <span className="muted small"> · {t('obNth', { n: o.seq })}</span> : null}
                      {o.note ? <div className="muted small cr-note">{o.note}</div> : null}
                    </td>
                    <td className="num nowrap" data-label={t('obDue')}>{fmtDateTime(o.dueAt)}</td>
                    <td
                      // Under a 重点时段 the window reads as a phrase that may wrap; otherwise one short line.
                      className={o.period ? 'num' : 'num nowrap'}
                      data-label={t('obGoal')}
                      data-testid="ob-window"
                      data-period={o.period ? o.period.name : undefined}
                    >
                      <ObligationWindow o={o} goalMs={goal} />
                    </td>
                    <td className="num nowrap" data-label={t('obElapsed')}>{o.status === 'cancelled' ? '—' : fmtDuration(elapsed, lang)}</td>
                    <td data-label={t('obRemaining')}>{o.status === 'cancelled' ? '—' : <Countdown dueAt={o.dueAt} now={now} windowMs={goal} metAt={o.metAt} onTime={o.onTime} />}</td>
                    <td className="num nowrap" data-label={t('obMetAt')}>{fmtDateTime(o.metAt)}</td>
                    <td className="cr-ob-result" data-label={t('obResult')}>{result}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
