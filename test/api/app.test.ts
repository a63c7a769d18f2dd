import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, type ApiFixture } from './helpers.js';
import { createUser, sessionFor } from '../helpers/auth.js';

let f: ApiFixture;
let web: ApiFixture;
let webDir: string;

beforeAll(async () => {
  f = await createApiFixture('app');
  webDir = mkdtempSync(join(tmpdir(), 'od-web-'));
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>控制台</title><div id="root"></div>');
  writeFileSync(join(webDir, 'assets', 'app.js'), 'console.log("dashboard")');
  web = await createApiFixture('appweb', { webDir });
});
afterAll(async () => {
  await f.tdb.drop();
  await web.tdb.drop();
  rmSync(webDir, { recursive: true, force: true });
});

describe('health', () => {
  it('reports db ok and redis absent', async () => {
    const res = await f.requestAs(null, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok', redis: 'absent' });
  });

  it("shows an admin the process's memory and event-loop delay, nobody else", async () => {
    const res = await f.request('GET', '/api/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; process?: { pid: number; rssMb: number; heapUsedMb: number; eventLoopDelayMs: { p99: number; max: number } } };
    expect(body.status).toBe('ok');
    expect(body.process?.pid).toBe(process.pid);
    expect(body.process?.rssMb).toBeGreaterThan(10);
    expect(body.process?.heapUsedMb).toBeGreaterThan(1);
    expect(body.process?.eventLoopDelayMs.max).toBeGreaterThanOrEqual(body.process?.eventLoopDelayMs.p99 ?? Infinity);
    const duty = await sessionFor(f.tdb.db, await createUser(f.tdb.db, { role: 'duty' }));
    expect(await (await f.requestAs(duty, 'GET', '/api/health')).json()).toEqual({ status: 'ok', db: 'ok', redis: 'absent' });
  });
});

describe('the one error shape', () => {
  it('answers 404 JSON for an unknown /api route', async () => {
    const res = await f.request('GET', '/api/no-such-thing');
    expect(res.status).toBe(404);
    const e = await errorOf(res);
    expect(e).toMatchObject({ code: 'NOT_FOUND', messageZh: '请求的接口不存在' });
    expect(e.requestId).toMatch(/.+/);
  });

  it('answers 404 for a known path with an unknown method', async () => {
    const res = await f.request('PUT', '/api/sources');
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('NOT_FOUND');
  });

  it('keeps a caller-supplied x-request-id and uses it in errors', async () => {
    const res = await f.request('GET', '/api/nothing', undefined, { 'x-request-id': 'req-123' });
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect((await errorOf(res)).requestId).toBe('req-123');
  });

  it('replaces a malformed x-request-id with a fresh one', async () => {
    const res = await f.request('GET', '/api/health', undefined, { 'x-request-id': 'bad id with spaces' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 400 VALIDATION for malformed JSON', async () => {
    const res = await f.request('POST', '/api/rules', '{not json', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'VALIDATION', message: 'Malformed JSON in request body' });
  });

  it('answers 415 for a body that is not JSON at all', async () => {
    const res = await f.request('POST', '/api/allowlist', 'hostPort=a:1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect((await errorOf(res)).code).toBe('VALIDATION');
  });

  it('answers 400 when a required body is missing', async () => {
    const res = await f.request('POST', '/api/allowlist');
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('VALIDATION');
  });
});

describe('openapi.json', () => {
  it('documents the monitoring routes from the zod schemas', async () => {
    const res = await f.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/api/health',
      '/api/sources',
      '/api/sources/{id}',
      '/api/sources/{id}/fetches',
      '/api/sources/{id}/fetch-now',
      '/api/allowlist',
      '/api/allowlist/{id}',
      '/api/rules',
      '/api/rules/{id}',
      '/api/rules/test',
      '/api/items',
      '/api/stories/{id}',
      '/api/alerts',
      '/api/alerts/{id}',
      '/api/alerts/{id}/dismiss',
      '/api/departments',
      '/api/events',
    ]) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
    expect(Object.keys(doc.paths['/api/sources/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(doc.components.schemas.SourceCreate.required).toEqual(expect.arrayContaining(['name', 'kind']));
    // The URL, or a filled RSSHub template that composes it: one of the two.
    expect(Object.keys(doc.components.schemas.SourceCreate.properties)).toEqual(expect.arrayContaining(['url', 'rsshub', 'json']));
    expect(doc.components.schemas.Error).toBeDefined();
  });
});

describe('dashboard', () => {
  it('shows a Chinese placeholder page when no dashboard is built', async () => {
    const res = await f.request('GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('前端控制台尚未构建');
    expect(html).toContain('href="/api/health"');
    expect(html).toContain('href="/api/openapi.json"');
  });

  it('serves built files and falls back to index.html for client routes', async () => {
    const js = await web.request('GET', '/assets/app.js');
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('dashboard');
    const spa = await web.request('GET', '/alerts/42');
    expect(spa.status).toBe(200);
    expect(await spa.text()).toContain('控制台');
    const root = await web.request('GET', '/');
    expect(await root.text()).toContain('控制台');
  });

  it('still answers JSON 404 for unknown /api paths when the dashboard is served', async () => {
    const res = await web.request('GET', '/api/unknown');
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('NOT_FOUND');
  });

  it('does not serve files outside the web directory', async () => {
    const res = await web.request('GET', '/..%2f..%2fetc%2fpasswd');
    expect(await res.text()).not.toContain('root:');
  });
});

describe('departments and allow-list', () => {
  it('lists departments', async () => {
    await f.db.insertInto('departments').values([{ name: '市住建局' }, { name: '蒲州镇', kind: 'town' }]).execute();
    const res = await f.request('GET', '/api/departments');
    expect(res.status).toBe(200);
    const { departments } = await res.json();
    expect(departments).toEqual([
      { id: expect.any(Number), name: '市住建局', kind: 'bureau', parentId: null },
      { id: expect.any(Number), name: '蒲州镇', kind: 'town', parentId: null },
    ]);
  });

  it('creates, normalises, lists, refuses duplicates and deletes allow-list entries', async () => {
    const res = await f.request('POST', '/api/allowlist', { hostPort: 'LocalHost:3100' });
    expect(res.status).toBe(201);
    const entry = await res.json();
    expect(entry).toMatchObject({ hostPort: 'localhost:3100', note: '' });
    expect((await f.request('POST', '/api/allowlist', { hostPort: 'localhost:3100' })).status).toBe(409);
    const bad = await f.request('POST', '/api/allowlist', { hostPort: 'no-port' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).messageZh).toContain('主机:端口');
    const { entries } = await (await f.request('GET', '/api/allowlist')).json();
    expect(entries.map((e: { hostPort: string }) => e.hostPort)).toContain('localhost:3100');
    expect((await f.request('DELETE', `/api/allowlist/${entry.id}`)).status).toBe(200);
    expect((await f.request('DELETE', `/api/allowlist/${entry.id}`)).status).toBe(404);
  });
});
