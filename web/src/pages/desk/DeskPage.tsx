import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AlertStatus, DismissReason } from '../../../../core/vocabulary.js';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call, errorText } from '../../lib/api.js';
import { useAppEvents } from '../../lib/events.js';
import { useSession } from '../../lib/session.js';
import { useNow } from '../../lib/time.js';
import { AlertDetail } from './AlertDetail.js';
import { AlertQueue, type RowAction } from './AlertQueue.js';
import { OPEN_CASES_KEY, storyKey, useAlertQueue, type Alert } from './data.js';
import { DeskHead } from './DeskHead.js';
import { AttachDialog, DismissDialog, OpenCaseDialog, type Attached, type OpenedCase } from './dialogs.js';
import { useDeskKeys } from './keys.js';
import { m } from './messages.js';
import { OpenCases } from './OpenCases.js';
import { RegisterDialog } from './RegisterDialog.js';
import { beep, useSoundSetting } from './sound.js';
import './desk.css';

// 值班台: the live alert queue with one-key triage, the selected alert's items, and the open cases
// with their countdowns. New alerts arrive by server-sent events; nothing needs a reload.

type Dialog = { kind: RowAction; alert: Alert } | { kind: 'register' } | null;

const TABS: AlertStatus[] = ['new', 'dismissed', 'case'];

export default function DeskPage() {
  const t = useT(m);
  const { lang } = useLang();
  const label = useLabel();
  const qc = useQueryClient();
  const { can } = useSession();
  const canTriage = can('duty', 'admin');
  const [tab, setTab] = useState<AlertStatus>('new');
  const [overlay, setOverlay] = useState<ReadonlyMap<string, Alert>>(() => new Map());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [freshCase, setFreshCase] = useState<string | null>(null);
  const [sound, toggleSound] = useSoundSetting();
  const now = useNow(30_000);

  const newQ = useAlertQueue('new', overlay);
  const otherQ = useAlertQueue(tab === 'new' ? 'dismissed' : tab, overlay, tab !== 'new');
  const q = tab === 'new' ? newQ : otherQ;
  const alerts = q.alerts;
  const selected = selectedId === null ? null : (alerts.find((a) => a.id === selectedId) ?? overlay.get(selectedId) ?? null);

  const remember = useCallback((a: Alert) => setOverlay((prev) => new Map(prev).set(a.id, a)), []);

  // Live: fetch each created or updated alert and lay it over the fetched pages.
  const soundRef = useRef(sound);
  soundRef.current = sound;
  useAppEvents((ev) => {
    if (ev.type === 'alert.created' || ev.type === 'alert.updated') {
      void call(api.alerts[':id'].$get({ param: { id: ev.alertId } }))
        .then((a) => {
          remember(a);
          if (ev.type === 'alert.created' && a.status === 'new' && soundRef.current) beep();
        })
        .catch(() => {
          /* gone or not visible: the next full load settles it */
        });
      void qc.invalidateQueries({ queryKey: storyKey(ev.storyId) });
    } else if (ev.type === 'case.updated') {
      void qc.invalidateQueries({ queryKey: OPEN_CASES_KEY });
    }
  });

  // When the selected alert leaves the list (triaged), the one that took its place is selected.
  const lastIndex = useRef(-1);
  useEffect(() => {
    if (selectedId === null) return;
    const i = alerts.findIndex((a) => a.id === selectedId);
    if (i >= 0) {
      lastIndex.current = i;
      return;
    }
    if (dialog !== null) return;
    const next = alerts[Math.min(lastIndex.current, alerts.length - 1)];
    setSelectedId(next ? next.id : null);
  }, [alerts, selectedId, dialog]);

  const closeDialog = useCallback(() => setDialog(null), []);

  const dismiss = useMutation({
    mutationFn: ({ alert, reason }: { alert: Alert; reason: DismissReason }) =>
      call(api.alerts[':id'].dismiss.$post({ param: { id: alert.id }, json: { reason } })),
    onSuccess: (a) => {
      remember(a);
      setDialog(null);
      toast(t('dismissed', { t: label('dismissReason', a.dismissReason) }));
    },
    onError: (err, { alert }) => {
      setDialog(null);
      toast(errorText(err, lang), 'error');
      void call(api.alerts[':id'].$get({ param: { id: alert.id } })).then(remember, () => undefined);
    },
  });
  const pickReason = useCallback(
    (reason: DismissReason) => {
      if (dialog?.kind === 'dismiss') dismiss.mutate({ alert: dialog.alert, reason });
    },
    [dialog, dismiss],
  );

  const onOpened = useCallback(
    (c: OpenedCase, alert?: Alert) => {
      setDialog(null);
      if (alert) remember({ ...alert, status: 'case' });
      setFreshCase(c.id);
      toast(t('caseOpened', { number: c.number }));
      void qc.invalidateQueries({ queryKey: ['cases'] });
    },
    [qc, remember, t],
  );
  const onAttached = useCallback(
    (r: Attached, alert: Alert) => {
      setDialog(null);
      remember({ ...alert, status: 'case' });
      setFreshCase(r.caseId);
      toast(t('attached', { number: r.number }));
      void qc.invalidateQueries({ queryKey: ['cases'] });
    },
    [qc, remember, t],
  );

  const onAction = useCallback(
    (action: RowAction, alert: Alert) => {
      setSelectedId(alert.id);
      setDialog({ kind: action, alert });
    },
    [],
  );

  const select = useCallback((id: string) => setSelectedId(id), []);
  useDeskKeys({ enabled: dialog === null, alerts, selectedId, selected, canTriage, select, act: onAction });

  const newCount = newQ.newCount;
  const tabLabel = { new: t('tabNew'), dismissed: t('tabDismissed'), case: t('tabCase') };

  let body;
  if (q.isPending) body = <Loading />;
  else if (q.error) body = <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  else if (alerts.length === 0)
    body = tab === 'new' ? <Empty title={t('emptyNew')} hint={t('emptyNewHint')} /> : <Empty title={t('emptyOther')} hint={t('emptyOtherHint')} />;
  else
    body = (
      <AlertQueue
        alerts={alerts}
        selectedId={selectedId}
        canTriage={canTriage}
        now={now}
        onSelect={setSelectedId}
        onAction={onAction}
        footer={
          q.loadingMore ? (
            <p className="queue-foot muted small">{t('loadingMore', { n: alerts.length })}</p>
          ) : q.more ? (
            <p className="queue-foot">
              <button type="button" className="btn btn-sm" onClick={q.loadMore}>
                {t('loadMore')}
              </button>
            </p>
          ) : null
        }
      />
    );

  return (
    <div className="desk">
      <DeskHead newCount={newCount} pending={newQ.isPending} sound={sound} toggleSound={toggleSound} canTriage={canTriage} onRegister={() => setDialog({ kind: 'register' })} />
      <div className="desk-grid">
        <section className="panel desk-queue">
          <header className="panel-head desk-tabs" role="tablist">
            {TABS.map((s) => (
              <button
                key={s}
                type="button"
                role="tab"
                aria-selected={tab === s}
                className={`desk-tab${tab === s ? ' active' : ''}`}
                onClick={() => {
                  setTab(s);
                  setSelectedId(null);
                }}
              >
                {tabLabel[s]}
                {s === 'new' ? <span className="desk-tab-n num">{newQ.isPending ? '' : newCount}</span> : null}
              </button>
            ))}
          </header>
          <div className="queue-body">{body}</div>
        </section>
        <section className="panel desk-detail">
          <header className="panel-head">
            <h2>{t('detailTitle')}</h2>
          </header>
          <div className="detail-scroll">
            <AlertDetail alert={selected} now={now} />
          </div>
        </section>
        <OpenCases highlightId={freshCase} />
      </div>
      {dialog?.kind === 'dismiss' ? <DismissDialog alert={dialog.alert} busy={dismiss.isPending} onPick={pickReason} onClose={closeDialog} /> : null}
      {dialog?.kind === 'open' ? <OpenCaseDialog alert={dialog.alert} onClose={closeDialog} onOpened={(c) => onOpened(c, dialog.alert)} /> : null}
      {dialog?.kind === 'attach' ? <AttachDialog alert={dialog.alert} onClose={closeDialog} onAttached={(r) => onAttached(r, dialog.alert)} /> : null}
      {dialog?.kind === 'register' ? <RegisterDialog onClose={closeDialog} onOpened={(c) => onOpened(c)} /> : null}
    </div>
  );
}
