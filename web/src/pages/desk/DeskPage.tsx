import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearch } from 'wouter';
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

type Dialog = { kind: RowAction; alert: Alert } | { kind: 'register' } | { kind: 'bulk'; ids: string[] } | null;

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
  // /desk?alert=ID (the link in an alert push): that alert, selected, fetched if not loaded.
  const search = useSearch();
  const linkedId = new URLSearchParams(search).get('alert');
  const [pendingLink, setPendingLink] = useState<string | null>(null);
  // Alerts that arrived while the officer triages the 待研判 list: held back until asked for.
  const [held, setHeld] = useState<ReadonlyMap<string, Alert>>(() => new Map());
  const [undo, setUndo] = useState<{ alert: Alert; text: string; key: number } | null>(null);
  const [checked, setChecked] = useState<ReadonlySet<string>>(() => new Set());
  const tabRef = useRef(tab);
  tabRef.current = tab;

  const newQ = useAlertQueue('new', overlay);
  const otherQ = useAlertQueue(tab === 'new' ? 'dismissed' : tab, overlay, tab !== 'new');
  const q = tab === 'new' ? newQ : otherQ;
  const alerts = q.alerts;
  const selected = selectedId === null ? null : (alerts.find((a) => a.id === selectedId) ?? overlay.get(selectedId) ?? null);

  const remember = useCallback((a: Alert) => {
    setOverlay((prev) => new Map(prev).set(a.id, a));
    setHeld((prev) => {
      if (!prev.has(a.id)) return prev;
      const next = new Map(prev);
      if (a.status === 'new') next.set(a.id, a);
      else next.delete(a.id);
      return next;
    });
  }, []);

  useEffect(() => {
    if (!linkedId) return;
    setPendingLink(linkedId);
    setSelectedId(linkedId);
    let live = true;
    call(api.alerts[':id'].$get({ param: { id: linkedId } }))
      .then((a) => {
        if (!live) return;
        remember(a);
        setTab(a.status);
        setSelectedId(a.id);
        setPendingLink(null);
      })
      .catch(() => {
        if (!live) return;
        setPendingLink(null);
        setSelectedId(null);
        toast(t('alertGone'), 'error');
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [linkedId]);

  // Opening an alert acknowledges its push (once per alert; not pushed or gone: nothing to do).
  const acked = useRef(new Set<string>());
  const selectedKnown = selected?.id ?? null;
  useEffect(() => {
    if (!canTriage || selectedKnown === null || acked.current.has(selectedKnown)) return;
    acked.current.add(selectedKnown);
    void api.alerts[':id'].acknowledge.$post({ param: { id: selectedKnown } }).catch(() => undefined);
  }, [canTriage, selectedKnown]);

  // Live: fetch each created or updated alert and lay it over the fetched pages. A new alert not in
  // the 待研判 list yet is held for the bar, whether the event said created or updated (a repost on a
  // held alert's story, a reopened or restored alert, or the two reads answered out of order).
  const alertsRef = useRef(alerts);
  alertsRef.current = alerts;
  const soundRef = useRef(sound);
  soundRef.current = sound;
  useAppEvents((ev) => {
    if (ev.type === 'alert.created' || ev.type === 'alert.updated') {
      void call(api.alerts[':id'].$get({ param: { id: ev.alertId } }))
        .then((a) => {
          const known = alertsRef.current.some((x) => x.id === a.id);
          if (a.status === 'new' && tabRef.current === 'new' && !known) {
            setHeld((prev) => new Map(prev).set(a.id, a));
          } else remember(a);
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
    if (selectedId === null || selectedId === pendingLink) return;
    const i = alerts.findIndex((a) => a.id === selectedId);
    if (i >= 0) {
      lastIndex.current = i;
      return;
    }
    if (dialog !== null) return;
    const next = alerts[Math.min(lastIndex.current, alerts.length - 1)];
    setSelectedId(next ? next.id : null);
  }, [alerts, selectedId, dialog, pendingLink]);

  const closeDialog = useCallback(() => setDialog(null), []);

  const dismiss = useMutation({
    mutationFn: ({ alert, reason, note }: { alert: Alert; reason: DismissReason; note?: string }) =>
      call(api.alerts[':id'].dismiss.$post({ param: { id: alert.id }, json: note ? { reason, note } : { reason } })),
    onSuccess: (a) => {
      remember(a);
      setDialog(null);
      setUndo({ alert: a, text: t('dismissed', { t: label('dismissReason', a.dismissReason) }), key: Date.now() });
    },
    onError: (err, { alert }) => {
      setDialog(null);
      toast(errorText(err, lang), 'error');
      void call(api.alerts[':id'].$get({ param: { id: alert.id } })).then(remember, () => undefined);
    },
  });
  const pickReason = useCallback(
    (reason: DismissReason, note?: string) => {
      if (dialog?.kind === 'dismiss') dismiss.mutate({ alert: dialog.alert, reason, note });
    },
    [dialog, dismiss],
  );

  // The undo bar stays 10 s after a dismissal.
  useEffect(() => {
    if (!undo) return;
    const timer = setTimeout(() => setUndo((u) => (u?.key === undo.key ? null : u)), 10_000);
    return () => clearTimeout(timer);
  }, [undo]);

  const restore = useMutation({
    mutationFn: (alert: Alert) => call(api.alerts[':id'].restore.$post({ param: { id: alert.id } })),
    onSuccess: (a, _alert) => {
      remember(a);
      toast(t('restored'));
    },
    onError: (err, alert) => {
      toast(errorText(err, lang), 'error');
      void call(api.alerts[':id'].$get({ param: { id: alert.id } })).then(remember, () => undefined);
    },
  });
  const onRestore = useCallback((a: Alert) => restore.mutate(a), [restore]);
  const onUndo = useCallback(() => {
    if (!undo) return;
    setUndo(null);
    restore.mutate(undo.alert);
  }, [undo, restore]);

  const freshHeld = useMemo(() => [...held.values()].filter((a) => !alerts.some((x) => x.id === a.id)), [held, alerts]);
  const showHeld = useCallback(() => {
    setOverlay((prev) => {
      const next = new Map(prev);
      for (const a of held.values()) next.set(a.id, a);
      return next;
    });
    setHeld(new Map());
  }, [held]);
  // Leaving the 待研判 list lets the held alerts in.
  useEffect(() => {
    if (tab !== 'new' && held.size > 0) showHeld();
  }, [tab, held, showHeld]);

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
  const toggle = useCallback(
    (a: Alert) =>
      setChecked((prev) => {
        const next = new Set(prev);
        if (next.has(a.id)) next.delete(a.id);
        else next.add(a.id);
        return next;
      }),
    [],
  );
  useDeskKeys({ enabled: dialog === null, alerts, selectedId, selected, canTriage, select, act: onAction, toggle });
  // Only alerts still awaiting triage on the list count as selected for the bulk action.
  const checkedIds = useMemo(() => (tab === 'new' ? alerts.filter((a) => checked.has(a.id) && a.status === 'new').map((a) => a.id) : []), [alerts, checked, tab]);

  const dismissMany = useMutation({
    mutationFn: ({ ids, reason, note }: { ids: string[]; reason: DismissReason; note?: string }) =>
      call(api.alerts.dismiss.$post({ json: note ? { ids, reason, note } : { ids, reason } })),
    onSuccess: (r, { reason }) => {
      for (const a of r.dismissed) remember(a);
      setDialog(null);
      setChecked(new Set());
      toast(t('bulkDone', { n: r.dismissed.length, t: label('dismissReason', reason) }));
      if (r.skipped.length > 0) {
        toast(t('bulkSkipped', { n: r.skipped.length }), 'error');
        for (const s of r.skipped) void call(api.alerts[':id'].$get({ param: { id: s.id } })).then(remember, () => undefined);
      }
    },
    onError: (err) => {
      setDialog(null);
      toast(errorText(err, lang), 'error');
    },
  });
  const pickBulkReason = useCallback(
    (reason: DismissReason, note?: string) => {
      if (dialog?.kind === 'bulk') dismissMany.mutate({ ids: dialog.ids, reason, note });
    },
    [dialog, dismissMany],
  );

  const newCount = newQ.newCount + freshHeld.length;
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
        onRestore={onRestore}
        checked={checked}
        onToggle={canTriage && tab === 'new' ? toggle : undefined}
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
          <div className="queue-body">
            {checkedIds.length > 0 ? (
              <div className="bulk-bar" data-testid="bulk-bar">
                <span>{t('selectedN', { n: checkedIds.length })}</span>
                <button type="button" className="btn btn-sm btn-primary" onClick={() => setDialog({ kind: 'bulk', ids: checkedIds })}>
                  {t('bulkDismiss')}
                </button>
                <button type="button" className="btn btn-sm" onClick={() => setChecked(new Set())}>
                  {t('clearSelection')}
                </button>
              </div>
            ) : null}
            {tab === 'new' && freshHeld.length > 0 ? (
              <button type="button" className="fresh-bar" data-testid="fresh-bar" onClick={showHeld}>
                {t('freshBar', { n: freshHeld.length })}
              </button>
            ) : null}
            {body}
          </div>
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
      {undo ? (
        <div className="toast toast-ok desk-undo" role="status" data-testid="undo-bar">
          <span>{undo.text}</span>
          <button type="button" className="btn btn-sm" onClick={onUndo}>
            {t('undo')}
          </button>
        </div>
      ) : null}
      {dialog?.kind === 'bulk' ? <DismissDialog title={t('bulkTitle', { n: dialog.ids.length })} busy={dismissMany.isPending} onPick={pickBulkReason} onClose={closeDialog} /> : null}
      {dialog?.kind === 'dismiss' ? <DismissDialog alert={dialog.alert} busy={dismiss.isPending} onPick={pickReason} onClose={closeDialog} /> : null}
      {dialog?.kind === 'open' ? <OpenCaseDialog alert={dialog.alert} onClose={closeDialog} onOpened={(c) => onOpened(c, dialog.alert)} /> : null}
      {dialog?.kind === 'attach' ? <AttachDialog alert={dialog.alert} onClose={closeDialog} onAttached={(r) => onAttached(r, dialog.alert)} /> : null}
      {dialog?.kind === 'register' ? <RegisterDialog onClose={closeDialog} onOpened={(c) => onOpened(c)} /> : null}
    </div>
  );
}
