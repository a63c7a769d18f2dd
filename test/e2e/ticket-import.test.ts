import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 工单导入 in the browser: the duty officer imports the demo's 12345 export (.xlsx) as cases,
// with the guessed mapping and the preview; on a phone the GBK .csv of the same tickets is
// previewed and imported again — nothing new, all duplicates — without sideways scrolling.

const sample = (name: string) => fileURLToPath(new URL(`../../demo/imports/${name}`, import.meta.url));

describe('the ticket import screen', () => {
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
    sys = await startSystem('e2eimport');
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await sys?.stop();
  });

  it('previews the .xlsx export with its mapping and imports it as cases (1366 px)', async () => {
    const duty = await signedIn('duty', { width: 1366, height: 768 });
    await duty.getByRole('link', { name: '工单导入' }).click();
    await duty.getByTestId('ticket-import').waitFor();
    await duty.getByTestId('import-file').setInputFiles(sample('12345-export.xlsx'));
    await duty.getByRole('button', { name: '预览', exact: true }).click();
    await duty.getByTestId('import-preview').waitFor();
    expect(await duty.getByTestId('map-ticketNo').inputValue()).toBe('1');
    expect(await duty.getByTestId('map-content').inputValue()).toBe('5');
    expect(await duty.getByTestId('import-rows').locator('tbody tr').count()).toBe(5);
    await duty.getByTestId('import-department').selectOption({ label: '市政府办公室' });
    await screenshot(duty, '90-ticket-import');
    await duty.getByTestId('import-run').click();
    await expect.poll(async () => duty.getByTestId('import-summary').textContent(), { timeout: 30_000 }).toBe('共 6 行：导入 6 行，重复 0 行，未导入 0 行');
    await expect.poll(async () => duty.getByTestId('import-history').locator('tbody tr').count()).toBe(1);
    const cases = await sys.db.selectFrom('cases').select(['origin', 'lead_department_id']).where('origin', '=', 'hotline').execute();
    expect(cases).toHaveLength(6);
    // Its own limit: the import alone may be waited for 30 s (the default limit of a whole test).
  }, 90_000);

  it('re-imports the same tickets from the GBK .csv on a 390 px phone: all duplicates, no sideways scrolling', async () => {
    const duty = await signedIn('duty', { width: 390, height: 844 });
    await duty.goto(`${sys.baseUrl}/imports`);
    await duty.getByTestId('ticket-import').waitFor();
    await duty.getByTestId('import-file').setInputFiles(sample('12345-export.csv'));
    await duty.getByRole('button', { name: '预览', exact: true }).click();
    await duty.getByTestId('import-preview').waitFor();
    await expect.poll(async () => duty.getByTestId('import-preview').textContent()).toContain('已沿用上次相同表头的列对应');
    expect(await duty.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await duty.getByTestId('import-run').click();
    await expect.poll(async () => duty.getByTestId('import-summary').textContent(), { timeout: 30_000 }).toBe('共 6 行：导入 0 行，重复 6 行，未导入 0 行');
    expect(await duty.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // 导入记录 fits the phone inside its panel too: time, origin, file (wrapped) and counts, no sideways scroll.
    await expect.poll(async () => duty.getByTestId('import-history').locator('tbody tr').count()).toBe(2);
    const history = await duty.getByTestId('import-history').evaluate((t) => ({ table: t.scrollWidth, wrap: t.parentElement!.clientWidth }));
    expect(history.table).toBeLessThanOrEqual(history.wrap);
    expect(await duty.getByTestId('import-history').innerText()).toContain('12345-export.csv'.slice(0, 8));
    await screenshot(duty, '91-ticket-import-phone');
  }, 90_000);
});
