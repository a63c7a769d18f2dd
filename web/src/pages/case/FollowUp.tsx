import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EFFECT_RATINGS, type EffectRating } from '../../../../core/vocabulary.js';
import { Modal } from '../../components/Modal.js';
import { ErrorBox, FormError, Loading } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call } from '../../lib/api.js';
import { useUser } from '../../lib/session.js';
import { fmtDateTime } from '../../lib/time.js';
import { caseKey, FEEDBACK_KINDS, useCaseMutation, type CaseData, type FeedbackKind, type Heat } from './data.js';
import { fbKinds, m } from './messages.js';

// 跟踪反馈: heat before vs after the first publication, feedback entries, 办结 with the effect
// rating and conclusion, and reopening.

const RATING_TONE = { good: 'green', fairly_good: 'blue', average: 'amber', poor: 'red' } as const;

export function FollowUpPanel({ c }: { c: CaseData }) {
  const t = useT(m);
  const label = useLabel();
  const user = useUser();
  const published = c.respondedAt !== null;
  const mayFeedback = ['handler', 'reviewer', 'admin'].includes(user.role) && c.status !== 'closed';
  const mayClose = c.status === 'responded' && (['reviewer', 'admin'].includes(user.role) || (user.role === 'handler' && user.departmentId === c.leadDepartment.id));
  const mayReopen = c.status === 'closed' && ['duty', 'reviewer', 'admin'].includes(user.role);
  const [closing, setClosing] = useState(false);
  const [reopening, setReopening] = useState(false);
  return (
    <section className="panel" aria-labelledby="cr-fu-h" data-testid="follow-up">
      <header className="panel-head">
        <h2 id="cr-fu-h">{t('followUp')}</h2>
        {c.followUpUntil && c.status === 'responded' ? <span className="muted small">{t('followUpUntil')} {fmtDateTime(c.followUpUntil)}</span> : null}
        <span className="spacer" />
        {mayClose ? (
          <button type="button" className="btn btn-primary btn-sm" onClick={() => setClosing(true)}>
            {t('close')}
          </button>
        ) : null}
        {mayReopen ? (
          <button type="button" className="btn btn-sm" onClick={() => setReopening(true)}>
            {t('reopen')}
          </button>
        ) : null}
      </header>
      <div className="panel-body stack">
        {c.status === 'closed' ? (
          <div className="cr-closed" data-testid="case-closed">
            <div className="row">
              <strong>{t('effect')}</strong>
              {c.effectRating ? <Tag tone={RATING_TONE[c.effectRating as EffectRating] ?? 'grey'}>{label('effectRating', c.effectRating)}</Tag> : null}
              <span className="muted small">{t('closedSummary', { at: fmtDateTime(c.closedAt) })}</span>
            </div>
            {c.conclusion ? <p className="cr-body">{c.conclusion}</p> : null}
          </div>
        ) : null}
        {published ? <HeatBlock caseId={c.id} /> : <p className="muted small cr-tight">{t('followUpBefore')}</p>}
        <FeedbackBlock caseId={c.id} mayAdd={mayFeedback} />
      </div>
      {closing ? <CloseDialog caseId={c.id} onClose={() => setClosing(false)} /> : null}
      {reopening ? <ReopenDialog caseId={c.id} onClose={() => setReopening(false)} /> : null}
    </section>
  );
}

function HeatBlock({ caseId }: { caseId: string }) {
  const t = useT(m);
  const q = useQuery({ queryKey: [...caseKey(caseId), 'heat'], queryFn: () => call(api.cases[':id'].heat.$get({ param: { id: caseId } })) });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const h: Heat = q.data;
  const rate = (n: number) => t('heatRate', { n: Math.round(n * 10) / 10 });
  return (
    <div className="cr-heat" data-testid="heat">
      <h3>{t('heat')}</h3>
      <div className="cr-heat-grid">
        <div className="cr-heat-kpis">
          <div className="kpi">
            <div className="kpi-label">{t('heatBefore', { h: h.windowHours })}</div>
            <div className="kpi-value">{h.before.items}</div>
            <div className="muted small">
              {t('heatSources')} {h.before.sources} · {rate(h.before.itemsPerHour)}
            </div>
          </div>
          <div className="kpi">
            <div className="kpi-label">{t('heatAfter', { h: h.windowHours })}</div>
            <div className="kpi-value">{h.after ? h.after.items : '—'}</div>
            <div className="muted small">
              {h.after ? (
                <>
                  {t('heatSources')} {h.after.sources} · {rate(h.after.itemsPerHour)}
                </>
              ) : (
                '—'
              )}
            </div>
          </div>
          {h.newSourcesAfter !== null ? <div className="muted small">{t('heatNewSources', { n: h.newSourcesAfter })}</div> : null}
        </div>
        <div className="cr-heat-chart" aria-label={t('heat')}>
          <ResponsiveContainer width="100%" height={150}>
            <BarChart data={h.series} margin={{ top: 20, right: 8, bottom: 0, left: -20 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e5e9ef" />
              <XAxis dataKey="hour" tick={{ fontSize: 11 }} tickLine={false} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} tickLine={false} axisLine={false} />
              <Tooltip
                formatter={(v) => [t('heatTooltip', { n: Number(v) }), t('heatItems')]}
                labelFormatter={(_, p) => (p && p[0] ? fmtDateTime((p[0].payload as Heat['series'][number]).startsAt) : '')}
              />
              <ReferenceLine x={0} stroke="#1b7f3b" strokeDasharray="4 2" label={{ value: t('heatPublish'), fontSize: 11, fill: '#1b7f3b', position: 'top' }} />
              <Bar dataKey="items" isAnimationActive={false}>
                {h.series.map((s) => (
                  <Cell key={s.hour} fill={s.hour < 0 ? '#9fb3d1' : '#2c5aa0'} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      </div>
    </div>
  );
}

function FeedbackBlock({ caseId, mayAdd }: { caseId: string; mayAdd: boolean }) {
  const t = useT(m);
  const tk = useT(fbKinds);
  const q = useQuery({ queryKey: [...caseKey(caseId), 'feedback'], queryFn: () => call(api.cases[':id'].feedback.$get({ param: { id: caseId } })) });
  const [kind, setKind] = useState<FeedbackKind>('reaction');
  const [body, setBody] = useState('');
  const add = useCaseMutation(
    caseId,
    () => call(api.cases[':id'].feedback.$post({ param: { id: caseId }, json: { kind, body: body.trim() } })),
    () => {
      toast(t('feedbackAdded'));
      setBody('');
    },
  );
  const list = q.data?.feedback ?? [];
  return (
    <div className="cr-feedback">
      <h3>{t('feedback')}</h3>
      {q.isPending ? <Loading /> : null}
      {q.isError ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.isSuccess && list.length === 0 ? <p className="muted small">{t('feedbackEmpty')} — {t('feedbackEmptyHint')}</p> : null}
      {list.length > 0 ? (
        <ul className="cr-records">
          {[...list].reverse().map((f) => (
            <li key={f.id} data-testid="feedback-entry" data-kind={f.kind}>
              <div className="row">
                <Tag tone="blue">{tk(f.kind)}</Tag>
                <span className="muted small">
                  {fmtDateTime(f.createdAt)} · {f.author?.name ?? '—'}
                </span>
              </div>
              <p className="cr-record-text">{f.body}</p>
            </li>
          ))}
        </ul>
      ) : null}
      {mayAdd ? (
        <div className="cr-feedback-form">
          <label className="field cr-fb-kind">
            <span>{t('feedbackKind')}</span>
            <select value={kind} onChange={(e) => setKind(e.target.value as FeedbackKind)}>
              {FEEDBACK_KINDS.map((k) => (
                <option key={k} value={k}>
                  {tk(k)}
                </option>
              ))}
            </select>
          </label>
          <label className="field cr-fb-body">
            <span>{t('feedbackBody')}</span>
            <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={2} maxLength={10_000} />
          </label>
          <button type="button" className="btn" disabled={!body.trim() || add.isPending} onClick={() => add.mutate(undefined)}>
            {t('addFeedback')}
          </button>
          <FormError error={add.error} />
        </div>
      ) : null}
    </div>
  );
}

function CloseDialog({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const t = useT(m);
  const tc = useT(common);
  const label = useLabel();
  const [rating, setRating] = useState<EffectRating | null>(null);
  const [conclusion, setConclusion] = useState('');
  const close = useCaseMutation(
    caseId,
    (json: { effectRating: EffectRating; conclusion: string }) => call(api.cases[':id'].close.$post({ param: { id: caseId }, json })),
    () => {
      toast(t('closedOk'));
      onClose();
    },
  );
  const ready = rating !== null && conclusion.trim() !== '';
  return (
    <Modal
      title={t('closeTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!ready || close.isPending}
            onClick={() => rating && close.mutate({ effectRating: rating, conclusion: conclusion.trim() })}
          >
            {t('confirmClose')}
          </button>
        </>
      }
    >
      <fieldset className="field cr-fieldset">
        <legend className="small muted">{t('effect')}</legend>
        <div className="row">
          {EFFECT_RATINGS.map((r) => (
            <label key={r} className="field-inline cr-radio">
              <input type="radio" name="effect" value={r} checked={rating === r} onChange={() => setRating(r)} />
              {label('effectRating', r)}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="field">
        <span>{t('conclusion')}</span>
        <textarea value={conclusion} onChange={(e) => setConclusion(e.target.value)} rows={5} maxLength={10_000} placeholder={t('conclusionPh')} />
      </label>
      <FormError error={close.error} />
    </Modal>
  );
}

function ReopenDialog({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const t = useT(m);
  const tc = useT(common);
  const [reason, setReason] = useState('');
  const reopen = useCaseMutation(
    caseId,
    () => call(api.cases[':id'].reopen.$post({ param: { id: caseId }, json: { reason: reason.trim() } })),
    () => {
      toast(t('reopened'));
      onClose();
    },
  );
  return (
    <Modal
      title={t('reopenTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={!reason.trim() || reopen.isPending} onClick={() => reopen.mutate(undefined)}>
            {t('confirmReopen')}
          </button>
        </>
      }
    >
      <label className="field">
        <span>{t('reopenReason')}</span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={5000} />
      </label>
      <FormError error={reopen.error} />
    </Modal>
  );
}

