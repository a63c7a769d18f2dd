import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { CORPUS_DIR } from '../../demo/corpus.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { allowHost } from '../helpers/crawl.js';
import { createTestDb, testPrefix, type TestDb } from '../helpers/db.js';
import { redisUrl } from '../helpers/env.js';
import { recordFigure, variant } from './figures.js';
import { spawnSystemProcess, stopAll, type SystemProcess } from './loadgen.js';
import { waitFor } from './procs.js';

// Crawl cycle: N feed sources on the fixture site (the same site served on H loopback addresses,
// each its own host for per-host politeness, every source a distinct URL), crawled by the real
// worker process (node + NODE_FLAGS + bin/worker.ts, as `npm run worker` starts it) with the
// politeness, concurrency and scheduler tick the product ships (configuration defaults). Measured:
// from the instant every source is made due until each has been crawled once → seconds and
// sources/s. Goal: a full cycle fits in the default poll interval (sources.poll_interval_s, 300 s).

const SOURCES = variant(150, 1000);
const HOSTS = variant(30, 100);
const SHIPPED = loadConfig({});
const POLL_INTERVAL_S = 300;

let t: TestDb;
let site: FixtureSite;
let worker: SystemProcess;
let hosts: string[];

beforeAll(async () => {
  t = await createTestDb('crawlcycle');
  const extraHosts = Array.from({ length: HOSTS - 1 }, (_, i) => `127.0.0.${i + 2}`);
  site = await startFixtureSite({ port: 0, host: '127.0.0.1', extraHosts, publishIntervalMs: null, seedPosts: 200 });
  hosts = [site.url, ...site.extraUrls];
  for (const h of hosts) await allowHost(t.db, new URL(h).host);
  const corpus = readdirSync(CORPUS_DIR).filter((f) => /^[\w.-]+\.(rss|atom|xml|rdf)$/.test(f));
  const paths = ['/news/rss.xml', '/news/atom.xml', '/gov/rdf.xml', '/gov/rss091.xml', ...corpus.map((f) => `/real/${f}`)];
  // Round robin over hosts, so that consecutive sources are on different hosts, as a city's
  // source list (many sites, a few feeds each) interleaves once sorted by due time.
  const rows = Array.from({ length: SOURCES }, (_, i) => ({
    name: `压测源 ${i + 1}`,
    url: `${hosts[i % hosts.length]}${paths[Math.floor(i / hosts.length) % paths.length]}?feed=${i + 1}`,
    kind: 'feed' as const,
    next_fetch_at: new Date('2100-01-01T00:00:00Z'),
  }));
  await t.db.insertInto('sources').values(rows).execute();
  worker = spawnSystemProcess('bin/worker.ts', { DATABASE_URL: t.url, REDIS_URL: redisUrl(), QUEUE_PREFIX: testPrefix('crawlcycle'), LOG_LEVEL: 'info' });
  await waitFor('the worker to start', () => {
    if (!worker.alive) throw new Error(`worker exited:\n${worker.output()}`);
    return worker.output().includes('Worker started');
  }, 60_000, 100);
}, 120_000);

afterAll(async () => {
  await stopAll();
  await site?.close();
  await t?.drop();
}, 60_000);

describe('crawl cycle', () => {
  it(`${SOURCES} sources on ${HOSTS} hosts all due: the real worker crawls each once, with the shipped politeness`, async () => {
    const load0 = loadavg()[0];
    const [{ due }] = (await sql<{ due: Date }>`update sources set next_fetch_at = now() returning now() as due`.execute(t.db)).rows;
    const t0 = performance.now();
    const crawled = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from sources where last_fetch_at >= ${due}`.execute(t.db)).rows[0].n;
    let firstAt: number | null = null;
    await waitFor(
      `all ${SOURCES} sources crawled once`,
      async () => {
        if (!worker.alive) throw new Error(`worker exited:\n${worker.output()}`);
        const n = await crawled();
        if (n > 0 && firstAt === null) firstAt = performance.now();
        return n === SOURCES;
      },
      variant(90_000, 600_000),
      100,
    );
    const cycleS = (performance.now() - t0) / 1000;
    const rate = SOURCES / cycleS;
    const outcome = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from sources group by 1 order by 2 desc`.execute(t.db);
    const byStatus = Object.fromEntries(outcome.rows.map((r) => [r.status, r.n]));
    const items = (await sql<{ n: number }>`select count(*)::int as n from items`.execute(t.db)).rows[0].n;
    const detail = {
      sources: SOURCES,
      hosts: HOSTS,
      perHostConcurrency: SHIPPED.CRAWL_PER_HOST_CONCURRENCY,
      hostDelayMs: SHIPPED.CRAWL_HOST_DELAY_MS,
      crawlConcurrency: SHIPPED.CRAWL_CONCURRENCY,
      schedulerTickMs: SHIPPED.SCHEDULER_TICK_MS,
      politenessFloorS: Math.ceil(SOURCES / HOSTS - 1) * (SHIPPED.CRAWL_HOST_DELAY_MS / 1000),
      firstCrawlAfterS: firstAt === null ? null : Math.round((firstAt - t0) / 100) / 10,
      byStatus,
      items,
      loadAvg1m: { before: Math.round(load0 * 100) / 100, after: Math.round(loadavg()[0] * 100) / 100 },
    };
    console.log(`crawl cycle: ${SOURCES} sources in ${cycleS.toFixed(1)} s (${rate.toFixed(1)} sources/s)`, JSON.stringify(detail));
    const label = `${SOURCES} sources, ${HOSTS} hosts, shipped politeness`;
    recordFigure({ area: 'load', name: `crawl cycle time (${label})`, value: Math.round(cycleS * 10) / 10, unit: 's', goal: `≤ ${POLL_INTERVAL_S} s (default poll interval)`, met: cycleS <= POLL_INTERVAL_S, detail });
    recordFigure({ area: 'load', name: `crawl rate (${label})`, value: Math.round(rate * 10) / 10, unit: 'sources/s', goal: '', met: null, detail });

    // Every source was fetched successfully once (the fixture serves them all), none twice in the cycle.
    expect(byStatus).toEqual({ ok: SOURCES });
    const log = await sql<{ n: number; d: number }>`
      select count(*)::int as n, count(distinct source_id)::int as d from source_fetches where started_at >= ${due}`.execute(t.db);
    expect(log.rows[0].d).toBe(SOURCES);
    expect(log.rows[0].n).toBe(SOURCES);
    expect(items).toBeGreaterThan(0);
    // Politeness was in force: a host with k sources needs at least (k - 1) × the shipped delay.
    expect(cycleS).toBeGreaterThanOrEqual(detail.politenessFloorS);
    expect(cycleS).toBeLessThan(variant(90, 600));
  }, variant(120_000, 660_000));

  it('sources listed host by host (a portal with many feeds): the scheduler interleaves hosts, so no host holds every crawl slot', async () => {
    // 8 feeds on each of 6 hosts, in id (and so due) order host by host: in that order the
    // worker's 8 slots would all wait on the first host's 1 s politeness while the others idle.
    const PER_HOST = 8;
    const CLUSTER_HOSTS = 6;
    await sql`update sources set enabled = false`.execute(t.db);
    const rows = Array.from({ length: PER_HOST * CLUSTER_HOSTS }, (_, i) => ({
      name: `门户栏目 ${i + 1}`,
      url: `${hosts[Math.floor(i / PER_HOST)]}/news/rss.xml?column=${i + 1}`,
      kind: 'feed' as const,
      next_fetch_at: new Date('2100-01-01T00:00:00Z'),
    }));
    const ids = (await t.db.insertInto('sources').values(rows).returning('id').execute()).map((r) => r.id);
    const [{ due }] = (await sql<{ due: Date }>`update sources set next_fetch_at = now() where enabled returning now() as due`.execute(t.db)).rows;
    const t0 = performance.now();
    await waitFor(
      'the portal columns crawled once',
      async () => {
        if (!worker.alive) throw new Error(`worker exited:\n${worker.output()}`);
        const n = (await sql<{ n: number }>`select count(*)::int as n from sources where enabled and last_fetch_at >= ${due}`.execute(t.db)).rows[0].n;
        return n === ids.length;
      },
      90_000,
      100,
    );
    const cycleS = (performance.now() - t0) / 1000;
    // The order the worker took them in (started_at is taken when a job starts, before it waits
    // for its host): the jobs that filled the worker's slots first cover every host. (Which of the
    // slots started a few ms first is the machine's jitter; host by host they would all be host 1.)
    const slots = SHIPPED.CRAWL_CONCURRENCY;
    const order = await sql<{ host: string }>`
      select substring(s.url from '//([^/]+)/') as host from source_fetches f join sources s on s.id = f.source_id
      where s.enabled and f.started_at >= ${due} order by f.started_at, f.id limit ${slots}`.execute(t.db);
    const firstHosts = new Set(order.rows.map((r) => r.host));
    const floorS = (PER_HOST - 1) * (SHIPPED.CRAWL_HOST_DELAY_MS / 1000);
    const detail = { sources: ids.length, hosts: CLUSTER_HOSTS, perHost: PER_HOST, politenessFloorS: floorS, schedulerTickMs: SHIPPED.SCHEDULER_TICK_MS, slots, distinctHostsOfFirstSlots: firstHosts.size };
    console.log(`clustered crawl cycle: ${ids.length} sources in ${cycleS.toFixed(1)} s`, JSON.stringify(detail));
    recordFigure({
      area: 'load',
      name: `crawl cycle time, sources listed host by host (${ids.length} sources, ${CLUSTER_HOSTS} hosts)`,
      value: Math.round(cycleS * 10) / 10,
      unit: 's',
      goal: `≤ tick + politeness floor + 5 s (${SHIPPED.SCHEDULER_TICK_MS / 1000 + floorS + 5} s)`,
      met: cycleS <= SHIPPED.SCHEDULER_TICK_MS / 1000 + floorS + 5,
      detail,
    });
    expect(firstHosts.size).toBe(CLUSTER_HOSTS);
    expect(cycleS).toBeGreaterThanOrEqual(floorS);
  }, 120_000);
});
