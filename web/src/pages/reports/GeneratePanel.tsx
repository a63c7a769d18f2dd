import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { FormError } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { useLang, useT } from '../../i18n/index.js';
import { generate, type GenerateInput, type Report, type ReportKind } from './data.js';
import { m } from './messages.js';
import { lastMonths, lastQuarters, lastWeeks } from './periods.js';

// 生成通报: kind + period (default: last ISO week, Asia/Shanghai) → POST → the notice is shown.

const KINDS: { kind: ReportKind; key: 'kindWeekly' | 'kindMonthly' | 'kindQuarterly' | 'kindRange' }[] = [
  { kind: 'weekly', key: 'kindWeekly' },
  { kind: 'monthly', key: 'kindMonthly' },
  { kind: 'quarterly', key: 'kindQuarterly' },
  { kind: 'range', key: 'kindRange' },
];
const QUARTER_ZH = ['一', '二', '三', '四'];

export function GeneratePanel({ onGenerated }: { onGenerated: (r: Report) => void }) {
  const t = useT(m);
  const { lang } = useLang();
  const choices = useMemo(() => {
    const now = new Date();
    return { weeks: lastWeeks(now), months: lastMonths(now), quarters: lastQuarters(now) };
  }, []);
  const [kind, setKind] = useState<ReportKind>('weekly');
  const [week, setWeek] = useState(choices.weeks[0].key);
  const [month, setMonth] = useState(choices.months[0].key);
  const [quarter, setQuarter] = useState(choices.quarters[0].key);
  const [from, setFrom] = useState(choices.weeks[0].from);
  const [to, setTo] = useState(choices.weeks[0].to);

  const run = useMutation({
    mutationFn: (input: GenerateInput) => generate(input),
    onSuccess: ({ created, report }) => {
      toast(created ? t('generated') : t('exists'));
      onGenerated(report);
    },
  });

  const input = (): GenerateInput => {
    if (kind === 'weekly') return { kind, week };
    if (kind === 'monthly') return { kind, month };
    if (kind === 'quarterly') return { kind, quarter };
    return { kind, from, to };
  };

  return (
    <section className="panel reports-generate" data-testid="reports-generate">
      <form
        className="panel-body reports-generate-form"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate(input());
        }}
      >
        <strong className="reports-generate-title">{t('generateTitle')}</strong>
        <div className="reports-kinds" role="radiogroup" aria-label={t('kind')}>
          {KINDS.map((k) => (
            <button
              key={k.kind}
              type="button"
              role="radio"
              aria-checked={kind === k.kind}
              className={`reports-kind${kind === k.kind ? ' active' : ''}`}
              data-kind={k.kind}
              onClick={() => setKind(k.kind)}
            >
              {t(k.key)}
            </button>
          ))}
        </div>
        {kind === 'weekly' ? (
          <label className="field-inline">
            <span className="muted">{t('period')}</span>
            <select value={week} onChange={(e) => setWeek(e.target.value)} data-testid="generate-week">
              {choices.weeks.map((w) => (
                <option key={w.key} value={w.key}>
                  {t('weekOption', { year: w.year, week: w.n, from: w.from, to: w.to })}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {kind === 'monthly' ? (
          <label className="field-inline">
            <span className="muted">{t('period')}</span>
            <select value={month} onChange={(e) => setMonth(e.target.value)} data-testid="generate-month">
              {choices.months.map((p) => (
                <option key={p.key} value={p.key}>
                  {t('monthOption', { year: p.year, month: p.n })}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {kind === 'quarterly' ? (
          <label className="field-inline">
            <span className="muted">{t('period')}</span>
            <select value={quarter} onChange={(e) => setQuarter(e.target.value)} data-testid="generate-quarter">
              {choices.quarters.map((p) => (
                <option key={p.key} value={p.key}>
                  {t('quarterOption', { year: p.year, q: lang === 'zh' ? QUARTER_ZH[p.n - 1] : p.n, from: p.from, to: p.to })}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {kind === 'range' ? (
          <>
            <label className="field-inline">
              <span className="muted">{t('from')}</span>
              <input type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} required data-testid="generate-from" />
            </label>
            <label className="field-inline">
              <span className="muted">{t('to')}</span>
              <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} required data-testid="generate-to" />
            </label>
          </>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={run.isPending} data-testid="generate-submit">
          {run.isPending ? t('generating') : t('generate')}
        </button>
      </form>
      {run.error ? (
        <div className="reports-generate-error">
          <FormError error={run.error} />
        </div>
      ) : null}
    </section>
  );
}
