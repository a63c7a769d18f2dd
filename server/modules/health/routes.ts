import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { createRoute, z } from '@hono/zod-openapi';
import { pingDatabase } from '../../../db/client.js';
import type { SessionUser } from '../../middleware/auth.js';
import { createRouter, json } from '../../openapi.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';

const ProcessStats = z
  .object({
    pid: z.number().int(),
    uptimeS: z.number(),
    rssMb: z.number(),
    heapUsedMb: z.number(),
    eventLoopDelayMs: z
      .object({ windowS: z.number(), p50: z.number(), p99: z.number(), max: z.number() })
      .openapi({ description: '事件循环延迟（最近一个完整统计窗口）' }),
  })
  .openapi('HealthProcess');

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    db: z.enum(['ok', 'error']),
    redis: z.enum(['ok', 'error', 'absent']),
    process: ProcessStats.optional().openapi({ description: '本进程的内存与事件循环延迟（仅管理员可见）' }),
  })
  .openapi('Health');
type Health = z.infer<typeof Health>;

/**
 * Event-loop delay of this process, in windows of LOOP_WINDOW_MS: the last complete window's
 * figures (the current one's until the first completes). One monitor per process, started on first use.
 */
const LOOP_WINDOW_MS = 10_000;
interface LoopMonitor {
  h: IntervalHistogram;
  last: { p50: number; p99: number; max: number } | null;
}
let loop: LoopMonitor | null = null;

function loopDelay(): { windowS: number; p50: number; p99: number; max: number } {
  const ms = (ns: number) => Math.round((Number.isFinite(ns) ? ns : 0) / 1e4) / 100;
  const figures = (h: IntervalHistogram) => ({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) });
  let l = loop;
  if (!l) {
    const m: LoopMonitor = { h: monitorEventLoopDelay({ resolution: 10 }), last: null };
    m.h.enable();
    setInterval(() => {
      m.last = figures(m.h);
      m.h.reset();
    }, LOOP_WINDOW_MS).unref();
    loop = l = m;
  }
  return { windowS: LOOP_WINDOW_MS / 1000, ...(l.last ?? figures(l.h)) };
}

function processStats(): z.infer<typeof ProcessStats> {
  const mem = process.memoryUsage();
  const mb = (b: number) => Math.round(b / 1048576 * 10) / 10;
  return { pid: process.pid, uptimeS: Math.round(process.uptime()), rssMb: mb(mem.rss), heapUsedMb: mb(mem.heapUsed), eventLoopDelayMs: loopDelay() };
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref())]);
}

async function check(deps: ModuleDeps): Promise<Health> {
  const [db, redis] = await Promise.all([
    withTimeout(pingDatabase(deps.db)).then(() => 'ok' as const, () => 'error' as const),
    deps.redis ? withTimeout(deps.redis.ping()).then(() => 'ok' as const, () => 'error' as const) : Promise.resolve('absent' as const),
  ]);
  return { status: db === 'ok' && redis !== 'error' ? 'ok' : 'degraded', db, redis };
}

const health = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['health'],
  summary: '健康检查',
  responses: { 200: json(Health, 'Healthy (Redis may be degraded)'), 503: json(Health, 'Database unreachable') },
});

export function healthRoutes(deps: ModuleDeps) {
  loopDelay(); // start measuring now, not at the first admin's request
  return createRouter().openapi(health, async (c) => {
    const h = await check(deps);
    // Admins (monitoring, the soak test) also see this process's memory and event-loop delay.
    if ((c.get('user') as SessionUser | undefined)?.role === 'admin') h.process = processStats();
    return h.db === 'ok' ? c.json(h, 200) : c.json(h, 503);
  });
}
