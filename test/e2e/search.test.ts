import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 信息检索 in the browser: the duty officer searches what the demo crawl stored, narrows by media
// type, finds an item whose story raised an alert and opens the case from the result; on a phone
// the screen does not scroll sideways.

describe('the search screen', () => {
  let sys: RunningSystem;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function signedIn(username: string, size?: { width: number; height: number }): Promise<Page> {
    const ctx = await newContext(browser, size);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, username, DEMO_PASSWORD);
    return page;
  }

  beforeAll(async () => {
    sys = await startSystem('e2esearch');
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await sys?.stop();
  });

  it('searches by words and media type and opens a case from a result', async () => {
    // An item of the demo crawl whose story raised an alert still awaiting triage.
    const target = async () =>
      sys.db
        .selectFrom('items')
        .innerJoin('alerts', 'alerts.story_id', 'items.story_id')
        .innerJoin('sources', 'sources.id', 'items.source_id')
        .select(['items.id', 'items.title', 'sources.media_type', 'alerts.id as alert_id'])
        .where('alerts.status', '=', 'new')
        .orderBy('items.id', 'desc')
        .executeTakeFirst();
    await expect.poll(async () => (await target()) !== undefined, { timeout: 90_000, interval: 1000 }).toBe(true);
    const item = (await target())!;

    const duty = await signedIn('duty');
    await duty.goto(`${sys.baseUrl}/search`);
    await duty.getByTestId('search-page').waitFor();
    await duty.getByTestId('search-result').first().waitFor({ timeout: 15_000 });

    await duty.getByLabel('关键词', { exact: true }).fill(item.title.slice(0, 12));
    await duty.getByLabel('媒体类型').selectOption(item.media_type);
    await duty.getByRole('button', { name: '检索', exact: true }).click();
    const hit = duty.locator(`[data-testid="search-result"][data-item-id="${item.id}"]`);
    await hit.waitFor({ timeout: 15_000 });
    await expect.poll(async () => hit.locator('.search-alert').textContent()).toBe('预警待研判');
    // Every result shown is of the chosen media type.
    const mediaLabels = await duty.locator('[data-testid="search-result"] .search-meta span:nth-child(2)').allTextContents();
    expect(new Set(mediaLabels).size).toBe(1);
    await screenshot(duty, '60-search');

    await hit.getByRole('button', { name: '转为事件并交办' }).click();
    const form = duty.getByTestId('open-case-form');
    await form.waitFor();
    await form.getByLabel('牵头部门').selectOption({ label: '住建局' });
    await duty.getByRole('button', { name: '确认交办' }).click();
    await duty.waitForURL(/\/cases\/\d+$/, { timeout: 15_000 });
    const alert = await sys.db.selectFrom('alerts').select(['status', 'case_id']).where('id', '=', item.alert_id).executeTakeFirstOrThrow();
    expect(alert.status).toBe('case');
    expect(duty.url()).toBe(`${sys.baseUrl}/cases/${alert.case_id}`);
    // Its own limit: the wait for the demo crawl alone may take up to 90 s (the default is 30 s).
  }, 180_000);

  it('fits a 390 px phone screen', async () => {
    const leader = await signedIn('leader', { width: 390, height: 844 });
    await leader.goto(`${sys.baseUrl}/search`);
    await leader.getByTestId('search-result').first().waitFor({ timeout: 30_000 });
    const width = await leader.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    // A leader may search but not triage: no 转为事件并交办 buttons.
    expect(await leader.getByRole('button', { name: '转为事件并交办' }).count()).toBe(0);
    await screenshot(leader, '61-search-phone');
  }, 60_000);
});
