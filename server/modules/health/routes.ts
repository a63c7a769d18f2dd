import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { createRouter, json } from '../../openapi.js';
import type { ModuleDeps } from '../shared/deps.js';

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    db: z.enum(['ok', 'error']),
    redis: z.enum(['ok', 'error', 'absent']),
  })
  .openapi('Health');
type Health = z.infer<typeof Health>;

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref())]);
}

async function check(deps: ModuleDeps): Promise<Health> {
  const [db, redis] = await Promise.all([
    withTimeout(sql`select 1`.execute(deps.db)).then(() => 'ok' as const, () => 'error' as const),
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
  return createRouter().openapi(health, async (c) => {
    const h = await check(deps);
    return h.db === 'ok' ? c.json(h, 200) : c.json(h, 503);
  });
}
