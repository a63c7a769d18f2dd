import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../platform/config.js';
import type { AppEvent, JobPayloads } from '../../platform/queues.js';
import { JOBS, type AnyJobDefinition, type Enqueue, type JobContext } from '../../worker/jobs/registry.js';
import { DELIVER_NOW, deliverNow } from '../../worker/jobs/notifications.deliver.js';
import { startWorker } from '../../worker/main.js';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { redisUrl } from '../helpers/env.js';
import { addSource, allowHost, silentLogger } from '../helpers/crawl.js';

// An alert pushed by a crawl reaches the SMS gateway and the group robot at once: the crawl job,
// as soon as a new alert's push is planned and committed, asks for a notifications.deliver run
// (deduplicated) instead of leaving the deliveries to the next delivery tick. A failed request never fails the crawl, and many
// crawls asking at once make one run and at most one follow-up.

let t: TestDb;
let server: Server;
let feedUrl: string;
let entries: { n: number; title: string; text?: string }[] = [];
const prefix = testPrefix('crawldeliver');
const redis = new Redis(redisUrl());
const config = loadConfig({ QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://desk.example' });

const rss = () =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>清河论坛</title><link>${feedUrl}</link>${entries
    .map(
      (e) =>
        `<item><title>${e.title}</title><link>${feedUrl.replace('/rss.xml', '')}/t/${e.n}.html</link><guid>t-${e.n}</guid><description>${e.text ?? `城西化工厂发生爆炸，网友称现场有浓烟，附近居民十分担心。第${e.n}帖`}</description><pubDate>Mon, 07 Dec 2026 02:00:00 GMT</pubDate></item>`,
    )
    .join('')}</channel></rss>`;

beforeAll(async () => {
  t = await createTestDb('crawldeliver');
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rss());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  feedUrl = `http://127.0.0.1:${port}/rss.xml`;
  await allowHost(t.db, `127.0.0.1:${port}`);
  await t.db.insertInto('users').values({ username: 'duty1', display_name: '值班员', role: 'duty', password_hash: 'x', phone: '13800000001' } as never).execute();
  await t.db.insertInto('rules').values({ name: '化工厂', expression: '化工厂+(爆炸|泄漏)' }).execute();
  await t.db.insertInto('notification_channels').values({ kind: 'sms', name: '短信网关', config: JSON.stringify({ url: 'http://127.0.0.1:9/sms' }) }).execute();
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await t?.drop();
});

const crawlDef = JOBS.find((d) => d.name === 'sources.crawl')!;

function crawlHandler(enqueue: Enqueue) {
  const ctx = {
    config,
    db: t.db,
    logger: silentLogger,
    now: () => new Date(),
    publish: async (_ev: AppEvent) => {},
    enqueue,
    signal: new AbortController().signal,
  } as JobContext;
  const handler = crawlDef.handler(ctx);
  return (sourceId: number) => handler({ id: `crawl-${sourceId}-${Date.now()}`, data: { sourceId, slot: 0 } } as Job<JobPayloads['sources.crawl'], unknown, 'sources.crawl'>);
}

const pushNotifications = async () =>
  Number((await t.db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).where('key', '=', 'alert.push').executeTakeFirstOrThrow()).n);
const makeDue = (id: number) => t.db.updateTable('sources').set({ next_fetch_at: new Date(0) }).where('id', '=', id).execute();

describe('a crawl that pushed an alert asks for its delivery at once', () => {
  it('declares the job it enqueues', () => {
    expect(crawlDef.enqueues).toContain('notifications.deliver');
  });

  it('enqueues one deduplicated delivery run after a crawl that pushed, none after one that did not', async () => {
    const asked: { name: string; jobs: readonly { dedupe?: string; jobId?: string }[] }[] = [];
    const crawl = crawlHandler(async (name, jobs) => void asked.push({ name, jobs }));
    const id = await addSource(t.db, { url: feedUrl, name: '清河论坛' });
    entries = [
      { n: 1, title: '城西化工厂要爆炸了？' },
      { n: 2, title: '化工厂爆炸现场视频' },
    ];
    const before = await pushNotifications();
    const r = (await crawl(id)) as { status: string; itemsNew: number };
    expect(r).toMatchObject({ status: 'ok', itemsNew: 2 });
    expect(await pushNotifications()).toBeGreaterThan(before);
    // one request for the crawl's one new alert (both items are one story), with the shared deduplication id
    expect(asked).toEqual([{ name: 'notifications.deliver', jobs: [{ data: {}, dedupe: DELIVER_NOW }] }]);

    // nothing new: nothing pushed, no delivery asked for
    asked.length = 0;
    await makeDue(id);
    expect(await crawl(id)).toMatchObject({ status: expect.stringMatching(/^(ok|not_modified)$/), itemsNew: 0 });
    expect(asked).toEqual([]);
  });

  it('a failed request for delivery never fails the crawl; the push is planned and the tick sends it', async () => {
    const crawl = crawlHandler(async () => Promise.reject(new Error('redis down')));
    const id = (await t.db.selectFrom('sources').select('id').where('url', '=', feedUrl).executeTakeFirstOrThrow()).id;
    entries = [...entries, { n: 3, title: '东郊化工厂夜间泄漏', text: '东郊工业园一家化工厂昨夜发生气体泄漏，周边村民连夜转移，环保部门已到场监测空气质量。' }];
    await makeDue(id);
    const before = await pushNotifications();
    await expect(crawl(id)).resolves.toMatchObject({ status: 'ok', itemsNew: 1 });
    expect(await pushNotifications()).toBeGreaterThan(before);
    const pending = await t.db.selectFrom('notification_deliveries').select('id').where('status', '=', 'pending').execute();
    expect(pending.length).toBeGreaterThan(0);
  });
});

describe('on-demand delivery runs are deduplicated', () => {
  it('fifty requests while a run is in progress make exactly one follow-up run', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let enqueue!: Enqueue;
    const deliverDef = JOBS.find((d) => d.name === 'notifications.deliver')!;
    const spied = {
      ...deliverDef,
      schedule: undefined, // only the on-demand runs
      handler: (ctx: JobContext) => {
        enqueue = ctx.enqueue;
        return async (job: Job) => {
          runs.push(job.id ?? '');
          if (runs.length === 1) await gate;
        };
      },
    } as unknown as AnyJobDefinition;
    const worker = await startWorker({ config, db: t.db, redisUrl: redisUrl(), logger: silentLogger, jobs: [spied] });
    try {
      await deliverNow(enqueue);
      const until = Date.now() + 10_000;
      while (runs.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(runs).toHaveLength(1); // the first run is in progress (held at the gate)
      await Promise.all(Array.from({ length: 50 }, () => deliverNow(enqueue)));
      release();
      const settle = Date.now() + 10_000;
      while (runs.length < 2 && Date.now() < settle) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 500)); // anything more would have started by now
      expect(runs).toHaveLength(2);
      // and once idle, a new request runs again
      await deliverNow(enqueue);
      const again = Date.now() + 10_000;
      while (runs.length < 3 && Date.now() < again) await new Promise((r) => setTimeout(r, 20));
      expect(runs).toHaveLength(3);
    } finally {
      release();
      await worker.close();
    }
  });
});
