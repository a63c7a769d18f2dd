import { describe, expect, it } from 'vitest';
import { HostLimiter } from './host-limiter.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const activeTimeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('HostLimiter', () => {
  it('runs at most perHost calls at once per host, starting them in FIFO order', async () => {
    const limiter = new HostLimiter({ perHost: 2, minDelayMs: 0 });
    const gates = Array.from({ length: 6 }, deferred);
    const started: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const runs = gates.map((gate, i) =>
      limiter.run('a.example', async () => {
        started.push(i);
        running++;
        maxRunning = Math.max(maxRunning, running);
        await gate.promise;
        running--;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve();
    gates[2].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3].resolve();
    gates[4].resolve();
    gates[5].resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(maxRunning).toBe(2);
  });

  it('limits each host separately', async () => {
    const limiter = new HostLimiter({ perHost: 1, minDelayMs: 0 });
    const gate = deferred();
    const started: string[] = [];
    const a1 = limiter.run('a.example', async () => {
      started.push('a1');
      await gate.promise;
    });
    const a2 = limiter.run('a.example', async () => {
      started.push('a2');
    });
    const b1 = limiter.run('b.example', async () => {
      started.push('b1');
    });
    await b1;
    expect(started).toEqual(['a1', 'b1']);
    gate.resolve();
    await Promise.all([a1, a2]);
    expect(started).toEqual(['a1', 'b1', 'a2']);
  });

  it('spaces the starts of consecutive calls to one host by at least minDelayMs', async () => {
    const limiter = new HostLimiter({ perHost: 3, minDelayMs: 40 });
    const starts: number[] = [];
    const otherHostStart: number[] = [];
    const t0 = performance.now();
    await Promise.all([
      ...[0, 1, 2].map(() => limiter.run('slow.example', async () => void starts.push(performance.now()))),
      limiter.run('other.example', async () => void otherHostStart.push(performance.now())),
    ]);
    expect(starts).toHaveLength(3);
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(35);
    expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(35);
    // Another host is not held back by the first host's delay.
    expect(otherHostStart[0]).toBeLessThan(starts[1]);
    expect(otherHostStart[0] - t0).toBeGreaterThanOrEqual(0);
  });

  it('uses the injected clock to decide whether the delay has passed', async () => {
    let now = 1_000;
    const limiter = new HostLimiter({ perHost: 1, minDelayMs: 30, now: () => now });
    const started: string[] = [];
    await limiter.run('h.example', async () => void started.push('first'));
    const second = limiter.run('h.example', async () => void started.push('second'));
    await tick();
    expect(started).toEqual(['first']); // clock has not moved: still waiting
    now += 30;
    await second;
    expect(started).toEqual(['first', 'second']);
    now += 1_000;
    // Delay long past on the injected clock: the next call starts synchronously within run().
    const third = limiter.run('h.example', async () => void started.push('third'));
    expect(started).toEqual(['first', 'second', 'third']);
    await third;
  });

  it('propagates rejections and synchronous throws, and frees the slot', async () => {
    const limiter = new HostLimiter({ perHost: 1, minDelayMs: 0 });
    await expect(limiter.run('x.example', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      limiter.run('x.example', () => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    await expect(limiter.run('x.example', async () => 42)).resolves.toBe(42);
    expect(limiter.trackedHosts).toBe(0);
  });

  it('forgets idle hosts: no growth over many hosts', async () => {
    const limiter = new HostLimiter({ perHost: 2, minDelayMs: 0 });
    await Promise.all(Array.from({ length: 2_000 }, (_, i) => limiter.run(`h${i}.example`, async () => i)));
    expect(limiter.trackedHosts).toBe(0);
  });

  it('keeps an idle host only until its delay has passed, then drops it', async () => {
    let now = 0;
    const limiter = new HostLimiter({ perHost: 1, minDelayMs: 100, now: () => now });
    await Promise.all(Array.from({ length: 500 }, (_, i) => limiter.run(`h${i}.example`, async () => i)));
    expect(limiter.trackedHosts).toBe(500); // each still remembers its last start
    now = 100;
    await limiter.run('fresh.example', async () => 0);
    expect(limiter.trackedHosts).toBe(1);
  });

  it('leaves no timers behind once idle', async () => {
    const before = activeTimeouts();
    const limiter = new HostLimiter({ perHost: 3, minDelayMs: 15 });
    const queued = [1, 2, 3].map((i) => limiter.run('t.example', async () => i));
    // While calls wait for their delay, the limiter holds a timer…
    expect(activeTimeouts()).toBeGreaterThan(before);
    await Promise.all(queued);
    // …and none once the queue is empty (other code may only have cleared its own timers meanwhile).
    expect(activeTimeouts()).toBeLessThanOrEqual(before);
    await sleep(20);
    expect(activeTimeouts()).toBeLessThanOrEqual(before);
  });

  it('rejects nonsensical options', () => {
    expect(() => new HostLimiter({ perHost: 0, minDelayMs: 0 })).toThrow(RangeError);
    expect(() => new HostLimiter({ perHost: 1, minDelayMs: -1 })).toThrow(RangeError);
  });
});
