import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyTitle } from '../../core/reports/daily.js';
import { dateZh } from '../../core/reports/office.js';
import { addDays, formatYmd, shanghaiParts } from '../../core/workflow/shanghai.js';
import { listDailyBriefs, makeDailyBrief } from '../../services/reports/daily.js';
import { part, textOf, unzip } from '../reports/helpers.js';
import { launchBrowser, newContext, screenshot } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// The 日报 tab of the reports screen in a real browser: a leader, at 1366 and at 390 px, opens it,
// sees the newest 舆情日报 first (its day in Chinese form and its 期号) and downloads its .docx
// through the link — a Word file whose title is the brief's. Two briefs are made beforehand
// (yesterday's and today's, Beijing time) the way the reports.daily job makes them; a worker that
// made today's already leaves it as it is (once per day).

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'daily-tab');

describe('舆情日报 tab', () => {
  let sys: RunningSystem;
  let browser: Browser;
  const today = shanghaiParts(new Date()).day;
  let serial = '';

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startSystem('e2edaily'), launchBrowser()]);
    const now = new Date();
    await makeDailyBrief(sys.db, addDays(today, -1), new Date(now.getTime() - 24 * 3600_000));
    const latest = await makeDailyBrief(sys.db, today, now);
    serial = (await listDailyBriefs(sys.db)).briefs.find((b) => b.id === latest.id)!.serial;
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it.each([
    [1366, 768],
    [390, 844],
  ])('at %i px a leader sees the latest brief listed and downloads its .docx', async (width, height) => {
    const ctx = await newContext(browser, { width, height });
    const page = await ctx.newPage();
    expect((await page.request.post(`${sys.baseUrl}/api/auth/login`, { data: { username: 'leader', password: DEMO_PASSWORD } })).status()).toBe(200);
    await page.goto(`${sys.baseUrl}/reports`);
    await page.getByTestId('reports-tab-daily').click();
    const table = page.getByTestId('daily-briefs');
    await table.waitFor();
    expect(new URL(page.url()).search).toBe('?tab=daily');
    const rows = table.locator('tbody tr');
    await expect(rows.count()).resolves.toBeGreaterThanOrEqual(2);
    // Newest first: today's, then yesterday's.
    const first = rows.first();
    await expect(first.locator('td').nth(0).textContent()).resolves.toBe(dateZh(today));
    await expect(first.locator('td').nth(1).textContent()).resolves.toBe(serial);
    await expect(rows.nth(1).locator('td').nth(0).textContent()).resolves.toBe(dateZh(addDays(today, -1)));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await screenshot(page, `reports-daily-${width}`);

    const link = first.getByRole('link');
    await link.scrollIntoViewIfNeeded();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`舆情日报-${formatYmd(today)}.docx`);
    const path = await download.path();
    mkdirSync(OUT, { recursive: true });
    const saved = join(OUT, `daily-${width}.docx`);
    copyFileSync(path, saved);
    expect(readFileSync(saved).subarray(0, 2).toString()).toBe('PK');
    const zip = await unzip(readFileSync(saved));
    expect(await part(zip, '[Content_Types].xml')).toContain('wordprocessingml.document.main+xml');
    expect(await part(zip, 'docProps/core.xml')).toContain(`<dc:title>${dailyTitle(today)}</dc:title>`);
    expect(textOf(await part(zip, 'word/document.xml'))).toContain(dailyTitle(today));
    await ctx.close();
  }, 120_000);
});
