import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { common } from '../../i18n/common.js';
import { defineMessages, useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { useAppEvents } from '../../lib/events.js';
import { fmtDateTime, fmtDay } from '../../lib/time.js';
import { HBarChart, HistogramChart, levelColour, TrendChart } from './charts.js';
import { hoursInUnit, hoursText, hoursUnit, pct, PRESETS, rangeSearch, rateTone, useRange, useStats, type Range, type Stats } from './data.js';
import { m } from './messages.js';
import { EffectRanking } from './EffectRanking.js';
import { ByTown } from './ByTown.js';
import './stats.css';

function Kpi({ label, value, sub, testId, tone }: { label: string; value: ReactNode; sub?: ReactNode; testId: string; tone?: 'good' | 'warn' | 'bad' }) {
  return (
    <div className={`kpi stat-kpi${tone ? ` kpi-${tone}` : ''}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-testid={testId}>
        {value}
      </div>
      {sub ? <div className="kpi-sub muted small">{sub}</div> : null}
    </div>
  );
}


function RangePicker({ range }: { range: Range }) {
  const t = useT(m);
  const [, navigate] = useLocation();
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  useEffect(() => {
    setFrom(range.from);
    setTo(range.to);
  }, [range.from, range.to]);
  const go = (s: string) => navigate(`/stats?${s}`, { replace: true });
  const valid = from !== '' && to !== '' && from <= to;
  return (
    <div className="range-picker" data-testid="range-picker">
      <div className="seg" role="group">
        {PRESETS.map((p) => (
          <button key={p} type="button" className={range.preset === p ? 'seg-btn active' : 'seg-btn'} aria-pressed={range.preset === p} onClick={() => go(rangeSearch({ preset: p, from: '', to: '' }))}>
            {t(p)}
          </button>
        ))}
      </div>
      <form
        className="range-custom"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) go(rangeSearch({ preset: null, from, to }));
        }}
      >
        <input type="date" aria-label={t('from')} value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} data-testid="range-from" />
        <span className="muted">{t('to')}</span>
        <input type="date" aria-label={t('to')} value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} data-testid="range-to" />
        <button type="submit" className="btn btn-sm" disabled={!valid || (from === range.from && to === range.to)} data-testid="range-apply">
          {t('apply')}
        </button>
      </form>
    </div>
  );
}

export function OverdueTable({ rows }: { rows: Stats['overdue'] }) {
  const t = useT(m);
  const label = useLabel();
  const { lang } = useLang();
  if (rows.length === 0) return <Empty title={t('overdueNone')} hint={t('overdueNoneHint')} />;
  const unit = hoursUnit(rows.map((o) => o.hoursLate));
  return (
    <table className="table stats-table">
      <thead>
        <tr>
          <th>{t('colCase')}</th>
          <th>{t('colKind')}</th>
          <th>{t('colDept')}</th>
          <th>{t('colDue')}</th>
          <th className="right">{t('colLate')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((o) => (
          <tr key={o.obligationId} data-testid="overdue-row" data-case-id={o.caseId}>
            <td className="ellipsis" title={`${o.caseNumber} ${o.caseTitle}`}>
              <Link href={`/cases/${o.caseId}`}>
                <span className="num">{o.caseNumber}</span> {o.caseTitle}
              </Link>
            </td>
            <td className="nowrap">
              {label('obligationKind', o.kind)}
              {o.seq > 1 ? ` #${o.seq}` : ''}
            </td>
            <td className="nowrap">{o.department.name}</td>
            <td className="nowrap num">{fmtDateTime(o.dueAt)}</td>
            <td className="right nowrap">
              <span className={o.status === 'open' ? 'countdown tone-overdue' : 'countdown tone-red'} title={o.status === 'open' ? t('overdueOpen') : t('overdueMetLate')}>
                {hoursInUnit(o.hoursLate, unit, lang)}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RankingTable({ rows, compact }: { rows: Stats['departments']; compact?: boolean }) {
  const t = useT(m);
  const { lang } = useLang();
  if (rows.length === 0) return <Empty title={t('rankingNone')} />;
  const unit = hoursUnit(rows.map((d) => d.averageResponseHours));
  return (
    <table className="table stats-table ranking">
      <thead>
        <tr>
          <th className="center">{t('colRank')}</th>
          <th>{t('colDept')}</th>
          <th className="right">{t('colCases')}</th>
          {compact ? null : <th className="right col-wide">{t('colJudged')}</th>}
          {compact ? null : <th className="right col-wide">{t('colOnTime')}</th>}
          <th className="rate-col">{t('colRate')}</th>
          <th className="right">{t('colAvg')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id} data-testid="dept-row" data-dept={d.name}>
            <td className="center">
              <span className={`rank rank-${d.rank <= 3 ? d.rank : 'n'}`}>{d.rank}</span>
            </td>
            <td className="nowrap rank-dept">{d.name}</td>
            <td className="right num">{d.cases}</td>
            {compact ? null : <td className="right num col-wide">{d.judged}</td>}
            {compact ? null : <td className="right num col-wide">{d.onTime}</td>}
            <td className="rate-col">
              <span className="rate-bar" aria-hidden="true">
                <span className={`rate-fill tone-${rateTone(d.onTimeRate) ?? 'none'}`} style={{ width: `${Math.round((d.onTimeRate ?? 0) * 100)}%` }} />
              </span>
              <span className="num rate-text">{pct(d.onTimeRate)}</span>
            </td>
            <td className="right num nowrap">{hoursInUnit(d.averageResponseHours, unit, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 回访满意率 (hotline / mailbox cases, each by its latest 回访). */
const mcb = defineMessages(
  { kpiSatisfaction: '回访满意率', kpiSatisfactionSub: '满意、基本满意 {ok} / 已回访 {n}（热线、信箱）' },
  { kpiSatisfaction: 'Call-back satisfaction', kpiSatisfactionSub: '{ok} satisfied of {n} called back (hotline, mailbox)' },
);

export function KpiTiles({ s }: { s: Stats }) {
  const t = useT(m);
  const tcb = useT(mcb);
  const { lang } = useLang();
  const openOverdue = s.overdue.filter((o) => o.status === 'open').length;
  return (
    <div className="kpis stats-kpis">
      <Kpi label={t('kpiCases')} value={s.totals.cases} sub={t('kpiCasesSub')} testId="kpi-cases" />
      <Kpi label={t('kpiResponded')} value={s.responseTime.count} sub={t('kpiRespondedSub')} testId="kpi-responded" />
      <Kpi
        label={t('kpiRate')}
        value={pct(s.onTime.rate)}
        sub={s.onTime.judged > 0 ? t('kpiRateSub', { on: s.onTime.onTime, judged: s.onTime.judged }) : t('kpiRateNone')}
        testId="kpi-on-time-rate"
        tone={rateTone(s.onTime.rate)}
      />
      <Kpi label={t('kpiMedian')} value={hoursText(s.responseTime.medianHours, lang)} sub={t('kpiTimeSub', { avg: hoursText(s.responseTime.averageHours, lang) })} testId="kpi-median" />
      <Kpi label={t('kpiP90')} value={hoursText(s.responseTime.p90Hours, lang)} testId="kpi-p90" />
      <Kpi label={t('kpiOverdue')} value={s.overdue.length} sub={t('kpiOverdueSub', { n: openOverdue })} testId="kpi-overdue" tone={s.overdue.length > 0 ? 'bad' : undefined} />
      {/* 回访满意率 of hotline / mailbox cases: shown once any was called back. */}
      {s.callbacks.calledBack > 0 ? (
        <Kpi
          label={tcb('kpiSatisfaction')}
          value={pct(s.callbacks.rate)}
          sub={tcb('kpiSatisfactionSub', { ok: s.callbacks.satisfied, n: s.callbacks.calledBack })}
          testId="kpi-satisfaction"
          tone={rateTone(s.callbacks.rate)}
        />
      ) : null}
    </div>
  );
}

function Panel({ title, children, extra, testId, className }: { title: string; children: ReactNode; extra?: ReactNode; testId?: string; className?: string }) {
  return (
    <section className={`panel${className ? ` ${className}` : ''}`} data-testid={testId}>
      <div className="panel-head">
        <h2>{title}</h2>
        <span className="spacer" />
        {extra}
      </div>
      <div className="panel-body">{children}</div>
    </section>
  );
}

export default function StatsPage() {
  const t = useT(m);
  const tc = useT(common);
  const label = useLabel();
  const { lang } = useLang();
  const range = useRange();
  const q = useStats(range);
  const [, navigate] = useLocation();

  useEffect(() => {
    document.title = `${t('title')} · ${tc('appName')}`;
  }, [t, tc]);
  // Live: a case changed → refresh, at most every 10 s.
  const lastLive = useRef(0);
  useAppEvents((ev) => {
    if (ev.type !== 'case.updated' || Date.now() - lastLive.current < 10_000) return;
    lastLive.current = Date.now();
    void q.refetch();
  });

  const s = q.data;
  let body: ReactNode;
  if (q.isPending) body = <Loading />;
  else if (q.isError && !s) body = <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  else if (s) {
    const sumHist = s.responseHistogram.reduce((n, b) => n + b.count, 0);
    body = (
      <div className={q.isFetching ? 'stats-body refreshing' : 'stats-body'} data-testid="stats-body" data-from={range.from} data-to={range.to} aria-busy={q.isFetching}>
        {q.isError ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : null}
        <KpiTiles s={s} />
        {s.totals.cases === 0 && s.onTime.judged === 0 ? <Empty title={t('emptyTitle')} hint={t('emptyHint')} /> : null}
        <div className="stats-grid-2">
          <Panel title={t('trend')} className="span-2">
            <TrendChart daily={s.daily} height={220} />
          </Panel>
          <Panel title={t('histogram')} extra={<span className="muted small">{t('kpiMedian')} {hoursText(s.responseTime.medianHours, lang)}</span>}>
            {sumHist === 0 ? <Empty title={t('histogramNone')} /> : <HistogramChart buckets={s.responseHistogram} height={220} />}
          </Panel>
        </div>
        <div className="stats-grid-2 equal">
          <Panel title={t('ranking')} testId="dept-ranking">
            <RankingTable rows={s.departments} />
            <h3 className="effect-title">{t('effectRanking')}</h3>
            <EffectRanking s={s} />
          </Panel>
          <Panel title={t('overdueList')} testId="overdue-list" extra={<span className="muted small">{s.overdue.length}</span>} className="overdue-panel">
            <div className="scroll-y">
              <OverdueTable rows={s.overdue} />
            </div>
          </Panel>
        </div>
        <div className="stats-grid-3">
          <Panel title={t('byLevel')}>
            {s.byLevel.length === 0 ? (
              <Empty title={t('none')} />
            ) : (
              <HBarChart rows={s.byLevel.map((r) => ({ key: r.key, name: label('level', r.key), count: r.count }))} colourOf={levelColour} />
            )}
          </Panel>
          <Panel title={t('byCategory')}>
            {s.byCategory.length === 0 ? <Empty title={t('none')} /> : <HBarChart rows={s.byCategory.map((r) => ({ key: r.key, name: label('category', r.key), count: r.count }))} />}
          </Panel>
          <Panel title={t('bySource')}>
            {s.bySource.length === 0 ? (
              <Empty title={t('none')} hint={t('bySourceNone')} />
            ) : (
              <HBarChart rows={s.bySource.slice(0, 10).map((r) => ({ key: String(r.id), name: r.name, count: r.count }))} />
            )}
          </Panel>
        </div>
        <ByTown range={range} />
      </div>
    );
  }

  return (
    <div className="stats-page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <span className="muted small" data-testid="stats-range">
          {t('rangeLabel', { from: fmtDay(range.from), to: fmtDay(range.to) })}
        </span>
        <span className="spacer" />
        <RangePicker range={range} />
        <button type="button" className="btn btn-primary" onClick={() => navigate(`/stats/wall?${rangeSearch(range)}`)} data-testid="wall-mode">
          {t('wallMode')}
        </button>
      </div>
      {body}
    </div>
  );
}
