import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { BenchFigure } from './lib.js';
import { benchDb, benchRedisUrl, chineseText, prng } from './db.js';
import { startFixtureSite } from '../demo/site.js';
import { storeEntries, type CrawlDeps } from '../services/crawl/crawl-source.js';
import type { ParsedEntry } from '../services/crawl/parse.js';
import { HostLimiter } from '../platform/http/host-limiter.js';
import { RuleCache } from '../services/crawl/rules-cache.js';
import { eventsChannel, type AppEvent } from '../platform/queues.js';
import { parseEvent } from '../platform/events.js';
import { loadConfig } from '../platform/config.js';
import { startWorker, type RunningWorker } from '../worker/main.js';
import { JOBS } from '../worker/jobs/registry.js';
import { crawlPushes } from '../worker/jobs/sources.crawl.js';

// push: an item stored → its alert's push received by the fake SMS gateway and group robot
// (demo/hooks.ts, a real socket), through the crawl job's own push path (crawlPushes of
// worker/jobs/sources.crawl.ts: publish `alert.created` and plan the push, ask for a
// notifications.deliver run at once (deduplicated), publish the `notification.created` events)
// and a real worker (worker/main.ts, BullMQ on Redis) running the registry's notifications.deliver
// job, whose tick (DELIVER_INTERVAL_MS, default 10 s) also runs. Per alert, the time both the SMS
// and the robot message have arrived. Baseline, same run, same items: item stored → `alert.created`
// received by a Redis pub/sub subscriber (what the SSE stream relays). Goal: p95 ≤ 3 s and ≤ 2× the
// event's.
//
//   npm run bench -- push [--alerts=200] [--deliver-ms=10000]

const arg = (name: string, fallback: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  const n = a ? Number(a.split('=')[1]) : fallback;
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default async function bench(): Promise<BenchFigure[]> {
  const alerts = arg('alerts', 200);
  const deliverMs = arg('deliver-ms', 10_000);
  const gapMs = 50; // items arrive one every 50 ms, each a new story raising a new alert
  const work = await benchDb('push');
  const site = await startFixtureSite({ port: 0, seedPosts: 0, publishIntervalMs: null, clock: () => new Date() });
  const prefix = `od_bench_push_${process.pid}`;
  const pub = new Redis(benchRedisUrl(), { maxRetriesPerRequest: 1 });
  const sub = new Redis(benchRedisUrl(), { maxRetriesPerRequest: 1 });
  let worker: RunningWorker | undefined;
  try {
    const { db } = work;
    const host = new URL(site.url).host;
    await db.insertInto('fetch_allowlist').values({ host_port: host }).execute();
    await db
      .insertInto('users')
      .values({ username: 'bench_duty', display_name: '值班员', role: 'duty', password_hash: 'x', phone: '13800000001' } as never)
      .execute();
    await db.insertInto('notification_channels').values({ kind: 'sms', name: '短信网关', config: JSON.stringify({ url: `${site.url}/hooks/sms` }) }).execute();
    const robot = await db
      .insertInto('notification_channels')
      .values({ kind: 'webhook', name: '值班群机器人', config: JSON.stringify({ url: `${site.url}/hooks/robot`, format: 'wecom' }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('alert_push_settings')
      .values({ id: 1, policy: JSON.stringify({ mode: 'all', groupChannelId: robot.id }), updated_by: null, updated_at: new Date() })
      .execute();
    await db.insertInto('rules').values({ name: '化工厂', expression: '化工厂+(爆炸|泄漏)' }).execute();
    const source = await db.insertInto('sources').values({ name: '清河论坛', url: 'http://forum.example/rss.xml', kind: 'feed' }).returningAll().executeTakeFirstOrThrow();

    // Baseline: alert.created as a subscriber of the events channel sees it.
    const eventAt = new Map<string, number>();
    await sub.subscribe(eventsChannel(prefix));
    sub.on('message', (_ch: string, msg: string) => {
      const ev = parseEvent(msg);
      if (ev?.type === 'alert.created') eventAt.set(ev.alertId, Date.now());
    });
    const publish = async (ev: AppEvent) => void (await pub.publish(eventsChannel(prefix), JSON.stringify(ev)));
    const logger = pino({ level: 'silent' });
    // The worker's notifications.deliver job (its tick and the on-demand runs), on its own queue prefix.
    const config = loadConfig({ QUEUE_PREFIX: prefix, DELIVER_INTERVAL_MS: String(deliverMs), LOG_LEVEL: 'silent', SMTP_FROM: 'desk@example.org' });
    worker = await startWorker({ config, db, redisUrl: benchRedisUrl(), logger, jobs: JOBS.filter((d) => d.name === 'notifications.deliver') });
    const publishCrawlEvent = crawlPushes({ db, logger, now: () => new Date(), publish, enqueue: worker.enqueue }, site.url);
    const deps: CrawlDeps = {
      db,
      logger,
      settings: { timeoutMs: 1, connectTimeoutMs: 1, maxBytes: 1, maxRedirects: 0, userAgent: 'bench', backoffMaxS: 1, leaseMs: 1, maxDetailPages: 0 },
      limiter: new HostLimiter({ perHost: 1, minDelayMs: 0 }),
      rules: new RuleCache(db),
      allowlist: async () => new Set<string>(),
      publish,
      now: () => new Date(),
    };

    const rand = prng(7);
    const storedAt = new Map<string, number>();
    const started = Date.now();
    for (let i = 0; i < alerts; i++) {
      const next = started + i * gapMs;
      if (next > Date.now()) await sleep(next - Date.now());
      const entry: ParsedEntry = {
        title: `${chineseText(rand, 12)}化工厂爆炸 ${i}`,
        link: `http://forum.example/t/${i}.html`,
        guid: `http://forum.example/t/${i}.html`,
        content: `${chineseText(rand, 300)}城西化工厂发生爆炸${chineseText(rand, 200)}`,
        published: new Date().toUTCString(),
        author: null,
      };
      const t0 = Date.now();
      const r = await storeEntries(deps, source, [entry], source.url, new Set());
      // As the crawl job does after the store commits: each event published, each new alert's push
      // planned and its delivery asked for.
      for (const ev of r.events) {
        if (ev.type === 'alert.created') storedAt.set(ev.alertId, t0);
        await publishCrawlEvent(ev);
      }
    }

    // Wait until every alert's SMS and robot message arrived (or a deadline).
    const linkRe = /desk\?alert=(\d+)/;
    const received = () => {
      const sms = new Map<string, number>();
      const robotAt = new Map<string, number>();
      for (const m of site.hooks.received()) {
        const id = linkRe.exec(m.body)?.[1];
        if (!id) continue;
        const into = m.kind === 'sms' ? sms : robotAt;
        if (!into.has(id)) into.set(id, m.at.getTime());
      }
      return { sms, robotAt };
    };
    const deadline = Date.now() + deliverMs * 2 + 10_000;
    for (;;) {
      const { sms, robotAt } = received();
      if ([...storedAt.keys()].every((id) => sms.has(id) && robotAt.has(id)) || Date.now() > deadline) break;
      await sleep(100);
    }
    await worker.close();
    worker = undefined;

    const { sms, robotAt } = received();
    const push: number[] = [];
    const event: number[] = [];
    let missing = 0;
    for (const [id, t0] of storedAt) {
      const a = sms.get(id);
      const b = robotAt.get(id);
      const e = eventAt.get(id);
      if (a === undefined || b === undefined || e === undefined) {
        missing += 1;
        continue;
      }
      push.push(Math.max(a, b) - t0);
      event.push(e - t0);
    }
    if (storedAt.size < alerts) throw new Error(`expected ${alerts} alerts, ${storedAt.size} raised`);
    const n = push.length;
    const [p50, p95, e50, e95] = [quantile(push, 0.5), quantile(push, 0.95), quantile(event, 0.5), quantile(event, 0.95)];
    const label = `${n}/${alerts} alerts${missing ? ` (${missing} not received)` : ''}, delivery asked for by the crawl (tick ${deliverMs} ms)`;
    return [
      {
        name: `item stored → push received (SMS + robot), p50, ${label}`,
        value: p50,
        unit: 'ms',
        baseline: e50,
        baselineName: 'item stored → alert.created on Redis pub/sub p50',
        ratio: p50 / e50,
        goal: '≤ 2 (and ≤ 3000 ms)',
        met: missing === 0 && p50 <= 3000 && p50 / e50 <= 2,
      },
      {
        name: `item stored → push received (SMS + robot), p95, ${label}`,
        value: p95,
        unit: 'ms',
        baseline: e95,
        baselineName: 'item stored → alert.created on Redis pub/sub p95',
        ratio: p95 / e95,
        goal: '≤ 2 (and ≤ 3000 ms)',
        met: missing === 0 && p95 <= 3000 && p95 / e95 <= 2,
      },
    ];
  } finally {
    await worker?.close();
    const keys = await pub.keys(`${prefix}*`).catch(() => [] as string[]);
    if (keys.length > 0) await pub.del(...keys).catch(() => 0);
    sub.disconnect();
    pub.disconnect();
    await site.close();
    await work.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printFigures } = await import('./lib.js');
  printFigures('push', await bench());
}
