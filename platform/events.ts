import type { Redis } from 'ioredis';
import { eventsChannel, type AppEvent } from './queues.js';
import type { Logger } from './logger.js';

// Events for the live dashboard. Workers (and other server processes) publish AppEvents on the
// Redis channel eventsChannel(prefix); each server process relays them into its EventHub, which
// fans them out to its SSE connections. The hub is in-process only: Redis does the cross-process part.

export type EventListener = (ev: AppEvent) => void;

interface Subscriber {
  listener: EventListener;
  onClose?: () => void;
}

export class EventHub {
  #subscribers = new Set<Subscriber>();
  #closed = false;

  /**
   * Calls `listener` for every event published from now on. `onClose` runs when the hub closes
   * (server shutdown), so long-lived consumers such as SSE streams can end. Returns unsubscribe.
   */
  subscribe(listener: EventListener, onClose?: () => void): () => void {
    const sub: Subscriber = { listener, onClose };
    if (this.#closed) {
      onClose?.();
      return () => {};
    }
    this.#subscribers.add(sub);
    return () => {
      this.#subscribers.delete(sub);
    };
  }

  /** Delivers to every current subscriber; a throwing subscriber does not stop the others. */
  publish(ev: AppEvent): void {
    for (const sub of [...this.#subscribers]) {
      try {
        sub.listener(ev);
      } catch {
        // a broken subscriber must not affect the others
      }
    }
  }

  get size(): number {
    return this.#subscribers.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Ends every subscription (calling each onClose) and refuses new ones. */
  close(): void {
    this.#closed = true;
    const subs = [...this.#subscribers];
    this.#subscribers.clear();
    for (const sub of subs) {
      try {
        sub.onClose?.();
      } catch {
        // ignore
      }
    }
  }
}

const EVENT_TYPES = new Set<string>(['alert.created', 'alert.updated', 'source.updated', 'notification.created', 'case.updated', 'session.revoked']);

/** Parses a pub/sub message into an AppEvent, or null when it is not one. */
export function parseEvent(message: string): AppEvent | null {
  try {
    const v: unknown = JSON.parse(message);
    if (v && typeof v === 'object' && EVENT_TYPES.has((v as { type?: unknown }).type as string)) return v as AppEvent;
  } catch {
    // not JSON: ignored
  }
  return null;
}

export interface RedisEventsConnection {
  /** Unsubscribes and closes the subscriber connection. */
  close(): Promise<void>;
}

/**
 * Subscribes `subscriber` (a dedicated connection: a subscribed Redis connection can do nothing
 * else) to eventsChannel(prefix) and feeds every well-formed event into the hub. Resolves once the
 * subscription is active. Messages that are not JSON AppEvents are ignored.
 */
export async function connectRedisEvents(hub: EventHub, subscriber: Redis, prefix: string): Promise<RedisEventsConnection> {
  const channel = eventsChannel(prefix);
  const onMessage = (ch: string, message: string) => {
    if (ch !== channel) return;
    const ev = parseEvent(message);
    if (ev) hub.publish(ev);
  };
  subscriber.on('message', onMessage);
  try {
    await subscriber.subscribe(channel);
  } catch (err) {
    // Redis unreachable: leave nothing behind, so a retry does not relay every event twice.
    subscriber.off('message', onMessage);
    throw err;
  }
  return {
    async close() {
      subscriber.off('message', onMessage);
      try {
        await subscriber.unsubscribe(channel);
        await subscriber.quit();
      } catch {
        subscriber.disconnect();
      }
    },
  };
}

/**
 * An `emit` for services: publishes on Redis so every server process (this one included, through
 * its subscription) sees the event; without Redis, or if Redis fails, delivers to the local hub.
 */
export function createEmitter(hub: EventHub, redis: Redis | null | undefined, prefix: string, logger: Logger) {
  return async (ev: AppEvent): Promise<void> => {
    if (redis) {
      try {
        await redis.publish(eventsChannel(prefix), JSON.stringify(ev));
        return;
      } catch (err) {
        logger.warn({ err, event_type: ev.type }, 'Event publish failed, delivering locally');
      }
    }
    hub.publish(ev);
  };
}
