import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import { Highlight } from '../../components/Highlight.js';
import { Tag } from '../../components/Tag.js';
import { useIsPhone } from '../../components/useMedia.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { fmtDateTime, fmtRelative } from '../../lib/time.js';
import type { Alert } from './data.js';
import { m } from './messages.js';

/** core/sentiment.ts NEGATIVE_THRESHOLD: from here on a text reads as negative. */
const NEGATIVE = 0.3;
const ROW_HEIGHT = 82;
/** A row naming its 地域 has one line more. */
const PLACES_LINE = 20;
/** On a phone the triage buttons sit on a line of their own below the text (44 px and a gap). */
const ACTIONS_LINE = 50;
const rowHeight = (a: Alert, actionsBelow: boolean): number => ROW_HEIGHT + (a.places.length > 0 ? PLACES_LINE : 0) + (actionsBelow ? ACTIONS_LINE : 0);

export type RowAction = 'dismiss' | 'open' | 'attach';

interface RowProps {
  alert: Alert;
  selected: boolean;
  canTriage: boolean;
  now: Date;
  onSelect: (id: string) => void;
  onAction: (action: RowAction, alert: Alert) => void;
  onRestore?: (alert: Alert) => void;
  checked?: boolean;
  onToggle?: (alert: Alert) => void;
}

const AlertRow = memo(function AlertRow({ alert: a, selected, canTriage, now, onSelect, onAction, onRestore, checked, onToggle }: RowProps) {
  const t = useT(m);
  const { lang } = useLang();
  const label = useLabel();
  const sources = a.sourceNames.slice(0, 2).join('、') + (a.sourceNames.length > 2 ? ` ${t('moreSources', { n: a.sourceNames.length })}` : '');
  return (
    <div
      className={`alert-row${selected ? ' selected' : ''}${a.spike ? ' spike' : ''}`}
      data-testid="alert-row"
      data-alert-id={a.id}
      data-story-id={a.storyId}
      data-status={a.status}
      aria-selected={selected}
      role="option"
      onClick={() => onSelect(a.id)}
    >
      {canTriage && a.status === 'new' && onToggle ? (
        <label className="alert-check-hit" onClick={(e) => e.stopPropagation()}>
          <input type="checkbox" className="alert-check" data-testid="alert-check" checked={!!checked} title={t('check')} aria-label={t('check')} onChange={() => onToggle(a)} />
        </label>
      ) : null}
      <div className="alert-main">
        <div className="alert-title" title={a.storyTitle}>
          <Highlight text={a.storyTitle} words={a.matchedWords} />
        </div>
        <div className="alert-meta">
          {a.spike ? (
            <Tag tone="red" title={a.spikeAt ? fmtDateTime(a.spikeAt) : undefined}>
              ▲ {t('spike')}
            </Tag>
          ) : null}
          {a.negativity >= NEGATIVE ? <Tag tone="amber">{t('negative')}</Tag> : null}
          <span className="heat num" title={t('heat', { items: a.heat.itemCount, sources: a.heat.sourceCount })}>
            <b>{a.heat.itemCount}</b> {t('heatUnit')} · {t('heatSources', { n: a.heat.sourceCount })}
          </span>
          {a.rules.map((r) => (
            <Tag key={r.id} tone="blue">
              {r.name ?? `#${r.id}`}
            </Tag>
          ))}
          {a.status === 'dismissed' && a.dismissReason ? <Tag>{t('dismissedAs', { r: label('dismissReason', a.dismissReason) })}</Tag> : null}
        </div>
        {a.places.length > 0 ? (
          <div className="alert-places" data-testid="alert-places" title={a.places.join('、')}>
            {t('placesShown', { places: a.places.join('、') })}
          </div>
        ) : null}
        {a.status === 'dismissed' ? (
          <div className="alert-sub muted small" data-testid="dismissed-by">
            <span className="nowrap">{t('dismissedByAt', { who: a.dismissedBy ?? t('someone'), at: fmtDateTime(a.dismissedAt) })}</span>
            {a.dismissNote ? (
              <span className="alert-note" title={a.dismissNote}>
                {t('noteShown', { note: a.dismissNote })}
              </span>
            ) : null}
          </div>
        ) : (
          <div className="alert-sub muted small">
            <span className="alert-sources" title={a.sourceNames.join('、')}>
              {sources}
            </span>
            <span className="nowrap" title={fmtDateTime(a.heat.firstSeenAt)}>
              {t('firstSeen')} {fmtRelative(a.heat.firstSeenAt, now, lang)}
            </span>
          </div>
        )}
      </div>
      {canTriage && a.status === 'new' ? (
        <div className="alert-actions" onClick={(e) => e.stopPropagation()}>
          <button type="button" className="btn btn-sm" onClick={() => onAction('dismiss', a)} title={t('keyHint', { k: 'D' })}>
            {t('dismiss')}
          </button>
          <button type="button" className="btn btn-sm btn-primary" onClick={() => onAction('open', a)} title={`${t('openCase')} · ${t('keyHint', { k: 'O' })}`} aria-label={t('openCase')}>
            {t('openCaseShort')}
          </button>
          <button type="button" className="btn btn-sm" onClick={() => onAction('attach', a)} title={t('keyHint', { k: 'A' })}>
            {t('attach')}
          </button>
        </div>
      ) : null}
      {canTriage && a.status === 'dismissed' && onRestore ? (
        <div className="alert-actions" onClick={(e) => e.stopPropagation()}>
          <button type="button" className="btn btn-sm" onClick={() => onRestore(a)} data-testid="restore">
            {t('restore')}
          </button>
        </div>
      ) : null}
    </div>
  );
});

export function AlertQueue({
  alerts,
  selectedId,
  canTriage,
  now,
  onSelect,
  onAction,
  onRestore,
  checked,
  onToggle,
  footer,
}: {
  alerts: Alert[];
  selectedId: string | null;
  canTriage: boolean;
  now: Date;
  onSelect: (id: string) => void;
  onAction: (action: RowAction, alert: Alert) => void;
  onRestore?: (alert: Alert) => void;
  checked?: ReadonlySet<string>;
  onToggle?: (alert: Alert) => void;
  footer?: React.ReactNode;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const phone = useIsPhone();
  const hasActions = (a: Alert) => canTriage && (a.status === 'new' || (a.status === 'dismissed' && !!onRestore));
  const v = useVirtualizer({
    count: alerts.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => rowHeight(alerts[i], phone && hasActions(alerts[i])),
    overscan: 6,
    getItemKey: (i) => alerts[i].id,
  });
  const selectedIndex = selectedId === null ? -1 : alerts.findIndex((a) => a.id === selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) v.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, v]);
  return (
    <div className="queue-scroll" ref={scrollRef} role="listbox" aria-label="alerts">
      <div className="queue-inner" style={{ height: v.getTotalSize() }}>
        {v.getVirtualItems().map((item) => {
          const a = alerts[item.index];
          return (
            <div key={item.key} className="queue-slot" style={{ height: item.size, transform: `translateY(${item.start}px)` }}>
              <AlertRow alert={a} selected={a.id === selectedId} canTriage={canTriage} now={now} onSelect={onSelect} onAction={onAction} onRestore={onRestore} checked={checked?.has(a.id) ?? false} onToggle={onToggle} />
            </div>
          );
        })}
      </div>
      {footer}
    </div>
  );
}
