import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { BenchFigure } from './lib.js';
import { benchDb, benchRedisUrl, chineseText, prng } from './db.js';
import { loadConfig } from '../platform/config.js';
import { startWorker } from '../worker/main.js';

// scheduling: feeds/s completed by one worker process (32 concurrent fetches, per-host limit 1 in
// force) against a fixture server answering every request after a fixed 100 ms, 5,000 feeds spread
// over 100 host names (127.0.0.2 … 127.0.0.101), ÷ the ideal 32 / 0.1 s = 320 feeds/s.

const FEEDS = 5000;
const HOSTS = 100;
const DELAY_MS = 100;
const CONCURRENCY = 32;

/** One distinct item per feed (distinct text, so each founds its own story, as real news does). */
function feedXml(path: string): string {
  const rand = prng(Number(path.replace(/\D/g, '')) + 1);
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>http://x/</link><description>d</description>` +
    `<item><title>${chineseText(rand, 20)}</title><link>http://news.example${path}.html</link><description>${chineseText(rand, 300)}</description></item></channel></rss>`;
}

async function listenAll(): Promise<{ port: number; servers: Server[] }> {
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(feedXml(req.url ?? '/'));
    }, DELAY_MS);
  };
  const servers: Server[] = [];
  let port = 0;
  for (let h = 0; h < HOSTS; h++) {
    const s = createServer(handler);
    await new Promise<void>((res, rej) => {
      s.once('error', rej);
      s.listen(port, `127.0.0.${h + 2}`, () => res());
    });
    if (port === 0) port = (s.address() as { port: number }).port;
    servers.push(s);
  }
  return { port, servers };
}

export default async function bench(): Promise<BenchFigure[]> {
  const { db, drop } = await benchDb('sched');
  const { port, servers } = await listenAll();
  const prefix = `odbench-${randomBytes(3).toString('hex')}`;
  const config = loadConfig({
    QUEUE_PREFIX: prefix,
    CRAWL_CONCURRENCY: String(CONCURRENCY),
    CRAWL_PER_HOST_CONCURRENCY: '1',
    CRAWL_HOST_DELAY_MS: '0',
    SCHEDULER_TICK_MS: '500',
    LOG_LEVEL: 'silent',
  });
  let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
  try {
    await db.insertInto('fetch_allowlist').values(Array.from({ length: HOSTS }, (_, h) => ({ host_port: `127.0.0.${h + 2}:${port}` }))).execute();
    const rows = Array.from({ length: FEEDS }, (_, i) => ({
      name: `feed ${i}`,
      url: `http://127.0.0.${(i % HOSTS) + 2}:${port}/feed/${i}`,
      kind: 'feed' as const,
      poll_interval_s: 3600,
      next_fetch_at: new Date(Date.now() + 3_600_000),
    }));
    for (let i = 0; i < rows.length; i += 1000) await db.insertInto('sources').values(rows.slice(i, i + 1000)).execute();
    worker = await startWorker({ config, db, redisUrl: benchRedisUrl(), logger: pino({ level: 'silent' }) });
    const t0 = performance.now();
    await sql`update sources set next_fetch_at = now()`.execute(db);
    for (;;) {
      const done = Number((await sql<{ n: string }>`select count(*) as n from sources where last_fetch_at is not null`.execute(db)).rows[0].n);
      if (done >= FEEDS) break;
      if (performance.now() - t0 > 180_000) throw new Error(`scheduling bench timed out with ${done}/${FEEDS} feeds done`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - t0) / 1000;
    const failed = Number((await sql<{ n: string }>`select count(*) as n from sources where status <> 'ok'`.execute(db)).rows[0].n);
    const perS = FEEDS / seconds;
    const ideal = CONCURRENCY / (DELAY_MS / 1000);
    return [
      {
        name: `scheduling ${FEEDS} feeds over ${HOSTS} hosts, ${CONCURRENCY} concurrent (${failed} not ok)`,
        value: perS,
        unit: 'feeds/s',
        baseline: ideal,
        baselineName: 'the ideal',
        ratio: perS / ideal,
        goal: '≥ 0.8',
        met: perS / ideal >= 0.8 && failed === 0,
      },
    ];
  } finally {
    await worker?.close();
    for (const s of servers) s.close();
    const r = new Redis(benchRedisUrl());
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
    await drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printFigures } = await import('./lib.js');
  printFigures('scheduling', await bench());
}
