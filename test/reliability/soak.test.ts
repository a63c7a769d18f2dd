import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { signIn, type SignedIn } from '../helpers/auth.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from '../e2e/system.js';
import { recordFigure, variant, LONG } from './figures.js';
import { rssMb } from './loadgen.js';

// Soak: the demo exactly as `npm start` runs it (bin/start.ts: server, workers, scheduler, demo
// site and publisher in one process — test/e2e/system.ts starts it on free ports with its own
// database and Redis prefix), the demo publisher at 10× its default rate, with a dashboard's live
// stream (GET /api/events) open throughout. Every few seconds: the process's RSS (/proc/<pid>
// VmRSS) and its event-loop delay (GET /api/health as an admin: the last 10 s window), and how
// many items have arrived. Reported: RSS start / end / max, the RSS slope after warm-up (MB per
// 10 minutes, least squares), event-loop delay p99 / max.
// Leak rule — long (30 min): the second half's slope is under 5 MB / 10 min. Short (60 s): RSS
// stays under a generous bound, the process stays healthy, and items keep arriving.

const DURATION_S = variant(60, 30 * 60);
const SAMPLE_S = variant(3, 10);
const WARMUP_S = variant(15, 5 * 60);
const PUBLISH_MS = Math.round(loadConfig({}).DEMO_PUBLISH_INTERVAL_MS / 10);
const RSS_BOUND_MB = 800;
const SLOPE_LIMIT_MB_PER_10MIN = 5;

interface Sample {
  t: number;
  rss: number;
  heap: number;
  loopP99: number;
  loopMax: number;
  items: number;
  healthy: boolean;
}

let sys: RunningSystem;
let admin: SignedIn;
let pid: number;
const stream = new AbortController();
let streamed = 0;

beforeAll(async () => {
  sys = await startSystem('soak', {
    DEMO_PUBLISH_INTERVAL_MS: String(PUBLISH_MS),
    // As `npm start` ships, not the e2e system's fast settings.
    CRAWL_HOST_DELAY_MS: String(loadConfig({}).CRAWL_HOST_DELAY_MS),
    SCHEDULER_TICK_MS: String(loadConfig({}).SCHEDULER_TICK_MS),
    DEMO_HISTORY: '1',
  });
  admin = await signIn(sys.baseUrl, 'admin', DEMO_PASSWORD);
  const h = await health();
  pid = h.process!.pid;
  // The dashboard's live stream, read (and counted) for the whole soak.
  void fetch(`${sys.baseUrl}/api/events`, { headers: admin.headers(), signal: stream.signal })
    .then(async (res) => {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) streamed += chunk.length;
    })
    .catch(() => {});
}, 150_000);

afterAll(async () => {
  stream.abort();
  await sys?.stop();
}, 60_000);

interface HealthBody {
  status: string;
  db: string;
  redis: string;
  process?: { pid: number; rssMb: number; heapUsedMb: number; eventLoopDelayMs: { p50: number; p99: number; max: number } };
}

async function health(): Promise<HealthBody> {
  const res = await fetch(`${sys.baseUrl}/api/health`, { headers: admin.headers(), signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as HealthBody;
  if (res.status !== 200 || !body.process) throw new Error(`health ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Least-squares slope of rss over t (seconds), in MB per 10 minutes. */
function slope(samples: Sample[]): number {
  const n = samples.length;
  if (n < 3) return NaN;
  const mt = samples.reduce((s, x) => s + x.t, 0) / n;
  const mr = samples.reduce((s, x) => s + x.rss, 0) / n;
  const num = samples.reduce((s, x) => s + (x.t - mt) * (x.rss - mr), 0);
  const den = samples.reduce((s, x) => s + (x.t - mt) ** 2, 0);
  return (num / den) * 600;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

describe('soak', () => {
  it(`the demo at 10× publish rate for ${DURATION_S} s: RSS bounded, no leak, healthy, items keep arriving`, async () => {
    // The pid the health endpoint reports is the spawned `npm start` process itself.
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('bin/start.ts');
    const samples: Sample[] = [];
    const count = async () => (await sql<{ n: number }>`select count(*)::int as n from items`.execute(sys.db)).rows[0].n;
    const start = performance.now();
    const load0 = loadavg()[0];
    while ((performance.now() - start) / 1000 < DURATION_S) {
      const t = (performance.now() - start) / 1000;
      let healthy = true;
      let h: HealthBody | null = null;
      try {
        h = await health();
        healthy = h.status === 'ok';
      } catch {
        healthy = false;
      }
      samples.push({
        t,
        rss: rssMb(pid),
        heap: h?.process?.heapUsedMb ?? NaN,
        loopP99: h?.process?.eventLoopDelayMs.p99 ?? NaN,
        loopMax: h?.process?.eventLoopDelayMs.max ?? NaN,
        items: await count(),
        healthy,
      });
      const next = start + samples.length * SAMPLE_S * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
    const after = samples.filter((s) => s.t >= WARMUP_S);
    const second = samples.filter((s) => s.t >= DURATION_S / 2);
    const rss = samples.map((s) => s.rss);
    // Event-loop windows after warm-up (the first ones cover start-up: migrations, demo seeding).
    const loopP99 = Math.max(...after.map((s) => s.loopP99).filter(Number.isFinite));
    const loopMax = Math.max(...after.map((s) => s.loopMax).filter(Number.isFinite));
    const fig = {
      rssStart: r1(rss[0]),
      rssEnd: r1(rss[rss.length - 1]),
      rssMax: r1(Math.max(...rss)),
      slope: r1(slope(after)),
      slopeSecondHalf: r1(slope(second)),
    };
    const detail = {
      durationS: DURATION_S,
      sampleEveryS: SAMPLE_S,
      warmupS: WARMUP_S,
      samples: samples.length,
      publishIntervalMs: PUBLISH_MS,
      ...fig,
      heapStartMb: samples[0].heap,
      heapEndMb: samples[samples.length - 1].heap,
      eventLoopP99Ms: loopP99,
      eventLoopMaxMs: loopMax,
      items: { start: samples[0].items, end: samples[samples.length - 1].items },
      streamedBytes: streamed,
      unhealthySamples: samples.filter((s) => !s.healthy).length,
      loadAvg1m: { before: Math.round(load0 * 100) / 100, after: Math.round(loadavg()[0] * 100) / 100 },
    };
    console.log('soak:', JSON.stringify(detail), '\nsamples (t s, RSS MB, loop p99/max ms, items):', samples.map((x) => `${Math.round(x.t)} ${r1(x.rss)} ${x.loopP99}/${x.loopMax} ${x.items}`).join(' | '));
    const label = `npm start demo, ${LONG ? '30 min' : `${DURATION_S} s`}, publisher 10×`;
    recordFigure({ area: 'load', name: `soak RSS at start (${label})`, value: fig.rssStart, unit: 'MB', goal: '', met: null, detail });
    recordFigure({ area: 'load', name: `soak RSS at end (${label})`, value: fig.rssEnd, unit: 'MB', goal: '', met: null, detail });
    recordFigure({ area: 'load', name: `soak RSS max (${label})`, value: fig.rssMax, unit: 'MB', goal: `< ${RSS_BOUND_MB} MB`, met: fig.rssMax < RSS_BOUND_MB, detail });
    recordFigure({
      area: 'load',
      name: `soak RSS growth after warm-up (${label})`,
      value: fig.slope,
      unit: 'MB/10 min',
      goal: LONG ? `second half < ${SLOPE_LIMIT_MB_PER_10MIN} MB/10 min` : '',
      met: LONG ? fig.slopeSecondHalf < SLOPE_LIMIT_MB_PER_10MIN : null,
      detail,
    });
    recordFigure({ area: 'load', name: `soak event-loop delay p99 (${label})`, value: loopP99, unit: 'ms', goal: '', met: null, detail });
    recordFigure({ area: 'load', name: `soak event-loop delay max (${label})`, value: loopMax, unit: 'ms', goal: '', met: null, detail });

    // Healthy throughout, memory bounded, items arriving in the second half as in the first.
    expect(detail.unhealthySamples, JSON.stringify(samples.filter((s) => !s.healthy))).toBe(0);
    expect(fig.rssMax).toBeLessThan(RSS_BOUND_MB);
    expect(second[0].items).toBeGreaterThan(samples[0].items);
    expect(samples[samples.length - 1].items).toBeGreaterThan(second[0].items);
    expect(streamed).toBeGreaterThan(0);
    expect(Number.isFinite(loopP99)).toBe(true);
    if (LONG) expect(fig.slopeSecondHalf).toBeLessThan(SLOPE_LIMIT_MB_PER_10MIN);
  }, (DURATION_S + 60) * 1000);
});
