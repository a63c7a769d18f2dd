import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { serveStatic } from '@hono/node-server/serve-static';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { startServer } from '../server/main.js';
import { seedDemoUsers } from '../demo/seed.js';
import { launchBrowser, newContext } from '../test/e2e/browser.js';
import { freePort } from '../test/e2e/system.js';
import { benchDb, benchRedisUrl, chineseText, prng } from './db.js';
import type { BenchFigure } from './lib.js';

// The dashboard: gzip size of the JavaScript the first screen needs, and the time until the duty
// desk with 1,000 open alerts is interactive in headless chromium — each against an empty React
// page built by the same Vite config and loaded the same way, in the same run.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ALERTS = 1000;
const PASSWORD = 'bench-password-1';

async function buildDashboard(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
}

/** The same toolchain (Vite + the React plugin + React DOM) over a page that renders one div. */
async function buildEmptyPage(outDir: string): Promise<void> {
  const src = mkdtempSync(join(tmpdir(), 'od-empty-src-'));
  mkdirSync(join(src, 'src'));
  writeFileSync(join(src, 'index.html'), '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>empty</title></head><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>');
  writeFileSync(
    join(src, 'src', 'main.tsx'),
    "import { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')!).render(<div id=\"ready\">ok</div>);\n",
  );
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  await build({
    configFile: false,
    root: src,
    logLevel: 'error',
    plugins: [react()],
    resolve: { alias: { react: join(ROOT, 'node_modules/react'), 'react-dom': join(ROOT, 'node_modules/react-dom') } },
    build: { outDir, emptyOutDir: true },
  });
  rmSync(src, { recursive: true, force: true });
}

async function seedAlerts(db: Awaited<ReturnType<typeof benchDb>>['db']): Promise<void> {
  const rand = prng(7);
  const [src] = await sql<{ id: number }>`insert into sources (name, url, kind, media_type) values ('基准新闻网', 'http://news.example.cn/rss', 'feed', 'news') returning id`
    .execute(db)
    .then((r) => r.rows);
  const [rule] = await sql<{ id: number }>`insert into rules (name, expression) values ('拆迁补偿', '(永济|蒲州)+(拆迁|补偿)') returning id`
    .execute(db)
    .then((r) => r.rows);
  const titles = Array.from({ length: ALERTS }, (_, i) => `永济市拆迁补偿问题第${i + 1}号：${chineseText(rand, 16)}`);
  const texts = titles.map(() => chineseText(rand, 300));
  await sql`
    with s as (
      insert into stories (title, simhash, band0, band1, band2, band3, band4, band5, first_seen_at, last_seen_at, item_count, source_count)
      select t, g, 0, 0, 0, 0, 0, g, now() - make_interval(mins => g::int), now() - make_interval(mins => g::int), 1 + g % 7, 1
      from unnest(${titles}::text[]) with ordinality as u(t, g)
      returning id, title
    ), i as (
      insert into items (source_id, story_id, url_key, url, title, text, published_at, fetched_at, simhash, matched_rule_ids, matched_words)
      select ${src.id}, s.id, 'news.example.cn/a/' || s.id, 'http://news.example.cn/a/' || s.id || '.html', s.title, ${texts[0]}, now(), now(), 0, array[${rule.id}::int], array['永济','拆迁','补偿']
      from s
    )
    insert into alerts (story_id, rule_ids, matched_words, negativity, spike)
    select s.id, array[${rule.id}::int], array['永济','拆迁','补偿'], (s.id % 10) / 10.0, s.id % 13 = 0 from s
  `.execute(db);
}

function serveDir(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono().use('*', serveStatic({ root: dir }));
  const server: Server = createServer(getRequestListener(app.fetch));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

/** Loads `url` and returns the gzip size (kB) of every script it fetched, and the time until `ready` holds. */
async function measure(page: Page, url: string, ready: () => Promise<void>): Promise<{ jsKb: number; ms: number }> {
  const scripts = new Map<string, number>();
  const onResponse = async (res: import('playwright-core').Response) => {
    if (res.request().resourceType() !== 'script') return;
    try {
      scripts.set(res.url(), gzipSync(await res.body(), { level: 9 }).length);
    } catch {
      /* a response without a body */
    }
  };
  page.on('response', onResponse);
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await ready();
  // Interactive: the main thread answers within a frame after the content is there.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  const ms = Date.now() - t0;
  page.off('response', onResponse);
  const jsKb = [...scripts.values()].reduce((a, b) => a + b, 0) / 1024;
  return { jsKb, ms };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export default async function dashboard(): Promise<BenchFigure[]> {
  const webDir = mkdtempSync(join(tmpdir(), 'od-bench-web-'));
  const emptyDir = mkdtempSync(join(tmpdir(), 'od-bench-empty-'));
  await buildDashboard(webDir);
  await buildEmptyPage(emptyDir);
  const b = await benchDb('dash');
  await seedAlerts(b.db);
  await seedDemoUsers(b.db, PASSWORD);
  const config = loadConfig({ ...process.env, DATABASE_URL: b.url, REDIS_URL: benchRedisUrl(), PORT: String(await freePort()), QUEUE_PREFIX: `odbench-dash-${process.pid}`, LOG_LEVEL: 'silent' });
  const redis = new Redis(benchRedisUrl(), { maxRetriesPerRequest: 2 });
  const server = await startServer({ config, db: b.db, redis, logger: createLogger('silent', 'bench'), webDir });
  const base = `http://127.0.0.1:${server.port}`;
  const empty = await serveDir(emptyDir);
  const browser = await launchBrowser();
  try {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const login = await page.request.post(`${base}/api/auth/login`, { data: { username: 'duty', password: PASSWORD } });
    if (!login.ok()) throw new Error(`bench sign-in failed: ${login.status()}`);
    const deskRuns: { jsKb: number; ms: number }[] = [];
    const emptyRuns: { jsKb: number; ms: number }[] = [];
    for (let i = 0; i < 4; i++) {
      // A fresh cache each time, as on a first visit.
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      await cdp.detach();
      emptyRuns.push(await measure(page, `${empty.url}/`, () => page.locator('#ready').waitFor()));
      deskRuns.push(
        await measure(page, `${base}/desk`, async () => {
          await page.locator('[data-testid="alert-row"]').first().waitFor({ timeout: 30_000 });
          await page.waitForFunction((n) => (document.querySelector('[data-testid="new-alert-count"]')?.textContent ?? '').includes(String(n)), ALERTS, { timeout: 30_000 });
        }),
      );
    }
    // The first run warms the server's caches and the browser process; the median of the rest.
    const desk = { jsKb: deskRuns[1].jsKb, ms: median(deskRuns.slice(1).map((r) => r.ms)) };
    const base0 = { jsKb: emptyRuns[1].jsKb, ms: median(emptyRuns.slice(1).map((r) => r.ms)) };
    return [
      {
        name: 'first-screen JavaScript (duty desk), gzip',
        value: desk.jsKb,
        unit: 'kB',
        baseline: base0.jsKb,
        baselineName: 'empty React page',
        ratio: desk.jsKb / base0.jsKb,
        goal: 'value ≤ 250 kB',
        met: desk.jsKb <= 250,
      },
      {
        name: `duty desk with ${ALERTS} open alerts, load → interactive`,
        value: desk.ms,
        unit: 'ms',
        baseline: base0.ms,
        baselineName: 'empty React page',
        ratio: desk.ms / base0.ms,
        goal: 'value ≤ 1000 ms',
        met: desk.ms <= 1000,
      },
    ];
  } finally {
    await browser.close();
    await empty.close();
    await server.close();
    redis.disconnect();
    await b.drop();
    rmSync(webDir, { recursive: true, force: true });
    rmSync(emptyDir, { recursive: true, force: true });
  }
}
