import { describe, expect, it } from 'vitest';
import { compareKeys, formatEventId, maxKey, parseEventId } from './event-id.js';
import { AsyncQueue } from './queue.js';

describe('event ids', () => {
  it('round-trips and orders by time, then alert id', () => {
    const k = { micros: 1795000000123456n, alertId: 42n };
    expect(formatEventId(k)).toBe('1795000000123456-42');
    expect(parseEventId('1795000000123456-42')).toEqual(k);
    expect(compareKeys(k, { micros: k.micros, alertId: 43n })).toBe(-1);
    expect(compareKeys(k, { micros: k.micros + 1n, alertId: 1n })).toBe(-1);
    expect(compareKeys(k, { ...k })).toBe(0);
    expect(maxKey(null, k)).toBe(k);
    expect(maxKey(k, { micros: 1n, alertId: 99n })).toBe(k);
  });

  it.each(['', 'abc', '12', '12-', '-12', '1-2-3', '1.5-2', undefined, null])('rejects %s', (id) => {
    expect(parseEventId(id)).toBeNull();
  });
});

describe('AsyncQueue', () => {
  it('returns queued values in order, times out when empty, and reports closing', async () => {
    const q = new AsyncQueue<number>();
    q.push(1);
    q.push(2);
    expect(await q.next(10)).toEqual({ kind: 'value', value: 1 });
    expect(await q.next(10)).toEqual({ kind: 'value', value: 2 });
    expect(await q.next(5)).toEqual({ kind: 'timeout' });
    const waiting = q.next(10_000);
    q.push(3);
    expect(await waiting).toEqual({ kind: 'value', value: 3 });
    const pending = q.next(10_000);
    q.close();
    expect(await pending).toEqual({ kind: 'closed' });
    q.push(4);
    expect(await q.next(5)).toEqual({ kind: 'closed' });
  });
});
