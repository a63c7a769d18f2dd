import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';
import { apiAs, okJson } from './api.js';

// 值班台 (duty desk) in a real browser against the system as `npm start` runs it. A post that
// matches a demo rule goes through the real crawler: a little RSS site of this test's own is added
// as a source (allow-listed, like the demo site), and the post is published on it after the desk
// has loaded.

/** A one-feed website whose posts the test publishes. */
interface TestFeed {
  url: string;
  hostPort: string;
  publish(title: string, text: string): void;
  close(): Promise<void>;
}

async function startTestFeed(): Promise<TestFeed> {
  const posts: { id: number; title: string; text: string; at: Date }[] = [];
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let base = '';
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const m = /^\/post\/(\d+)\.html$/.exec(path);
    if (path === '/feed.xml') {
      const items = posts
        .map(
          (p) => `<item><title>${esc(p.title)}</title><link>${base}/post/${p.id}.html</link><guid isPermaLink="true">${base}/post/${p.id}.html</guid><pubDate>${p.at.toUTCString()}</pubDate><description>${esc(p.text)}</description></item>`,
        )
        .join('');
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>E2E 测试网</title><link>${base}/</link><description>e2e</description>${items}</channel></rss>`);
    } else if (m && posts.some((p) => p.id === Number(m[1]))) {
      const p = posts.find((x) => x.id === Number(m[1]))!;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${esc(p.title)}</title></head><body><h1>${esc(p.title)}</h1><div class="content"><p>${esc(p.text)}</p></div></body></html>`);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/feed.xml`,
    hostPort: `127.0.0.1:${port}`,
    publish(title, text) {
      posts.push({ id: posts.length + 1, title, text, at: new Date() });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

interface AlertJson {
  id: string;
  status: string;
  storyTitle: string;
  dismissReason: string | null;
  suggestedLevel: string;
  suggestedCategory: string;
  suggestedDepartment: { id: number; name: string | null } | null;
}

describe('值班台 (duty desk)', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let feed: TestFeed;
  let admin: APIRequestContext;
  let duty: APIRequestContext;
  let sourceId: number;

  beforeAll(async () => {
    [sys, browser, feed] = await Promise.all([startSystem('e2edesk'), launchBrowser(), startTestFeed()]);
    admin = await apiAs(sys.baseUrl, 'admin');
    duty = await apiAs(sys.baseUrl, 'duty');
    await okJson(await admin.post('/api/allowlist', { data: { hostPort: feed.hostPort, note: 'e2e' } }));
    const src = await okJson<{ id: number }>(
      await admin.post('/api/sources', { data: { name: 'E2E 测试网', url: feed.url, kind: 'feed', mediaType: 'news', region: '清河市', pollIntervalS: 5 } }),
    );
    sourceId = src.id;
  }, 150_000);
  afterAll(async () => {
    await admin?.dispose();
    await duty?.dispose();
    await browser?.close();
    await feed?.close();
    await sys?.stop();
  });

  async function deskAs(username: string): Promise<Page> {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, username, DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/desk`);
    await page.getByRole('heading', { name: '值班台' }).waitFor();
    return page;
  }

  let page: Page;

  it('shows a newly crawled post that matches a rule without a reload', async () => {
    page = await deskAs('duty');
    await page.locator('[data-testid=new-alert-count]').filter({ hasText: /^\d+\+?$/ }).waitFor();
    await page.evaluate(() => ((window as unknown as { deskMarker: number }).deskMarker = 42));

    const marker = `E2E${Date.now().toString(36).toUpperCase()}`;
    const title = `城关镇幸福里小区拆迁补偿款被截留 ${marker}`;
    feed.publish(title, `幸福里小区的住户反映，旧改拆迁补偿款到账比约定少了三成，问了街道和施工方都说不清楚去向。编号${marker}，请有关部门核查。`);
    await okJson(await admin.post(`/api/sources/${sourceId}/fetch-now`));

    const row = page.locator('[data-testid=alert-row]', { hasText: marker });
    // It arrives in the "N 条新预警" bar (the queue does not move under the officer) and enters on a click.
    await expect
      .poll(
        async () => {
          const bar = page.locator('[data-testid=fresh-bar]');
          if (await bar.isVisible()) await bar.click().catch(() => {});
          return row.count();
        },
        { timeout: 45_000, interval: 500 },
      )
      .toBeGreaterThan(0);
    // Same page (no reload), the matched words highlighted, the rule named.
    expect(await page.evaluate(() => (window as unknown as { deskMarker?: number }).deskMarker)).toBe(42);
    expect(await row.locator('mark').allInnerTexts()).toEqual(expect.arrayContaining(['城关', '拆迁']));
    await expect.poll(() => row.innerText()).toContain('拆迁补偿');
    const count = Number((await page.locator('[data-testid=new-alert-count]').innerText()).replace('+', ''));
    expect(count).toBeGreaterThan(0);

    // Its items in the detail pane, with the link to the post.
    await row.locator('.alert-title').click();
    const detail = page.locator('[data-testid=alert-detail]');
    await detail.locator('.detail-item', { hasText: marker }).waitFor();
    expect(await detail.locator('.detail-item a').first().getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/post\/1\.html$/);
    await screenshot(page, '10-desk');
  }, 90_000);

  it('dismisses the selected alert with the keyboard (j, d, 1)', async () => {
    await page.keyboard.press('j');
    const selected = page.locator('[data-testid=alert-row][aria-selected=true]');
    await selected.waitFor();
    const id = (await selected.getAttribute('data-alert-id'))!;
    await page.keyboard.press('d');
    await page.locator('[data-testid=dismiss-menu]').waitFor();
    await page.keyboard.press('1');
    await page.locator(`[data-testid=alert-row][data-alert-id="${id}"]`).waitFor({ state: 'detached' });
    await page.locator('.toast', { hasText: '已排除：无关' }).waitFor();
    const alert = await okJson<AlertJson>(await duty.get(`/api/alerts/${id}`));
    expect(alert.status).toBe('dismissed');
    expect(alert.dismissReason).toBe('irrelevant');
  }, 60_000);

  it('opens a case with "o", pre-filled from the rule, and stays on the desk', async () => {
    const first = page.locator('[data-testid=alert-row]').first();
    await first.locator('.alert-title').click();
    const id = (await page.locator('[data-testid=alert-row][aria-selected=true]').getAttribute('data-alert-id'))!;
    const alert = await okJson<AlertJson>(await duty.get(`/api/alerts/${id}`));
    await page.keyboard.press('o');
    const form = page.locator('[data-testid=open-case-form]');
    await form.waitFor();
    expect(await form.locator('input[name=title]').inputValue()).toBe(alert.storyTitle);
    expect(await form.locator('select[name=level]').inputValue()).toBe(alert.suggestedLevel);
    expect(await form.locator('select[name=category]').inputValue()).toBe(alert.suggestedCategory);
    expect(await form.locator('select[name=leadDepartmentId]').inputValue()).toBe(String(alert.suggestedDepartment?.id ?? ''));
    await screenshot(page, '11-desk-open-case-dialog');
    await page.getByRole('button', { name: '确认交办' }).click();

    const toast = page.locator('.toast', { hasText: /已交办：YQ-\d{4}-\d{4}/ });
    await toast.waitFor();
    const number = /YQ-\d{4}-\d{4}/.exec(await toast.innerText())![0];
    const ledger = await okJson<{ cases: { id: string; number: string }[] }>(await duty.get(`/api/cases?q=${number}`));
    const kase = ledger.cases.find((c) => c.number === number)!;
    expect(kase).toBeTruthy();
    await page.locator(`[data-testid=open-case-row][data-case-id="${kase.id}"]`).waitFor();
    await page.locator(`[data-testid=alert-row][data-alert-id="${id}"]`).waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe('/desk');
    expect((await okJson<AlertJson>(await duty.get(`/api/alerts/${id}`))).status).toBe('case');
    await page.context().close();
  }, 60_000);

  it('shows a reviewer the queue without triage buttons', async () => {
    const rp = await deskAs('reviewer');
    await rp.locator('[data-testid=alert-row]').first().waitFor();
    const rows = rp.locator('[data-testid=alert-row]');
    expect(await rows.getByRole('button', { name: '排除' }).count()).toBe(0);
    expect(await rows.getByRole('button', { name: '转为事件并交办' }).count()).toBe(0);
    expect(await rows.getByRole('button', { name: '归并' }).count()).toBe(0);
    expect(await rp.getByRole('button', { name: '登记转办舆情' }).count()).toBe(0);
    // The keys do not offer triage either.
    await rp.keyboard.press('j');
    await rp.keyboard.press('d');
    // A key's state change renders before the page's next frame: wait for a frame, not for a time.
    await rp.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    expect(await rp.locator('[data-testid=dismiss-menu]').count()).toBe(0);
    await rp.context().close();
  }, 60_000);

  it('an alert held in the "N 条新预警" bar stays there when its story grows (a repost), until the bar is clicked', async () => {
    const p = await deskAs('duty');
    await p.locator('[data-testid=alert-row]').first().waitFor({ timeout: 30_000 });
    // The desk's own reads of single alerts (one per live event), with the story titles they returned.
    const reads: { id: string; title: string }[] = [];
    p.on('requestfinished', (req) => {
      if (req.method() !== 'GET' || !/\/api\/alerts\/\d+$/.test(new URL(req.url()).pathname)) return;
      void req
        .response()
        .then((r) => r?.json() as Promise<{ id: string; storyTitle: string }> | undefined)
        .then((a) => a && reads.push({ id: a.id, title: a.storyTitle }))
        .catch(() => undefined);
    });
    const readsOf = (mark: string) => reads.filter((r) => r.title.includes(mark));

    // A story of its own: a 小区 the demo never names (the first test's post is a story already, and
    // the demo's posts at 河西街道 each name one of its 村/社区).
    const marker = `E2H${Date.now().toString(36).toUpperCase()}`;
    const title = `河西街道枫林小区征收补偿协议迟迟不兑现 ${marker}`;
    feed.publish(title, `枫林小区的住户说，去年签的征收补偿协议至今没有兑现，多次询问没有答复。编号${marker}。`);
    await okJson(await admin.post(`/api/sources/${sourceId}/fetch-now`));
    await expect.poll(() => readsOf(marker).length, { timeout: 45_000, interval: 200 }).toBeGreaterThanOrEqual(1);
    const id = readsOf(marker)[0].id;
    const row = p.locator(`[data-testid=alert-row][data-alert-id="${id}"]`);
    const bar = p.getByTestId('fresh-bar');
    await bar.waitFor();
    expect(await row.count()).toBe(0);

    // A repost joins its story: the alert is updated (a live alert.updated event the desk reads).
    const updatedBefore = (await okJson<{ updatedAt: string }>(await duty.get(`/api/alerts/${id}`))).updatedAt;
    feed.publish(title, `转发：枫林小区的住户说，去年签的征收补偿协议至今没有兑现。编号${marker}。`);
    await okJson(await admin.post(`/api/sources/${sourceId}/fetch-now`));
    await expect
      .poll(async () => (await okJson<{ updatedAt: string }>(await duty.get(`/api/alerts/${id}`))).updatedAt, { timeout: 45_000, interval: 500 })
      .not.toBe(updatedBefore);
    await expect.poll(() => readsOf(marker).length, { timeout: 30_000, interval: 200 }).toBeGreaterThanOrEqual(2);
    // One more live alert after that read (another story): by the time the desk has read it, the
    // update above has long been applied.
    const other = `E2O${Date.now().toString(36).toUpperCase()}`;
    feed.publish(`龙山镇松柏小区工地拖欠农民工工资 ${other}`, `松柏小区的工地拖欠农民工工资三个月，讨薪无果。编号${other}。`);
    await okJson(await admin.post(`/api/sources/${sourceId}/fetch-now`));
    await expect.poll(() => readsOf(other).length, { timeout: 45_000, interval: 200 }).toBeGreaterThanOrEqual(1);
    await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

    // Still held: not in the queue, the bar still there; a click lets it in.
    expect(await row.count()).toBe(0);
    expect(await bar.isVisible()).toBe(true);
    await bar.click();
    await row.waitFor();
    await p.context().close();
  }, 150_000);
});
