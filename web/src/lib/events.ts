import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { AppEvent } from '../../../platform/queues.js';

// One EventSource per tab on /api/events (server-sent events; the browser reconnects by itself
// and resumes from the last event id). Screens subscribe with useAppEvents.

type Listener = (ev: AppEvent) => void;
const listeners = new Set<Listener>();
const statusListeners = new Set<() => void>();
let source: EventSource | null = null;
let connected = false;

function setConnected(v: boolean) {
  if (connected === v) return;
  connected = v;
  for (const fn of statusListeners) fn();
}

function ensureSource() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/events');
  source.onopen = () => setConnected(true);
  source.onerror = () => setConnected(false);
  source.onmessage = (msg) => {
    let ev: AppEvent;
    try {
      ev = JSON.parse(msg.data as string) as AppEvent;
    } catch {
      return;
    }
    for (const fn of listeners) fn(ev);
  };
}

/** Closes the stream (on sign-out). */
export function closeEvents(): void {
  source?.close();
  source = null;
  setConnected(false);
}

/** Calls `handler` for every live event while the component is mounted. */
export function useAppEvents(handler: Listener): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    ensureSource();
    const fn: Listener = (ev) => ref.current(ev);
    listeners.add(fn);
    return () => {
      listeners.delete(fn);
    };
  }, []);
}

/** Whether the live stream is connected. */
export function useLiveStatus(): boolean {
  return useSyncExternalStore(
    (cb) => {
      ensureSource();
      statusListeners.add(cb);
      return () => statusListeners.delete(cb);
    },
    () => connected,
  );
}
