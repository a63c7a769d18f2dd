import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { Empty, ErrorBox, FormError, Loading } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { useLang, useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { useSession } from '../../lib/session.js';
import { shanghaiDay } from '../../lib/time.js';
import { TODOS_KEY, beijingShort } from '../todos/data.js';
import { HANDOVER_KEY, useCurrentHandover, useHandoverMonth, type Current, type Handover } from './data.js';
import { m } from './messages.js';
import { HandoverPrint } from './HandoverPrint.js';
import { SnapshotView, stateText, useShiftText } from './Snapshot.js';
import './handover.css';

// 交接班: the duty officer's handover of their shift (pre-filled, notes, submit), the handovers
// waiting for them to accept, and the month's records with a printable view of each.

export default function HandoverPage() {
  const { id } = useParams<{ id?: string }>();
  return id && /^\d{1,9}$/.test(id) ? <HandoverPrint id={Number(id)} /> : <HandoverHome />;
}

function HandoverHome() {
  const t = useT(m);
  const { can } = useSession();
  const writes = can('duty', 'admin');
  return (
    <div className="handover-page" data-testid="handover-page">
      <div className="page-head">
        <h1>{t('title')}</h1>
      </div>
      {writes ? <CurrentSection /> : null}
      <HistorySection />
    </div>
  );
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: HANDOVER_KEY });
    void qc.invalidateQueries({ queryKey: TODOS_KEY });
  };
}

function CurrentSection() {
  const t = useT(m);
  const q = useCurrentHandover(true);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const cur = q.data;
  return (
    <>
      {cur.toAccept.length > 0 ? (
        <section className="panel" data-testid="handover-to-accept">
          <div className="panel-head">
            <h2>{t('toAccept')}</h2>
          </div>
          <div className="panel-body stack">
            {cur.toAccept.map((h) => (
              <AcceptCard key={h.id} h={h} />
            ))}
          </div>
        </section>
      ) : null}
      <section className="panel" data-testid="handover-current">
        <div className="panel-head">
          <h2>{t('current')}</h2>
        </div>
        <div className="panel-body stack">{cur.slot ? <ShiftHandover cur={cur} /> : <p className="muted">{t('notOnDuty')}</p>}</div>
      </section>
    </>
  );
}

function ShiftHandover({ cur }: { cur: Current }) {
  const t = useT(m);
  const { lang } = useLang();
  const shiftText = useShiftText();
  const invalidate = useInvalidate();
  const [notes, setNotes] = useState('');
  const submit = useMutation({
    mutationFn: () => call(api.handovers.$post({ json: { notes: notes.trim() } })),
    onSuccess: () => {
      toast(t('submittedToast'));
      invalidate();
    },
  });
  const slot = cur.slot!;
  const next = cur.next;
  return (
    <>
      <div className="ho-shifts">
        <div>{t('thisShift', { shift: shiftText(slot) })}</div>
        <div className="muted">
          {next ? (
            <>
              {t('nextShift', { shift: shiftText(next), who: next.primary?.name ?? '—' })}
              {next.leader ? t('nextLeader', { who: next.leader.name }) : ''}
            </>
          ) : (
            t('noNext')
          )}
        </div>
      </div>
      {cur.submitted ? (
        <>
          <p data-testid="handover-submitted">
            {t('submitted', { at: beijingShort(cur.submitted.submittedAt!, lang) })}
            {cur.submitted.acceptedAt
              ? t('acceptedBy', { who: cur.submitted.acceptedBy?.name ?? '', at: beijingShort(cur.submitted.acceptedAt, lang) })
              : t('waitingAccept', { who: cur.submitted.to?.name ?? '' })}
          </p>
          <Link href={`/handover/${cur.submitted.id}`} className="btn">
            {t('view')}
          </Link>
        </>
      ) : cur.prefill ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            submit.mutate();
          }}
        >
          <p className="muted small">{t('prefillHint')}</p>
          <SnapshotView s={cur.prefill} />
          <label className="field">
            <span>{t('notes')}</span>
            <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={4} maxLength={4000} placeholder={t('notesPh')} data-testid="handover-notes" />
          </label>
          <FormError error={submit.error} />
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={submit.isPending} data-testid="handover-submit">
              {t('submit')}
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}

function AcceptCard({ h }: { h: Handover }) {
  const t = useT(m);
  const { lang } = useLang();
  const shiftText = useShiftText();
  const invalidate = useInvalidate();
  const [note, setNote] = useState('');
  const accept = useMutation({
    mutationFn: () => call(api.handovers[':id'].accept.$post({ param: { id: String(h.id) }, json: { note: note.trim() } })),
    onSuccess: () => {
      toast(t('acceptedToast'));
      invalidate();
    },
  });
  return (
    <article className="ho-accept" data-testid="handover-accept-card">
      <h3>{shiftText(h)}</h3>
      <div className="muted small">{t('from', { who: h.from?.name ?? '—', at: h.submittedAt ? beijingShort(h.submittedAt, lang) : '—' })}</div>
      {h.notes ? (
        <p className="ho-notes">
          <strong>{t('notes')}：</strong>
          {h.notes}
        </p>
      ) : null}
      {h.snapshot ? <SnapshotView s={h.snapshot} /> : null}
      <label className="field">
        <span>{t('acceptNote')}</span>
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} data-testid="handover-accept-note" />
      </label>
      <FormError error={accept.error} />
      <div className="row">
        <button type="button" className="btn btn-primary" disabled={accept.isPending} onClick={() => accept.mutate()} data-testid="handover-accept">
          {t('accept')}
        </button>
      </div>
    </article>
  );
}

function HistorySection() {
  const t = useT(m);
  const { lang } = useLang();
  const shiftText = useShiftText();
  const [month, setMonth] = useState(() => shanghaiDay(new Date()).slice(0, 7));
  const q = useHandoverMonth(month);
  return (
    <section className="panel" data-testid="handover-history">
      <div className="panel-head">
        <h2>{t('history')}</h2>
        <span className="spacer" />
        <label className="field-inline">
          <span>{t('month')}</span>
          <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </label>
      </div>
      <div className="panel-body">
        {q.isPending ? (
          <Loading />
        ) : q.isError ? (
          <ErrorBox error={q.error} onRetry={() => void q.refetch()} />
        ) : q.data.handovers.length === 0 ? (
          <Empty title={t('emptyHistory')} />
        ) : (
          <ul className="ho-list">
            {q.data.handovers.map((h) => (
              <li key={h.id} className={`ho-row ${h.state}`} data-testid="handover-row" data-state={h.state}>
                <div className="ho-row-main">
                  <strong>{shiftText(h)}</strong>
                  <span className={`ho-state ${h.state}`}>{t(stateText(h))}</span>
                  {h.leaderNotifiedAt ? <span className="ho-state missing">{t('leaderTold')}</span> : null}
                </div>
                <div className="muted small">
                  {t('colFrom')}：{h.from?.name ?? '—'}
                  {h.submittedAt ? `（${beijingShort(h.submittedAt, lang)}）` : ''} · {t('colTo')}：{h.acceptedBy?.name ?? h.to?.name ?? '—'}
                  {h.acceptedAt ? `（${beijingShort(h.acceptedAt, lang)}）` : ''}
                </div>
                <Link href={`/handover/${h.id}`} className="ho-view">
                  {t('view')} ›
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
