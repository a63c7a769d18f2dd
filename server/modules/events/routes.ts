import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { alertChangeKey, alertChangesAfter } from '../../../db/repos/alerts.js';
import { eventVisibleTo, type AppEvent } from '../../../platform/queues.js';
import { ANY_ROLE, currentUser, requireRole, type SessionUser } from '../../middleware/auth.js';
import { visibleCase } from '../../../db/repos/case-access.js';
import { AppError } from '../../../platform/errors.js';
import { createRouter, errors } from '../../openapi.js';
import { sessionAlive } from '../auth/session.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { formatEventId, maxKey, parseEventId, type EventKey } from './event-id.js';
import { AsyncQueue } from './queue.js';

// Server-sent events for the live dashboard. Each `data:` is one AppEvent as JSON (ids only:
// clients re-read). Alert events carry an `id:` — the highest alert change key this stream has
// delivered (see event-id.ts) — so a reconnecting browser's Last-Event-ID replays, from Postgres,
// every alert changed since. The replay starts REPLAY_OVERLAP before that key because updated_at is
// the writing transaction's start time and a slow transaction can commit an older key after a newer
// one was delivered; repeats are harmless since events only say "re-read this alert".
//
// A stream lives no longer than its session: it re-checks the session every sessionCheckMs, and at
// once when a session.revoked event names its user (sign-out, password change, disabled, role
// changed), and ends when the session has. Streams are counted per session and per user in this
// process; one over the cap is refused with 429 before it starts.

export interface LiveEventOptions {
  /** How often an open stream re-checks its session (ms). */
  sessionCheckMs: number;
  /** Open streams one session may have (one per dashboard tab). */
  maxPerSession: number;
  /** Open streams one user may have over all their sessions. */
  maxPerUser: number;
}

export const LIVE_EVENT_DEFAULTS: LiveEventOptions = { sessionCheckMs: 30_000, maxPerSession: 5, maxPerUser: 10 };

export const HEARTBEAT_MS = 15_000;
const REPLAY_OVERLAP_MICROS = 30_000_000n;
const REPLAY_PAGE = 500;
/** A client this far behind is cut off; it reconnects with Last-Event-ID and catches up from Postgres. */
const MAX_BACKLOG = 1000;

const route = createRoute({
  method: 'get',
  path: '/api/events',
  tags: ['events'],
  middleware: [requireRole(...ANY_ROLE)],
  summary: '实时事件（Server-Sent Events），支持 Last-Event-ID 断线补发；每次登录至多 5 个、每个账号至多 10 个连接',
  responses: {
    401: errors[401],
    429: errors[429],
    200: {
      description: 'text/event-stream; each data line is an AppEvent JSON: {type: "alert.created"|"alert.updated", alertId, storyId} | {type: "source.updated", sourceId}',
      content: { 'text/event-stream': { schema: z.string() } },
    },
  },
});

interface Outgoing {
  ev: AppEvent;
  key: EventKey | null;
}

function tooManyStreams(per: 'session' | 'user'): AppError {
  return per === 'session'
    ? new AppError({
        code: 'RATE_LIMITED',
        message: 'Too many live-event connections for this session; close other tabs of the dashboard and try again',
        messageZh: '本次登录打开的实时推送连接过多，请关闭多余的页面后再试',
      })
    : new AppError({
        code: 'RATE_LIMITED',
        message: 'Too many live-event connections for this user; close other tabs or sign out elsewhere and try again',
        messageZh: '该账号打开的实时推送连接过多，请关闭多余的页面或在其他设备上退出后再试',
      });
}

export function eventsRoutes(deps: ModuleDeps, options: Partial<LiveEventOptions> = {}) {
  const opts: LiveEventOptions = { ...LIVE_EVENT_DEFAULTS, ...options };
  const perSession = new Map<string, number>();
  const perUser = new Map<number, number>();
  const bump = <K>(m: Map<K, number>, k: K, by: number) => {
    const n = (m.get(k) ?? 0) + by;
    if (n > 0) m.set(k, n);
    else m.delete(k);
  };
  /** Counts a new stream of this session and user (429 over a cap); returns its release, safe to call twice. */
  const admit = (sessionId: string, userId: number): (() => void) => {
    if ((perSession.get(sessionId) ?? 0) >= opts.maxPerSession) throw tooManyStreams('session');
    if ((perUser.get(userId) ?? 0) >= opts.maxPerUser) throw tooManyStreams('user');
    bump(perSession, sessionId, 1);
    bump(perUser, userId, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(perSession, sessionId, -1);
      bump(perUser, userId, -1);
    };
  };

  // One key lookup per published event, shared by every stream that relays it.
  const keyOf = new WeakMap<AppEvent, Promise<EventKey | null>>();
  const keyFor = (ev: AppEvent): Promise<EventKey | null> => {
    if (ev.type !== 'alert.created' && ev.type !== 'alert.updated') return Promise.resolve(null);
    let p = keyOf.get(ev);
    if (!p) {
      p = alertChangeKey(deps.db, ev.alertId).then(
        (micros) => (micros === undefined ? null : { micros: BigInt(micros), alertId: BigInt(ev.alertId) }),
        () => null,
      );
      keyOf.set(ev, p);
    }
    return p;
  };

  async function replay(after: EventKey, send: (o: Outgoing) => Promise<void>): Promise<void> {
    let from: EventKey = { micros: after.micros - REPLAY_OVERLAP_MICROS, alertId: 0n };
    for (;;) {
      const changes = await alertChangesAfter(deps.db, from, REPLAY_PAGE);
      for (const ch of changes) {
        from = { micros: BigInt(ch.updatedMicros), alertId: BigInt(ch.alertId) };
        if (from.micros === after.micros && from.alertId === after.alertId) continue;
        await send({ ev: { type: ch.created ? 'alert.created' : 'alert.updated', alertId: ch.alertId, storyId: ch.storyId }, key: from });
      }
      if (changes.length < REPLAY_PAGE) return;
    }
  }

  async function run(
    stream: SSEStreamingApi,
    signal: AbortSignal,
    lastEventId: string | undefined,
    user: SessionUser | null,
    sessionId: string | null,
  ): Promise<void> {
    const userId = user?.id ?? null;
    // Handlers neither triage alerts nor see other departments' cases: their stream carries only
    // their notifications and the cases of their departments (checked, then cached briefly).
    const seesAlerts = user !== null && user.role !== 'handler';
    const caseVisible = new Map<string, { ok: boolean; at: number }>();
    const mayReceive = async (ev: AppEvent): Promise<boolean> => {
      if (ev.type === 'alert.created' || ev.type === 'alert.updated') return seesAlerts;
      if (ev.type !== 'case.updated' || !user || user.role !== 'handler') return true;
      const hit = caseVisible.get(ev.caseId);
      if (hit && Date.now() - hit.at < CASE_VISIBILITY_TTL_MS) return hit.ok;
      const ok = (await visibleCase(deps.db, ev.caseId, { id: user.id, role: user.role, departmentId: user.departmentId })) !== undefined;
      caseVisible.set(ev.caseId, { ok, at: Date.now() });
      return ok;
    };
    const queue = new AsyncQueue<AppEvent>();
    // Session re-checks, one at a time; a request for one while another runs runs again after it
    // (that one may have read the session before it ended).
    let checking = false;
    let again = false;
    const recheck = (): void => {
      if (sessionId === null || queue.closed) return;
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      sessionAlive(deps, sessionId)
        .then(
          (ok) => {
            if (!ok) queue.close();
          },
          (err: unknown) => deps.logger.warn({ err }, 'Event stream could not re-check its session'),
        )
        .finally(() => {
          checking = false;
          if (again) {
            again = false;
            recheck();
          }
        });
    };
    const timer = setInterval(recheck, opts.sessionCheckMs);
    const unsubscribe = deps.events.subscribe(
      (ev) => {
        if (ev.type === 'session.revoked') {
          if (ev.userId === userId) recheck();
          return;
        }
        // A notification event reaches only its own user's streams.
        if (!eventVisibleTo(ev, userId)) return;
        if (queue.size >= MAX_BACKLOG) queue.close();
        else queue.push(ev);
      },
      () => queue.close(),
    );
    // Once more now that it listens: a session ended between the request's check and the
    // subscription would otherwise be noticed only at the first periodic check.
    recheck();
    const stop = () => queue.close();
    stream.onAbort(stop);
    signal.addEventListener('abort', stop);
    let cursor: EventKey | null = null;
    const send = async ({ ev, key }: Outgoing) => {
      if (key) cursor = maxKey(cursor, key);
      await stream.writeSSE({ data: JSON.stringify(ev), ...(key && cursor ? { id: formatEventId(cursor) } : {}) });
    };
    try {
      await stream.write(': connected\nretry: 3000\n\n');
      const after = parseEventId(lastEventId);
      if (after && seesAlerts) await replay(after, send);
      for (;;) {
        const next = await queue.next(HEARTBEAT_MS);
        if (next.kind === 'closed' || stream.aborted) break;
        if (next.kind === 'timeout') await stream.write(': ping\n\n');
        else if (await mayReceive(next.value)) await send({ ev: next.value, key: await keyFor(next.value) });
      }
    } finally {
      clearInterval(timer);
      unsubscribe();
      signal.removeEventListener('abort', stop);
    }
  }

  return createRouter().openapi(route, (c) => {
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    const user = currentUser(c);
    const sessionId = c.get('session')?.id ?? null;
    const release = sessionId === null ? () => {} : admit(sessionId, user.id);
    try {
      return streamSSE(
        c,
        async (stream) => {
          try {
            await run(stream, c.req.raw.signal, lastEventId, user, sessionId);
          } finally {
            release();
          }
        },
        async (err) => {
          deps.logger.warn({ err, request_id: c.get('requestId') }, 'Event stream failed');
        },
      );
    } catch (err) {
      release();
      throw err;
    }
  });
}

const CASE_VISIBILITY_TTL_MS = 30_000;
