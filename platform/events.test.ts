import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { createEmitter, EventHub, parseEvent } from './events.js';
import type { AppEvent } from './queues.js';

const ev: AppEvent = { type: 'source.updated', sourceId: 1 };

describe('EventHub', () => {
  it('fans out to every subscriber until it unsubscribes', () => {
    const hub = new EventHub();
    const a: AppEvent[] = [];
    const b: AppEvent[] = [];
    const offA = hub.subscribe((e) => a.push(e));
    hub.subscribe((e) => b.push(e));
    hub.publish(ev);
    offA();
    hub.publish({ type: 'alert.created', alertId: '2', storyId: '3' });
    expect(a).toEqual([ev]);
    expect(b).toHaveLength(2);
    expect(hub.size).toBe(1);
  });

  it('keeps delivering when a subscriber throws', () => {
    const hub = new EventHub();
    const got: AppEvent[] = [];
    hub.subscribe(() => {
      throw new Error('broken');
    });
    hub.subscribe((e) => got.push(e));
    hub.publish(ev);
    expect(got).toEqual([ev]);
  });

  it('close() calls every onClose once and refuses later subscriptions', () => {
    const hub = new EventHub();
    let closed = 0;
    hub.subscribe(() => {}, () => closed++);
    hub.subscribe(() => {}, () => closed++);
    hub.close();
    expect(closed).toBe(2);
    expect(hub.size).toBe(0);
    hub.subscribe(() => {}, () => closed++);
    expect(closed).toBe(3);
    expect(hub.size).toBe(0);
  });
});

describe('parseEvent', () => {
  it.each([
    ['{"type":"source.updated","sourceId":4}', { type: 'source.updated', sourceId: 4 }],
    ['{"type":"alert.updated","alertId":"1","storyId":"2"}', { type: 'alert.updated', alertId: '1', storyId: '2' }],
    ['not json', null],
    ['{"type":"unknown"}', null],
    ['42', null],
    ['null', null],
  ])('%s', (msg, expected) => {
    expect(parseEvent(msg)).toEqual(expected);
  });
});

describe('createEmitter', () => {
  it('delivers to the local hub when there is no Redis', async () => {
    const hub = new EventHub();
    const got: AppEvent[] = [];
    hub.subscribe((e) => got.push(e));
    await createEmitter(hub, null, 'p', createLogger('silent', 't'))(ev);
    expect(got).toEqual([ev]);
  });
});
