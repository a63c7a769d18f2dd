import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { startServer, type RunningServer } from '../../server/main.js';
import { eventsChannel } from '../../platform/queues.js';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { redisUrl } from '../helpers/env.js';
import { makeStory } from './helpers.js';
import { createUser, signIn, type SignedIn } from '../helpers/auth.js';

// SSE through the real server on a real socket, fed by real Redis pub/sub.

let tdb: TestDb;
let redis: Redis;
let server: RunningServer;
let prefix: string;
let auth: SignedIn;

beforeAll(async () => {
  tdb = await createTestDb('events');
  redis = new Redis(redisUrl());
  prefix = testPrefix('events');
  const config = { ...loadConfig({ QUEUE_PREFIX: prefix }), PORT: 0, HOST: '127.0.0.1' };
  server = await startServer({ config, db: tdb.db, redis, logger: createLogger('silent', 'test') });
  const duty = await createUser(tdb.db, { role: 'duty' });
  auth = await signIn(`http://127.0.0.1:${server.port}`, duty.username, duty.password);
});
afterAll(async () => {
  await server.close();
  redis.disconnect();
  await tdb.drop();
});

interface Frame {
  id?: string;
  data?: string;
  comments: string[];
}

/** A minimal SSE client over fetch: frames in arrival order. */
class SseClient {
  readonly frames: Frame[] = [];
  ended = false;
  #waiters: (() => void)[] = [];
  #abort = new AbortController();

  static async open(port: number, headers: Record<string, string> = {}): Promise<SseClient> {
    const c = new SseClient();
    const res = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: auth.headers(headers), signal: c.#abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    void c.#pump(res.body!.getReader());
    return c;
  }

  async #pump(reader: ReadableStreamDefaultReader<Uint8Array>) {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const frame: Frame = { comments: [] };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) frame.comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('data: ')) frame.data = (frame.data === undefined ? '' : `${frame.data}\n`) + line.slice(6);
          }
          this.frames.push(frame);
          this.#notify();
        }
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
    this.#notify();
  }

  #notify() {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Data frames (events), parsed. */
  events(): { id?: string; ev: any }[] {
    return this.frames.filter((f) => f.data !== undefined).map((f) => ({ id: f.id, ev: JSON.parse(f.data!) }));
  }

  async waitFor(pred: () => boolean, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; frames: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close() {
    this.#abort.abort();
  }
}

const at = (sec: number) => new Date(Date.UTC(2026, 10, 24, 9, 0, sec));
const keyOf = (d: Date, id: string) => `${BigInt(d.getTime()) * 1000n}-${id}`;

async function makeAlert(title: string, updatedAt: Date): Promise<{ id: string; storyId: string }> {
  const storyId = await makeStory(tdb.db, title, updatedAt);
  const r = await tdb.db
    .insertInto('alerts')
    .values({ story_id: storyId, created_at: updatedAt, updated_at: updatedAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: r.id, storyId };
}

describe('GET /api/events', () => {
  it('relays an event published on Redis within 2 s, ignoring garbage on the channel', async () => {
    const client = await SseClient.open(server.port);
    await client.waitFor(() => client.frames.some((f) => f.comments.includes('connected')));
    await redis.publish(eventsChannel(prefix), 'not json');
    await redis.publish(eventsChannel(prefix), JSON.stringify({ type: 'nonsense' }));
    const started = Date.now();
    await redis.publish(eventsChannel(prefix), JSON.stringify({ type: 'source.updated', sourceId: 7 }));
    await client.waitFor(() => client.events().length > 0, 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(client.events()).toEqual([{ id: undefined, ev: { type: 'source.updated', sourceId: 7 } }]);
    client.close();
  });

  it('gives alert events an id made of the alert change key', async () => {
    const a = await makeAlert('实时预警', at(30));
    const client = await SseClient.open(server.port);
    await client.waitFor(() => client.frames.length > 0);
    await redis.publish(eventsChannel(prefix), JSON.stringify({ type: 'alert.created', alertId: a.id, storyId: a.storyId }));
    await client.waitFor(() => client.events().length > 0);
    expect(client.events()).toEqual([{ id: keyOf(at(30), a.id), ev: { type: 'alert.created', alertId: a.id, storyId: a.storyId } }]);
    client.close();
  });

  it('replays alerts changed since Last-Event-ID from Postgres, oldest first, with a small overlap', async () => {
    await tdb.db.deleteFrom('alerts').execute();
    const old = await makeAlert('很早的预警', at(0));
    const lateCommit = await makeAlert('晚提交的预警', at(290)); // 10 s before `seen`: inside the overlap
    const seen = await makeAlert('客户端已收到', at(300));
    const newer = await makeAlert('断线期间的预警', at(360));
    await tdb.db.updateTable('alerts').set({ status: 'dismissed', updated_at: at(420) }).where('id', '=', old.id).execute();
    const fresh = await makeAlert('之后新增', at(480));

    const client = await SseClient.open(server.port, { 'last-event-id': keyOf(at(300), seen.id) });
    await client.waitFor(() => client.events().length >= 4);
    expect(client.events()).toEqual([
      { id: keyOf(at(290), lateCommit.id), ev: { type: 'alert.created', alertId: lateCommit.id, storyId: lateCommit.storyId } },
      { id: keyOf(at(360), newer.id), ev: { type: 'alert.created', alertId: newer.id, storyId: newer.storyId } },
      { id: keyOf(at(420), old.id), ev: { type: 'alert.updated', alertId: old.id, storyId: old.storyId } },
      { id: keyOf(at(480), fresh.id), ev: { type: 'alert.created', alertId: fresh.id, storyId: fresh.storyId } },
    ]);

    // A live event older than the stream's position keeps the id monotone.
    await redis.publish(eventsChannel(prefix), JSON.stringify({ type: 'alert.updated', alertId: seen.id, storyId: seen.storyId }));
    await client.waitFor(() => client.events().length >= 5);
    expect(client.events()[4]).toEqual({ id: keyOf(at(480), fresh.id), ev: { type: 'alert.updated', alertId: seen.id, storyId: seen.storyId } });
    client.close();
  });

  it('ignores a malformed Last-Event-ID', async () => {
    const client = await SseClient.open(server.port, { 'last-event-id': 'garbage' });
    await client.waitFor(() => client.frames.length > 0);
    await redis.publish(eventsChannel(prefix), JSON.stringify({ type: 'source.updated', sourceId: 1 }));
    await client.waitFor(() => client.events().length > 0);
    expect(client.events()).toEqual([{ id: undefined, ev: { type: 'source.updated', sourceId: 1 } }]);
    client.close();
  });

  it('serves the JSON API on the same server', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/health`);
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok', redis: 'ok' });
  });
});

describe('startServer close()', () => {
  it('ends open event streams and stops listening', async () => {
    const config = { ...loadConfig({ QUEUE_PREFIX: testPrefix('close') }), PORT: 0, HOST: '127.0.0.1' };
    const second = await startServer({ config, db: tdb.db, redis, logger: createLogger('silent', 'test') });
    const client = await SseClient.open(second.port);
    await client.waitFor(() => client.frames.length > 0);
    const started = Date.now();
    await second.close();
    await client.waitFor(() => client.ended, 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(fetch(`http://127.0.0.1:${second.port}/api/health`)).rejects.toThrow();
  });
});
