import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { serve } from '@hono/node-server';
import type { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import { createApp } from './app.js';
import type { Config } from '../platform/config.js';
import { connectRedisEvents, EventHub, type RedisEventsConnection } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';

export interface StartServerOptions {
  config: Config;
  db: Db;
  /** The command connection; a duplicate is made for the events subscription. Null runs without Redis. */
  redis: Redis | null;
  logger: Logger;
  webDir?: string | null;
}

export interface RunningServer {
  /** The port actually bound (PORT 0 asks the OS for a free one). */
  port: number;
  /** Stops accepting connections, ends SSE streams, unsubscribes from Redis. */
  close(): Promise<void>;
}

/** How long close() lets in-flight requests finish before cutting the remaining connections. */
const CLOSE_GRACE_MS = 5000;

/**
 * Counts in-flight requests per socket so close() can end keep-alive connections the moment they
 * fall idle (Node's closeIdleConnections misses sockets that never sent a request).
 */
function trackConnections(server: Server) {
  const active = new Map<Socket, number>();
  let draining = false;
  server.on('connection', (socket: Socket) => {
    active.set(socket, 0);
    socket.once('close', () => active.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    active.set(socket, (active.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (active.get(socket) ?? 1) - 1;
      active.set(socket, left);
      if (draining && left === 0) socket.destroy();
    });
  });
  return {
    drain() {
      draining = true;
      for (const [socket, n] of active) if (n === 0) socket.destroy();
    },
  };
}

export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const { config, db, redis, logger } = opts;
  const events = new EventHub();
  let subscription: RedisEventsConnection | null = null;
  let subscribing: Promise<void> = Promise.resolve();
  let stopping = false;
  if (redis) {
    const subscriber = redis.duplicate();
    subscriber.on('error', (err) => logger.warn({ err: err.message }, 'Redis subscriber error'));
    // Redis may be down at start-up: serve at once (/api/health says degraded) and subscribe as
    // soon as Redis answers, instead of failing start-up. Later reconnects re-subscribe by themselves.
    let firstAttemptDone: () => void = () => {};
    const firstAttempt = new Promise<void>((r) => (firstAttemptDone = r));
    subscribing = (async () => {
      for (let attempt = 0; !stopping; attempt++) {
        try {
          subscription = await connectRedisEvents(events, subscriber, config.QUEUE_PREFIX);
          if (attempt > 0) logger.info('Redis answers again: live events resumed');
          return;
        } catch (err) {
          if (attempt === 0) logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'Redis unreachable: live events start once it answers');
          firstAttemptDone();
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
      subscriber.disconnect();
    })().finally(firstAttemptDone);
    // With Redis up, start-up still returns subscribed (events published right after are relayed).
    await firstAttempt;
  }
  const app = createApp({ db, config, logger, redis, events, webDir: opts.webDir ?? null });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s as Server));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const connections = trackConnections(server);

  let closing: Promise<void> | null = null;
  return {
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        connections.drain(); // idle keep-alive connections now, busy ones as their last response ends
        events.close(); // ends every SSE stream, so their connections can finish
        const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        await stopped;
        clearTimeout(grace);
        stopping = true;
        await subscribing;
        await subscription?.close();
        logger.info({ port }, 'Server closed');
      })();
      return closing;
    },
  };
}
