import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDateTime } from '../../core/business-time.js';
import { launchBrowser, screenshot, signInUi } from './browser.js';
import { ApiUser, departmentId } from './ledger-seed.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// A browser set to New York time (a laptop on a trip, a phone whose zone was never set) still reads
// every deadline in Beijing time and the office's form: the ledger, the case room and 我的待办 show
// the case's response deadline as 12月5日 10:42, never the New York wall clock.

describe('Beijing time in a browser running in another zone', () => {
  let sys: RunningSystem;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let caseId = '';
  let due: Date;

  beforeAll(async () => {
    sys = await startSystem('e2ebjtime');
    browser = await launchBrowser();
    const duty = await new ApiUser(sys.baseUrl, 'duty').signIn(DEMO_PASSWORD);
    const c = await duty.call<{ id: string }>('POST', '/api/cases', {
      manual: { origin: 'government_office', originNote: '转办单', receivedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(), title: '小区供暖温度不达标', text: '群众反映小区供暖温度偏低。' },
      level: 'general',
      category: 'difficulty',
      leadDepartmentId: await departmentId(duty, '住建局'),
    });
    caseId = c.id;
    const detail = await duty.call<{ obligations: { kind: string; dueAt: string }[] }>('GET', `/api/cases/${caseId}`);
    due = new Date(detail.obligations.find((o) => o.kind === 'response')!.dueAt);
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await sys?.stop();
  });

  async function inNewYork(username: string, size: { width: number; height: number }): Promise<Page> {
    const ctx = await browser.newContext({ viewport: size, locale: 'zh-CN', timezoneId: 'America/New_York' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, username, DEMO_PASSWORD);
    return page;
  }

  it('the ledger, the case room and 我的待办 show the deadline in Beijing time', async () => {
    const beijing = beijingDateTime(due, 'zh', new Date()); // e.g. 12月9日 14:05
    expect(beijing).toMatch(/^\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    const nyParts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(due).map((p) => [p.type, p.value]));
    const newYork = `${nyParts.month}月${nyParts.day}日 ${nyParts.hour}:${nyParts.minute}`;
    expect(newYork).not.toBe(beijing);

    const page = await inNewYork('handler', { width: 1366, height: 768 });
    // the browser really runs in New York time
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/New_York');

    await page.goto(`${sys.baseUrl}/ledger`);
    const row = page.locator(`[data-testid="ledger-row"][data-case-id="${caseId}"]`);
    await row.waitFor();
    expect(await row.locator('td[data-col="due"]').innerText()).toBe(beijing);
    await screenshot(page, '90-ny-browser-ledger');

    await page.goto(`${sys.baseUrl}/cases/${caseId}`);
    const ob = page.locator('[data-testid="obligation"][data-kind="response"]');
    await ob.waitFor();
    const obText = await ob.innerText();
    expect(obText).toContain(beijing);
    expect(obText).not.toContain(newYork);
    expect(obText).toMatch(/剩余 (?:1天)?\d+小时(?:\d+分)?/);
    await screenshot(page, '91-ny-browser-case');

    await page.goto(`${sys.baseUrl}/todos`);
    const todo = page.locator(`[data-testid="todo"][data-case-id="${caseId}"]`).first();
    await todo.waitFor();
    const todoText = await todo.innerText();
    expect(todoText).toContain(beijing);
    expect(todoText).not.toContain(newYork);
  }, 180_000);

  it('on a phone in New York time the ledger card shows the same Beijing deadline', async () => {
    const beijing = beijingDateTime(due, 'zh', new Date());
    const page = await inNewYork('handler', { width: 390, height: 844 });
    await page.goto(`${sys.baseUrl}/ledger`);
    const card = page.locator(`[data-testid="ledger-card"][data-case-id="${caseId}"]`);
    await card.waitFor();
    expect(await card.innerText()).toContain(beijing);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, '92-ny-phone-ledger');
  }, 120_000);
});
