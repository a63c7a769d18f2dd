import { useEffect } from 'react';
import type { RowAction } from './AlertQueue.js';
import type { Alert } from './data.js';

// The desk's keyboard: j / k move, d / o / a triage; ignored while typing or while a dialog is open.

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && typeof el.closest === 'function' && el.closest('input, textarea, select, [contenteditable="true"], [contenteditable=""]') !== null;
}

export function useDeskKeys({ enabled, alerts, selectedId, selected, canTriage, select, act, toggle }: { enabled: boolean; alerts: Alert[]; selectedId: string | null; selected: Alert | null; canTriage: boolean; select: (id: string) => void; act: (action: RowAction, alert: Alert) => void; toggle?: (alert: Alert) => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!enabled || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === 'j' || key === 'k') {
        e.preventDefault();
        if (alerts.length === 0) return;
        const i = selectedId === null ? -1 : alerts.findIndex((a) => a.id === selectedId);
        const next = i < 0 ? 0 : Math.max(0, Math.min(alerts.length - 1, i + (key === 'j' ? 1 : -1)));
        select(alerts[next].id);
        return;
      }
      if (key === 'x' && toggle && canTriage && selected && selected.status === 'new') {
        e.preventDefault();
        toggle(selected);
        return;
      }
      const action: RowAction | null = key === 'd' ? 'dismiss' : key === 'o' ? 'open' : key === 'a' ? 'attach' : null;
      if (action && canTriage && selected && selected.status === 'new') {
        e.preventDefault();
        act(action, selected);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, alerts, selectedId, selected, canTriage, select, act, toggle]);
}
