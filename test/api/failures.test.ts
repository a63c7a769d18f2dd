import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/client.js';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../platform/config.js';
import { EventHub } from '../../platform/events.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { createUser, sessionFor } from '../helpers/auth.js';

// Unreachable dependencies, unexpected errors, and the request log line.

const config = loadConfig({});
let lines: Record<string, unknown>[];
const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });

let deadDb: Db;
let deadRedis: Redis;
let tdb: TestDb;

beforeAll(async () => {
  deadDb = createDb('postgres://postgres@127.0.0.1:1/nothing', { max: 1 });
  deadRedis = new Redis({ port: 1, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  deadRedis.on('error', () => {});
  tdb = await createTestDb('failures');
});
afterAll(async () => {
  await deadDb.destroy();
  deadRedis.disconnect();
  await tdb.drop();
});

describe('dependencies down', () => {
  it('health is 503 degraded when the database is unreachable', async () => {
    lines = [];
    const app = createApp({ db: deadDb, config, logger, events: new EventHub() });
    const res = await app.request('/api/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', db: 'error', redis: 'absent' });
  });

  it('health is 200 degraded when only Redis is unreachable', async () => {
    lines = [];
    const app = createApp({ db: tdb.db, config, logger, redis: deadRedis, events: new EventHub() });
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'degraded', db: 'ok', redis: 'error' });
  });

  it('an unexpected error is a logged 500 with a generic message', async () => {
    lines = [];
    const app = createApp({ db: deadDb, config, logger, events: new EventHub() });
    // A session cookie makes the session lookup itself hit the dead database.
    const cookie = `od_session=${'a'.repeat(43)}`;
    const res = await app.request('/api/sources', { headers: { 'x-request-id': 'boom-1', cookie } });
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({
      error: { code: 'INTERNAL', message: 'Internal server error', messageZh: '服务器内部错误，请稍后重试', requestId: 'boom-1' },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, request_id: 'boom-1', method: 'GET', path: '/api/sources', status: 500 });
    expect(lines[0].err).toBeDefined();
  });
});

describe('request log', () => {
  it('writes one line per request with method, path, status, duration and request id', async () => {
    const session = await sessionFor(tdb.db, await createUser(tdb.db, { role: 'handler' }));
    lines = [];
    const app = createApp({ db: tdb.db, config, logger, events: new EventHub() });
    const res = await app.request('/api/departments', { headers: session.headers() });
    expect(res.status).toBe(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      method: 'GET',
      path: '/api/departments',
      status: 200,
      duration_ms: expect.any(Number),
      request_id: res.headers.get('x-request-id'),
    });
  });
});
