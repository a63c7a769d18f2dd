import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { ErrorBox, Loading } from '../../components/states.js';
import { common } from '../../i18n/common.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { useAppEvents } from '../../lib/events.js';
import { fmtDateTime, fmtTime, useNow } from '../../lib/time.js';
import { DARK, TrendChart } from './charts.js';
import { hoursText, pct, rangeSearch, rateTone, useRange, useStats } from './data.js';
import { m } from './messages.js';
import './wall.css';

// 大屏: the statistics on a dark full-screen wall display, readable from across the room. Refreshes
// every 60 s and (at most every 15 s) when a case changes; Esc or the small button goes back.

const REFRESH_MS = 60_000;
const LIVE_THROTTLE_MS = 15_000;

export default function WallPage() {
  const t = useT(m);
  const tc = useT(common);
  const { lang } = useLang();
  const label = useLabel();
  const range = useRange();
  const q = useStats(range, REFRESH_MS);
  const [, navigate] = useLocation();
  const now = useNow(1000);
  const back = () => navigate(`/stats?${rangeSearch(range)}`);
  const backRef = useRef(back);
  backRef.current = back;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') backRef.current();
    };
    window.addEventListener('keydown', onKey);
    document.body.classList.add('wall-body');
    document.title = `${t('wallTitle')} · ${tc('appName')}`;
    return () => {
      window.removeEventListener('keydown', onKey);
      document.body.classList.remove('wall-body');
    };
  }, [t, tc]);

  const lastLive = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useAppEvents((ev) => {
    if (ev.type !== 'case.updated' || pending.current) return;
    const wait = Math.max(0, lastLive.current + LIVE_THROTTLE_MS - Date.now());
    pending.current = setTimeout(() => {
      pending.current = null;
      lastLive.current = Date.now();
      void q.refetch();
    }, wait);
  });
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );

  const s = q.data;
  const rate = s?.onTime.rate ?? null;
  const openOverdue = s ? s.overdue.filter((o) => o.status === 'open') : [];
  const ticker = s ? s.overdue.slice(0, 30) : [];
  const topDepts = s ? s.departments.slice(0, 8) : [];

  return (
    <div className="wall" data-testid="wall">
      <header className="wall-head">
        <div className="wall-brand">
          <span className="brand-mark" aria-hidden="true">
            舆
          </span>
          <div>
            <h1>{t('wallTitle')}</h1>
            <div className="wall-range">{t('rangeLabel', { from: range.from, to: range.to })}</div>
          </div>
        </div>
        <div className="wall-clock num">{fmtDateTime(now)}</div>
        <div className="wall-meta">
          <span data-testid="wall-refreshed">{q.dataUpdatedAt ? t('refreshedAt', { t: fmtTime(q.dataUpdatedAt) }) : tc('loading')}</span>
          <span className="wall-hint">
            {t('autoRefresh')} · {t('backHint')}
          </span>
          <button type="button" className="wall-back" onClick={back} data-testid="wall-back">
            {t('back')}
          </button>
        </div>
      </header>

      {q.isPending ? (
        <div className="wall-state">
          <Loading />
        </div>
      ) : !s ? (
        <div className="wall-state">
          <ErrorBox error={q.error} onRetry={() => void q.refetch()} />
        </div>
      ) : (
        <main className="wall-main">
          <section className="wall-kpis">
            <div className={`wall-kpi hero tone-${rateTone(rate) ?? 'none'}`}>
              <div className="wk-label">{t('kpiRate')}</div>
              <div className="wk-value" data-testid="kpi-on-time-rate">
                {pct(rate)}
              </div>
              <div className="wk-sub">{s.onTime.judged > 0 ? t('kpiRateSub', { on: s.onTime.onTime, judged: s.onTime.judged }) : t('kpiRateNone')}</div>
            </div>
            <div className="wall-kpi">
              <div className="wk-label">{t('kpiCases')}</div>
              <div className="wk-value" data-testid="kpi-cases">
                {s.totals.cases}
              </div>
            </div>
            <div className="wall-kpi">
              <div className="wk-label">{t('kpiResponded')}</div>
              <div className="wk-value" data-testid="kpi-responded">
                {s.responseTime.count}
              </div>
            </div>
            <div className="wall-kpi">
              <div className="wk-label">{t('kpiMedian')}</div>
              <div className="wk-value small-value">{hoursText(s.responseTime.medianHours, lang)}</div>
              <div className="wk-sub">{t('kpiP90')} {hoursText(s.responseTime.p90Hours, lang)}</div>
            </div>
            <div className={`wall-kpi${s.overdue.length > 0 ? ' alarm' : ''}`}>
              <div className="wk-label">{t('kpiOverdue')}</div>
              <div className="wk-value" data-testid="kpi-overdue">
                {s.overdue.length}
              </div>
              <div className="wk-sub">{t('kpiOverdueSub', { n: openOverdue.length })}</div>
            </div>
          </section>

          <section className="wall-panel wall-trend">
            <h2>{t('trend')}</h2>
            <div className="wall-chart">
              <div className="wall-chart-fill">
                <TrendChart daily={s.daily} theme={DARK} height="100%" />
              </div>
            </div>
          </section>

          <section className="wall-panel wall-rank" data-testid="dept-ranking">
            <h2>{t('ranking')}</h2>
            {topDepts.length === 0 ? (
              <p className="wall-empty">{t('rankingNone')}</p>
            ) : (
              <ol className="wall-rank-list">
                {topDepts.map((d) => (
                  <li key={d.id}>
                    <span className={`wr-rank r${Math.min(d.rank, 4)}`}>{d.rank}</span>
                    <span className="wr-name">{d.name}</span>
                    <span className="wr-bar">
                      <span className={`wr-fill tone-${rateTone(d.onTimeRate) ?? 'none'}`} style={{ width: `${Math.round((d.onTimeRate ?? 0) * 100)}%` }} />
                    </span>
                    <span className="wr-rate num">{pct(d.onTimeRate)}</span>
                    <span className="wr-count num">{d.cases}</span>
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section className="wall-ticker" data-testid="overdue-list" aria-label={t('ticker')}>
            <span className="wt-label">{t('ticker')}</span>
            <div className="wt-track">
              {ticker.length === 0 ? (
                <span className="wt-calm">{t('overdueNone')}</span>
              ) : (
                <div className="wt-run" style={{ animationDuration: `${Math.max(20, ticker.length * 6)}s` }}>
                  {[...ticker, ...ticker].map((o, i) => (
                    <span key={`${o.obligationId}-${i}`} className="wt-item" aria-hidden={i >= ticker.length}>
                      <b>{o.caseNumber}</b> {o.caseTitle} · {o.department.name} · {label('obligationKind', o.kind)}{' '}
                      <em>{t('overdueLate', { h: hoursText(o.hoursLate, lang) })}</em>
                    </span>
                  ))}
                </div>
              )}
            </div>
          </section>
        </main>
      )}
    </div>
  );
}
