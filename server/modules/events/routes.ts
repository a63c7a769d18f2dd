import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { alertChangeKey, alertChangesAfter } from '../../../db/repos/alerts.js';
import { eventVisibleTo, type AppEvent } from '../../../platform/queues.js';
import { ANY_ROLE, currentUser, requireRole, type SessionUser } from '../../middleware/auth.js';
import { visibleCase } from '../../../db/repos/case-access.js';
import { createRouter } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { formatEventId, maxKey, parseEventId, type EventKey } from './event-id.js';
import { AsyncQueue } from './queue.js';

// Server-sent events for the live dashboard. Each `data:` is one AppEvent as JSON (ids only:
// clients re-read). Alert events carry an `id:` — the highest alert change key this stream has
// delivered (see event-id.ts) — so a reconnecting browser's Last-Event-ID replays, from Postgres,
// every alert changed since. The replay starts REPLAY_OVERLAP before that key because updated_at is
// the writing transaction's start time and a slow transaction can commit an older key after a newer
// one was delivered; repeats are harmless since events only say "re-read this alert".

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
  summary: '实时事件（Server-Sent Events），支持 Last-Event-ID 断线补发',
  responses: {
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

export function eventsRoutes(deps: ModuleDeps) {
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

  async function run(stream: SSEStreamingApi, signal: AbortSignal, lastEventId: string | undefined, user: SessionUser | null): Promise<void> {
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
    const unsubscribe = deps.events.subscribe(
      // A notification event reaches only its own user's streams.
      (ev) => (!eventVisibleTo(ev, userId) ? undefined : queue.size >= MAX_BACKLOG ? queue.close() : queue.push(ev)),
      () => queue.close(),
    );
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
      unsubscribe();
      signal.removeEventListener('abort', stop);
    }
  }

  return createRouter().openapi(route, (c) => {
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    const user = signedInUser(c);
    return streamSSE(
      c,
      (stream) => run(stream, c.req.raw.signal, lastEventId, user),
      async (err) => {
        deps.logger.warn({ err, request_id: c.get('requestId') }, 'Event stream failed');
      },
    );
  });
}

/** The signed-in user, or null (then no notification events are relayed). */
function signedInUser(c: Parameters<typeof currentUser>[0]): SessionUser | null {
  try {
    return currentUser(c);
  } catch {
    return null;
  }
}

const CASE_VISIBILITY_TTL_MS = 30_000;
