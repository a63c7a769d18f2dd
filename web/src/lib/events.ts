import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { AppEvent } from '../../../platform/queues.js';
import { apiFetch, failure, onUnauthorized } from './api.js';

// One EventSource per tab on /api/events (server-sent events; the browser reconnects by itself
// and resumes from the last event id). Screens subscribe with useAppEvents.
//
// A refused connection (429: too many streams of this session or user; 401: the session ended)
// makes the browser give up for good (readyState CLOSED) instead of retrying. We retry ourselves,
// slowly — 15 s, doubling up to 5 minutes, with jitter, back to 15 s once a stream opens — and ask
// GET /api/auth/me first, so an ended session signs the tab out instead of knocking again.

type Listener = (ev: AppEvent) => void;
const listeners = new Set<Listener>();
const statusListeners = new Set<() => void>();
let source: EventSource | null = null;
let connected = false;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
const RETRY_FIRST_MS = 15_000;
const RETRY_MAX_MS = 5 * 60_000;
let retryMs = RETRY_FIRST_MS;

function setConnected(v: boolean) {
  if (connected === v) return;
  connected = v;
  for (const fn of statusListeners) fn();
}

/** Opens the stream again after the browser gave up, if the session is still alive. */
function scheduleRetry() {
  if (retryTimer) return;
  const wait = retryMs * (0.8 + Math.random() * 0.4);
  retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void apiFetch('/api/auth/me').then(
      async (res) => {
        // 401: failure() tells the session, which signs out (and closes the stream below).
        if (!res.ok) {
          await failure(res);
          if (res.status !== 401) scheduleRetry();
          return;
        }
        if (listeners.size > 0 || statusListeners.size > 0) ensureSource();
      },
      () => scheduleRetry(),
    );
  }, wait);
}

function ensureSource() {
  if (source || retryTimer || typeof EventSource === 'undefined') return;
  const es = new EventSource('/api/events');
  source = es;
  es.onopen = () => {
    retryMs = RETRY_FIRST_MS;
    setConnected(true);
  };
  es.onerror = () => {
    setConnected(false);
    // CONNECTING: the browser retries by itself (a dropped connection). CLOSED: it was refused.
    if (es.readyState === EventSource.CLOSED && source === es) {
      source = null;
      scheduleRetry();
    }
  };
  es.onmessage = (msg) => {
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
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  retryMs = RETRY_FIRST_MS;
  setConnected(false);
}

// The session ended (any request answered 401): no stream until the next sign-in opens one.
onUnauthorized(closeEvents);

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
