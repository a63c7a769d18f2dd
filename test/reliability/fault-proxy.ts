// A small TCP fault proxy for the reliability suite: put it in front of any local server and choose,
// per connection, how it misbehaves. It works on raw bytes, so it breaks HTTP (or TLS) wherever the
// chosen mode says, whatever the upstream speaks.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type FaultMode =
  /** Forward both ways untouched. */
  | { kind: 'pass' }
  /** Hold the upstream's answer back for ms before the first byte reaches the client. */
  | { kind: 'delay'; ms: number }
  /** Forward the upstream's answer at bytesPerSecond (in small slices, one per tick). */
  | { kind: 'drip'; bytesPerSecond: number }
  /** Forward `afterBytes` bytes of the answer, then reset the connection (TCP RST). */
  | { kind: 'reset'; afterBytes: number }
  /** Forward `afterBytes` bytes of the answer, then close cleanly (FIN), as a server that gave up. */
  | { kind: 'truncate'; afterBytes: number }
  /** Accept the connection, read whatever comes, never answer. */
  | { kind: 'blackhole' }
  /** Accept the connection and close it at once. */
  | { kind: 'close' };

export interface FaultProxy {
  /** e.g. "127.0.0.1:40123". */
  hostPort: string;
  port: number;
  /** Mode for connections with no queued mode (default pass). */
  setMode(mode: FaultMode): void;
  /** Queues a mode for the next accepted connection only (first in, first used). */
  once(mode: FaultMode): void;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

const DRIP_TICK_MS = 100;

export async function startFaultProxy(upstream: { host: string; port: number }, initial: FaultMode = { kind: 'pass' }): Promise<FaultProxy> {
  let mode: FaultMode = initial;
  const queued: FaultMode[] = [];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let accepted = 0;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return t;
  };

  const server = net.createServer((client) => {
    accepted++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const m = queued.shift() ?? mode;
    if (m.kind === 'close') {
      client.destroy();
      return;
    }
    if (m.kind === 'blackhole') {
      client.resume(); // read and drop
      return;
    }
    const up = net.connect(upstream.port, upstream.host);
    sockets.add(up);
    up.on('close', () => sockets.delete(up));
    let cut = false;
    up.on('error', () => {
      if (!cut) client.destroy();
    });
    client.on('close', () => up.destroy());
    client.pipe(up);

    if (m.kind === 'pass') {
      up.pipe(client);
      return;
    }
    if (m.kind === 'delay') {
      up.pause();
      later(m.ms, () => {
        if (!client.destroyed) up.pipe(client);
      });
      return;
    }
    if (m.kind === 'reset' || m.kind === 'truncate') {
      let sent = 0;
      up.on('data', (chunk: Buffer) => {
        if (client.destroyed || client.writableEnded) return;
        const room = m.afterBytes - sent;
        if (chunk.length < room) {
          sent += chunk.length;
          client.write(chunk);
          return;
        }
        client.write(chunk.subarray(0, room));
        sent = m.afterBytes;
        cut = true;
        up.destroy();
        if (m.kind === 'reset') {
          // Let the bytes written so far leave first, then send the RST.
          later(20, () => client.resetAndDestroy());
        } else {
          client.end();
        }
      });
      up.on('end', () => {
        if (!client.destroyed) client.end();
      });
      return;
    }
    // drip: buffer the answer, release a slice per tick.
    const perTick = Math.max(1, Math.round((m.bytesPerSecond * DRIP_TICK_MS) / 1000));
    let pending = Buffer.alloc(0);
    let upstreamDone = false;
    up.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (pending.length > 1024 * 1024) up.pause();
    });
    up.on('end', () => (upstreamDone = true));
    const tick = () => {
      if (client.destroyed) return;
      if (pending.length > 0) {
        client.write(pending.subarray(0, perTick));
        pending = pending.subarray(perTick);
        if (pending.length < 512 * 1024) up.resume();
      } else if (upstreamDone) {
        client.end();
        return;
      }
      later(DRIP_TICK_MS, tick);
    };
    later(DRIP_TICK_MS, tick);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    hostPort: `127.0.0.1:${port}`,
    port,
    setMode(m) {
      mode = m;
    },
    once(m) {
      queued.push(m);
    },
    get accepted() {
      return accepted;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
